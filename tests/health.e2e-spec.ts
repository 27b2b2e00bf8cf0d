import { startApp } from './helpers/app';
import { dropDatabase } from './helpers/databases';
import { startRedisServer } from './helpers/processes';

describe('GET /health', () => {
  it('reports database, Redis and the queue up (200)', async () => {
    const t = await startApp();
    try {
      const reply = await t.api.get('/health');
      expect(reply.status).toBe(200);
      expect(reply.body).toMatchObject({
        status: 'ok',
        role: 'all',
        checks: { database: { status: 'up' }, redis: { status: 'up' }, queue: { status: 'up', counts: { waiting: 0, failed: 0 } } },
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
});
