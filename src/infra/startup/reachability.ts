import { Client } from 'pg';
import type { AppConfig } from '../config/config';
import { createRedis, describeRedis } from '../redis/redis-url';

/** A server the configuration points at does not answer; the message is the one line a person needs. */
export class UnreachableError extends Error {}

const CONNECT_TIMEOUT_MS = 5_000;
// The database itself may not exist yet: the migrator creates it.
const PG_UNKNOWN_DATABASE = '3D000';

/** Before anything else connects: can Postgres and Redis be reached at all? Else one line naming the variable and the address. */
export async function ensureReachable(config: AppConfig): Promise<void> {
  // The owner connects first, to migrate; it creates DATABASE_URL's role, which may not exist yet.
  if (config.migrationDatabaseUrl) await reachPostgres(config.migrationDatabaseUrl, 'MIGRATION_DATABASE_URL');
  else await reachPostgres(config.databaseUrl, 'DATABASE_URL');
  await reachRedis(config.redisUrl);
}

async function reachPostgres(url: string, variable: string): Promise<void> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: CONNECT_TIMEOUT_MS });
  client.on('error', () => undefined);
  try {
    await client.connect();
  } catch (error) {
    if ((error as { code?: string }).code === PG_UNKNOWN_DATABASE) return;
    throw unreachable('PostgreSQL', url, variable, error);
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function reachRedis(url: string): Promise<void> {
  const redis = createRedis(url, {
    lazyConnect: true,
    retryStrategy: () => null,
    sentinelRetryStrategy: () => null,
    maxRetriesPerRequest: 0,
    connectTimeout: CONNECT_TIMEOUT_MS,
  });
  // connect() rejects with "Connection is closed."; the socket's own error says why.
  let cause: unknown;
  redis.on('error', (error) => (cause ??= error));
  try {
    await redis.connect();
    await redis.ping();
  } catch (error) {
    throw new UnreachableError(`Cannot reach ${describeRedis(url)}: ${connectionFailure(cause ?? error)}`);
  } finally {
    redis.disconnect();
  }
}

/** "Redis at 127.0.0.1:6379 (REDIS_URL)": where, and which setting says so; never the password. */
export function describeServer(what: string, url: string, variable: string): string {
  const { hostname, port } = new URL(url);
  return `${what} at ${hostname}:${port || (what === 'Redis' ? '6379' : '5432')} (${variable})`;
}

export function connectionFailure(error: unknown): string {
  const { code, message } = error as { code?: string; message?: string };
  if (code === 'ECONNREFUSED') return 'connection refused';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'host not found';
  if (code === 'ETIMEDOUT' || /timeout/i.test(message ?? '')) return 'timed out';
  return message ?? String(error);
}

function unreachable(what: string, url: string, variable: string, error: unknown): UnreachableError {
  return new UnreachableError(`Cannot reach ${describeServer(what, url, variable)}: ${connectionFailure(error)}`);
}
