import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ADMIN, startApp, type TestApp } from './helpers/app';
import { adminToken, DAXING, importSongtao, PANSHI, person } from './helpers/factories';
import { startTestIcecast, type TestIcecast } from './helpers/icecast';
import { Speaker } from './helpers/live';
import { spawnProcess, type Spawned, waitFor } from './helpers/processes';

const SIM = join(__dirname, '../dist/sim/main.js');

/** The last JSON line a simulator printed: its summary. */
function summary(sim: Spawned): any {
  const line = sim
    .output()
    .trim()
    .split('\n')
    .filter((text) => text.startsWith('{'))
    .at(-1);
  return JSON.parse(line!);
}

// The simulator's devices against a real live session: an operator speaks to
// one township through the app, Icecast 2 and ffmpeg; its devices play the
// stream and report receipts, the next township's devices hear nothing.
describe('the endpoint simulator and live voice', () => {
  let icecast: TestIcecast;
  let t: TestApp;
  let work: string;

  beforeAll(async () => {
    icecast = await startTestIcecast();
    t = await startApp(icecast.env);
    await importSongtao(t, await adminToken(t));
    work = mkdtempSync(join(tmpdir(), 'dalaba-sim-live-'));
  });
  afterAll(async () => {
    await t.close();
    await icecast.stop();
    rmSync(work, { recursive: true, force: true });
  });

  const simulate = (region: string, endpoints: number) =>
    spawnProcess(
      process.execPath,
      [
        ...[SIM, '--server', t.url, '--endpoints', String(endpoints), '--region', region],
        ...['--username', ADMIN.username, '--password', ADMIN.password, '--state', join(work, `${region}.json`)],
        ...['--heartbeat-every', '5s', '--run-for', '120s', '--json'],
      ],
      process.env,
    );

  it("plays a township's live session on its devices until it ends, with receipts; the next township's stay quiet", async () => {
    const operator = await person(t, await adminToken(t), 'sim-live-speaker', 'operator', DAXING);
    const daxing = simulate(DAXING, 2);
    const panshi = simulate(PANSHI, 1);
    await waitFor('every simulated device to hold its event stream', async () =>
      daxing.output().split('events: connected').length === 3 && panshi.output().includes('events: connected')
        ? true
        : undefined,
    );

    const started = await t.api.post(
      '/api/v1/live-sessions',
      { title: '防汛通知', priority: 'urgent', regionCodes: [DAXING] },
      { token: operator.token },
    );
    expect(started.status).toBe(201);
    const { id } = started.body.session;
    const speaker = await Speaker.connect(t.url, started.body.ingestUrl);
    await speaker.speak(4, 997);
    await waitFor('both devices to be playing the stream', async () =>
      daxing.output().split(`play "防汛通知" from `).length === 3 ? true : undefined,
    );
    expect((await t.api.post(`/api/v1/live-sessions/${id}/end`, {}, { token: operator.token })).status).toBe(200);

    const session = await waitFor(`the receipts of live:${id}`, async () => {
      const body = (await t.api.get(`/api/v1/live-sessions/${id}`, { token: operator.token })).body;
      return body.receipts.played === 2 ? body : undefined;
    });
    expect(session.receipts).toEqual({ played: 2, interrupted: 0, failed: 0 });
    await Promise.all([daxing.stop(), panshi.stop()]);

    const heard = summary(daxing);
    expect(heard.events.liveStarted).toBe(2);
    expect(heard.live).toMatchObject({ played: 2, failed: 0, interrupted: 0 });
    // Four seconds of 64 kbit/s is 32 KB a device; the burst on connecting and the last frames may add or take a little.
    expect(heard.live.bytes).toBeGreaterThan(2 * 16_000);
    expect(heard.errors.count).toBe(0);
    const quiet = summary(panshi);
    expect(quiet.events.liveStarted).toBe(0);
    expect(quiet.live).toMatchObject({ played: 0, failed: 0, interrupted: 0, bytes: 0 });
  }, 120_000);
});
