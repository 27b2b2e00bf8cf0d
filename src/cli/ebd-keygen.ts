import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ConfigError, loadConfig } from '../infra/config/config';
import { writeKeyFile } from '../ebd/domain/key-file';
import { generateSm2KeyPair } from '../ebd/domain/sm2';

// `npm run ebd:keygen -- <name>`: makes an SM2 key pair for a county's EBD
// exchange, writes the private key to <EBD_KEY_DIR>/<name>.key (mode 600,
// never over an existing one) and prints the public key for the upper
// platform. The county's link then names the signer `file:<name>`.

async function main(): Promise<void> {
  const name = process.argv[2];
  if (!name || !/^[A-Za-z0-9_-]{1,64}$/.test(name))
    throw new ConfigError('usage: npm run ebd:keygen -- <name: letters, digits, - or _>');
  const { keyDir } = loadConfig(process.env).ebd;
  await mkdir(keyDir, { recursive: true, mode: 0o700 });
  const path = join(keyDir, `${name}.key`);
  const { privateKey, publicKey } = generateSm2KeyPair();
  await writeFile(path, writeKeyFile(privateKey), { mode: 0o600, flag: 'wx' }).catch((error: NodeJS.ErrnoException) => {
    throw new ConfigError(
      error.code === 'EEXIST' ? `${path} exists already: choose another name, or move it away first` : error.message,
    );
  });
  console.log(`wrote ${path}`);
  console.log(`signer: file:${name}`);
  console.log(`public key (SM2, 04‖x‖y, for the upper platform): ${publicKey}`);
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
