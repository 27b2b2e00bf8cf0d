import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { addDays, countyDate } from '../src/kernel/county-time';
import type { Api } from './helpers/api';
import { ADMIN, startApp, type TestApp } from './helpers/app';
import { DAXING, DAXING_VILLAGE, importSongtao, login } from './helpers/factories';
import { audioFixture, settled, upload } from './helpers/media';
import { spawnProcess, type Spawned, waitFor } from './helpers/processes';

const AGENT = join(__dirname, '../agent/dist/main.js');
const TOMORROW = addDays(countyDate(new Date()), 1);

/** The agent's journal: one JSON object per line on stdout. */
function journal(agent: Spawned): Record<string, any>[] {
  return agent
    .output()
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line));
}

/**
 * The real endpoint program, built as it ships, against the real service: it
 * enrolls with the code an operator got, pulls tomorrow's rundown, downloads
 * and verifies its media into its cache, opens its audio output and tells the
 * server, by heartbeat, what it holds and how it is.
 */
describe('dalaba-agent against the real service', () => {
  let t: TestApp;
  let api: Api;
  let token: string;
  let work: string;

  beforeAll(async () => {
    t = await startApp();
    api = t.api;
    work = mkdtempSync(join(tmpdir(), 'dalaba-agent-'));
    token = await login(t, ADMIN.username, ADMIN.password);
    await importSongtao(t, token);
    const uploaded = (await upload(t, token, audioFixture('loud-stereo-48k.flac'))).body as { id: string };
    expect((await settled(t, token, uploaded.id)).status).toBe('ready');
    const programme = await api.post(
      '/api/v1/programmes',
      { title: '大兴通知', category: 'policy', segments: [uploaded.id] },
      { token },
    );
    const broadcast = await api.post(
      '/api/v1/broadcasts',
      { programmeId: programme.body.id, regionCodes: [DAXING], date: TOMORROW },
      { token },
    );
    expect(broadcast.status).toBe(201);
  }, 120_000);

  afterAll(async () => {
    await t.close();
    rmSync(work, { recursive: true, force: true });
  });

  it('refuses to start without a server, saying which setting is missing', async () => {
    const agent = spawnProcess(process.execPath, [AGENT], { PATH: process.env.PATH, DALABA_STATE_DIR: work });
    expect(await agent.exited).toBe(78);
    expect(journal(agent).find((line) => line.event === 'config-error')?.message).toMatch(/DALABA_SERVER is required/);
  });

  it('enrolls, pulls, caches verified media, opens its output and reports by heartbeat', async () => {
    const endpoint = await api.post('/api/v1/endpoints', { regionCode: DAXING_VILLAGE, name: '白岩喇叭' }, { token });
    expect(endpoint.status).toBe(201);
    const state = join(work, 'state');
    const wav = join(work, 'horn.wav');
    const agentEnv = {
      PATH: process.env.PATH,
      DALABA_SERVER: t.url,
      DALABA_ENROLLMENT_CODE: endpoint.body.enrollmentCode,
      DALABA_SERIAL: 'PI-0001',
      DALABA_STATE_DIR: state,
      DALABA_AUDIO_OUTPUT: `wav:${wav}`,
      DALABA_HEARTBEAT_SECONDS: '1',
      DALABA_POLL_SECONDS: '5',
    };
    const agent = spawnProcess(process.execPath, [AGENT], agentEnv);

    // Ready for tomorrow in the server's eyes: the heartbeat said it holds the rundown's media.
    await waitFor(
      'the agent to be ready for tomorrow',
      async () => {
        const readiness = await api.get(`/api/v1/regions/${DAXING}/readiness?date=${TOMORROW}`, { token });
        return readiness.body.total === 1 && readiness.body.ready === 1 ? true : undefined;
      },
      30_000,
    );
    const lines = journal(agent);
    expect(lines.find((line) => line.event === 'output-opened')).toMatchObject({ sampleRate: 48000, channels: 1 });
    expect(lines.find((line) => line.event === 'enrolled')).toMatchObject({ endpointId: endpoint.body.id });
    expect(lines.find((line) => line.event === 'playlist' && line.date === TOMORROW)).toMatchObject({ items: 1 });
    const verified = lines.find((line) => line.event === 'verified')!;
    const cached = join(state, 'media', `${verified.sha256}.mp3`);
    expect(createHash('sha256').update(readFileSync(cached)).digest('hex')).toBe(verified.sha256);
    expect(statSync(join(state, 'credentials.json')).mode & 0o777).toBe(0o600);
    const heartbeat = lines.filter((line) => line.event === 'heartbeat').at(-1)!;
    expect(heartbeat).toMatchObject({ version: 'dalaba-agent/0.1.0', state: 'idle', volume: 60, muted: false });
    expect(heartbeat.freeBytes).toBeGreaterThan(0);
    expect(Math.abs(heartbeat.clockOffsetMs)).toBeLessThan(1000);

    // Stopped, the output is closed properly: a WAV whose header gives the length of the silence it recorded.
    await agent.stop();
    expect(await agent.exited).toBe(0);
    const recording = readFileSync(wav);
    expect(recording.subarray(0, 4).toString()).toBe('RIFF');
    expect(recording.readUInt32LE(40)).toBe(recording.length - 44);

    // Started again, it keeps its enrollment and its cache: nothing is enrolled or downloaded twice.
    const again = spawnProcess(process.execPath, [AGENT], agentEnv);
    await waitFor('the second start to pull', async () =>
      journal(again).some((line) => line.event === 'heartbeat') ? true : undefined,
    );
    expect(journal(again).filter((line) => line.event === 'enrolled' || line.event === 'download')).toEqual([]);
    await again.stop();
  }, 90_000);
});
