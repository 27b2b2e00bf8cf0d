// First: sizes the thread pool before anything uses it.
import './threadpool';
import 'reflect-metadata';
import { existsSync } from 'node:fs';
import { createHttpApp, createWorkerContext } from './app';
import { ConfigError, loadConfig } from './infra/config/config';
import { migrateFor } from './infra/database/migrator';
import { startIcecast } from './infra/icecast/icecast-server';
import { createRootLogger } from './infra/logging/logger';
import { ensureReachable, UnreachableError } from './infra/startup/reachability';

/**
 * `npm start` passes `--env-file .env`: that file is read if present, and the
 * real environment wins. Started any other way (tests, Docker, a service
 * manager) the process reads only its environment, never a stray file in its
 * working directory.
 */
function loadEnvFileArgument(argv: string[]): void {
  const flag = argv.indexOf('--env-file');
  if (flag === -1) return;
  const path = argv[flag + 1];
  if (!path) throw new ConfigError('Invalid arguments: --env-file needs a path');
  if (existsSync(path)) process.loadEnvFile(path);
}

async function main(): Promise<void> {
  loadEnvFileArgument(process.argv.slice(2));
  const config = loadConfig(process.env);
  const logger = createRootLogger(config.logLevel);
  await ensureReachable(config);

  if (!config.migrationDatabaseUrl && config.production) {
    logger.warn(
      'MIGRATION_DATABASE_URL is not set: the application connects as the owner of its tables, which can switch the ledger\'s append-only triggers off; see "Running it so the chain can be trusted" in the README',
    );
  }
  const applied = await migrateFor(config);
  logger.info({ applied }, applied.length ? `applied ${applied.length} migration(s)` : 'database schema is up to date');

  if (config.role === 'worker') {
    await createWorkerContext(config, logger);
    logger.info('worker started');
    return;
  }
  if (config.icecast?.start) {
    // The Icecast this process started goes with it.
    const icecast = await startIcecast(config.icecast);
    process.once('exit', () => icecast.child.kill('SIGTERM'));
    logger.info(`Icecast started at ${config.icecast.url}`);
  }
  const app = await createHttpApp(config, logger);
  await app.listen({ port: config.http.port, host: config.http.host });
  const docs = config.http.docsPublic ? 'API docs at /docs' : 'API docs off (DOCS_PUBLIC)';
  logger.info(`Dalaba (${config.role}) listening on ${config.http.host}:${config.http.port}; ${docs}`);
}

main().catch((error: unknown) => {
  // A bad configuration or an unreachable server is one line naming the variable; anything else keeps its stack for the operator.
  console.error(error instanceof ConfigError || error instanceof UnreachableError ? error.message : error);
  process.exit(1);
});
