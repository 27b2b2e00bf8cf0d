import { randomBytes, randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { EndpointWatch } from '../src/endpoints/endpoint-watch';
import { hashSecret } from '../src/endpoints/domain/secrets';
import { HeartbeatFlusher } from '../src/endpoints/heartbeat-flusher';
import { HeartbeatStore } from '../src/endpoints/heartbeat-store';
import { startApp, type TestApp } from './helpers/app';
import { sql } from './helpers/databases';
import { adminToken, DAXING_VILLAGE, importSongtao } from './helpers/factories';
import { startRedisServer } from './helpers/processes';

const DEVICES = 300;
const steady = (freeBytes: number) => ({ volume: 60, state: 'idle', version: 'dalaba-agent/0.3.0', freeBytes });

interface Device {
  id: string;
  token: string;
  /** The server time the device's latest beat was answered with: what Postgres must end up with. */
  lastBeat?: string;
}

/**
 * Heartbeats at scale (issue 20, point 3). The app runs on a Redis of the
 * test's own, which the test flushes and kills. Postgres counts the UPDATE
 * statements and rows on endpoint with triggers: a flush that wrote row by
 * row would show as many statements as rows.
 */
describe('heartbeats kept in Redis and flushed to Postgres in batches', () => {
  let redis: Awaited<ReturnType<typeof startRedisServer>>;
  let t: TestApp;
  let admin: string;
  let devices: Device[];
  let prefix: string;

  const beat = async (app: TestApp, device: Device, body: unknown = steady(1000)) => {
    const reply = await app.api.post('/api/v1/device/heartbeat', body, { token: device.token });
    expect(reply.status).toBe(200);
    device.lastBeat = reply.body.serverTime;
  };
  /** Every device beats once, a few at a time, each on the app `on` picks. */
  const beatAll = async (on: (i: number) => TestApp, body: (i: number) => unknown = () => steady(1000)) => {
    for (let i = 0; i < devices.length; i += 25)
      await Promise.all(devices.slice(i, i + 25).map((device, j) => beat(on(i + j), device, body(i + j))));
  };
  const updates = async () =>
    (await sql<{ statements: number; rows: number }>(t.database, 'SELECT statements, rows FROM endpoint_updates'))[0];
  const resetUpdates = () => sql(t.database, 'UPDATE endpoint_updates SET statements = 0, rows = 0');
  const lastSeen = async (ids: string[]) =>
    new Map(
      (
        await sql<{ id: string; last_seen_at: Date | null }>(
          t.database,
          'SELECT id, last_seen_at FROM endpoint WHERE id = ANY($1::uuid[])',
          [ids],
        )
      ).map((row) => [row.id, row.last_seen_at?.toISOString() ?? null]),
    );
  /** Devices whose last-seen in Postgres is not the time of their latest beat. */
  const behind = async (list: Device[]) => {
    const seen = await lastSeen(list.map((device) => device.id));
    return list.filter((device) => seen.get(device.id) !== device.lastBeat).length;
  };
  const online = async () =>
    (await t.api.get(`/api/v1/endpoints?region=${DAXING_VILLAGE}&limit=1`, { token: admin })).body.counts;
  const flush = (app = t) => app.app.get(HeartbeatFlusher).flush();

  beforeAll(async () => {
    redis = await startRedisServer();
    // No flush on a timer here (the tests flush): the online window must then be longer than the interval.
    t = await startApp({ REDIS_URL: redis.url, HEARTBEAT_FLUSH_SECONDS: '600', ENDPOINT_ONLINE_SECONDS: '3600' });
    prefix = t.config.queuePrefix;
    // Its minute sweep flushes too (before it looks for silent loudspeakers): stopped, so the tests say when.
    await t.app.get(EndpointWatch).onModuleDestroy();
    admin = await adminToken(t);
    await importSongtao(t, admin);
    devices = Array.from({ length: DEVICES }, () => ({ id: randomUUID(), token: randomBytes(32).toString('hex') }));
    await sql(
      t.database,
      `INSERT INTO endpoint (id, region_code, name, token_hash, enrolled_at)
       SELECT id, $3, '喇叭' || n, hash, now() FROM unnest($1::uuid[], $2::text[]) WITH ORDINALITY AS d(id, hash, n)`,
      [devices.map((device) => device.id), devices.map((device) => hashSecret(device.token)), DAXING_VILLAGE],
    );
    await sql(
      t.database,
      `CREATE TABLE endpoint_updates (statements int NOT NULL, rows int NOT NULL);
       INSERT INTO endpoint_updates VALUES (0, 0);
       CREATE FUNCTION count_statement() RETURNS trigger LANGUAGE plpgsql AS
         $$ BEGIN UPDATE endpoint_updates SET statements = statements + 1; RETURN NULL; END $$;
       CREATE FUNCTION count_row() RETURNS trigger LANGUAGE plpgsql AS
         $$ BEGIN UPDATE endpoint_updates SET rows = rows + 1; RETURN NULL; END $$;
       CREATE TRIGGER count_statements AFTER UPDATE ON endpoint FOR EACH STATEMENT EXECUTE FUNCTION count_statement();
       CREATE TRIGGER count_rows AFTER UPDATE ON endpoint FOR EACH ROW EXECUTE FUNCTION count_row();`,
    );
  }, 60_000);
  afterAll(async () => {
    await t?.close();
    await redis?.kill();
  });

  it('refuses a bad heartbeat and stores nothing of it, in Redis or in Postgres', async () => {
    const [device] = devices;
    const refused = [
      {},
      { volume: 101 },
      { volume: 50, state: 'fault' },
      { volume: 50, fault: { code: 'amp.overheat', text: '过热' } },
      { volume: '50' },
      { volume: 50, clockOffsetMs: 1.5 },
    ];
    for (const body of refused)
      expect((await t.api.post('/api/v1/device/heartbeat', body, { token: device.token })).status).toBe(400);
    expect((await t.api.post('/api/v1/device/heartbeat', steady(1), { token: 'f'.repeat(64) })).status).toBe(401);
    const client = new Redis(redis.url);
    try {
      expect(await client.keys(`${prefix}:{heartbeat}:*`)).toEqual([]);
    } finally {
      client.disconnect();
    }
    expect(await updates()).toEqual({ statements: 0, rows: 0 });
    expect((await lastSeen([device.id])).get(device.id)).toBeNull();
  });

  it('writes a first beat at once (online now), steady beats not until the flush, which writes them in one statement', async () => {
    await beatAll(() => t);
    // Each first beat is news: written with the beat, the device online at once.
    expect(await updates()).toEqual({ statements: DEVICES, rows: DEVICES });
    expect(await online()).toEqual({ total: DEVICES, online: DEVICES });
    expect((await t.api.get(`/api/v1/endpoints/${devices[0].id}`, { token: admin })).body.online).toBe(true);
    const first = await lastSeen(devices.map((device) => device.id));

    await resetUpdates();
    await beatAll(
      () => t,
      (i) => steady(2000 + i),
    );
    expect(await updates()).toEqual({ statements: 0, rows: 0 });
    expect(await lastSeen(devices.map((device) => device.id))).toEqual(first);
    expect(await online()).toEqual({ total: DEVICES, online: DEVICES });
    // What the console shows of a loudspeaker is its latest beat, flushed or not.
    const shown = await t.api.get(`/api/v1/endpoints/${devices[7].id}`, { token: admin });
    expect(shown.body).toMatchObject({ online: true, lastSeenAt: devices[7].lastBeat, freeBytes: 2007 });
    const listed = await t.api.get(`/api/v1/endpoints?region=${DAXING_VILLAGE}&limit=1000`, { token: admin });
    const beats = new Map(devices.map((device) => [device.id, device.lastBeat]));
    const items = listed.body.items as Array<{ id: string; lastSeenAt: string }>;
    expect(items).toHaveLength(DEVICES);
    expect(items.filter((item) => item.lastSeenAt !== beats.get(item.id))).toEqual([]);

    expect(await flush()).toEqual({ beats: DEVICES, statements: 1, busy: false });
    expect(await updates()).toEqual({ statements: 1, rows: DEVICES });
    expect(await behind(devices)).toBe(0);
    const [row] = await sql<{ free_bytes: string }>(t.database, 'SELECT free_bytes FROM endpoint WHERE id = $1', [
      devices[7].id,
    ]);
    expect(row.free_bytes).toBe('2007');
    expect(t.logs.map((line) => String(line.msg))).toContainEqual(
      expect.stringMatching(new RegExp(`^heartbeats flushed: ${DEVICES} beats, 1 statements, \\d+ ms$`)),
    );
    // Nothing dirty since: the next flush writes nothing.
    await resetUpdates();
    expect(await flush()).toEqual({ beats: 0, statements: 0, busy: false });
    expect(await updates()).toEqual({ statements: 0, rows: 0 });
  });

  it('writes a change of volume or fault at once, and opens one fault episode however often it is reported', async () => {
    const device = devices[1];
    await resetUpdates();
    await beat(t, device, { ...steady(1000), volume: 30 });
    expect(await updates()).toEqual({ statements: 1, rows: 1 });
    // An older device says only its volume: its first such beat is news (no state, no version), the next not.
    await beat(t, device, { volume: 30 });
    await beat(t, device, { volume: 30, freeBytes: 5 });
    expect(await updates()).toEqual({ statements: 2, rows: 2 });
    expect((await t.api.get(`/api/v1/endpoints/${device.id}`, { token: admin })).body).toMatchObject({
      online: true,
      volume: 30,
      state: null,
      version: null,
    });
    const fault = { ...steady(1000), state: 'fault', fault: { code: 'amp.overheat', text: '功放过热' } };
    await beat(t, device, fault);
    await beat(t, device, fault);
    await beat(t, device, fault);
    const episodes = await sql(
      t.database,
      'SELECT code FROM endpoint_fault WHERE endpoint_id = $1 AND closed_at IS NULL',
      [device.id],
    );
    expect(episodes).toEqual([{ code: 'amp.overheat' }]);
    const view = (await t.api.get(`/api/v1/endpoints/${device.id}`, { token: admin })).body;
    expect(view).toMatchObject({ volume: 60, state: 'fault', fault: { code: 'amp.overheat' } });
    await beat(t, device);
    expect(
      await sql(t.database, 'SELECT 1 FROM endpoint_fault WHERE endpoint_id = $1 AND closed_at IS NULL', [device.id]),
    ).toEqual([]);
  });

  it('takes up the batch of a flusher that died mid-flush once its lease ran out, with the beats that came meanwhile', async () => {
    const some = devices.slice(0, 50);
    for (const device of some) await beat(t, device, steady(3000));
    // A process claims the dirty beats, then dies before writing them (its lease: 3 s).
    expect(await t.app.get(HeartbeatStore).claim(randomUUID(), 3000)).toBe(50);
    expect(await flush()).toEqual({ beats: 0, statements: 0, busy: true });
    for (const device of some.slice(0, 10)) await beat(t, device, steady(3001));
    expect(await behind(some)).toBe(50);
    let outcome = await flush();
    for (let tries = 0; outcome.busy && tries < 100; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      outcome = await flush();
    }
    expect(outcome).toEqual({ beats: 50, statements: 1, busy: false });
    expect(await behind(some)).toBe(0);
  });

  it('loses at most the beats since the last flush when Redis is flushed, never an endpoint, which is online at its next beat', async () => {
    const device = devices[2];
    await beat(t, device, steady(4000));
    await flush();
    const flushed = device.lastBeat;
    await beat(t, device, steady(4001));
    const client = new Redis(redis.url);
    try {
      await client.flushall();
    } finally {
      client.disconnect();
    }
    expect(await flush()).toEqual({ beats: 0, statements: 0, busy: false });
    expect((await lastSeen([device.id])).get(device.id)).toBe(flushed);
    expect(await online()).toEqual({ total: DEVICES, online: DEVICES });
    await resetUpdates();
    await beat(t, device, steady(4002));
    // Redis no longer knows it: the beat is written at once.
    expect(await updates()).toEqual({ statements: 1, rows: 1 });
    expect(await behind([device])).toBe(0);
  });

  it('has two app instances flushing at once lose no beat, and flushes on its interval', async () => {
    const second = await startApp({ ...t.env, HEARTBEAT_FLUSH_SECONDS: '1' }, { database: t.database });
    try {
      for (let round = 0; round < 3; round++) {
        const flushing = Promise.all([flush(), flush(second)]);
        await beatAll(
          (i) => ((i + round) % 2 ? t : second),
          (i) => steady(5000 + round * 1000 + i),
        );
        await flushing;
      }
      // No flush called since the last beats: the second app's timer writes them.
      for (let waited = 0; (await behind(devices)) > 0 && waited < 100; waited++)
        await new Promise((resolve) => setTimeout(resolve, 100));
      expect(await behind(devices)).toBe(0);
    } finally {
      await second.close({ keep: true });
    }
  });

  it('answers heartbeats while Redis is down, writing them to Postgres, and keeps them in Redis again once it is back', async () => {
    const some = devices.slice(0, 20);
    await redis.kill();
    await resetUpdates();
    for (const device of some) await beat(t, device, steady(6000));
    expect(await behind(some)).toBe(0);
    expect((await updates()).statements).toBeGreaterThanOrEqual(some.length);

    // Started again for the tests after this one too.
    redis = await startRedisServer(redis.port, 'file');
    // Once reconnected, a steady beat is kept in Redis only.
    for (let tries = 0; tries < 100; tries++) {
      await resetUpdates();
      await beat(t, some[0], steady(6001));
      await beat(t, some[0], steady(6002));
      if ((await updates()).statements === 0) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(await updates()).toEqual({ statements: 0, rows: 0 });
  });

  it('flushes on shutdown', async () => {
    const some = devices.slice(0, 30);
    for (const device of some) await beat(t, device);
    for (const device of some) await beat(t, device, steady(7000));
    expect(await behind(some)).toBe(30);
    await t.close({ keep: true });
    expect(await behind(some)).toBe(0);
    t = await startApp(t.env, { database: t.database });
  });
});
