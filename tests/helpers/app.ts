import { Writable } from 'node:stream';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Redis } from 'ioredis';
import { createHttpApp } from '../../src/app';
import { AppConfig, loadConfig } from '../../src/infra/config/config';
import { createRootLogger } from '../../src/infra/logging/logger';
import { createDatabaseFromTemplate, databaseUrl, dropDatabase, uniqueName } from './databases';
import { Api } from './api';

export const ADMIN = { username: 'admin', password: 'admin-password-for-tests' };
export const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

export interface TestApp {
  app: NestFastifyApplication;
  config: AppConfig;
  database: string;
  url: string;
  api: Api;
  /** Every JSON log line the app wrote. */
  logs: Array<Record<string, unknown>>;
  close(): Promise<void>;
}

/** The real application over real HTTP, on its own database and its own Redis key prefix. */
export async function startApp(env: Record<string, string> = {}): Promise<TestApp> {
  const database = await createDatabaseFromTemplate();
  const config = loadConfig({
    DATABASE_URL: databaseUrl(database),
    REDIS_URL,
    JWT_SECRET: 'a test secret that is at least 32 characters long',
    ADMIN_USERNAME: ADMIN.username,
    ADMIN_PASSWORD: ADMIN.password,
    QUEUE_PREFIX: uniqueName('t'),
    LOG_LEVEL: 'info',
    ...env,
  });
  const logs: Array<Record<string, unknown>> = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) logs.push(JSON.parse(line));
      done();
    },
  });
  const app = await createHttpApp(config, createRootLogger(config.logLevel, sink));
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.getHttpServer().address() as { port: number };
  const url = `http://127.0.0.1:${address.port}`;
  return {
    app,
    config,
    database,
    url,
    api: new Api(url),
    logs,
    async close() {
      await app.close();
      await clearQueuePrefix(config.queuePrefix);
      await dropDatabase(database);
    },
  };
}

async function clearQueuePrefix(prefix: string): Promise<void> {
  const redis = new Redis(REDIS_URL);
  try {
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length) await redis.del(...keys);
  } finally {
    redis.disconnect();
  }
}
