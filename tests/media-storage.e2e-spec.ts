import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { copyFile } from 'node:fs/promises';
import { mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { MediaCache } from '../agent/src/cache';
import { Http, Scheduler } from '../agent/src/protocol';
import { ConfigError, loadConfig } from '../src/infra/config/config';
import { PrismaService } from '../src/infra/database/prisma.service';
import { MediaService } from '../src/media/media.service';
import { MediaSweeper } from '../src/media/media-sweeper';
import { MediaStorage } from '../src/media/storage/media-storage';
import { ADMIN, startApp, type TestApp, testEnvironment } from './helpers/app';
import { adminToken } from './helpers/factories';
import { audioFixture, leftoversAfterJobs, makeTone, mediaDirContents, settled, upload } from './helpers/media';
import { waitFor } from './helpers/processes';
import { startS3, type TestS3 } from './helpers/s3';

const sha256 = (bytes: Buffer | Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const RENDITION_KEY = /^[0-9a-f]{64}\.mp3$/;

describe('media storage settings', () => {
  const env = (overrides: Record<string, string>) => testEnvironment('settings', { MEDIA_DIR: tmpdir(), ...overrides });

  it('refuses MEDIA_STORAGE=s3 without a bucket, half a key pair, or redirects without a bucket, naming the setting', () => {
    expect(() => loadConfig(env({ MEDIA_STORAGE: 's3' }))).toThrow(
      new ConfigError('Invalid configuration: S3_BUCKET is required when MEDIA_STORAGE=s3'),
    );
    expect(() => loadConfig(env({ MEDIA_STORAGE: 's3', S3_BUCKET: 'media', S3_ACCESS_KEY_ID: 'key' }))).toThrow(
      /S3_SECRET_ACCESS_KEY must be set together with S3_ACCESS_KEY_ID/,
    );
    expect(() => loadConfig(env({ MEDIA_DELIVERY: 'redirect' }))).toThrow(
      /MEDIA_DELIVERY redirect needs MEDIA_STORAGE=s3/,
    );
    expect(() => loadConfig(env({ MEDIA_STORAGE: 's3', S3_BUCKET: 'Not_A_Bucket' }))).toThrow(
      /S3_BUCKET must be a bucket name/,
    );
    expect(
      loadConfig(env({ MEDIA_STORAGE: 's3', S3_BUCKET: 'media', S3_PREFIX: 'county' })).media.storage,
    ).toMatchObject({
      kind: 's3',
      delivery: 'redirect',
      s3: { bucket: 'media', prefix: 'county/', credentials: undefined },
    });
  });
});

describe('media in an S3-compatible bucket', () => {
  let s3: TestS3;

  beforeAll(async () => {
    s3 = await startS3(['streamed', 'redirected']);
  });

  afterAll(async () => {
    await s3?.stop();
  });

  describe('streamed through the API (MEDIA_DELIVERY=stream)', () => {
    let t: TestApp;
    let admin: string;
    let rendition: { sha256: string; bytes: Buffer };

    beforeAll(async () => {
      t = await startApp({ ...s3.env('streamed'), MEDIA_DELIVERY: 'stream', MEDIA_MAX_BYTES: String(2 * 1024 * 1024) });
      admin = await adminToken(t);
    });

    afterAll(async () => {
      await t?.close();
    });

    it('refuses an upload over MEDIA_MAX_BYTES with 413 and leaves no input in the bucket', async () => {
      const reply = await upload(t, admin, { name: 'big.wav', bytes: randomBytes(3 * 1024 * 1024) });
      expect(reply.status).toBe(413);
      expect(await s3.keys('streamed')).toEqual([]);
    });

    it('renders an upload into the bucket, leaving nothing in the bucket or under MEDIA_DIR but the rendition', async () => {
      const reply = await upload(t, admin, audioFixture('loud-stereo-48k.flac'));
      expect(reply.status).toBe(202);
      const media = await settled(t, admin, reply.body.id);
      expect(media).toMatchObject({ status: 'ready', url: `/media/${media.sha256}.mp3` });
      expect(await s3.keys('streamed')).toEqual([`${media.sha256}.mp3`]);
      const bytes = await s3.read('streamed', `${media.sha256}.mp3`);
      expect(sha256(bytes)).toBe(media.sha256);
      expect(await leftoversAfterJobs(t.config.mediaDir)).toEqual([]);
      expect(mediaDirContents(t.config.mediaDir).finished).toEqual([]);
      rendition = { sha256: media.sha256, bytes };
    });

    it('stores the same audio once, however often it is uploaded', async () => {
      const again = await upload(t, admin, audioFixture('loud-stereo-48k.flac'));
      expect((await settled(t, admin, again.body.id)).sha256).toBe(rendition.sha256);
      expect(await s3.keys('streamed')).toEqual([`${rendition.sha256}.mp3`]);
    });

    it('serves the rendition whole, in ranges, 416 past its end and 404 for a name it does not hold', async () => {
      const url = `${t.url}/media/${rendition.sha256}.mp3`;
      const whole = await fetch(url);
      expect(whole.status).toBe(200);
      expect(whole.headers.get('content-length')).toBe(String(rendition.bytes.length));
      expect(sha256(Buffer.from(await whole.arrayBuffer()))).toBe(rendition.sha256);

      const part = await fetch(url, { headers: { range: 'bytes=100-1099' } });
      expect(part.status).toBe(206);
      expect(part.headers.get('content-range')).toBe(`bytes 100-1099/${rendition.bytes.length}`);
      expect(Buffer.from(await part.arrayBuffer())).toEqual(rendition.bytes.subarray(100, 1100));

      const past = await fetch(url, { headers: { range: `bytes=${rendition.bytes.length}-` } });
      expect(past.status).toBe(416);
      expect(past.headers.get('content-range')).toBe(`bytes */${rendition.bytes.length}`);

      expect((await fetch(`${t.url}/media/${'0'.repeat(64)}.mp3`)).status).toBe(404);
    });

    it('makes a live recording (kept on this process’s disk while it is made) an input in the bucket, and reads renditions back for the EBD exchange', async () => {
      const service = t.app.get(MediaService);
      const session = randomUUID();
      await copyFile(audioFixture('loud-stereo-48k.flac'), await service.recordingPath(session));
      const speaker = await t.app.get(PrismaService).user.findFirstOrThrow({ where: { username: ADMIN.username } });
      const id = await service.adoptRecording(session, {
        title: 'recorded',
        regionCode: null,
        createdById: speaker.id,
      });
      expect(id).not.toBeNull();
      expect(
        await service.adoptRecording(session, { title: 'again', regionCode: null, createdById: speaker.id }),
      ).toBeNull();
      const media = await settled(t, admin, id!);
      expect(media).toMatchObject({ status: 'ready', source: 'live' });
      // The input goes just after the row turns ready.
      const keys = await waitFor('the input to go', async () => {
        const now = await s3.keys('streamed');
        return now.includes(`incoming/${id}`) ? undefined : now;
      });
      expect(keys).toContain(`${media.sha256}.mp3`);
      expect(await leftoversAfterJobs(t.config.mediaDir)).toEqual([]);
      const audio = await t.app.get(MediaStorage).readRendition(media.sha256);
      expect(sha256(audio!)).toBe(media.sha256);
      expect(await t.app.get(MediaStorage).readRendition('0'.repeat(64))).toBeNull();
    });

    it('streams a large input into the bucket in parts (past the 5 MB single-PUT size), hashing what passed', async () => {
      const storage = t.app.get(MediaStorage);
      const bytes = randomBytes(12 * 1024 * 1024);
      const id = randomUUID();
      expect(
        await storage.receiveInput(Readable.from([bytes.subarray(0, 7_000_000), bytes.subarray(7_000_000)]), id),
      ).toEqual({
        sha256: sha256(bytes),
        bytes: bytes.length,
      });
      expect(sha256(await s3.read('streamed', `incoming/${id}`))).toBe(sha256(bytes));
      await storage.discardInputs(id);
      expect(await s3.keys('streamed')).not.toContain(`incoming/${id}`);
    });

    it('sweeps inputs abandoned in the bucket (no processing row) once they are old, and keeps fresh ones', async () => {
      const [old, fresh] = [randomUUID(), randomUUID()];
      await s3.write('streamed', `incoming/${old}`, Buffer.from('an upload whose request died'));
      await s3.write('streamed', `incoming/${fresh}`, Buffer.from('an upload still arriving'));
      const sevenHoursAgo = new Date(Date.now() - 7 * 3600_000);
      for (const name of readdirSync(join(s3.dir, 'streamed', 'incoming')).filter((file) => file.startsWith(old))) {
        utimesSync(join(s3.dir, 'streamed', 'incoming', name), sevenHoursAgo, sevenHoursAgo);
      }
      await t.app.get(MediaSweeper).sweep();
      expect((await s3.keys('streamed')).filter((key) => key.startsWith('incoming/'))).toEqual([`incoming/${fresh}`]);
    });

    it('answers an upload the bucket cannot take (it is gone) with a 500 in the error shape, keeping no row and no file', async () => {
      const before = (await t.api.get('/api/v1/media?limit=100', { token: admin })).body.items.length;
      const kept = await Promise.all(
        (await s3.keys('streamed')).map(async (key) => ({ key, body: await s3.read('streamed', key) })),
      );
      await s3.deleteBucket('streamed');
      try {
        const reply = await upload(t, admin, audioFixture('with-cover-art.mp3'));
        expect(reply.status).toBe(500);
        expect(reply.body).toMatchObject({ statusCode: 500 });
        expect((await t.api.get('/api/v1/media?limit=100', { token: admin })).body.items).toHaveLength(before);
        expect(await leftoversAfterJobs(t.config.mediaDir)).toEqual([]);
      } finally {
        await s3.createBucket('streamed');
        for (const { key, body } of kept) await s3.write('streamed', key, body);
      }
    });
  });

  describe('redirected to the bucket (MEDIA_DELIVERY=redirect)', () => {
    let t: TestApp;
    let admin: string;
    let rendition: { sha256: string; bytes: Buffer };

    beforeAll(async () => {
      t = await startApp({ ...s3.env('redirected'), MEDIA_SIGNED_URL_SECONDS: '2' });
      admin = await adminToken(t);
      const media = await settled(t, admin, (await upload(t, admin, audioFixture('phone-recording.m4a'))).body.id);
      expect(media.status).toBe('ready');
      rendition = { sha256: media.sha256, bytes: await s3.read('redirected', `${media.sha256}.mp3`) };
    });

    afterAll(async () => {
      await t?.close();
    }, 60_000);

    it('answers 302 to a signed URL on the bucket that serves the file and its ranges until it expires', async () => {
      const answer = await fetch(`${t.url}/media/${rendition.sha256}.mp3`, { redirect: 'manual' });
      expect(answer.status).toBe(302);
      expect(answer.headers.get('cache-control')).toBe('no-store');
      const signed = new URL(answer.headers.get('location')!);
      expect(signed.origin).toBe(s3.endpoint);
      expect(signed.pathname).toBe(`/redirected/${rendition.sha256}.mp3`);
      expect(signed.searchParams.get('X-Amz-Expires')).toBe('2');

      const whole = await fetch(signed);
      expect(sha256(Buffer.from(await whole.arrayBuffer()))).toBe(rendition.sha256);
      const part = await fetch(signed, { headers: { range: 'bytes=10-19' } });
      expect(part.status).toBe(206);
      expect(part.headers.get('content-range')).toBe(`bytes 10-19/${rendition.bytes.length}`);
      expect(Buffer.from(await part.arrayBuffer())).toEqual(rendition.bytes.subarray(10, 20));
      expect((await fetch(`${t.url}/media/${'0'.repeat(64)}.mp3`, { redirect: 'manual' })).status).toBe(404);

      // s3rver checks a V4 URL's expiry but not its signature (its README: "V4 signatures have incomplete support"),
      // so a tampered signature is not something this server can show refused; an expired URL is.
      const signedAt = Date.parse(
        signed.searchParams
          .get('X-Amz-Date')!
          .replace(/^(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)Z$/, '$1-$2-$3T$4:$5:$6Z'),
      );
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, signedAt + 3_000 - Date.now())));
      const expired = await fetch(signed);
      expect(expired.status).toBe(403);
      expect(await expired.text()).toContain('Request has expired');
    });

    it('lets the console play audio from the bucket it redirects to (Content-Security-Policy media-src)', async () => {
      const policy = (await fetch(`${t.url}/`)).headers.get('content-security-policy')!;
      expect(policy).toContain(`media-src 'self' blob: ${s3.endpoint};`);
    });

    it('lets the agent download through the redirect, resuming a partial download with Range, and verify it', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'agent-cache-'));
      const run = new AbortController();
      const scheduler = new Scheduler({ now: () => Date.now() });
      try {
        const resumeAt = 5_000;
        writeFileSync(join(dir, `${rendition.sha256}.partial`), rendition.bytes.subarray(0, resumeAt));
        const http = new Http(t.url, run.signal, scheduler, { log: () => undefined, error: () => undefined });
        const cache = new MediaCache(dir, http, run.signal);
        const media = {
          url: `/media/${rendition.sha256}.mp3`,
          sha256: rendition.sha256,
          bytes: rendition.bytes.length,
          mime: 'audio/mpeg',
        };
        expect(await cache.fetch(media)).toEqual({ ok: true, bytes: rendition.bytes.length, resumedAt: resumeAt });
        expect(await cache.verify(rendition.sha256)).toBe(true);
      } finally {
        run.abort();
        scheduler.stop();
        rmSync(dir, { recursive: true, force: true });
      }
    });

    it('retries a job whose bucket disappears mid-render with the reason in the row, and finishes it and the next once the bucket is back', async () => {
      const tone = join(tmpdir(), `${randomUUID()}-tone.wav`);
      makeTone(tone, 60);
      try {
        const { body } = await upload(t, admin, { name: 'tone.wav', bytes: readFileSync(tone) });
        // Past the probe the input is in scratch and ffmpeg is at work: the bucket goes now, under the job.
        const started = await waitFor('the render to start', async () => {
          const media = (await t.api.get(`/api/v1/media/${body.id}`, { token: admin })).body;
          return media.progress >= 3 || media.status !== 'processing' ? media : undefined;
        });
        expect(started.status).toBe('processing');
        const input = await s3.read('redirected', `incoming/${body.id}`);
        await s3.deleteBucket('redirected');

        const noted = await waitFor(
          'the failed attempt to be noted',
          async () => {
            const media = (await t.api.get(`/api/v1/media/${body.id}`, { token: admin })).body;
            return media.error ? media : undefined;
          },
          90_000,
        );
        expect(noted.status).toBe('processing');
        expect(noted.error).toMatch(
          /^attempt 1 of 4 failed, will retry: object storage .* failed: NoSuchBucket: The specified bucket does not exist/,
        );

        await s3.createBucket('redirected');
        await s3.write('redirected', `incoming/${body.id}`, input);
        const media = await settled(t, admin, body.id, 90_000);
        expect(media).toMatchObject({ status: 'ready', error: null });
        const next = await settled(t, admin, (await upload(t, admin, audioFixture('loud-stereo-48k.flac'))).body.id);
        expect(next.status).toBe('ready');
        const keys = await s3.keys('redirected');
        expect(keys).toEqual([`${media.sha256}.mp3`, `${next.sha256}.mp3`].sort());
        for (const key of keys) expect(sha256(await s3.read('redirected', key))).toBe(key.slice(0, 64));
        expect(keys.every((key) => RENDITION_KEY.test(key))).toBe(true);
        expect(await leftoversAfterJobs(t.config.mediaDir)).toEqual([]);
      } finally {
        rmSync(tone, { force: true });
      }
      // A render, a 5 s backoff and a render again: about 15 s here, more on a machine shared with other runs.
    }, 150_000);
  });
});
