import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { Client } from 'pg';
import { generateDeviceToken, hashSecret } from '../src/endpoints/domain/secrets';
import { type AppConfig, loadConfig } from '../src/infra/config/config';
import { applyMigrations } from '../src/infra/database/migrator';
import { PROJECT_ROOT } from '../src/infra/project-root';

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
export async function benchConfig(
  database: string,
  queuePrefix: string,
  env: Record<string, string>,
): Promise<AppConfig> {
  await onServer(`DROP DATABASE IF EXISTS "${database}"`);
  await applyMigrations(benchDatabaseUrl(database));
  return loadConfig({
    DATABASE_URL: benchDatabaseUrl(database),
    REDIS_URL: BENCH_REDIS_URL,
    JWT_SECRET: randomBytes(32).toString('hex'),
    QUEUE_PREFIX: queuePrefix,
    LOG_LEVEL: 'warn',
    // Every simulated device connects from 127.0.0.1 (bench:emergency holds 10,000 event streams).
    HTTP_MAX_CONNECTIONS_PER_ADDRESS: '1000000',
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

export interface ApiCall {
  token?: string;
  json?: unknown;
  body?: string | FormData;
  type?: string;
}
export type BenchApi = <T>(method: string, path: string, expected: number, init?: ApiCall) => Promise<T>;

/** Calls the app over HTTP as a client would; any status but the expected one stops the bench with the answer. */
export function benchApi(base: string): BenchApi {
  return async <T>(method: string, path: string, expected: number, init: ApiCall = {}): Promise<T> => {
    const headers: Record<string, string> = {};
    if (init.token) headers.authorization = `Bearer ${init.token}`;
    if (init.json !== undefined) headers['content-type'] = 'application/json';
    if (init.type) headers['content-type'] = init.type;
    const reply = await fetch(`${base}${path}`, {
      method,
      headers,
      body: init.json !== undefined ? JSON.stringify(init.json) : init.body,
    });
    if (reply.status !== expected) throw new Error(`${method} ${path}: ${reply.status} ${await reply.text()}`);
    return (await reply.json()) as T;
  };
}

/** Signs in as the admin and imports Songtao (28 townships, 522 villages), as an installer would; the admin's token. */
export async function adminWithSongtao(api: BenchApi, username: string, password: string): Promise<string> {
  const { accessToken } = await api<{ accessToken: string }>('POST', '/api/v1/auth/login', 200, {
    json: { username, password },
  });
  await api('POST', '/api/v1/regions/import', 200, {
    token: accessToken,
    type: 'text/csv',
    body: readFileSync(join(PROJECT_ROOT, 'tests/fixtures/regions/songtao.csv'), 'utf8'),
  });
  return accessToken;
}

// Media processing normally takes seconds; past this something is broken.
const MEDIA_WAIT_MS = 120_000;

/** Waits for a media item to be processed; its failure stops the bench. */
export async function mediaReady(api: BenchApi, token: string, mediaId: string): Promise<void> {
  const deadline = Date.now() + MEDIA_WAIT_MS;
  for (;;) {
    const media = await api<{ status: string; error: string | null }>('GET', `/api/v1/media/${mediaId}`, 200, {
      token,
    });
    if (media.status === 'ready') return;
    if (media.status === 'failed') throw new Error(`media ${mediaId} failed: ${media.error}`);
    if (Date.now() > deadline) throw new Error(`gave up waiting for media ${mediaId} to be processed`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
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

/**
 * N enrolled devices spread over a county's villages (every village when the
 * county is null), written straight into
 * the database (enrolling thousands through the API is slow and measures
 * nothing); their tokens, and how many villages they are spread over.
 */
export async function devicesInVillages(
  db: Client,
  county: string | null,
  count: number,
): Promise<{ tokens: string[]; villages: number }> {
  const tokens = Array.from({ length: count }, () => generateDeviceToken());
  const { rows: villages } = await db.query<{ code: string }>(
    `SELECT code FROM region WHERE level = 'village' AND ($1::text IS NULL OR county_code = $1) ORDER BY code`,
    [county],
  );
  await db.query(
    `INSERT INTO endpoint (id, region_code, name, serial, token_hash, enrolled_at)
     SELECT gen_random_uuid(), region_code, '测试喇叭 ' || n, 'BENCH-' || n, token_hash, now()
     FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS t(region_code, token_hash, n)`,
    [tokens.map((_, index) => villages[index % villages.length].code), tokens.map(hashSecret)],
  );
  return { tokens, villages: villages.length };
}
