import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { EndpointJobs } from '../src/endpoints/endpoints.jobs';
import { loadConfig } from '../src/infra/config/config';
import { ensureReachable, UnreachableError } from '../src/infra/startup/reachability';
import { startApp, testEnvironment, type TestApp } from './helpers/app';
import { dropDatabase } from './helpers/databases';
import { adminToken, createEndpoint, DAXING_VILLAGE, enroll, importSongtao } from './helpers/factories';
import { freePort, spawnProcess, startRedisServer, waitFor } from './helpers/processes';
import { EventStream } from './helpers/sse';

// A Redis and a Redis Sentinel of the test's own, and one app: about 10 s.

const MASTER = 'dalaba-master';

/** A redis-sentinel watching the Redis on `redisPort` under MASTER; it rewrites its config file, so that lives in a temp dir. */
async function startSentinel(redisPort: number): Promise<{ port: number; dir: string }> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'dalaba-sentinel-'));
  const file = join(dir, 'sentinel.conf');
  writeFileSync(
    file,
    [
      `port ${port}`,
      'bind 127.0.0.1',
      `dir ${dir}`,
      `sentinel monitor ${MASTER} 127.0.0.1 ${redisPort} 1`,
      `sentinel down-after-milliseconds ${MASTER} 5000`,
      '',
    ].join('\n'),
  );
  spawnProcess('redis-sentinel', [file], process.env);
  const sentinel = new Redis(port, '127.0.0.1', {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  sentinel.on('error', () => undefined);
  await waitFor('the Sentinel to know the master', async () => {
    if (sentinel.status !== 'ready') await sentinel.connect().catch(() => undefined);
    const address = (await sentinel.call('SENTINEL', 'get-master-addr-by-name', MASTER)) as string[] | null;
    return address?.[1] === String(redisPort) ? true : undefined;
  });
  sentinel.disconnect();
  return { port, dir };
}

describe('REDIS_URL through Redis Sentinel', () => {
  let sentinelUrl: string;
  let redisPort: number;
  let dir: string;

  beforeAll(async () => {
    const redis = await startRedisServer();
    redisPort = redis.port;
    const sentinel = await startSentinel(redis.port);
    dir = sentinel.dir;
    sentinelUrl = `redis+sentinel://127.0.0.1:${sentinel.port}/${MASTER}`;
  }, 30_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('refuses at start-up, naming the Sentinels, a master they do not know or Sentinels that do not answer', async () => {
    const unknown = loadConfig(
      testEnvironment('unused', { MEDIA_DIR: dir, REDIS_URL: sentinelUrl.replace(MASTER, 'nobody') }),
    );
    await expect(ensureReachable(unknown)).rejects.toThrow(UnreachableError);
    await expect(ensureReachable(unknown)).rejects.toThrow(
      /^Cannot reach Redis master "nobody" through Sentinel at 127\.0\.0\.1:\d+ \(REDIS_URL\): /,
    );
    const deadPort = await freePort();
    const dead = loadConfig(
      testEnvironment('unused', { MEDIA_DIR: dir, REDIS_URL: `redis+sentinel://127.0.0.1:${deadPort}/${MASTER}` }),
    );
    await expect(ensureReachable(dead)).rejects.toThrow(`through Sentinel at 127.0.0.1:${deadPort} (REDIS_URL)`);
  });

  it('finds the master through the Sentinel: health, a queued job and an event over the bus all work', async () => {
    let t: TestApp | undefined;
    try {
      t = await startApp({ REDIS_URL: sentinelUrl, APP_ROLE: 'all' });
      await ensureReachable(t.config);
      const health = await t.api.get('/health');
      expect(health.status).toBe(200);
      expect(health.body.checks).toMatchObject({ redis: { status: 'up' }, queue: { status: 'up' } });

      // The URL names only the Sentinel: the app's keys are in the Redis it pointed at.
      const direct = new Redis(redisPort, '127.0.0.1');
      try {
        await t.app.get(EndpointJobs).schedulePurge();
        await waitFor('the job to complete', async () =>
          (await direct.keys(`${t!.config.queuePrefix}:maintenance:completed`)).length ? true : undefined,
        );

        const admin = await adminToken(t);
        await importSongtao(t, admin);
        const device = await enroll(t, (await createEndpoint(t, admin, DAXING_VILLAGE)).enrollmentCode);
        const stream = await EventStream.open(`${t.url}/api/v1/device/events`, device.token);
        try {
          expect(stream.response.status).toBe(200);
          const issued = await t.api.post(
            '/api/v1/endpoint-commands',
            { kind: 'mute', endpointId: device.endpointId },
            { token: admin },
          );
          expect(issued.status).toBe(201);
          await waitFor('the command over the event bus', async () =>
            stream.events.some((event) => event.event === 'command') ? true : undefined,
          );
        } finally {
          stream.close();
        }
      } finally {
        direct.disconnect();
      }
    } finally {
      // Its keys go with this test's Redis; only the database is left to drop.
      await t?.close({ keep: true });
      if (t) await dropDatabase(t.database);
      if (t) rmSync(t.config.mediaDir, { recursive: true, force: true });
    }
  });
});
