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
