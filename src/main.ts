// First: sizes the thread pool before anything uses it.
import './threadpool';
import 'reflect-metadata';
import { existsSync } from 'node:fs';
import { createHttpApp, createWorkerContext } from './app';
import { ConfigError, loadConfig } from './infra/config/config';
import { migrateFor } from './infra/database/migrator';
import { createRootLogger } from './infra/logging/logger';

async function main(): Promise<void> {
  // A .env file beside package.json is read if present; the real environment wins.
  if (existsSync('.env')) process.loadEnvFile('.env');
  const config = loadConfig(process.env);
  const logger = createRootLogger(config.logLevel);

  if (!config.migrationDatabaseUrl && config.production) {
    logger.warn('MIGRATION_DATABASE_URL is not set: the application connects as the owner of its tables, which can switch the ledger\'s append-only triggers off; see "Running it so the chain can be trusted" in the README');
  }
  const applied = await migrateFor(config);
  logger.info({ applied }, applied.length ? `applied ${applied.length} migration(s)` : 'database schema is up to date');

  if (config.role === 'worker') {
    await createWorkerContext(config, logger);
    logger.info('worker started');
    return;
  }
  const app = await createHttpApp(config, logger);
  await app.listen({ port: config.http.port, host: config.http.host });
  const docs = config.http.docsPublic ? 'API docs at /docs' : 'API docs off (DOCS_PUBLIC)';
  logger.info(`Dalaba (${config.role}) listening on ${config.http.host}:${config.http.port}; ${docs}`);
}

main().catch((error: unknown) => {
  // A bad configuration is one line naming the variable; anything else keeps its stack for the operator.
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
