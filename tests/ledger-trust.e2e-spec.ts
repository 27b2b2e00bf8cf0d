import { databaseUrl, dropAppRole, dropDatabase, sql, sqlAs, uniqueName } from './helpers/databases';
import { REDIS_URL, startApp, TEST_JWT_SECRET, TestApp } from './helpers/app';
import { freePort, MAIN, spawnProcess, waitFor } from './helpers/processes';

/**
 * The ledger holds against whoever has the application's connection string:
 * the application connects as a role that may only insert into and read the
 * ledger, and the tables' owner migrates.
 */
describe('the ledger under the application role', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startApp({}, { appRole: true });
  }, 60_000);
  afterAll(() => t.close());

  it('cannot switch the triggers off, replicate around them, or change, delete or empty the ledger', async () => {
    const asApp = (statement: string) => sqlAs(t.config.databaseUrl, statement);
    await expect(asApp('SELECT current_user AS role')).resolves.toEqual([{ role: `${t.database}_app` }]);
    await expect(asApp('ALTER TABLE ledger_entry DISABLE TRIGGER ledger_entry_no_update_or_delete')).rejects.toThrow(/must be owner of table ledger_entry/);
    await expect(asApp('ALTER TABLE ledger_entry DISABLE TRIGGER ALL')).rejects.toThrow(/must be owner of table ledger_entry/);
    await expect(asApp('DROP TRIGGER ledger_entry_no_truncate ON ledger_entry')).rejects.toThrow(/must be owner of (table|relation) ledger_entry/);
    await expect(asApp('SET session_replication_role = replica')).rejects.toThrow(/permission denied to set parameter "session_replication_role"/);
    for (const statement of [`UPDATE ledger_entry SET payload = '{}'`, 'DELETE FROM ledger_entry', 'TRUNCATE ledger_entry']) {
      await expect(asApp(statement)).rejects.toThrow(/permission denied for table ledger_entry/);
    }
    // Nor rewrite the migration history the owner keeps.
    await expect(asApp('SELECT * FROM _prisma_migrations')).rejects.toThrow(/permission denied for table _prisma_migrations/);
    await expect(asApp('SELECT count(*) FROM ledger_entry')).resolves.toEqual([{ count: '0' }]);
  });

  it('gets ordinary rights on a table a later migration creates', async () => {
    await sql(t.database, 'CREATE TABLE later_feature (id int)');
    await sqlAs(t.config.databaseUrl, 'INSERT INTO later_feature VALUES (1)');
    await expect(sqlAs(t.config.databaseUrl, 'UPDATE later_feature SET id = 2 RETURNING id')).resolves.toEqual([{ id: 2 }]);
  });
});

describe('starting with a migration role and an application role', () => {
  const database = uniqueName('dalaba_roles');
  const appUrl = new URL(databaseUrl(database));
  appUrl.username = `${database}_app`;
  appUrl.password = 'app-password';
  const environment = (overrides: Record<string, string>) => ({
    PATH: process.env.PATH,
    REDIS_URL,
    JWT_SECRET: TEST_JWT_SECRET,
    ADMIN_PASSWORD: 'admin-password-for-tests',
    QUEUE_PREFIX: uniqueName('t'),
    MEDIA_DIR: `/tmp/${database}-media`,
    ...overrides,
  });

  afterAll(async () => {
    await dropDatabase(database);
    await dropAppRole(database);
  });

  it('migrates as the owner, creates the application role and serves as it', async () => {
    const port = await freePort();
    const app = spawnProcess(process.execPath, [MAIN], environment({ PORT: String(port), MIGRATION_DATABASE_URL: databaseUrl(database), DATABASE_URL: appUrl.toString() }));
    try {
      await waitFor('the app to serve', async () => ((await fetch(`http://127.0.0.1:${port}/health`)).ok ? true : undefined), 60_000);
    } finally {
      await app.stop();
    }
    const [rights] = await sql(
      database,
      `SELECT has_table_privilege($1, 'ledger_entry', 'INSERT') AS insert, has_table_privilege($1, 'ledger_entry', 'UPDATE') AS update,
              has_table_privilege($1, 'app_user', 'UPDATE') AS users_update, r.rolsuper AS superuser
         FROM pg_roles r WHERE r.rolname = $1`,
      [appUrl.username],
    );
    expect(rights).toEqual({ insert: true, update: false, users_update: true, superuser: false });
    // The admin was created through the application role.
    expect(await sql(database, 'SELECT username FROM app_user')).toEqual([{ username: 'admin' }]);
  }, 90_000);

  it('refuses to start when the application would connect as the owner itself', async () => {
    const app = spawnProcess(process.execPath, [MAIN], environment({ MIGRATION_DATABASE_URL: databaseUrl(database), DATABASE_URL: databaseUrl(database) }));
    expect(await app.exited).toBe(1);
    expect(app.output()).toMatch(/DATABASE_URL and MIGRATION_DATABASE_URL both log in as postgres/);
  }, 60_000);
});
