// A software signing key as Dalaba keeps it: a text file with the SM2 private
// key in hex, and comment lines (#) that say what it is and its public key.
import { isSm2PrivateKey, sm2PublicKeyOf } from './sm2';

export function writeKeyFile(privateKey: string): string {
  return [
    '# Dalaba SM2 signing key for the EBD exchange (应急广播数据交换). Keep it secret: mode 600.',
    `# public key (give this to the upper platform): ${sm2PublicKeyOf(privateKey)}`,
    privateKey,
    '',
  ].join('\n');
}

/** The private key in a key file, or null when the file holds none. */
export function readKeyFile(text: string): string | null {
  const line = text
    .split(/\r?\n/)
    .map((candidate) => candidate.trim().toLowerCase())
    .find((candidate) => candidate && !candidate.startsWith('#'));
  return line && isSm2PrivateKey(line) ? line : null;
}
