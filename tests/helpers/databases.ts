import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { grantAppRole } from '../../src/infra/database/app-role';

// Each test file gets its own database, cloned from a template that
// global-setup migrated once: fast, isolated, and dropped afterwards.

export const SERVER_URL = process.env.TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
export const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
export const TEMPLATE_ENV = 'DALABA_TEST_TEMPLATE_DB';
/** Names one test run (set by global-setup): every database and key prefix it makes carries it, so its teardown finds what the run left behind. */
export const RUN_ENV = 'DALABA_TEST_RUN';

export function databaseUrl(name: string): string {
  const url = new URL(SERVER_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

export async function onServer<T>(work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: SERVER_URL });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

export function uniqueName(prefix: string): string {
  return `${prefix}_${process.env[RUN_ENV] ?? 'norun'}_${randomBytes(5).toString('hex')}`;
}

export async function createDatabaseFromTemplate(): Promise<string> {
  const template = process.env[TEMPLATE_ENV];
  if (!template)
    throw new Error(`${TEMPLATE_ENV} is not set: run the e2e tests through jest (global-setup makes the template)`);
  const name = uniqueName('dalaba_t');
  await onServer((client) => client.query(`CREATE DATABASE "${name}" TEMPLATE "${template}"`));
  return name;
}

export async function dropDatabase(name: string): Promise<void> {
  await onServer((client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
}

/** A query against one test database as the superuser, behind the application's back. */
export function sql<T = Record<string, unknown>>(database: string, text: string, values: unknown[] = []): Promise<T[]> {
  return sqlAs<T>(databaseUrl(database), text, values);
}

/**
 * The URL of a restricted application role for one test database, created
 * and granted as production does it (roles are server-wide: named after the
 * database, and dropped with it by dropAppRole).
 */
export async function appRoleUrl(database: string): Promise<string> {
  const url = new URL(databaseUrl(database));
  url.username = `${database}_app`;
  url.password = 'app-role-password';
  await grantAppRole(databaseUrl(database), url.toString());
  return url.toString();
}

/** Drops a test database's application role, once its database is gone. */
export async function dropAppRole(database: string): Promise<void> {
  await onServer((client) => client.query(`DROP ROLE IF EXISTS "${database}_app"`));
}

/** A query against one test database through the given URL (a role other than the superuser). */
export async function sqlAs<T = Record<string, unknown>>(
  url: string,
  text: string,
  values: unknown[] = [],
): Promise<T[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(text, values)).rows as T[];
  } finally {
    await client.end();
  }
}
