import { z } from 'zod';
import type { RateLimit } from './config';
import { integer } from './config-values';

/** The EBD exchange with upper emergency-broadcast platforms (docs/ebd-exchange.md), from the EBD_* settings. */
export interface EbdConfig {
  /** Where the counties' signing keys are: a link's signer `file:<name>` is `<keyDir>/<name>.key`. */
  keyDir: string;
  /** The largest package the upper platform may POST. */
  maxPackageBytes: number;
  /** How long a POST up may take. */
  sendTimeoutSeconds: number;
  /** After how long a package going up that was not answered is given up. */
  giveUpHours: number;
  /** Packages one address may POST to the exchange route (which anyone may call). */
  perAddress: RateLimit;
}

/** The EBD_* variables, spread into the environment schema; each county's link is set in the console. */
export const EBD_ENVIRONMENT = {
  EBD_KEY_DIR: z.string().min(1).default('keys/ebd'),
  EBD_MAX_PACKAGE_BYTES: integer(64 * 1024, 2 ** 31 - 1).default(50 * 1024 * 1024),
  EBD_SEND_TIMEOUT_SECONDS: integer(1, 600).default(30),
  EBD_GIVE_UP_HOURS: integer(1, 24 * 30).default(24),
  EBD_PACKAGES_PER_ADDRESS_PER_MINUTE: integer(1, 1_000_000).default(600),
};

export function ebdConfig(e: {
  EBD_KEY_DIR: string;
  EBD_MAX_PACKAGE_BYTES: number;
  EBD_SEND_TIMEOUT_SECONDS: number;
  EBD_GIVE_UP_HOURS: number;
  EBD_PACKAGES_PER_ADDRESS_PER_MINUTE: number;
}): EbdConfig {
  return {
    keyDir: e.EBD_KEY_DIR,
    maxPackageBytes: e.EBD_MAX_PACKAGE_BYTES,
    sendTimeoutSeconds: e.EBD_SEND_TIMEOUT_SECONDS,
    giveUpHours: e.EBD_GIVE_UP_HOURS,
    perAddress: { max: e.EBD_PACKAGES_PER_ADDRESS_PER_MINUTE, windowSeconds: 60 },
  };
}
