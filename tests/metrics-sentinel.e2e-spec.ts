import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { EndpointJobs } from '../src/endpoints/endpoints.jobs';
import { loadConfig } from '../src/infra/config/config';
import { Metrics } from '../src/infra/metrics/metrics';
import { JobQueue } from '../src/infra/queue/job-queue.service';
import { JobName } from '../src/infra/queue/jobs';
import { EventBus } from '../src/infra/redis/event-bus';
import { ensureReachable, UnreachableError } from '../src/infra/startup/reachability';
import { startApp, testEnvironment, type TestApp } from './helpers/app';
import { dropDatabase } from './helpers/databases';
import { adminToken, createEndpoint, DAXING_VILLAGE, enroll, importSongtao } from './helpers/factories';
import { freePort, spawnProcess, startRedisServer, waitFor } from './helpers/processes';
import { parseExposition, valueOf } from './helpers/prometheus';
import { EventStream } from './helpers/sse';

// A Redis master, its replica and a Sentinel of the test's own, one app and a failover: about 25 s.

const MASTER = 'dalaba-master';

const client = (port: number) => {
  const redis = new Redis(port, '127.0.0.1', { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  redis.on('error', () => undefined);
  return redis;
};

/** Asks one Redis (or Sentinel) something until `ready` says its answer will do. */
async function askUntil<T>(what: string, port: number, ask: (redis: Redis) => Promise<T | undefined>): Promise<T> {
  const redis = client(port);
  try {
    return await waitFor(what, async () => {
      if (redis.status !== 'ready') await redis.connect().catch(() => undefined);
      return ask(redis);
    });
  } finally {
    redis.disconnect();
  }
}

const masterPort = (sentinel: Redis) =>
  sentinel.call('SENTINEL', 'get-master-addr-by-name', MASTER) as Promise<string[] | null>;

/** A replica of the Redis on `of`, in sync; the copy goes over the socket, so no file is left in the working directory. */
async function startReplica(of: number, dir: string): Promise<number> {
  const master = client(of);
  await master.connect();
  await master.config('SET', 'repl-diskless-sync', 'yes');
  await master.config('SET', 'repl-diskless-sync-delay', '0');
  master.disconnect();
  const port = await freePort();
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir];
  spawnProcess('redis-server', [...args, '--replicaof', '127.0.0.1', String(of)], process.env);
  await askUntil('the replica to sync', port, async (redis) =>
    /master_link_status:up/.test(await redis.info('replication')) ? true : undefined,
  );
  return port;
}

/** A redis-sentinel watching MASTER on `redisPort`, quick to fail over; it rewrites its config file, so that is in `dir`. */
async function startSentinel(redisPort: number, dir: string): Promise<number> {
  const port = await freePort();
  const file = join(dir, 'sentinel.conf');
  writeFileSync(
    file,
    [
      `port ${port}`,
      'bind 127.0.0.1',
      `dir ${dir}`,
      `sentinel monitor ${MASTER} 127.0.0.1 ${redisPort} 1`,
      `sentinel down-after-milliseconds ${MASTER} 1000`,
      `sentinel failover-timeout ${MASTER} 10000`,
      '',
    ].join('\n'),
  );
  spawnProcess('redis-sentinel', [file], process.env);
  await askUntil('the Sentinel to know the master', port, async (sentinel) =>
    (await masterPort(sentinel))?.[1] === String(redisPort) ? true : undefined,
  );
  return port;
}

describe('REDIS_URL through Redis Sentinel', () => {
  let sentinelUrl: string;
  let sentinelPort: number;
  let master: Awaited<ReturnType<typeof startRedisServer>>;
  let replicaPort: number;
  const dir = mkdtempSync(join(tmpdir(), 'dalaba-sentinel-'));

  beforeAll(async () => {
    master = await startRedisServer();
    replicaPort = await startReplica(master.port, dir);
    sentinelPort = await startSentinel(master.port, dir);
    sentinelUrl = `redis+sentinel://127.0.0.1:${sentinelPort}/${MASTER}`;
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

  it('finds the master through the Sentinel (health, jobs, the event bus) and follows it across a failover', async () => {
    let t: TestApp | undefined;
    try {
      t = await startApp({ REDIS_URL: sentinelUrl, APP_ROLE: 'all' });
      const app = t.app;
      await ensureReachable(t.config);
      const health = await t.api.get('/health');
      expect(health.status).toBe(200);
      expect(health.body.checks).toMatchObject({ redis: { status: 'up' }, queue: { status: 'up' } });

      // The URL names only the Sentinel: the app's keys are in the Redis it pointed at.
      await app.get(EndpointJobs).schedulePurge();
      await askUntil('the job to complete', master.port, async (redis) =>
        (await redis.exists(`${t!.config.queuePrefix}:maintenance:completed`)) ? true : undefined,
      );

      // A command reaches a device's stream over the event bus.
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

      // The master dies; the Sentinel promotes the replica, and every connection follows.
      const heard: string[] = [];
      app.get(EventBus).on('live-stop', ({ id }) => heard.push(id));
      await master.kill();
      await askUntil('the Sentinel to promote the replica', sentinelPort, async (sentinel) =>
        (await masterPort(sentinel))?.[1] === String(replicaPort) ? true : undefined,
      );
      await waitFor('health to find Redis again', async () =>
        (await t!.api.get('/health')).status === 200 ? true : undefined,
      );
      const id = randomUUID();
      await waitFor('a message over the bus on the new master', async () => {
        await app.get(EventBus).publish('live-stop', { id });
        return heard.includes(id) ? true : undefined;
      });
      await app.get(JobQueue).enqueue(JobName.EscalateOrders, {});
      const job = { queue: 'civic', job: JobName.EscalateOrders, outcome: 'completed' };
      await waitFor('a job on the new master', async () =>
        valueOf(parseExposition(await app.get(Metrics).exposition()), 'dalaba_job_duration_seconds_count', job)
          ? true
          : undefined,
      );
    } finally {
      // Its keys go with this test's Redis; only the database and media folder are left.
      await t?.close({ keep: true });
      if (t) await dropDatabase(t.database);
      if (t) rmSync(t.config.mediaDir, { recursive: true, force: true });
    }
  });
});
