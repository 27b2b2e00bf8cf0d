import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { startApp, type TestApp } from './helpers/app';
import {
  adminToken,
  createEndpoint,
  DAXING,
  DAXING_VILLAGE,
  enroll,
  importSongtao,
  PANSHI,
  PANSHI_VILLAGE,
  person,
  userToken,
} from './helpers/factories';
import { startTestIcecast, type TestIcecast } from './helpers/icecast';
import { holdsMp3Frames, listen, Speaker } from './helpers/live';
import { settled } from './helpers/media';
import { waitFor } from './helpers/processes';
import { EventStream } from './helpers/sse';

// Live voice against a real Icecast 2, real ffmpeg and real devices' event streams.
describe('live voice', () => {
  let icecast: TestIcecast;
  let t: TestApp;
  let admin: string;
  let daxingOperator: { id: string; token: string };
  let panshiOperator: string;
  let approver: string;
  const devices: Record<'daxing' | 'panshi', { endpointId: string; token: string; events: EventStream }> = {} as never;

  beforeAll(async () => {
    icecast = await startTestIcecast();
    t = await startApp({ ...icecast.env, LIVE_GRACE_SECONDS: '2' });
    admin = await adminToken(t);
    await importSongtao(t, admin);
    daxingOperator = await person(t, admin, 'daxing-speaker', 'operator', DAXING);
    panshiOperator = await userToken(t, admin, 'operator', PANSHI);
    approver = await userToken(t, admin, 'approver', DAXING);
    for (const [key, village] of [
      ['daxing', DAXING_VILLAGE],
      ['panshi', PANSHI_VILLAGE],
    ] as const) {
      const device = await enroll(t, (await createEndpoint(t, admin, village)).enrollmentCode, `SN-LIVE-${key}`);
      devices[key] = { ...device, events: await EventStream.open(`${t.url}/api/v1/device/events`, device.token) };
    }
  });
  afterAll(async () => {
    for (const device of Object.values(devices)) device.events.close();
    await t.close();
    await icecast.stop();
  });

  const start = (token: string, body: Record<string, unknown>) =>
    t.api.post('/api/v1/live-sessions', { title: '防汛通知', priority: 'urgent', ...body }, { token });
  const sessions = async (token: string) => (await t.api.get('/api/v1/live-sessions', { token })).body.items;
  const eventsOf = (device: 'daxing' | 'panshi', event: string, id: string) =>
    devices[device].events.events.filter((e) => e.event === event && JSON.parse(e.data).id === id);
  const ended = (id: string) =>
    waitFor(`session ${id} to end`, async () => {
      const session = (await t.api.get(`/api/v1/live-sessions/${id}`, { token: admin })).body;
      return session.status === 'ended' ? session : undefined;
    });

  it('refuses bad requests with a clear 4xx and takes no region', async () => {
    const before = (await sessions(admin)).length;
    expect((await start(daxingOperator.token, { regionCodes: [] })).status).toBe(400);
    expect((await start(daxingOperator.token, { regionCodes: [DAXING], priority: 'loud' })).status).toBe(400);
    expect((await start(daxingOperator.token, { regionCodes: [DAXING], extra: 1 })).status).toBe(400);
    expect((await start(daxingOperator.token, { regionCodes: ['999999999999'] })).status).toBe(404);
    // A township's operator may not speak to the township next door.
    const foreign = await start(panshiOperator, { regionCodes: [DAXING] });
    expect(foreign.status).toBe(403);
    expect(foreign.body.message).toContain('outside your scope');
    // Lecturers do not speak to loudspeakers.
    expect((await start(await userToken(t, admin, 'lecturer', DAXING), { regionCodes: [DAXING] })).status).toBe(403);
    expect(await sessions(admin)).toHaveLength(before);
  });

  it('refuses a client with a wrong token or from another site’s page, and garbage instead of audio', async () => {
    const { body } = await start(daxingOperator.token, { regionCodes: [DAXING_VILLAGE] });
    const id = body.session.id;
    const wrong = await Speaker.connect(t.url, `/api/v1/live-sessions/${id}/audio?token=guess`);
    expect((await wrong.closed).code).toBe(4401);
    const foreign = await Speaker.connect(t.url, body.ingestUrl, { origin: 'https://evil.example' });
    expect((await foreign.closed).code).toBe(4403);
    const garbage = await Speaker.connect(t.url, body.ingestUrl);
    garbage.send(Buffer.from('<!doctype html><html><body>not audio at all, just a web page</body></html>'));
    expect((await garbage.closed).code).toBe(1000);
    expect(garbage.statuses.at(-1)).toEqual({ type: 'status', status: 'ended', reason: 'bad-audio' });
    const session = await ended(id);
    expect(session).toMatchObject({ endReason: 'bad-audio', liveAt: null, recordingMediaId: null });
    // Nothing went on the air.
    expect(eventsOf('daxing', 'live-started', id)).toEqual([]);
  });

  it('speaks to one township: its loudspeakers play it, the next township’s hear nothing, and the recording becomes media', async () => {
    const { status, body } = await start(daxingOperator.token, { regionCodes: [DAXING] });
    expect(status).toBe(201);
    const id = body.session.id;
    expect(body.session).toMatchObject({ status: 'starting', priority: 'urgent', regionCodes: [DAXING] });
    // The township is taken: nobody else may speak to it or into it while this runs.
    const clash = await start(approver, { regionCodes: [DAXING_VILLAGE] });
    expect(clash.status).toBe(409);
    expect(clash.body.message).toContain(DAXING);

    const speaker = await Speaker.connect(t.url, body.ingestUrl);
    const speaking = speaker.speak(4);
    const started = await waitFor('the township’s device to hear live-started', async () =>
      eventsOf('daxing', 'live-started', id).length
        ? JSON.parse(eventsOf('daxing', 'live-started', id)[0].data)
        : undefined,
    );
    expect(started).toMatchObject({ itemId: `live:${id}`, title: '防汛通知', urgent: true, priority: 90 });
    expect(started.stream.url.startsWith(icecast.url)).toBe(true);
    expect(started.startedAt).toMatch(/\+08:00$/);
    const heard = await listen(started.stream.url, 2_000);
    expect(holdsMp3Frames(heard)).toBe(true);
    await speaking;

    const end = await t.api.post(`/api/v1/live-sessions/${id}/end`, {}, { token: daxingOperator.token });
    expect(end.status).toBe(200);
    expect(end.body).toMatchObject({ status: 'ended', endReason: 'operator', endedBy: { id: daxingOperator.id } });
    expect((await speaker.closed).code).toBe(1000);
    await waitFor('live-ended', async () => (eventsOf('daxing', 'live-ended', id).length ? true : undefined));
    expect(JSON.parse(eventsOf('daxing', 'live-ended', id)[0].data)).toEqual({
      id,
      itemId: `live:${id}`,
      reason: 'operator',
    });
    expect(eventsOf('panshi', 'live-started', id)).toEqual([]);
    expect(eventsOf('panshi', 'live-ended', id)).toEqual([]);

    // The device says it played it; the session counts it.
    await t.api.post(
      '/api/v1/device/receipts',
      {
        receipts: [
          {
            id: randomUUID(),
            itemId: `live:${id}`,
            startedAt: started.startedAt,
            endedAt: new Date().toISOString(),
            outcome: 'played',
          },
        ],
      },
      { token: devices.daxing.token },
    );
    const recorded = await waitFor('the recording', async () => {
      const session = (await t.api.get(`/api/v1/live-sessions/${id}`, { token: approver })).body;
      return session.recordingMediaId ? session : undefined;
    });
    expect(recorded.receipts).toEqual({ played: 1, interrupted: 0, failed: 0 });
    const media = await settled(t, daxingOperator.token, recorded.recordingMediaId);
    expect(media).toMatchObject({ status: 'ready', source: 'live' });
    // About what was said: four seconds of tone (and the moments around it).
    expect(media.durationMs).toBeGreaterThan(3_000);
    expect(media.durationMs).toBeLessThan(15_000);

    const trail = (await t.api.get(`/api/v1/live-sessions/${id}/audit`, { token: approver })).body.entries;
    expect(trail.map((entry: { action: string }) => entry.action)).toEqual(['started', 'ended']);
    expect(trail[0]).toMatchObject({ actor: { username: 'daxing-speaker' }, details: { regionCodes: [DAXING] } });
    expect(trail[1].details.reason).toBe('operator');
    expect(trail[1].details.liveMs).toBeGreaterThan(3_000);
    // The township is free again.
    const again = await start(approver, { regionCodes: [DAXING_VILLAGE], priority: 'normal' });
    expect(again.status).toBe(201);
    await t.api.post(`/api/v1/live-sessions/${again.body.session.id}/end`, {}, { token: approver });
  });

  it('lets an approver end anyone’s session in scope, but not an operator of the next township', async () => {
    const { body } = await start(daxingOperator.token, { regionCodes: [DAXING_VILLAGE], priority: 'normal' });
    const id = body.session.id;
    const speaker = await Speaker.connect(t.url, body.ingestUrl);
    void speaker.speak(10);
    await waitFor('live', async () => (eventsOf('daxing', 'live-started', id).length ? true : undefined));
    expect(JSON.parse(eventsOf('daxing', 'live-started', id)[0].data)).toMatchObject({ urgent: false, priority: 20 });
    expect((await t.api.post(`/api/v1/live-sessions/${id}/end`, {}, { token: panshiOperator })).status).toBe(403);
    const end = await t.api.post(`/api/v1/live-sessions/${id}/end`, {}, { token: approver });
    expect(end.body).toMatchObject({ status: 'ended', endReason: 'approver' });
    expect((await speaker.closed).code).toBe(1000);
    expect(speaker.statuses.at(-1)).toMatchObject({ status: 'ended', reason: 'approver' });
  });

  it('ends a session whose speaker stops sending, after the grace period, keeping what was said', async () => {
    const { body } = await start(daxingOperator.token, { regionCodes: [DAXING_VILLAGE] });
    const id = body.session.id;
    const speaker = await Speaker.connect(t.url, body.ingestUrl);
    await speaker.speak(2);
    // Connected, but silent: the phone lost its network without closing.
    const session = await ended(id);
    expect(session.endReason).toBe('source-lost');
    expect((await speaker.closed).code).toBe(1000);
    await waitFor('live-ended', async () => (eventsOf('daxing', 'live-ended', id).length ? true : undefined));
    const recorded = await waitFor('the recording', async () => {
      const row = (await t.api.get(`/api/v1/live-sessions/${id}`, { token: admin })).body;
      return row.recordingMediaId ?? undefined;
    });
    expect((await settled(t, admin, recorded)).status).toBe('ready');
  });

  it('ends the session cleanly when Icecast dies mid-way: devices are told, what was recorded is kept', async () => {
    const own = await startTestIcecast();
    const app = await startApp({ ...own.env });
    try {
      const token = await adminToken(app);
      await importSongtao(app, token);
      const device = await enroll(app, (await createEndpoint(app, token, DAXING_VILLAGE)).enrollmentCode, 'SN-ICE');
      const events = await EventStream.open(`${app.url}/api/v1/device/events`, device.token);
      const { body } = await app.api.post(
        '/api/v1/live-sessions',
        { title: '通知', priority: 'urgent', regionCodes: [DAXING] },
        { token },
      );
      const id = body.session.id;
      const speaker = await Speaker.connect(app.url, body.ingestUrl);
      void speaker.speak(20);
      await waitFor('live', async () => (events.events.some((e) => e.event === 'live-started') ? true : undefined));
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      own.child.kill('SIGKILL');
      const session = await waitFor('the end', async () => {
        const row = (await app.api.get(`/api/v1/live-sessions/${id}`, { token })).body;
        return row.status === 'ended' ? row : undefined;
      });
      expect(session.endReason).toBe('stream-failed');
      await waitFor('live-ended', async () => (events.events.some((e) => e.event === 'live-ended') ? true : undefined));
      expect((await speaker.closed).code).toBe(1000);
      const mediaId = await waitFor(
        'the recording',
        async () => (await app.api.get(`/api/v1/live-sessions/${id}`, { token })).body.recordingMediaId ?? undefined,
      );
      expect((await settled(app, token, mediaId)).status).toBe('ready');
      expect(existsSync(join(app.config.mediaDir, '.recording', `${id}.mp3`))).toBe(false);
      events.close();
    } finally {
      await app.close();
      await own.stop();
    }
  });
});
