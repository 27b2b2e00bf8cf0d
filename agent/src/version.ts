import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The package's version, as heartbeats report it (`dalaba-agent/<version>`). */
export const VERSION = (JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')) as { version: string })
  .version;

/** Exit codes systemd acts on: a restart a command asked for (restarted), a setup only a person can fix (not restarted). */
export const EXIT_RESTART = 75;
export const EXIT_CONFIG = 78;
