import { join } from 'node:path';
import { Api } from './helpers/api';
import { ADMIN, clearQueuePrefix, testEnvironment } from './helpers/app';
import { createDatabaseFromTemplate, dropDatabase } from './helpers/databases';
import { login } from './helpers/factories';
import { audioFacts, audioFixture, leftoversAfterJobs } from './helpers/media';
import { freePort, MAIN, spawnProcess, type Spawned, waitFor } from './helpers/processes';
import { readFileSync, rmSync } from 'node:fs';

/**
 * A machine with neither Debian's ffmpeg nor espeak-ng: with nothing on the
 * PATH, the service runs on what `npm ci` installed (static ffmpeg and
 * ffprobe builds, espeak-ng compiled to WebAssembly) and says so at start-up.
 */
describe('media tools from npm alone', () => {
  let server: Spawned;
  let database: string;
  let env: Record<string, string>;
  let api: Api;
  let token: string;

  beforeAll(async () => {
    database = await createDatabaseFromTemplate();
    const port = await freePort();
    env = testEnvironment(database, { PORT: String(port), HOST: '127.0.0.1' });
    server = spawnProcess(process.execPath, [MAIN], { ...env, PATH: '/nonexistent' });
    api = new Api(`http://127.0.0.1:${port}`);
    await waitFor('the service to listen', async () => ((await api.get('/health')).status === 200 ? true : undefined));
    token = await login({ api } as never, ADMIN.username, ADMIN.password);
  });
  afterAll(async () => {
    await server.stop();
    await dropDatabase(database);
    await clearQueuePrefix(env.QUEUE_PREFIX);
    rmSync(env.MEDIA_DIR, { recursive: true, force: true });
  });

  it('logs which tools it found', () => {
    expect(server.output()).toMatch(/ffmpeg: \S+@ffmpeg-installer\/linux-x64\/ffmpeg \(from npm\), ffmpeg version/);
    expect(server.output()).toMatch(/ffprobe: \S+@ffprobe-installer\/linux-x64\/ffprobe \(from npm\)/);
    expect(server.output()).toMatch(/espeak-ng: \S+node \S+espeak-ng-wasm\.mjs \(from npm\)/);
  });

  it('normalises an upload and speaks text with them', async () => {
    const form = new FormData();
    form.append(
      'file',
      new Blob([new Uint8Array(readFileSync(audioFixture('phone-recording.m4a')))]),
      'phone-recording.m4a',
    );
    const uploaded = await fetch(`${api.baseUrl}/api/v1/media`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
      body: form,
    });
    expect(uploaded.status).toBe(202);
    const spoken = await api.post(
      '/api/v1/media/tts',
      { text: '请各位村民注意防汛，河边低洼地带的住户今晚做好转移准备。' },
      { token },
    );
    expect(spoken.status).toBe(202);

    for (const id of [((await uploaded.json()) as { id: string }).id, spoken.body.id]) {
      const media = await waitFor(
        `media ${id}`,
        async () => {
          const reply = await api.get(`/api/v1/media/${id}`, { token });
          return reply.body.status === 'processing' ? undefined : reply.body;
        },
        60_000,
      );
      expect(media).toMatchObject({ status: 'ready' });
      const facts = audioFacts(join(env.MEDIA_DIR, `${media.sha256}.mp3`));
      expect(facts).toMatchObject({ codec: 'mp3', channels: 1, sampleRate: 44100 });
      // The 2018 static build's alimiter and ebur128 do the same job as Debian's 5.1.
      expect(Math.abs(facts.integratedLufs - -16)).toBeLessThanOrEqual(1);
      expect(facts.truePeakDb).toBeLessThanOrEqual(-1.5);
    }
    expect(await leftoversAfterJobs(env.MEDIA_DIR)).toEqual([]);
  });
});
