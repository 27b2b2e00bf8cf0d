import { Redis } from 'ioredis';
import { Client } from 'pg';
import { AppConfig, loadConfig } from '../src/infra/config/config';
import { applyMigrations } from '../src/infra/database/migrator';

// What every bench needs: its own database and Redis keys, bounded parallel
// set-up, and leaving nothing behind.

export const BENCH_SERVER_URL = process.env.BENCH_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
export const BENCH_REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** Runs work over items with at most `limit` at once. */
export async function inParallel<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) await work(items[next++]);
    }),
  );
}

/** One statement against the Postgres server (not a bench database): creating and dropping them. */
export async function onServer(sql: string): Promise<void> {
  const client = new Client({ connectionString: BENCH_SERVER_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** The URL of a database of the bench's own on the same server. */
export function benchDatabaseUrl(database: string): string {
  const url = new URL(BENCH_SERVER_URL);
  url.pathname = `/${database}`;
  return url.toString();
}

/** A fresh, migrated database of the bench's own, and the service's configuration for it. */
export async function benchConfig(database: string, queuePrefix: string, env: Record<string, string>): Promise<AppConfig> {
  await onServer(`DROP DATABASE IF EXISTS "${database}"`);
  await applyMigrations(benchDatabaseUrl(database));
  return loadConfig({
    DATABASE_URL: benchDatabaseUrl(database),
    REDIS_URL: BENCH_REDIS_URL,
    JWT_SECRET: 'bench secret that is at least thirty-two characters',
    QUEUE_PREFIX: queuePrefix,
    LOG_LEVEL: 'warn',
    ...env,
  });
}

/** Leaves nothing behind: the bench's database and its Redis keys. */
export async function dropBenchState(database: string, queuePrefix: string): Promise<void> {
  await onServer(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`).catch(() => undefined);
  const redis = new Redis(BENCH_REDIS_URL);
  const keys = await redis.keys(`${queuePrefix}:*`);
  if (keys.length) await redis.del(...keys);
  redis.disconnect();
}

/** A bench's entry point: exit 0 when done (open handles of the app must not keep it alive), 1 with the error. */
export function runBench(main: () => Promise<void>): void {
  main().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
