import { Inject, Injectable } from '@nestjs/common';
import argon2 from 'argon2';
import { APP_CONFIG } from '../infra/config/config.module';
import type { AppConfig } from '../infra/config/config';
import { HashingSlots } from './hashing-slots';

/** argon2id with the library's defaults (64 MiB, 3 passes), a bounded number at once (429 beyond). */
@Injectable()
export class PasswordHasher {
  private readonly slots: HashingSlots;
  // Verifying against this when a username is unknown makes a miss cost as much as a hit.
  private readonly decoy = argon2.hash('decoy password that matches nothing');

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.slots = new HashingSlots(config.passwordHashing.concurrency, config.passwordHashing.queue);
  }

  hash(password: string): Promise<string> {
    return this.slots.run(() => argon2.hash(password, { type: argon2.argon2id }));
  }

  verify(hash: string | null, password: string): Promise<boolean> {
    return this.slots.run(async () => {
      if (hash === null) {
        await argon2.verify(await this.decoy, password);
        return false;
      }
      return argon2.verify(hash, password);
    });
  }
}
