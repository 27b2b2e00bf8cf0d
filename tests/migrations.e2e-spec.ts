import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { createDatabaseFromTemplate, databaseUrl, dropDatabase, sql } from './helpers/databases';
import { spawnProcess } from './helpers/processes';

const DB_CLI = join(__dirname, '../dist/cli/db.js');
const MIGRATIONS_DIR = join(__dirname, '../prisma/migrations');

// `npm run db:migration -- <name>` diffs the migrations (replayed in a
// throwaway shadow database) against the schema: run on the tree as
// committed, it must find nothing to write. That also proves every migration
// replays cleanly, the ledger's trigger functions included.
describe('the migrations', () => {
  let database: string;
  beforeAll(async () => {
    database = await createDatabaseFromTemplate();
  });
  afterAll(() => dropDatabase(database));

  it('match the schema: db:migration finds nothing to create and writes no folder', async () => {
    const before = readdirSync(MIGRATIONS_DIR);
    const run = spawnProcess(process.execPath, [DB_CLI, 'migration', 'nothing_to_do'], {
      ...process.env,
      DATABASE_URL: databaseUrl(database),
    });
    expect(await run.exited).toBe(0);
    expect(run.output()).toContain('schema and migrations already match; nothing to create');
    expect(readdirSync(MIGRATIONS_DIR)).toEqual(before);
  }, 60_000);

  it('refuse a bad migration name, with the usage', async () => {
    const run = spawnProcess(process.execPath, [DB_CLI, 'migration', 'Bad Name'], {
      ...process.env,
      DATABASE_URL: databaseUrl(database),
    });
    expect(await run.exited).toBe(1);
    expect(run.output()).toContain('usage: npm run db:migration -- <name in snake_case>');
  });

  it('leave the ledger append-only and balances non-negative in the database itself', async () => {
    const triggers = await sql<{ tgname: string }>(
      database,
      `SELECT tgname FROM pg_trigger WHERE tgrelid IN ('ledger_entry'::regclass, 'points_balance'::regclass) AND NOT tgisinternal ORDER BY tgname`,
    );
    expect(triggers.map((row) => row.tgname)).toEqual([
      'ledger_entry_no_truncate',
      'ledger_entry_no_update_or_delete',
      'points_balance_not_negative',
    ]);
    await expect(
      sql(
        database,
        `INSERT INTO points_balance (holder_type, holder_id, region_code, county_code, points, updated_at) VALUES ('volunteer', gen_random_uuid(), '520628001001', '520628000000', -1, now())`,
      ),
    ).rejects.toThrow(/below zero/);
  });
});
