import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { startApp, type TestApp } from './helpers/app';
import { adminToken } from './helpers/factories';
import {
  audioFixture,
  makeTone,
  leftoversAfterJobs,
  mediaDirContents,
  processesMentioning,
  settled,
  upload,
} from './helpers/media';
import { MAIN, spawnProcess, startRedisServer, waitFor } from './helpers/processes';

// Long enough that the test can interfere while ffmpeg is still at work.
const TONE_SECONDS = 120;

function startWorker(t: TestApp, detached = false) {
  return spawnProcess(
    process.execPath,
    [MAIN],
    { ...process.env, ...t.env, APP_ROLE: 'worker', LOG_LEVEL: 'info' },
    { detached },
  );
}

async function jobExists(redisUrl: string, t: TestApp, mediaId: string): Promise<boolean> {
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
  try {
    return (await redis.exists(`${t.config.queuePrefix}:media:media-${mediaId}`)) === 1;
  } finally {
    redis.disconnect();
  }
}

/** When the media row's job was added (ms), or null when Redis has none. */
async function jobAddedAt(redisUrl: string, t: TestApp, mediaId: string): Promise<number | null> {
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
  try {
    const timestamp = await redis.hget(`${t.config.queuePrefix}:media:media-${mediaId}`, 'timestamp');
    return timestamp === null ? null : Number(timestamp);
  } finally {
    redis.disconnect();
  }
}

describe('media work survives losing Redis', () => {
  it('re-queues a processing row whose job was flushed (by the periodic sweep) or lost in a restart (at start-up)', async () => {
    const redis = await startRedisServer();
    // An API process only: nothing consumes, so the job waits in Redis.
    let t = await startApp({ REDIS_URL: redis.url, APP_ROLE: 'api', MEDIA_SWEEP_SECONDS: '1' });
    try {
      const admin = await adminToken(t);
      const { body } = await upload(t, admin, audioFixture('loud-stereo-48k.flac'));
      expect(await jobExists(redis.url, t, body.id)).toBe(true);
      expect((await t.api.get(`/api/v1/media/${body.id}`, { token: admin })).body).toMatchObject({
        status: 'processing',
        progress: 0,
      });

      // The sweep runs every second, so it may re-queue before we look: what proves it is a job added after the flush.
      const first = (await jobAddedAt(redis.url, t, body.id))!;
      const client = new Redis(redis.url);
      await client.flushall();
      client.disconnect();
      await waitFor('the sweep to re-queue the job', async () =>
        ((await jobAddedAt(redis.url, t, body.id)) ?? 0) > first ? true : undefined,
      );

      // Redis restarts empty (it keeps nothing on disk), and so does the API, with a sweep too slow to matter.
      await redis.kill();
      await t.close({ keep: true });
      const restarted = await startRedisServer(redis.port);
      t = await startApp({ ...t.env, MEDIA_SWEEP_SECONDS: '3600' }, { database: t.database });
      await waitFor('the start-up sweep to re-queue the job', async () =>
        (await jobExists(restarted.url, t, body.id)) ? true : undefined,
      );

      const worker = startWorker(t);
      try {
        expect((await settled(t, admin, body.id)).status).toBe('ready');
      } finally {
        await worker.stop();
      }
      expect(await leftoversAfterJobs(t.config.mediaDir)).toEqual([]);
      await restarted.kill();
    } finally {
      await t.close();
    }
  });

  it('accepts an upload while Redis is down, and queues it once Redis is back', async () => {
    const redis = await startRedisServer();
    const t = await startApp({ REDIS_URL: redis.url, APP_ROLE: 'api', MEDIA_SWEEP_SECONDS: '1' });
    try {
      const admin = await adminToken(t);
      await redis.kill();
      const reply = await upload(t, admin, audioFixture('loud-stereo-48k.flac'));
      expect(reply.status).toBe(202);
      expect((await t.api.get(`/api/v1/media/${reply.body.id}`, { token: admin })).body.status).toBe('processing');

      const back = await startRedisServer(redis.port);
      await waitFor('the job to be queued', async () =>
        (await jobExists(back.url, t, reply.body.id)) ? true : undefined,
      );
      const worker = startWorker(t);
      try {
        expect((await settled(t, admin, reply.body.id)).status).toBe('ready');
      } finally {
        await worker.stop();
        await back.kill();
      }
    } finally {
      await t.close();
    }
  });
});

describe('media work survives a dying worker or ffmpeg', () => {
  let tones: string;
  let tone: string;
  beforeAll(() => {
    tones = mkdtempSync(join(tmpdir(), 'dalaba-tone-'));
    tone = join(tones, 'lecture.flac');
    makeTone(tone, TONE_SECONDS);
  });
  afterAll(() => rmSync(tones, { recursive: true, force: true }));

  it('retries the job of a worker killed mid-job once BullMQ finds it stalled', async () => {
    const t = await startApp({ APP_ROLE: 'api', QUEUE_LOCK_SECONDS: '2' });
    const queue = new Queue('media', { connection: { url: t.config.redisUrl }, prefix: t.config.queuePrefix });
    try {
      const admin = await adminToken(t);
      const { body } = await upload(t, admin, tone);
      const doomed = startWorker(t, true);
      await waitFor('the first worker to be part-way through', async () => {
        const reply = await t.api.get(`/api/v1/media/${body.id}`, { token: admin });
        return reply.body.progress > 5 ? true : undefined;
      });
      await doomed.killGroup();
      expect(processesMentioning(body.id)).toEqual([]);
      expect((await t.api.get(`/api/v1/media/${body.id}`, { token: admin })).body.status).toBe('processing');

      const survivor = startWorker(t);
      try {
        const media = await settled(t, admin, body.id, 120_000);
        expect(media.status).toBe('ready');
        expect(Math.abs(media.durationMs / 1000 - TONE_SECONDS)).toBeLessThan(0.2);
      } finally {
        await survivor.stop();
      }
      const job = await queue.getJob(`media-${body.id}`);
      expect(job?.stalledCounter).toBeGreaterThanOrEqual(1);
      expect(await leftoversAfterJobs(t.config.mediaDir)).toEqual([]);
      expect(mediaDirContents(t.config.mediaDir).finished).toEqual([`${job?.returnvalue.sha256}.mp3`]);
    } finally {
      await queue.close();
      await t.close();
    }
  }, 180_000);

  it('retries with backoff when ffmpeg itself is killed, saying so on the row meanwhile', async () => {
    const t = await startApp();
    const queue = new Queue('media', { connection: { url: t.config.redisUrl }, prefix: t.config.queuePrefix });
    try {
      const admin = await adminToken(t);
      const { body } = await upload(t, admin, tone);
      const ffmpeg = await waitFor('ffmpeg to work on the upload', async () => {
        const pids = processesMentioning(`.incoming/${body.id}`);
        return pids.length ? pids : undefined;
      });
      for (const pid of ffmpeg) process.kill(pid, 'SIGKILL');

      const retrying = await waitFor('the row to say it will retry', async () => {
        const reply = await t.api.get(`/api/v1/media/${body.id}`, { token: admin });
        return reply.body.error ? reply.body : undefined;
      });
      expect(retrying).toMatchObject({
        status: 'processing',
        error: expect.stringMatching(
          /^attempt 1 of 4 failed, will retry: (ffmpeg|ffprobe) was killed with signal SIGKILL/,
        ),
      });

      const media = await settled(t, admin, body.id, 120_000);
      expect(media).toMatchObject({ status: 'ready', error: null });
      const job = await queue.getJob(`media-${body.id}`);
      expect(job?.attemptsStarted).toBe(2);
      expect(await leftoversAfterJobs(t.config.mediaDir)).toEqual([]);
    } finally {
      await queue.close();
      await t.close();
    }
  }, 180_000);
});
