import { chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { startIcecast, type RunningIcecast } from '../../src/infra/icecast/icecast-server';
import { freePort } from './processes';

export const ICECAST_SOURCE_PASSWORD = 'icecast-source-password-for-tests';

export interface TestIcecast extends RunningIcecast {
  url: string;
  /** The settings an app (or a spawned process) needs to use it. */
  env: Record<string, string>;
}

/** A real Icecast 2 on a free loopback port, started the way `npm start` starts it (ICECAST_START). */
export async function startTestIcecast(maxClients?: number): Promise<TestIcecast> {
  const url = `http://127.0.0.1:${await freePort()}`;
  // Run as root, Icecast drops to `nobody`, which must reach its folder inside the test run's private
  // TMPDIR (made 0700 by mkdtemp): let others pass through it, not list it.
  if (process.getuid?.() === 0) chmodSync(tmpdir(), 0o711);
  const running = await startIcecast(
    {
      url,
      publicUrl: url,
      sourcePassword: ICECAST_SOURCE_PASSWORD,
      mountPrefix: 'test',
      start: true,
      path: process.env.ICECAST_PATH ?? 'icecast2',
    },
    maxClients,
  );
  return {
    ...running,
    url,
    env: { ICECAST_URL: url, ICECAST_SOURCE_PASSWORD, ICECAST_MOUNT_PREFIX: 'test' },
  };
}
