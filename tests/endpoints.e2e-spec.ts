import { startApp, type TestApp } from './helpers/app';
import { sql } from './helpers/databases';
import { Heartbeats } from '../src/endpoints/heartbeats';
import { addDays, countyDate, countyInstant } from '../src/kernel/county-time';
import {
  adminToken,
  createEndpoint,
  DAXING,
  DAXING_VILLAGE,
  enroll,
  importSongtao,
  PANSHI_VILLAGE,
  userToken,
} from './helpers/factories';

describe('endpoints and enrollment', () => {
  let t: TestApp;
  let admin: string;
  let operator: string;

  beforeAll(async () => {
    t = await startApp();
    admin = await adminToken(t);
    await importSongtao(t, admin);
    operator = await userToken(t, admin, 'operator', DAXING);
  });
  afterAll(() => t.close());
  const pull = (token: string) =>
    fetch(`${t.url}/api/v1/device/playlist`, { headers: { authorization: `Bearer ${token}` } });

  it('registers a loudspeaker with a one-time code that expires in 7 days, stored only hashed', async () => {
    const created = await createEndpoint(t, operator, DAXING_VILLAGE);
    expect(created.enrollmentCode).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    const days = (Date.parse(created.enrollmentExpiresAt) - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(6.99);
    expect(days).toBeLessThanOrEqual(7);
    const rows = await sql<{ code_hash: string }>(
      t.database,
      'SELECT code_hash FROM enrollment_code WHERE endpoint_id = $1',
      [created.id],
    );
    expect(rows).toHaveLength(1);
    expect(rows[0].code_hash).not.toContain(created.enrollmentCode.replace(/-/g, ''));
  });

  it('enrolls once per code; the token is stored hashed and works on device calls', async () => {
    const created = await createEndpoint(t, operator, DAXING_VILLAGE);
    const device = await enroll(t, created.enrollmentCode.toLowerCase(), 'SN-A1');
    expect(device.endpointId).toBe(created.id);
    const [row] = await sql<{ token_hash: string; serial: string }>(
      t.database,
      'SELECT token_hash, serial FROM endpoint WHERE id = $1',
      [created.id],
    );
    expect(row.serial).toBe('SN-A1');
    expect(row.token_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(row.token_hash).not.toBe(device.token);

    const again = await t.api.post('/api/v1/devices/enroll', {
      enrollmentCode: created.enrollmentCode,
      serial: 'SN-THIEF',
    });
    expect(again.status).toBe(401);
    expect(again.body.message).toContain('already been used');

    const beat = await t.api.post(
      '/api/v1/device/heartbeat',
      { volume: 80, playing: false, freeBytes: 1_000_000 },
      { token: device.token },
    );
    expect(beat.status).toBe(200);
    expect(Math.abs(Date.parse(beat.body.serverTime) - Date.now())).toBeLessThan(60_000);
  });

  it('refuses unknown and expired codes, and concurrent use of one code lets exactly one through', async () => {
    expect(
      (await t.api.post('/api/v1/devices/enroll', { enrollmentCode: 'ZZZZ-ZZZZ-ZZZZ', serial: 'x' })).body.message,
    ).toBe('Enrollment code not recognised');
    const stale = await createEndpoint(t, operator, DAXING_VILLAGE);
    await sql(
      t.database,
      "UPDATE enrollment_code SET expires_at = now() - interval '1 minute' WHERE endpoint_id = $1",
      [stale.id],
    );
    const expired = await t.api.post('/api/v1/devices/enroll', { enrollmentCode: stale.enrollmentCode, serial: 'x' });
    expect(expired.status).toBe(401);
    expect(expired.body.message).toContain('expired');

    const contested = await createEndpoint(t, operator, DAXING_VILLAGE);
    const replies = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        t.api.post('/api/v1/devices/enroll', { enrollmentCode: contested.enrollmentCode, serial: `SN-${i}` }),
      ),
    );
    expect(replies.filter((r) => r.status === 200)).toHaveLength(1);
    expect(replies.filter((r) => r.status === 401)).toHaveLength(7);
  });

  it('lists the subtree with online derived from the last heartbeat', async () => {
    const fresh = await enroll(t, (await createEndpoint(t, operator, DAXING_VILLAGE, '在线')).enrollmentCode, 'SN-ON');
    const silent = await enroll(
      t,
      (await createEndpoint(t, operator, DAXING_VILLAGE, '离线')).enrollmentCode,
      'SN-OFF',
    );
    await t.api.post('/api/v1/device/heartbeat', { volume: 60 }, { token: fresh.token });
    await t.api.post('/api/v1/device/heartbeat', { volume: 60 }, { token: silent.token });
    // Seen four minutes ago: outside the default three-minute window.
    await sql(t.database, "UPDATE endpoint SET last_seen_at = now() - interval '4 minutes' WHERE id = $1", [
      silent.endpointId,
    ]);
    // The beat Redis still holds (not flushed yet) would rightly be shown instead: this one is forgotten too.
    await t.app.get(Heartbeats).forget(silent.endpointId);

    const page = await t.api.get(`/api/v1/endpoints?region=${DAXING}&limit=1000`, { token: operator });
    expect(page.status).toBe(200);
    const byId = new Map(page.body.items.map((e: { id: string }) => [e.id, e]));
    expect(byId.get(fresh.endpointId)).toMatchObject({ online: true, status: 'enrolled', volume: 60, serial: 'SN-ON' });
    expect(byId.get(silent.endpointId)).toMatchObject({ online: false, status: 'enrolled' });
    expect(page.body.counts.online).toBe(page.body.items.filter((e: { online: boolean }) => e.online).length);

    const onlineOnly = await t.api.get(`/api/v1/endpoints?region=${DAXING}&online=true`, { token: operator });
    expect(onlineOnly.body.items.map((e: { id: string }) => e.id)).toContain(fresh.endpointId);
    expect(onlineOnly.body.items.map((e: { id: string }) => e.id)).not.toContain(silent.endpointId);
  });

  it('pages through a subtree with a cursor', async () => {
    const all = (await t.api.get(`/api/v1/endpoints?region=${DAXING}&limit=1000`, { token: operator })).body.items.map(
      (e: { id: string }) => e.id,
    );
    const seen: string[] = [];
    let after = '';
    for (;;) {
      const page = await t.api.get(`/api/v1/endpoints?region=${DAXING}&limit=2${after && `&after=${after}`}`, {
        token: operator,
      });
      seen.push(...page.body.items.map((e: { id: string }) => e.id));
      if (!page.body.nextCursor) break;
      after = page.body.nextCursor;
    }
    expect(seen).toEqual(all);
    expect((await t.api.get(`/api/v1/endpoints?region=${DAXING}&limit=0`, { token: operator })).status).toBe(400);
  });

  it('revokes a token at once, and a new code re-enrolls the loudspeaker', async () => {
    const created = await createEndpoint(t, operator, DAXING_VILLAGE);
    const device = await enroll(t, created.enrollmentCode, 'SN-R');
    expect((await t.api.post('/api/v1/device/heartbeat', { volume: 10 }, { token: device.token })).status).toBe(200);
    const online = async () =>
      (await t.api.get(`/api/v1/endpoints?region=${DAXING_VILLAGE}&online=true`, { token: operator })).body;
    const before = await online();
    expect(before.items.map((e: { id: string }) => e.id)).toContain(created.id);

    // Pulled once, its token and the start of its playlist document are now held in memory.
    const held = await pull(device.token);
    await held.arrayBuffer();
    expect(held.status).toBe(200);

    const revoked = await t.api.post(`/api/v1/endpoints/${created.id}/revoke`, undefined, { token: operator });
    expect(revoked.body).toMatchObject({ status: 'revoked', online: false });
    expect((await t.api.post('/api/v1/device/heartbeat', { volume: 10 }, { token: device.token })).status).toBe(401);
    const refused = await pull(device.token);
    expect({ status: refused.status, body: await refused.json() }).toEqual({
      status: 401,
      body: {
        statusCode: 401,
        error: 'Unauthorized',
        message: 'Device token is invalid or revoked',
        requestId: refused.headers.get('x-request-id'),
      },
    });
    // Its heartbeat a moment ago does not keep a revoked device among the online ones.
    const after = await online();
    expect(after.items.map((e: { id: string }) => e.id)).not.toContain(created.id);
    expect(after.counts.online).toBe(before.counts.online - 1);

    const code = await t.api.post(`/api/v1/endpoints/${created.id}/enrollment-code`, undefined, { token: operator });
    expect(code.status).toBe(201);
    const replacement = await enroll(t, code.body.enrollmentCode, 'SN-R2');
    expect(replacement.endpointId).toBe(created.id);
    expect((await t.api.post('/api/v1/device/heartbeat', { volume: 10 }, { token: replacement.token })).status).toBe(
      200,
    );
    expect((await t.api.get(`/api/v1/endpoints/${created.id}`, { token: operator })).body).toMatchObject({
      status: 'enrolled',
      serial: 'SN-R2',
    });
    const pulled = await pull(replacement.token);
    expect({ status: pulled.status, endpointId: ((await pulled.json()) as { endpointId: string }).endpointId }).toEqual(
      {
        status: 200,
        endpointId: created.id,
      },
    );
    const stillRefused = await pull(device.token);
    await stillRefused.arrayBuffer();
    expect(stillRefused.status).toBe(401);
  });

  it('gives each loudspeaker of a village its own playlist document, of the length it announces', async () => {
    const devices = [
      await enroll(t, (await createEndpoint(t, operator, DAXING_VILLAGE)).enrollmentCode),
      await enroll(t, (await createEndpoint(t, operator, DAXING_VILLAGE)).enrollmentCode),
    ];
    const seen = [];
    // Twice each, in turn: the second pull of each is answered from what the first prepared.
    for (const device of [...devices, ...devices]) {
      const reply = await pull(device.token);
      const bytes = Buffer.from(await reply.arrayBuffer());
      const document = JSON.parse(bytes.toString('utf8')) as { endpointId: string; version: string };
      expect(reply.headers.get('content-length')).toBe(String(bytes.length));
      expect(reply.headers.get('etag')).toBe(`"${document.version}"`);
      seen.push({ requestId: reply.headers.get('x-request-id'), endpointId: document.endpointId });
    }
    expect(seen.map((one) => one.endpointId)).toEqual([...devices, ...devices].map((device) => device.endpointId));
    // Every answer has its own request id.
    expect(new Set(seen.map((one) => one.requestId)).size).toBe(seen.length);
  });

  it('moves the dates it serves when the day turns, though it kept what it last sent a device', async () => {
    const device = await enroll(t, (await createEndpoint(t, operator, DAXING_VILLAGE)).enrollmentCode);
    const pullDate = (date: string) =>
      fetch(`${t.url}/api/v1/device/playlist?date=${date}`, { headers: { authorization: `Bearer ${device.token}` } });
    // Only the clock is set, to half a minute before the county's midnight; timers, ticks and sockets run as ever.
    const midnight = countyInstant(addDays(countyDate(new Date()), 1), 0).getTime();
    jest.useFakeTimers({
      now: midnight - 30_000,
      doNotFake: [
        'hrtime',
        'nextTick',
        'performance',
        'queueMicrotask',
        'setImmediate',
        'clearImmediate',
        'setInterval',
        'clearInterval',
        'setTimeout',
        'clearTimeout',
      ],
    });
    try {
      const yesterday = addDays(countyDate(new Date()), -1);
      expect((await pullDate(yesterday)).status).toBe(200);
      expect((await pullDate(yesterday)).status).toBe(200);
      // A minute on, the same device (its token still cached) asks again: that date is now two days back.
      jest.setSystemTime(midnight + 30_000);
      const stale = await pullDate(yesterday);
      expect(stale.status).toBe(400);
      expect(((await stale.json()) as { message: string }).message).toContain(`${yesterday} is outside that`);
      const newDay = addDays(yesterday, 2);
      const fresh = await pullDate(newDay);
      expect(fresh.status).toBe(200);
      expect(((await fresh.json()) as { date: string }).date).toBe(newDay);
    } finally {
      jest.useRealTimers();
    }
  });

  it('keeps devices and people apart, and validates device bodies', async () => {
    const device = await enroll(t, (await createEndpoint(t, operator, DAXING_VILLAGE)).enrollmentCode);
    expect((await t.api.get(`/api/v1/endpoints?region=${DAXING}`, { token: device.token })).status).toBe(401);
    expect((await t.api.post('/api/v1/device/heartbeat', { volume: 10 }, { token: operator })).status).toBe(401);
    expect((await t.api.post('/api/v1/device/heartbeat', { volume: 10 })).status).toBe(401);
    const loud = await t.api.post('/api/v1/device/heartbeat', { volume: 101 }, { token: device.token });
    expect(loud.status).toBe(400);
    expect(loud.body.details[0].path).toBe('body.volume');
    // A newer device may send fields this server does not know yet.
    expect(
      (await t.api.post('/api/v1/device/heartbeat', { volume: 10, firmware: '2.1' }, { token: device.token })).status,
    ).toBe(200);
  });

  it('keeps an operator to their own subtree', async () => {
    expect(
      (await t.api.post('/api/v1/endpoints', { regionCode: PANSHI_VILLAGE, name: 'x' }, { token: operator })).status,
    ).toBe(403);
    const elsewhere = await createEndpoint(t, admin, PANSHI_VILLAGE);
    expect((await t.api.get(`/api/v1/endpoints/${elsewhere.id}`, { token: operator })).status).toBe(403);
    expect((await t.api.post(`/api/v1/endpoints/${elsewhere.id}/revoke`, undefined, { token: operator })).status).toBe(
      403,
    );
    expect(
      (await t.api.post(`/api/v1/endpoints/${elsewhere.id}/enrollment-code`, undefined, { token: operator })).status,
    ).toBe(403);
    const listed = await t.api.get('/api/v1/endpoints', { token: operator });
    expect(listed.body.items.map((e: { id: string }) => e.id)).not.toContain(elsewhere.id);
    expect(
      (await t.api.get('/api/v1/endpoints/00000000-0000-4000-8000-000000000000', { token: operator })).status,
    ).toBe(404);
  });
});
