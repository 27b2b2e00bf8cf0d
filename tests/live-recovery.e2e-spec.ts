import { startApp, type TestApp } from './helpers/app';
import { adminToken, createEndpoint, DAXING, DAXING_VILLAGE, enroll, importSongtao } from './helpers/factories';
import { startTestIcecast, type TestIcecast } from './helpers/icecast';
import { Speaker } from './helpers/live';
import { settled } from './helpers/media';
import { freePort, MAIN, spawnProcess, waitFor } from './helpers/processes';
import { EventStream } from './helpers/sse';

// A live session outlives nothing: its carrier dying, or its maximum length, ends it, and the devices are told.
describe('live sessions end whatever happens to them', () => {
  let icecast: TestIcecast;
  let t: TestApp;
  let admin: string;
  let events: EventStream;

  beforeAll(async () => {
    icecast = await startTestIcecast();
    t = await startApp({ ...icecast.env, LIVE_GRACE_SECONDS: '2', LIVE_MAX_SECONDS: '5' });
    admin = await adminToken(t);
    await importSongtao(t, admin);
    const device = await enroll(t, (await createEndpoint(t, admin, DAXING_VILLAGE)).enrollmentCode, 'SN-RECOVER');
    events = await EventStream.open(`${t.url}/api/v1/device/events`, device.token);
  });
  afterAll(async () => {
    events.close();
    await t.close();
    await icecast.stop();
  });

  const told = (event: string, id: string) =>
    waitFor(`${event} for ${id}`, async () =>
      events.events.some((e) => e.event === event && JSON.parse(e.data).id === id) ? true : undefined,
    );
  const endOf = (id: string) =>
    waitFor(`session ${id} to end`, async () => {
      const session = (await t.api.get(`/api/v1/live-sessions/${id}`, { token: admin })).body;
      return session.status === 'ended' ? session : undefined;
    });

  it('ends a session whose server was killed mid-way: another process tells the devices and keeps the recording', async () => {
    // The API process the speaker reaches, killed as a machine dies: no goodbye, its ffmpeg with it.
    const port = await freePort();
    const doomed = spawnProcess(
      process.execPath,
      [MAIN],
      { ...process.env, ...t.env, PORT: String(port) },
      { detached: true },
    );
    const doomedUrl = `http://127.0.0.1:${port}`;
    await waitFor('the doomed server', async () => ((await fetch(`${doomedUrl}/health`)).ok ? true : undefined));
    const { body } = await t.api.post(
      '/api/v1/live-sessions',
      { title: '紧急通知', priority: 'urgent', regionCodes: [DAXING] },
      { token: admin },
    );
    const id = body.session.id;
    const speaker = await Speaker.connect(doomedUrl, body.ingestUrl);
    void speaker.speak(30);
    // The device is on the surviving process: it hears of the start through Redis.
    await told('live-started', id);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    await doomed.killGroup();

    const session = await endOf(id);
    expect(session.endReason).toBe('server-restarted');
    await told('live-ended', id);
    expect(
      JSON.parse(events.events.find((e) => e.event === 'live-ended' && JSON.parse(e.data).id === id)!.data),
    ).toMatchObject({
      reason: 'server-restarted',
    });
    expect((await t.api.get('/api/v1/live-sessions?status=live', { token: admin })).body.items).toEqual([]);
    // What was said before the crash is kept.
    const mediaId = await waitFor(
      'the recording',
      async () => (await t.api.get(`/api/v1/live-sessions/${id}`, { token: admin })).body.recordingMediaId ?? undefined,
    );
    const media = await settled(t, admin, mediaId);
    expect(media.status).toBe('ready');
    expect(media.durationMs).toBeGreaterThan(1_000);
  });

  it('ends a session at its maximum length', async () => {
    const { body } = await t.api.post(
      '/api/v1/live-sessions',
      { title: '长时间喊话', priority: 'normal', regionCodes: [DAXING_VILLAGE] },
      { token: admin },
    );
    const id = body.session.id;
    const speaker = await Speaker.connect(t.url, body.ingestUrl);
    void speaker.speak(15);
    const session = await endOf(id);
    expect(session.endReason).toBe('max-length');
    expect(session.durationMs).toBeGreaterThan(4_000);
    expect(session.durationMs).toBeLessThan(8_000);
    expect((await speaker.closed).code).toBe(1000);
    await told('live-ended', id);
  });
});
