import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { QueueName } from '../src/infra/queue/jobs';
import { type TestApp, startApp } from './helpers/app';
import { adminToken, DAXING, importSongtao, PANSHI, SONGTAO, userToken } from './helpers/factories';
import {
  audioFacts,
  audioFixture,
  leftoversAfterJobs,
  makeClippedRecording,
  mediaDirContents,
  settled,
  upload,
} from './helpers/media';
import { waitFor } from './helpers/processes';

const GOOD = [
  { file: 'announcement-cmn.wav', seconds: 26.68 },
  { file: 'phone-recording.m4a', seconds: 21.52 },
  { file: 'loud-stereo-48k.flac', seconds: 8 },
  { file: 'with-cover-art.mp3', seconds: 26.7 },
  { file: 'clipped-announcement.wav', seconds: 26.68 },
];
// Made by the test from announcement-cmn.wav (makeClippedRecording).
const CLIPPED = 'clipped-announcement.wav';

const BAD = [
  { file: 'bad/random-bytes.mp3', reason: 'not a media file' },
  { file: 'bad/truncated.mp3', reason: 'file is truncated: it plays 10.6 s of the 26.7 s its header declares' },
  { file: 'bad/notes.wav', reason: 'not a media file' },
  { file: 'bad/video-no-audio.mp4', reason: 'no audio stream: the file holds only video' },
  { file: 'bad/digital-silence.wav', reason: 'silent: nothing to broadcast' },
];

describe('media pipeline', () => {
  let t: TestApp;
  let admin: string;
  let operator: string; // 大兴街道
  let lecturer: string; // 盘石镇
  let approver: string; // the county
  const ready: Record<string, any> = {};
  const scratch = mkdtempSync(join(tmpdir(), 'dalaba-clipped-'));

  beforeAll(async () => {
    t = await startApp();
    admin = await adminToken(t);
    await importSongtao(t, admin);
    operator = await userToken(t, admin, 'operator', DAXING);
    lecturer = await userToken(t, admin, 'lecturer', PANSHI);
    approver = await userToken(t, admin, 'approver', SONGTAO);
  });
  afterAll(async () => {
    await t.close();
    rmSync(scratch, { recursive: true, force: true });
  });

  it('turns each real-world recording into a mono 44.1 kHz 64 kb/s MP3 at −16 LUFS, keeping its length', async () => {
    const clipped = join(scratch, CLIPPED);
    makeClippedRecording(clipped);
    const inputs = GOOD.map(({ file }) => (file === CLIPPED ? clipped : audioFixture(file)));
    const accepted = await Promise.all(inputs.map((input) => upload(t, operator, input)));
    for (const reply of accepted) {
      expect(reply.status).toBe(202);
      expect(reply.body).toMatchObject({ id: expect.any(String), status: 'processing' });
    }
    for (const [index, { file, seconds }] of GOOD.entries()) {
      const media = await settled(t, operator, accepted[index].body.id);
      ready[file] = media;
      expect(media).toMatchObject({
        status: 'ready',
        error: null,
        mime: 'audio/mpeg',
        regionCode: DAXING,
        source: 'upload',
      });
      expect(media.title).toBe(file.replace(/\.\w+$/, ''));
      expect(media.url).toBe(`/media/${media.sha256}.mp3`);

      const stored = join(t.config.mediaDir, `${media.sha256}.mp3`);
      expect(readFileSync(stored).length).toBe(media.bytes);
      const facts = audioFacts(stored);
      expect(facts).toMatchObject({ codec: 'mp3', channels: 1, sampleRate: 44100, bitRate: 64000 });
      expect(facts.tags).toEqual({});
      expect(Math.abs(facts.durationSeconds - seconds)).toBeLessThan(0.2);
      expect(Math.abs(media.durationMs / 1000 - seconds)).toBeLessThan(0.2);
      // On target after MP3 encoding, as an independent meter (ffmpeg's ebur128 on the stored file) reads it.
      expect({ file, lufs: Math.abs(facts.integratedLufs - -16) <= 1 }).toEqual({ file, lufs: true });
      expect({ file, peak: facts.truePeakDb <= -1.5 }).toEqual({ file, peak: true });
      expect(Math.abs(media.loudness.outputLufs - facts.integratedLufs)).toBeLessThan(0.3);
      expect(media.loudness.truePeakDb).toBeCloseTo(facts.truePeakDb, 1);
    }
    // A quiet phone recording lifted 17 dB, a loud one turned down, a clipped one whose peaks are over full scale.
    expect(ready['phone-recording.m4a'].loudness.inputLufs).toBeCloseTo(-33.6, 0);
    expect(ready['loud-stereo-48k.flac'].loudness.inputLufs).toBeCloseTo(-15.3, 0);
    expect(ready[CLIPPED].loudness.inputLufs).toBeGreaterThan(-8);
    expect(audioFacts(clipped).truePeakDb).toBeGreaterThan(0);
  });

  it('keeps a title the uploader gives', async () => {
    const reply = await upload(t, operator, audioFixture('loud-stereo-48k.flac'), { title: '  村规民约 第三条 ' });
    expect((await settled(t, operator, reply.body.id)).title).toBe('村规民约 第三条');
  });

  it('stores the same audio once, however often and by whom it is uploaded', async () => {
    const before = mediaDirContents(t.config.mediaDir).finished;
    const again = await upload(t, lecturer, audioFixture('announcement-cmn.wav'));
    const media = await settled(t, lecturer, again.body.id);
    expect(media.id).not.toBe(ready['announcement-cmn.wav'].id);
    expect(media.sha256).toBe(ready['announcement-cmn.wav'].sha256);
    expect(media.loudness).toEqual(ready['announcement-cmn.wav'].loudness);
    expect(mediaDirContents(t.config.mediaDir).finished).toEqual(before);
  });

  it('fails each bad file with a reason a person understands, never retries it, and keeps the worker going', async () => {
    const queue = new Queue('media', { connection: { url: t.config.redisUrl }, prefix: t.config.queuePrefix });
    try {
      for (const { file, reason } of BAD) {
        const reply = await upload(t, operator, audioFixture(file));
        expect(reply.status).toBe(202);
        const media = await settled(t, operator, reply.body.id);
        expect({ file, status: media.status, error: media.error }).toEqual({ file, status: 'failed', error: reason });
        expect(media).toMatchObject({ sha256: null, url: null, loudness: null });
        // The row is marked before BullMQ files the job as failed.
        const job = await waitFor('the job to be failed', async () => {
          const found = await queue.getJob(`media-${media.id}`);
          return (await found?.getState()) === 'failed' ? found : undefined;
        });
        expect(job.attemptsStarted).toBe(1);
        expect(job.failedReason).toBe(reason);
      }
    } finally {
      await queue.close();
    }
    const after = await upload(t, operator, audioFixture('phone-recording.m4a'));
    expect((await settled(t, operator, after.body.id)).status).toBe('ready');
    expect(await leftoversAfterJobs(t.config.mediaDir)).toEqual([]);
  });

  it('refuses an empty file at upload', async () => {
    const reply = await upload(t, operator, audioFixture('bad/empty.mp3'));
    expect(reply.status).toBe(400);
    expect(reply.body.message).toMatch(/^empty file/);
    expect(await leftoversAfterJobs(t.config.mediaDir)).toEqual([]);
  });

  it('answers a malformed upload with a 4xx in the one error shape, and keeps nothing', async () => {
    const { body: before } = await t.api.get('/api/v1/media?limit=500', { token: admin });
    const json = await t.api.post('/api/v1/media', { file: 'x' }, { token: operator });
    expect(json.status).toBe(415);
    expect(json.body).toMatchObject({
      statusCode: 415,
      error: 'Unsupported Media Type',
      requestId: expect.any(String),
    });

    const noFile = new FormData();
    noFile.append('title', 'only a title');
    const bare = await fetch(`${t.url}/api/v1/media`, {
      method: 'POST',
      headers: { authorization: `Bearer ${operator}` },
      body: noFile,
    });
    expect(bare.status).toBe(400);
    expect(((await bare.json()) as { message: string }).message).toMatch(/No file/);

    const wrongField = await upload(t, operator, audioFixture('loud-stereo-48k.flac'), {}, 'audio');
    expect(wrongField.status).toBe(400);
    const longTitle = await upload(t, operator, audioFixture('loud-stereo-48k.flac'), { title: '长'.repeat(201) });
    expect(longTitle.status).toBe(400);
    expect(longTitle.body.details).toEqual([{ path: 'body.title', message: 'must be at most 200 characters' }]);

    expect((await upload(t, '', audioFixture('loud-stereo-48k.flac'))).status).toBe(401);
    expect((await upload(t, approver, audioFixture('loud-stereo-48k.flac'))).status).toBe(403);

    const { body: after } = await t.api.get('/api/v1/media?limit=500', { token: admin });
    expect(after.items.length).toBe(before.items.length);
    expect(await leftoversAfterJobs(t.config.mediaDir)).toEqual([]);
  });

  it('speaks text in Mandarin through the same pipeline', async () => {
    const text = '各位村民请注意，今天下午五点半有天空课堂广播，请大家准时收听。';
    const reply = await t.api.post('/api/v1/media/tts', { text }, { token: lecturer });
    expect(reply.status).toBe(202);
    expect(reply.body).toMatchObject({ status: 'processing', source: 'tts', regionCode: PANSHI });
    const media = await settled(t, lecturer, reply.body.id);
    expect(media.status).toBe('ready');
    expect(media.title).toBe(text);
    expect(media.durationMs).toBeGreaterThan(3000);
    const facts = audioFacts(join(t.config.mediaDir, `${media.sha256}.mp3`));
    expect(facts).toMatchObject({ codec: 'mp3', channels: 1, sampleRate: 44100 });
    expect(Math.abs(facts.integratedLufs - -16)).toBeLessThanOrEqual(1);
    expect(facts.truePeakDb).toBeLessThanOrEqual(-1.5);
  });

  it('brings a two-second notice to the target too', async () => {
    const reply = await t.api.post('/api/v1/media/tts', { text: '开会了。' }, { token: operator });
    const media = await settled(t, operator, reply.body.id);
    expect(media.status).toBe('ready');
    expect(media.durationMs).toBeLessThan(3000);
    const facts = audioFacts(join(t.config.mediaDir, `${media.sha256}.mp3`));
    expect(facts.truePeakDb).toBeLessThanOrEqual(-1.5);
    expect(Math.abs(facts.integratedLufs - -16)).toBeLessThanOrEqual(1);
  });

  it('refuses text it cannot speak', async () => {
    for (const body of [
      { text: '' },
      { text: '   ' },
      { text: '你好', voice: 'klingon' },
      { text: '你好', extra: 1 },
      {},
    ]) {
      const reply = await t.api.post('/api/v1/media/tts', body, { token: operator });
      expect({ body, status: reply.status }).toEqual({ body, status: 400 });
      expect(reply.body.details.length).toBeGreaterThan(0);
    }
  });

  describe('the file endpoints download', () => {
    let url: string;
    let bytes: Buffer;
    let sha256: string;
    beforeAll(() => {
      ({ url, sha256 } = ready['announcement-cmn.wav']);
      bytes = readFileSync(join(t.config.mediaDir, `${sha256}.mp3`));
    });

    it('is served whole with an immutable, content-addressed identity', async () => {
      const response = await fetch(t.url + url);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('audio/mpeg');
      expect(response.headers.get('etag')).toBe(`"${sha256}"`);
      expect(response.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
      expect(response.headers.get('accept-ranges')).toBe('bytes');
      expect(Buffer.from(await response.arrayBuffer()).equals(bytes)).toBe(true);
    });

    it('serves byte ranges, so a device can resume a download', async () => {
      const first = await fetch(t.url + url, { headers: { range: 'bytes=0-99' } });
      expect(first.status).toBe(206);
      expect(first.headers.get('content-range')).toBe(`bytes 0-99/${bytes.length}`);
      expect(Buffer.from(await first.arrayBuffer()).equals(bytes.subarray(0, 100))).toBe(true);

      const rest = await fetch(t.url + url, { headers: { range: `bytes=${bytes.length - 1000}-` } });
      expect(rest.status).toBe(206);
      expect(Buffer.from(await rest.arrayBuffer()).equals(bytes.subarray(bytes.length - 1000))).toBe(true);

      const tail = await fetch(t.url + url, { headers: { range: 'bytes=-10' } });
      expect(Buffer.from(await tail.arrayBuffer()).equals(bytes.subarray(bytes.length - 10))).toBe(true);
    });

    it('answers a range past the end with 416', async () => {
      const response = await fetch(t.url + url, { headers: { range: `bytes=${bytes.length}-` } });
      expect(response.status).toBe(416);
      expect(response.headers.get('content-range')).toBe(`bytes */${bytes.length}`);
      expect(await response.json()).toMatchObject({ statusCode: 416, error: 'Range Not Satisfiable' });
    });

    it('answers 304 to a device that already holds it, and HEAD without a body', async () => {
      expect((await fetch(t.url + url, { headers: { 'if-none-match': `"${sha256}"` } })).status).toBe(304);
      const head = await fetch(t.url + url, { method: 'HEAD' });
      expect(head.status).toBe(200);
      expect(head.headers.get('content-length')).toBe(String(bytes.length));
      expect((await head.arrayBuffer()).byteLength).toBe(0);
    });

    it('has nothing under any other name', async () => {
      for (const name of [
        `${'0'.repeat(64)}.mp3`,
        `${sha256}.wav`,
        '..%2F..%2Fpackage.json',
        `${sha256.toUpperCase()}.mp3`,
      ]) {
        const response = await fetch(`${t.url}/media/${name}`);
        expect({ name, status: response.status }).toEqual({ name, status: 404 });
      }
    });
  });

  describe('scope', () => {
    it('shows a media item only to those whose scope covers the uploader’s', async () => {
      const id = ready['announcement-cmn.wav'].id;
      expect((await t.api.get(`/api/v1/media/${id}`, { token: operator })).status).toBe(200);
      expect((await t.api.get(`/api/v1/media/${id}`, { token: approver })).status).toBe(200);
      expect((await t.api.get(`/api/v1/media/${id}`, { token: admin })).status).toBe(200);
      expect((await t.api.get(`/api/v1/media/${id}`, { token: lecturer })).status).toBe(403);
      expect((await t.api.get(`/api/v1/media/${randomUUID()}`, { token: admin })).status).toBe(404);
      expect((await t.api.get('/api/v1/media/not-a-uuid', { token: admin })).status).toBe(400);
    });

    it('lists what lies in the caller’s scope, newest first, in pages', async () => {
      const mine = await t.api.get('/api/v1/media?status=ready', { token: lecturer });
      expect(mine.body.items.length).toBeGreaterThan(0);
      expect(mine.body.items.every((item: any) => item.regionCode === PANSHI && item.status === 'ready')).toBe(true);

      const all = (await t.api.get('/api/v1/media?limit=500', { token: approver })).body.items;
      const firstPage = await t.api.get('/api/v1/media?limit=2', { token: approver });
      const secondPage = await t.api.get(`/api/v1/media?limit=2&after=${firstPage.body.nextCursor}`, {
        token: approver,
      });
      expect([...firstPage.body.items, ...secondPage.body.items].map((item: any) => item.id)).toEqual(
        all.slice(0, 4).map((item: any) => item.id),
      );
    });
  });

  describe('the queue dashboard', () => {
    const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

    it('asks a browser to sign in, and refuses whoever is not an admin', async () => {
      const anonymous = await fetch(`${t.url}/admin/queues`);
      expect(anonymous.status).toBe(401);
      expect(anonymous.headers.get('www-authenticate')).toMatch(/^Basic realm="Dalaba queues"/);
      expect(await anonymous.json()).toMatchObject({ statusCode: 401, error: 'Unauthorized' });
      expect(
        (await fetch(`${t.url}/admin/queues`, { headers: { authorization: basic('admin', 'wrong') } })).status,
      ).toBe(401);
      expect((await fetch(`${t.url}/admin/queues`, { headers: { authorization: `Bearer ${operator}` } })).status).toBe(
        403,
      );
    });

    it('shows an admin every queue, and keeps them signed in with a cookie', async () => {
      const page = await fetch(`${t.url}/admin/queues`, {
        headers: { authorization: basic('admin', 'admin-password-for-tests') },
      });
      expect(page.status).toBe(200);
      expect(page.headers.get('content-type')).toMatch(/text\/html/);
      const cookie = page.headers.get('set-cookie')!.split(';')[0];
      expect(page.headers.get('set-cookie')).toMatch(/HttpOnly; SameSite=Strict/);

      const api = await fetch(`${t.url}/admin/queues/api/queues?activeQueue=media&page=1&jobsPerPage=50`, {
        headers: { cookie },
      });
      expect(api.status).toBe(200);
      const { queues } = (await api.json()) as { queues: any[] };
      const media = queues.find((queue: { name: string }) => queue.name === 'media');
      expect(queues.map((queue: { name: string }) => queue.name).sort()).toEqual(Object.values(QueueName).sort());
      expect(media.counts.completed).toBeGreaterThanOrEqual(GOOD.length);
      expect(media.counts.failed).toBe(BAD.length);
      const finished = media.jobs.find(
        (job: { name: string; progress: unknown; returnValue: any }) => job.returnValue?.status === 'ready',
      );
      expect(finished.progress).toBe(100);
    });
  });
});

describe('media limits', () => {
  let t: TestApp;
  let operator: string;

  beforeAll(async () => {
    t = await startApp({ MEDIA_MAX_BYTES: '300000', MEDIA_MAX_SECONDS: '20', TTS_MAX_CHARS: '50' });
    const admin = await adminToken(t);
    await importSongtao(t, admin);
    operator = await userToken(t, admin, 'operator', DAXING);
  });
  afterAll(() => t.close());

  it('refuses an upload over MEDIA_MAX_BYTES with 413, whether it says its size or not, and keeps nothing', async () => {
    const declared = await upload(t, operator, audioFixture('announcement-cmn.wav'));
    expect(declared.status).toBe(413);
    expect(declared.body.message).toBe('The file is larger than the 0.3 MB limit (MEDIA_MAX_BYTES)');
    // Within the allowance for multipart framing, so only the streamed count catches it.
    const streamed = await upload(t, operator, { name: 'big.mp3', bytes: randomBytes(330_000) });
    expect(streamed.status).toBe(413);
    expect(mediaDirContents(t.config.mediaDir)).toEqual({ finished: [], leftovers: [] });
    expect((await t.api.get('/api/v1/media', { token: operator })).body.items).toEqual([]);
  });

  it('fails audio longer than MEDIA_MAX_SECONDS', async () => {
    const reply = await upload(t, operator, audioFixture('phone-recording.m4a'));
    expect(reply.status).toBe(202);
    const media = await settled(t, operator, reply.body.id);
    expect(media).toMatchObject({ status: 'failed', error: 'too long: 21.5 s (the limit is 20 s)' });
    expect(await leftoversAfterJobs(t.config.mediaDir)).toEqual([]);
  });

  it('refuses text over TTS_MAX_CHARS', async () => {
    const reply = await t.api.post('/api/v1/media/tts', { text: '广'.repeat(51) }, { token: operator });
    expect(reply.status).toBe(400);
    expect(reply.body.message).toBe('text is longer than 50 characters (TTS_MAX_CHARS)');
    expect((await t.api.post('/api/v1/media/tts', { text: '广'.repeat(50) }, { token: operator })).status).toBe(202);
  });
});
