import type { RateLimit } from './config';

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
