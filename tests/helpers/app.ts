import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Redis } from 'ioredis';
import { createHttpApp } from '../../src/app';
import { type AppConfig, loadConfig } from '../../src/infra/config/config';
import { createRootLogger } from '../../src/infra/logging/logger';
import {
  appRoleUrl,
  createDatabaseFromTemplate,
  databaseUrl,
  dropAppRole,
  dropDatabase,
  REDIS_URL,
  uniqueName,
} from './databases';
import { Api } from './api';

export const ADMIN = { username: 'admin', password: 'admin-password-for-tests' };
export { REDIS_URL };

export interface TestApp {
  app: NestFastifyApplication;
  config: AppConfig;
  /** The environment it was configured from, for a process that should share its state. */
  env: Record<string, string>;
  database: string;
  url: string;
  api: Api;
  /** Every JSON log line the app wrote. */
  logs: Array<Record<string, unknown>>;
  /** The same lines as written (JSON.parse would hide a key written twice). */
  rawLogs: string[];
  /** Stops the app; unless kept (for a restart on the same state), drops its database, media folder and queue keys. */
  close(options?: { keep?: boolean }): Promise<void>;
}

// As `openssl rand -hex 32` makes one: the service refuses placeholders and guessable secrets.
export const TEST_JWT_SECRET = '9c4e1f7a2b8d3e6f0a5c7b9d1e3f5a7c9b2d4f6e8a0c1e3b5d7f9a2c4e6b8d0f';

/** The environment a test app (or a spawned process sharing its state) runs with. */
export function testEnvironment(database: string, overrides: Record<string, string> = {}): Record<string, string> {
  const mediaDir = overrides.MEDIA_DIR ?? mkdtempSync(join(tmpdir(), 'dalaba-media-'));
  return {
    DATABASE_URL: databaseUrl(database),
    REDIS_URL,
    JWT_SECRET: TEST_JWT_SECRET,
    ADMIN_USERNAME: ADMIN.username,
    ADMIN_PASSWORD: ADMIN.password,
    QUEUE_PREFIX: uniqueName('t'),
    LOG_LEVEL: 'info',
    // A worker's health server on a free port: tests run side by side, and a spawned worker shares this environment.
    WORKER_HEALTH_PORT: '0',
    ...overrides,
    // Made only when not given: a restart on a kept app's state would otherwise leave an empty one behind.
    MEDIA_DIR: mediaDir,
    // Signing keys of the EBD exchange live with the media, so they go when the app's state does.
    EBD_KEY_DIR: overrides.EBD_KEY_DIR ?? join(mediaDir, '.ebd-keys'),
  };
}

/**
 * The real application over real HTTP, on its own database, media folder and
 * Redis key prefix. Pass `database` (with the same MEDIA_DIR and QUEUE_PREFIX
 * in env) to start again on a kept app's state. With `appRole`, it connects
 * as a restricted role of its own, as production should (not the superuser).
 */
export async function startApp(
  env: Record<string, string> = {},
  options: { database?: string; appRole?: boolean } = {},
): Promise<TestApp> {
  const database = options.database ?? (await createDatabaseFromTemplate());
  const environment = testEnvironment(database, {
    ...(options.appRole ? { DATABASE_URL: await appRoleUrl(database) } : {}),
    ...env,
  });
  const config = loadConfig(environment);
  const logs: Array<Record<string, unknown>> = [];
  const rawLogs: string[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) {
        rawLogs.push(line);
        logs.push(JSON.parse(line));
      }
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
    env: environment,
    database,
    url,
    api: new Api(url),
    logs,
    rawLogs,
    async close({ keep = false } = {}) {
      await app.close();
      if (keep) return;
      await clearQueuePrefix(config.queuePrefix, config.redisUrl);
      await dropDatabase(database);
      await dropAppRole(database);
      rmSync(config.mediaDir, { recursive: true, force: true });
    },
  };
}

export async function clearQueuePrefix(prefix: string, redisUrl = REDIS_URL): Promise<void> {
  // A test may have killed its own Redis: then there is nothing to clear.
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1, retryStrategy: () => null });
  redis.on('error', () => undefined);
  try {
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length) await redis.del(...keys);
  } catch {
    // gone already
  } finally {
    redis.disconnect();
  }
}
