import { readdir, readFile, mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Client } from 'pg';
import { PrismaPg } from '@prisma/adapter-pg';
import type { MigrationDirectory, MigrationList, SchemaEngine } from '@prisma/schema-engine-wasm/schema_engine_bg';
import type * as SchemaEngineWasm from '@prisma/schema-engine-wasm/schema_engine_bg';
import { bindMigrationAwareSqlAdapterFactory } from '@prisma/driver-adapter-utils';
import { PROJECT_ROOT } from '../project-root';
import { grantAppRole } from './app-role';

// Migrations run through Prisma's WebAssembly schema engine, because the
// native one is downloaded from a server these machines cannot reach. It
// records applied migrations in `_prisma_migrations`, exactly as
// `prisma migrate deploy` does, so both tools can serve the same database.

const PRISMA_DIR = join(PROJECT_ROOT, 'prisma');
const SCHEMA_PATH = join(PRISMA_DIR, 'schema.prisma');
const MIGRATIONS_DIR = join(PRISMA_DIR, 'migrations');
const NO_FILTERS = { externalTables: [], externalEnums: [] };

type EngineModule = typeof SchemaEngineWasm;

// @types/node 20 does not declare the WebAssembly global; this is the one call we make.
declare const WebAssembly: {
  instantiate(bytes: Uint8Array, imports: object): Promise<{ instance: { exports: unknown } }>;
};

let engineModule: Promise<EngineModule> | undefined;

function loadEngineModule() {
  engineModule ??= (async () => {
    const bg = await import('@prisma/schema-engine-wasm/schema_engine_bg');
    const wasmPath = join(dirname(require.resolve('@prisma/schema-engine-wasm')), 'schema_engine_bg.wasm');
    const { instance } = await WebAssembly.instantiate(await readFile(wasmPath), { './schema_engine_bg.js': bg });
    const exports = instance.exports as Record<string, unknown> & { __wbindgen_start(): void };
    bg.__wbg_set_wasm(exports);
    exports.__wbindgen_start();
    return bg;
  })();
  return engineModule;
}

const PG_INTERNAL_CHAR = 18;
const PG_TEXT = 25;

/**
 * The schema engine reads Postgres' catalogs, whose flag columns have the
 * internal one-byte type "char"; the driver adapter refuses that type. Its
 * values arrive as text anyway, so say they are text.
 */
class CatalogClient extends Client {
  override query(...args: unknown[]): never {
    const relabel = <R extends { fields?: { dataTypeID: number }[] }>(res: R): R => {
      for (const field of res?.fields ?? []) if (field.dataTypeID === PG_INTERNAL_CHAR) field.dataTypeID = PG_TEXT;
      return res;
    };
    const last = args.length - 1;
    const callback = args[last];
    if (typeof callback === 'function') {
      const reply = callback as (error: unknown, res: unknown) => unknown;
      args[last] = (error: unknown, res: { fields?: { dataTypeID: number }[] }) => reply(error, res && relabel(res));
    }
    const result = (super.query as (...a: unknown[]) => unknown)(...args);
    return (result instanceof Promise ? result.then(relabel) : result) as never;
  }
}

type PgAdapter = Awaited<ReturnType<PrismaPg['connect']>>;

/**
 * The pg adapter runs a migration script by splitting it at every `;`, which
 * breaks a function body (the ledger's append-only trigger). A script is sent
 * whole instead: Postgres' simple query protocol takes several statements,
 * and runs them as one transaction.
 */
class WholeScriptPg extends PrismaPg {
  override async connect() {
    return wholeScripts(await super.connect());
  }
  override async connectToShadowDb() {
    return wholeScripts(await super.connectToShadowDb());
  }
}

function wholeScripts(adapter: PgAdapter): PgAdapter {
  // The adapter's pool and error mapping are protected: reached by name, with their declared types.
  adapter.executeScript = async (script) => {
    try {
      await adapter['client'].query(script);
    } catch (error) {
      adapter['onError'](error);
    }
  };
  return adapter;
}

async function withEngine<T>(databaseUrl: string, work: (engine: SchemaEngine) => Promise<T>): Promise<T> {
  const { SchemaEngine } = await loadEngineModule();
  const schema = await readFile(SCHEMA_PATH, 'utf8');
  const adapter = bindMigrationAwareSqlAdapterFactory(
    new WholeScriptPg({ connectionString: databaseUrl, Client: CatalogClient }),
  );
  const engine = await SchemaEngine.new({ datamodels: [[SCHEMA_PATH, schema]] }, () => undefined, adapter);
  try {
    return await work(engine);
  } finally {
    engine.free();
  }
}

async function migrationsList(): Promise<MigrationList> {
  const names = (await readdir(MIGRATIONS_DIR, { withFileTypes: true }).catch(() => []))
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
  const migrationDirectories = await Promise.all(
    names.map(async (name): Promise<MigrationDirectory> => ({
      path: name,
      migrationFile: {
        path: 'migration.sql',
        content: { tag: 'ok', value: await readFile(join(MIGRATIONS_DIR, name, 'migration.sql'), 'utf8') },
      },
    })),
  );
  const lockPath = join(MIGRATIONS_DIR, 'migration_lock.toml');
  return {
    baseDir: MIGRATIONS_DIR,
    lockfile: { path: 'migration_lock.toml', content: await readFile(lockPath, 'utf8').catch(() => null) },
    shadowDbInitScript: '',
    migrationDirectories,
  };
}

async function withServer<T>(databaseUrl: string, work: (client: Client) => Promise<T>): Promise<T> {
  const url = new URL(databaseUrl);
  url.pathname = '/postgres';
  const client = new Client({ connectionString: url.toString() });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

const quoteIdent = (name: string) => `"${name.replaceAll('"', '""')}"`;

/** Creates the database named in the URL when it does not exist yet. */
export async function ensureDatabase(databaseUrl: string): Promise<void> {
  const name = decodeURIComponent(new URL(databaseUrl).pathname.slice(1));
  await withServer(databaseUrl, async (client) => {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (found.rowCount) return;
    await client.query(`CREATE DATABASE ${quoteIdent(name)}`).catch((error: { code?: string }) => {
      // Another process may have created it between our check and our CREATE.
      if (error.code !== '42P04') throw error;
    });
  });
}

/**
 * Runs work against a new empty database on the same server, dropped after.
 * The engine replays the migrations there (Prisma's "shadow database") to
 * learn what they build, without touching the real database.
 */
async function withShadowDatabase<T>(databaseUrl: string, work: (shadowUrl: string) => Promise<T>): Promise<T> {
  const shadow = `dalaba_shadow_${process.pid}_${Date.now()}`;
  const shadowUrl = new URL(databaseUrl);
  shadowUrl.pathname = `/${shadow}`;
  await withServer(databaseUrl, (client) => client.query(`CREATE DATABASE ${quoteIdent(shadow)}`));
  try {
    return await work(shadowUrl.toString());
  } finally {
    await withServer(databaseUrl, (client) =>
      client.query(`DROP DATABASE IF EXISTS ${quoteIdent(shadow)} WITH (FORCE)`),
    );
  }
}

/** Applies every migration not yet recorded; returns the names applied. */
export async function applyMigrations(databaseUrl: string): Promise<string[]> {
  await ensureDatabase(databaseUrl);
  const list = await migrationsList();
  if (await allApplied(databaseUrl, list.migrationDirectories)) return [];
  return withEngine(databaseUrl, async (engine) => {
    const { appliedMigrationNames } = await engine.applyMigrations({ migrationsList: list, filters: NO_FILTERS });
    return appliedMigrationNames;
  });
}

/**
 * Every migration is recorded as finished: then the engine is not needed, nor
 * its advisory lock, on which several processes starting at once would queue
 * (and time out, at 10 s, on a busy machine).
 */
async function allApplied(databaseUrl: string, migrations: MigrationDirectory[]): Promise<boolean> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ migration_name: string }>(
      'SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL',
    );
    const applied = new Set(rows.map((row) => row.migration_name));
    return migrations.every((migration) => applied.has(migration.path));
  } catch (error) {
    // A new database has no _prisma_migrations yet (the engine makes it); a role that may not read it is the engine's to report.
    if (['42P01', '42501'].includes((error as { code?: string }).code ?? '')) return false;
    throw error;
  } finally {
    await client.end();
  }
}

/**
 * Migrates as the owner and grants the application's role its rights; with
 * no migration URL the application's own URL migrates (one role for both,
 * as the quick start has it).
 */
export async function migrateFor(urls: { databaseUrl: string; migrationDatabaseUrl?: string }): Promise<string[]> {
  const applied = await applyMigrations(urls.migrationDatabaseUrl ?? urls.databaseUrl);
  if (urls.migrationDatabaseUrl) await grantAppRole(urls.migrationDatabaseUrl, urls.databaseUrl);
  return applied;
}

/** The SQL that would bring the migrations up to the schema; empty when they match. */
export async function pendingSchemaChanges(databaseUrl: string): Promise<string> {
  const list = await migrationsList();
  return withShadowDatabase(databaseUrl, (shadowUrl) =>
    withEngine(shadowUrl, async (engine) => {
      const schema = await readFile(SCHEMA_PATH, 'utf8');
      const result = await engine.diff({
        from: list.migrationDirectories.length ? { tag: 'migrations', ...list } : { tag: 'empty' },
        to: { tag: 'schemaDatamodel', files: [{ path: SCHEMA_PATH, content: schema }] },
        script: true,
        exitCode: null,
        filters: NO_FILTERS,
      });
      const sql = result.stdout ?? '';
      return /^\s*(-- This is an empty migration\.)?\s*$/.test(sql) ? '' : sql;
    }),
  );
}

/** Writes prisma/migrations/<timestamp>_<name>/migration.sql from the schema; null when nothing changed. */
export async function createMigration(databaseUrl: string, name: string): Promise<string | null> {
  const sql = await pendingSchemaChanges(databaseUrl);
  if (!sql) return null;
  const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14);
  const folder = join(MIGRATIONS_DIR, `${stamp}_${name}`);
  await mkdir(folder, { recursive: true });
  await writeFile(join(folder, 'migration.sql'), sql);
  const lockPath = join(MIGRATIONS_DIR, 'migration_lock.toml');
  const lock = await readFile(lockPath, 'utf8').catch(() => null);
  if (lock === null) {
    await writeFile(
      lockPath,
      '# Please do not edit this file manually\n# It should be added in your version-control system (e.g., Git)\nprovider = "postgresql"\n',
    );
  }
  return folder;
}
