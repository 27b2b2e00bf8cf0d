import { Queue } from 'bullmq';
import { JobName, QueueName } from '../src/infra/queue/jobs';
import { startApp } from './helpers/app';
import { dropDatabase } from './helpers/databases';
import { startRedisServer, waitFor } from './helpers/processes';

describe('GET /health', () => {
  it('reports database, Redis and the queue up (200)', async () => {
    const t = await startApp();
    try {
      const reply = await t.api.get('/health');
      expect(reply.status).toBe(200);
      expect(reply.body).toMatchObject({
        status: 'ok',
        role: 'all',
        checks: {
          database: { status: 'up' },
          redis: { status: 'up' },
          queue: { status: 'up', counts: { waiting: 0, failed: 0 } },
        },
      });
    } finally {
      await t.close();
    }
  });

  it('answers 503 naming Redis when the Redis server is killed', async () => {
    const redis = await startRedisServer();
    const t = await startApp({ REDIS_URL: redis.url });
    try {
      expect((await t.api.get('/health')).status).toBe(200);
      await redis.kill();
      const reply = await t.api.get('/health');
      expect(reply.status).toBe(503);
      expect(reply.body.status).toBe('error');
      expect(reply.body.checks.redis.status).toBe('down');
      expect(reply.body.checks.database.status).toBe('up');
    } finally {
      await t.close();
    }
  });

  it('answers 503 naming the database when it disappears', async () => {
    const t = await startApp();
    try {
      await dropDatabase(t.database);
      const reply = await t.api.get('/health');
      expect(reply.status).toBe(503);
      expect(reply.body.checks.database.status).toBe('down');
      expect(reply.body.checks.redis.status).toBe('up');
    } finally {
      await t.close();
    }
  });

  it('answers 503 naming the emergency queue while it is paused, and 200 once it is resumed', async () => {
    const t = await startApp();
    const queue = new Queue(QueueName.Emergency, {
      connection: { url: t.config.redisUrl },
      prefix: t.config.queuePrefix,
    });
    try {
      expect((await t.api.get('/health')).body.checks.emergencyQueues).toMatchObject({ status: 'up' });
      await queue.pause();
      const paused = await t.api.get('/health');
      expect(paused.status).toBe(503);
      expect(paused.body.status).toBe('error');
      expect(paused.body.checks.emergencyQueues).toMatchObject({
        status: 'down',
        error: expect.stringMatching(/emergency is paused/),
      });
      expect(paused.body.checks.redis.status).toBe('up');
      await queue.resume();
      const resumed = await t.api.get('/health');
      expect(resumed.status).toBe(200);
      expect(resumed.body.checks.emergencyQueues.status).toBe('up');
    } finally {
      await queue.close();
      await t.close();
    }
  });

  it('answers 503 when an alert job has waited too long with no worker taking it', async () => {
    const t = await startApp({ APP_ROLE: 'api', EMERGENCY_QUEUE_STALL_SECONDS: '1' });
    const queue = new Queue(QueueName.AlertAudio, {
      connection: { url: t.config.redisUrl },
      prefix: t.config.queuePrefix,
    });
    try {
      await queue.add(JobName.ProcessAlertAudio, { mediaId: '00000000-0000-4000-8000-000000000000' });
      const stalled = await waitFor('health to notice the waiting alert job', async () => {
        const reply = await t.api.get('/health');
        return reply.status === 503 ? reply : undefined;
      });
      expect(stalled.body.checks.emergencyQueues).toMatchObject({
        status: 'down',
        error: expect.stringMatching(/alert-audio has had a job waiting for \d+ s/),
      });
      await queue.drain();
      expect((await t.api.get('/health')).status).toBe(200);
    } finally {
      await queue.close();
      await t.close();
    }
  });
});
