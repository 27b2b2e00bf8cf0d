import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG } from '../infra/config/config.module';
import type { AppConfig } from '../infra/config/config';
import { readKeyFile } from './domain/key-file';
import type { Signer } from './domain/seal';
import { sm2PublicKeyOf, sm2Sign } from './domain/sm2';

/** How a county names its signer: `file:<name>`, the key file `<EBD_KEY_DIR>/<name>.key`. Crypto cards get a scheme of their own. */
export const SIGNER_SPEC = /^file:([A-Za-z0-9_-]{1,64})$/;

export class SignerUnavailable extends Error {}

/** Signs with an SM2 private key held in memory (read from a key file). */
class SoftwareSigner implements Signer {
  constructor(
    private readonly privateKey: string,
    readonly certSn: string,
  ) {}

  sign(data: Buffer): Promise<Buffer> {
    return Promise.resolve(sm2Sign(data, this.privateKey));
  }
}

/** The signer of each county's link, from its spec. Key files are read when needed, so a new key takes effect without a restart. */
@Injectable()
export class Signers {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  async forLink(link: { signer: string; certSn: string }): Promise<Signer & { publicKey: string }> {
    const privateKey = await this.privateKey(link.signer);
    return Object.assign(new SoftwareSigner(privateKey, link.certSn), { publicKey: sm2PublicKeyOf(privateKey) });
  }

  private async privateKey(spec: string): Promise<string> {
    const name = SIGNER_SPEC.exec(spec)?.[1];
    if (!name) throw new SignerUnavailable(`signer ${JSON.stringify(spec)} is not file:<name>`);
    const path = join(this.config.ebd.keyDir, `${name}.key`);
    const text = await readFile(path, 'utf8').catch((error: NodeJS.ErrnoException) => {
      throw new SignerUnavailable(
        error.code === 'ENOENT'
          ? `no key file ${path}: create it with npm run ebd:keygen -- ${name}`
          : `cannot read ${path}: ${error.code ?? error.message}`,
      );
    });
    return readKeyFile(text) ?? Promise.reject(new SignerUnavailable(`${path} holds no SM2 private key`));
  }
}
