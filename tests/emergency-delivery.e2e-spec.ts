import { Redis } from 'ioredis';
import { Client } from 'pg';
import { countyDate } from '../src/kernel/county-time';
import { Api } from './helpers/api';
import { databaseUrl, sql } from './helpers/databases';
import { startApp, type TestApp } from './helpers/app';
import {
  adminToken,
  createEndpoint,
  DAXING,
  DAXING_VILLAGE,
  enroll,
  importSongtao,
  PANSHI_VILLAGE,
  SONGTAO,
  userToken,
} from './helpers/factories';
import { settled } from './helpers/media';
import { freePort, MAIN, spawnProcess, type Spawned, startRedisServer, waitFor } from './helpers/processes';
import { EventStream } from './helpers/sse';

// The push of an approved alert must survive what goes wrong in production:
// devices spread over several API processes, Redis or the workers down at
// the moment of approval, a dispatch carried out twice, an API process
// restarting, a playlist recompile that cannot run. Every device is told
// once, never twice, and no push waits for a recompile.

const EVENTS = '/api/v1/device/events';
const inHours = (hours: number) => new Date(Date.now() + hours * 3600_000).toISOString();
const named = (stream: EventStream, name: string) => stream.events.filter((event) => event.event === name);

interface Prepared {
  operator: string;
  approver: string;
  mediaId: string;
  daxing: Array<{ endpointId: string; token: string }>;
  panshi: { endpointId: string; token: string };
}

/** Songtao, an operator and an approver, spoken alert audio, and three loudspeakers in 大兴 and one in 盘石. */
async function prepare(t: TestApp): Promise<Prepared> {
  const admin = await adminToken(t);
  await importSongtao(t, admin);
  const operator = await userToken(t, admin, 'operator', SONGTAO);
  const approver = await userToken(t, admin, 'approver', SONGTAO);
  const tts = await t.api.post(
    '/api/v1/media/tts',
    { text: '大兴街道请注意，山洪预警，请立即转移。' },
    { token: operator },
  );
  const { id: mediaId } = await settled(t, operator, tts.body.id);
  const daxing = [];
  for (const [index, name] of ['村口', '学校', '山脚'].entries()) {
    daxing.push(
      await enroll(t, (await createEndpoint(t, operator, DAXING_VILLAGE, name)).enrollmentCode, `SN-DX-${index}`),
    );
  }
  const panshi = await enroll(t, (await createEndpoint(t, operator, PANSHI_VILLAGE)).enrollmentCode, 'SN-PS');
  return { operator, approver, mediaId, daxing, panshi };
}

async function draftFor(t: TestApp, p: Prepared, regionCode = DAXING): Promise<string> {
  const reply = await t.api.post(
    '/api/v1/emergencies',
    {
      title: '山洪预警',
      level: 1,
      category: 'flood',
      regionCodes: [regionCode],
      mediaId: p.mediaId,
      expiresAt: inHours(2),
      drill: false,
    },
    { token: p.operator },
  );
  expect(reply.status).toBe(201);
  return reply.body.id;
}

function startProcess(t: TestApp, env: Record<string, string>): Spawned {
  return spawnProcess(process.execPath, [MAIN], { ...process.env, ...t.env, LOG_LEVEL: 'warn', ...env });
}

async function startApiProcess(t: TestApp): Promise<{ process: Spawned; url: string }> {
  const port = await freePort();
  const spawned = startProcess(t, { APP_ROLE: 'api', PORT: String(port), HOST: '127.0.0.1' });
  const url = `http://127.0.0.1:${port}`;
  await waitFor(
    'the second API process',
    async () => ((await fetch(`${url}/health`)).status === 200 ? true : undefined),
    60_000,
  ).catch((error) => {
    throw new Error(`${error.message}\n${spawned.output()}`);
  });
  return { process: spawned, url };
}

const statusOf = async (t: TestApp, p: Prepared, id: string) =>
  (await t.api.get(`/api/v1/emergencies/${id}`, { token: p.operator })).body.status;
/** Long enough for the outbox sweep (every second) and a worker to have acted, had they been able to. */
const quietPeriod = () => new Promise((resolve) => setTimeout(resolve, 2_500));

/**
 * Holds every write to the compiled playlists, as a long lock on the table
 * would (a migration, a VACUUM FULL): a recompile waits on it until released.
 */
async function holdPlaylistWrites(database: string): Promise<() => Promise<void>> {
  const client = new Client({ connectionString: databaseUrl(database) });
  await client.connect();
  await client.query('BEGIN');
  await client.query('LOCK TABLE compiled_playlist IN EXCLUSIVE MODE');
  return async () => {
    await client.query('COMMIT').catch(() => undefined);
    await client.end();
  };
}

const activations = (t: TestApp, ids: string[]) =>
  sql<{ emergency_id: string; pushed_at: Date | null; done_at: Date | null }>(
    t.database,
    `SELECT emergency_id, pushed_at, done_at FROM emergency_dispatch WHERE emergency_id = ANY($1::uuid[]) AND action = 'activate'`,
    [ids],
  );

/** The stored playlist of a region for today, as JSON text ('' when none is stored). */
async function storedPlaylist(t: TestApp, regionCode: string): Promise<string> {
  const [row] = await sql<{ items: string }>(
    t.database,
    `SELECT items::text AS items FROM compiled_playlist WHERE region_code = $1 AND date = $2::date`,
    [regionCode, countyDate(new Date())],
  );
  return row?.items ?? '';
}

describe('emergency alerts reach every device once', () => {
  it('fans out through Redis to devices connected to another API process', async () => {
    const t = await startApp();
    let second: Awaited<ReturnType<typeof startApiProcess>> | undefined;
    const streams: EventStream[] = [];
    try {
      const p = await prepare(t);
      second = await startApiProcess(t);
      const [here, there, alsoThere, elsewhere] = await Promise.all([
        EventStream.open(t.url + EVENTS, p.daxing[0].token),
        EventStream.open(second.url + EVENTS, p.daxing[1].token),
        EventStream.open(second.url + EVENTS, p.daxing[2].token),
        EventStream.open(second.url + EVENTS, p.panshi.token),
      ]);
      streams.push(here, there, alsoThere, elsewhere);
      const id = await draftFor(t, p);
      // Approved through the other process: any process may take the request.
      expect(
        (await new Api(second.url).post(`/api/v1/emergencies/${id}/approve`, undefined, { token: p.approver })).status,
      ).toBe(200);

      for (const stream of [here, there, alsoThere]) {
        const pushed = await waitFor('the push on every process', async () => named(stream, 'emergency')[0]);
        expect(JSON.parse(pushed.data)).toMatchObject({ id, level: 1, drill: false });
      }
      await waitFor('the pushes to be recorded', async () => {
        const { totals } = (await t.api.get(`/api/v1/emergencies/${id}/delivery`, { token: p.approver })).body;
        return totals.pushed === 3 ? totals : undefined;
      });

      expect((await t.api.post(`/api/v1/emergencies/${id}/cancel`, {}, { token: p.approver })).status).toBe(200);
      for (const stream of [here, there, alsoThere])
        await waitFor('the cancellation on every process', async () => named(stream, 'emergency-cancelled')[0]);
      // Two sync rounds (every 5 s) must not tell anyone again.
      await new Promise((resolve) => setTimeout(resolve, 6_000));
      for (const stream of [here, there, alsoThere])
        expect([named(stream, 'emergency').length, named(stream, 'emergency-cancelled').length]).toEqual([1, 1]);
      expect(elsewhere.events.filter((event) => event.event.startsWith('emergency'))).toEqual([]);
    } finally {
      for (const stream of streams) stream.close();
      await second?.process.stop();
      await t.close();
    }
  }, 90_000);

  it('dispatches an alert approved while Redis is down once Redis is back', async () => {
    const redis = await startRedisServer();
    const t = await startApp({ REDIS_URL: redis.url });
    let stream: EventStream | undefined;
    try {
      const p = await prepare(t);
      stream = await EventStream.open(t.url + EVENTS, p.daxing[0].token);
      const id = await draftFor(t, p);
      await redis.kill();

      // Postgres has it: the approval is taken, and nothing can go out yet.
      const approved = await t.api.post(`/api/v1/emergencies/${id}/approve`, undefined, { token: p.approver });
      expect(approved.status).toBe(200);
      expect(approved.body.status).toBe('approved');
      await quietPeriod();
      expect(await statusOf(t, p, id)).toBe('approved');
      expect(named(stream, 'emergency')).toEqual([]);

      // Redis comes back empty (it keeps nothing on disk): the outbox sweep queues the dispatch again.
      const back = await startRedisServer(redis.port);
      try {
        const pushed = await waitFor(
          'the push after Redis returned',
          async () => named(stream!, 'emergency')[0],
          45_000,
        );
        expect(JSON.parse(pushed.data)).toMatchObject({ id });
        expect(await statusOf(t, p, id)).toBe('active');
        await quietPeriod();
        expect(named(stream, 'emergency')).toHaveLength(1);
      } finally {
        stream.close();
        await t.close();
        await back.kill();
      }
    } catch (error) {
      stream?.close();
      await t.close().catch(() => undefined);
      throw error;
    }
  }, 120_000);

  it('dispatches once workers return, pushes nothing twice when a dispatch is carried out again or an API process restarts, and catches up devices that connect later', async () => {
    let t = await startApp({ APP_ROLE: 'api' });
    let worker = startProcess(t, { APP_ROLE: 'worker' });
    const streams: EventStream[] = [];
    try {
      const p = await prepare(t);
      await worker.stop();
      const first = await EventStream.open(t.url + EVENTS, p.daxing[0].token);
      streams.push(first);
      const id = await draftFor(t, p);

      expect(
        (await t.api.post(`/api/v1/emergencies/${id}/approve`, undefined, { token: p.approver })).body.status,
      ).toBe('approved');
      await quietPeriod();
      expect(await statusOf(t, p, id)).toBe('approved');
      expect(named(first, 'emergency')).toEqual([]);

      worker = startProcess(t, { APP_ROLE: 'worker' });
      await waitFor('the push once a worker runs', async () => named(first, 'emergency')[0], 45_000);
      expect(await statusOf(t, p, id)).toBe('active');

      // A worker that died after pushing but before recording it: the outbox row is due again and is carried out again.
      const [{ id: dispatchId }] = await sql<{ id: string }>(
        t.database,
        `SELECT id FROM emergency_dispatch WHERE emergency_id = $1 AND action = 'activate'`,
        [id],
      );
      await sql(t.database, `UPDATE emergency_dispatch SET pushed_at = NULL, done_at = NULL WHERE id = $1`, [
        dispatchId,
      ]);
      await waitFor('the dispatch to be carried out again', async () => {
        const [row] = await sql<{ done_at: Date | null }>(
          t.database,
          `SELECT done_at FROM emergency_dispatch WHERE id = $1`,
          [dispatchId],
        );
        return row.done_at ? true : undefined;
      });
      await quietPeriod();
      expect(named(first, 'emergency')).toHaveLength(1);

      // The API process restarts: it has forgotten what it pushed; Postgres has not.
      first.close();
      await t.close({ keep: true });
      t = await startApp(t.env, { database: t.database });
      const again = await EventStream.open(t.url + EVENTS, p.daxing[0].token);
      const late = await EventStream.open(t.url + EVENTS, p.daxing[1].token);
      streams.push(again, late);
      const caughtUp = await waitFor(
        'a device connecting late to be pushed the live alert',
        async () => named(late, 'emergency')[0],
      );
      expect(JSON.parse(caughtUp.data)).toMatchObject({ id });
      // A sync round (every 5 s) has run by now too.
      await new Promise((resolve) => setTimeout(resolve, 6_000));
      expect(named(again, 'emergency')).toEqual([]);
      expect(named(late, 'emergency')).toHaveLength(1);
      const { totals } = (await t.api.get(`/api/v1/emergencies/${id}/delivery`, { token: p.approver })).body;
      expect(totals).toMatchObject({ endpoints: 3, pushed: 2, notReached: 1 });
    } finally {
      for (const stream of streams) stream.close();
      await worker.stop();
      await t.close();
    }
  }, 150_000);

  it('pushes every alert approved at once while no playlist can be recompiled, and preempts the playlists once they can', async () => {
    const t = await startApp();
    const streams: EventStream[] = [];
    let release: (() => Promise<void>) | undefined;
    try {
      const p = await prepare(t);
      const [daxing, panshi] = await Promise.all([
        EventStream.open(t.url + EVENTS, p.daxing[0].token),
        EventStream.open(t.url + EVENTS, p.panshi.token),
      ]);
      streams.push(daxing, panshi);
      // More alerts than a worker carries out at once (4): a push queued behind a blocked recompile would never go.
      const inDaxing = [];
      const inPanshi = [];
      for (let i = 0; i < 3; i++) {
        inDaxing.push(await draftFor(t, p, DAXING));
        inPanshi.push(await draftFor(t, p, PANSHI_VILLAGE));
      }
      const ids = [...inDaxing, ...inPanshi];
      release = await holdPlaylistWrites(t.database);

      await Promise.all(
        ids.map(async (id) =>
          expect((await t.api.post(`/api/v1/emergencies/${id}/approve`, undefined, { token: p.approver })).status).toBe(
            200,
          ),
        ),
      );
      for (const [stream, expected] of [
        [daxing, inDaxing],
        [panshi, inPanshi],
      ] as const) {
        const pushed = await waitFor('every alert pushed', async () => {
          const events = named(stream, 'emergency');
          return events.length >= expected.length ? events : undefined;
        });
        expect(pushed.map((event) => JSON.parse(event.data).id).sort()).toEqual([...expected].sort());
      }
      const pushedOnly = await activations(t, ids);
      expect(pushedOnly.every((row) => row.pushed_at && !row.done_at)).toBe(true);
      expect(await storedPlaylist(t, DAXING_VILLAGE)).not.toContain(inDaxing[0]);

      await release();
      release = undefined;
      await waitFor(
        'every recompile done',
        async () => ((await activations(t, ids)).every((row) => row.done_at) ? true : undefined),
        45_000,
      );
      const daxingPlaylist = await storedPlaylist(t, DAXING_VILLAGE);
      const panshiPlaylist = await storedPlaylist(t, PANSHI_VILLAGE);
      for (const id of inDaxing) expect(daxingPlaylist).toContain(`emergency:${id}`);
      for (const id of inPanshi) expect(panshiPlaylist).toContain(`emergency:${id}`);
      expect([named(daxing, 'emergency').length, named(panshi, 'emergency').length]).toEqual([3, 3]);
    } finally {
      await release?.();
      for (const stream of streams) stream.close();
      await t.close();
    }
  }, 120_000);

  it('recompiles the playlists of an alert pushed just before its worker died and Redis was emptied', async () => {
    const redis = await startRedisServer();
    const t = await startApp({ APP_ROLE: 'api', REDIS_URL: redis.url });
    let worker = startProcess(t, { APP_ROLE: 'worker' });
    let stream: EventStream | undefined;
    let release: (() => Promise<void>) | undefined;
    try {
      const p = await prepare(t);
      stream = await EventStream.open(t.url + EVENTS, p.daxing[0].token);
      const id = await draftFor(t, p);
      release = await holdPlaylistWrites(t.database);
      expect((await t.api.post(`/api/v1/emergencies/${id}/approve`, undefined, { token: p.approver })).status).toBe(
        200,
      );
      await waitFor('the push', async () => named(stream!, 'emergency')[0]);
      await waitFor('the push recorded in the outbox', async () =>
        (await activations(t, [id]))[0].pushed_at ? true : undefined,
      );

      // The worker dies in the recompile, its statement with it, and Redis comes back empty: only Postgres knows.
      await worker.stop();
      await sql(
        t.database,
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`,
      );
      const client = new Redis(redis.url);
      try {
        await client.flushall();
      } finally {
        client.disconnect();
      }
      await release();
      release = undefined;
      await quietPeriod();
      expect((await activations(t, [id]))[0].done_at).toBeNull();
      expect(await storedPlaylist(t, DAXING_VILLAGE)).not.toContain(id);

      worker = startProcess(t, { APP_ROLE: 'worker' });
      await waitFor(
        'the recompile once a worker runs',
        async () => ((await activations(t, [id]))[0].done_at ? true : undefined),
        45_000,
      );
      expect(await storedPlaylist(t, DAXING_VILLAGE)).toContain(`emergency:${id}`);
      await quietPeriod();
      expect(named(stream, 'emergency')).toHaveLength(1);
    } finally {
      await release?.();
      stream?.close();
      await worker.stop();
      await t.close();
      await redis.kill();
    }
  }, 150_000);
});
