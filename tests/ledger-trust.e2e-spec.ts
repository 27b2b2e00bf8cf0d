import { createPublicKey, randomBytes, verify } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { canonicalJson, type ChainedEntry, entryHash } from '../src/ledger/domain/hash-chain';
import { LedgerJobs } from '../src/ledger/ledger.jobs';
import { countyDate } from '../src/kernel/county-time';
import { grantAppRole } from '../src/infra/database/app-role';
import { databaseUrl, dropAppRole, dropDatabase, onServer, sql, sqlAs, uniqueName } from './helpers/databases';
import { clearQueuePrefix, REDIS_URL, startApp, TEST_JWT_SECRET, type TestApp } from './helpers/app';
import { adminToken, DAXING, DAXING_VILLAGE, importSongtao, login, SONGTAO } from './helpers/factories';
import { freePort, MAIN, spawnProcess, waitFor } from './helpers/processes';

const TODAY = countyDate(new Date());

/**
 * The ledger holds against whoever has the application's connection string:
 * the application connects as a role that may only insert into and read the
 * ledger, and the tables' owner migrates.
 */
describe('the ledger under the application role', () => {
  let t: TestApp;
  const anchorsDir = mkdtempSync(join(tmpdir(), 'dalaba-anchors-'));

  beforeAll(async () => {
    t = await startApp(
      { LEDGER_ANCHOR_KEY_FILE: join(anchorsDir, 'key.pem'), LEDGER_ANCHOR_DIR: join(anchorsDir, 'daily') },
      { appRole: true },
    );
  }, 60_000);
  afterAll(async () => {
    await t.close();
    rmSync(anchorsDir, { recursive: true, force: true });
  });

  it('cannot switch the triggers off, replicate around them, or change, delete or empty the ledger', async () => {
    const asApp = (statement: string) => sqlAs(t.config.databaseUrl, statement);
    await expect(asApp('SELECT current_user AS role')).resolves.toEqual([{ role: `${t.database}_app` }]);
    await expect(asApp('ALTER TABLE ledger_entry DISABLE TRIGGER ledger_entry_no_update_or_delete')).rejects.toThrow(
      /must be owner of table ledger_entry/,
    );
    await expect(asApp('ALTER TABLE ledger_entry DISABLE TRIGGER ALL')).rejects.toThrow(
      /must be owner of table ledger_entry/,
    );
    await expect(asApp('DROP TRIGGER ledger_entry_no_truncate ON ledger_entry')).rejects.toThrow(
      /must be owner of (table|relation) ledger_entry/,
    );
    await expect(asApp('SET session_replication_role = replica')).rejects.toThrow(
      /permission denied to set parameter "session_replication_role"/,
    );
    for (const statement of [
      `UPDATE ledger_entry SET payload = '{}'`,
      'DELETE FROM ledger_entry',
      'TRUNCATE ledger_entry',
    ]) {
      await expect(asApp(statement)).rejects.toThrow(/permission denied for table ledger_entry/);
    }
    // Nor rewrite the migration history the owner keeps.
    await expect(asApp('SELECT * FROM _prisma_migrations')).rejects.toThrow(
      /permission denied for table _prisma_migrations/,
    );
    await expect(asApp('SELECT count(*) FROM ledger_entry')).resolves.toEqual([{ count: '0' }]);
  });

  it('signs the head of each day, and an anchor kept outside shows a rewrite that verify accepts', async () => {
    // Some entries: an operator records a session given this morning.
    const admin = await adminToken(t);
    await importSongtao(t, admin);
    const person = async (username: string, role: string, scopeCode: string) => {
      const created = await t.api.post(
        '/api/v1/users',
        { username, password: `${username}-password`, role, scopeCode, displayName: username },
        { token: admin },
      );
      return { id: created.body.id as string, token: await login(t, username, `${username}-password`) };
    };
    const county = await person('county', 'operator', SONGTAO);
    const lecturer = await person('wang', 'lecturer', DAXING);
    const topic = await t.api.post(
      '/api/v1/topics',
      { countyCode: SONGTAO, title: '移风易俗', category: 'other' },
      { token: county.token },
    );
    const startsAt = new Date(Date.now() - 30 * 60_000).toISOString();
    const session = await t.api.post(
      '/api/v1/lecture-sessions',
      {
        topicId: topic.body.id,
        mode: 'onsite',
        regionCode: DAXING_VILLAGE,
        startsAt,
        plannedMinutes: 30,
        lecturerIds: [lecturer.id],
      },
      { token: county.token },
    );
    expect(
      (
        await t.api.post(
          `/api/v1/lecture-sessions/${session.body.id}/complete`,
          { attendance: 40, actualMinutes: 30, signIns: ['张三'] },
          { token: county.token },
        )
      ).status,
    ).toBe(200);
    const head = (await t.api.get('/api/v1/ledger/verify', { token: county.token })).body;
    expect(head).toMatchObject({ ok: true, count: 4 });

    // Anyone holding the public key checks an anchor without the service.
    const key = (await t.api.get('/api/v1/ledger/anchors/key', { token: county.token })).body;
    const anchor = (await t.api.get(`/api/v1/ledger/anchors/${TODAY}`, { token: county.token })).body;
    expect(anchor).toEqual({
      date: TODAY,
      timeZone: 'Asia/Shanghai',
      seq: '4',
      hash: head.head.hash,
      final: false,
      algorithm: 'Ed25519',
      keyId: key.keyId,
      signature: expect.any(String),
    });
    const signed = Buffer.from(
      canonicalJson({
        anchor: 'dalaba-ledger',
        date: anchor.date,
        timeZone: anchor.timeZone,
        seq: anchor.seq,
        hash: anchor.hash,
        final: anchor.final,
      }),
    );
    expect(verify(null, signed, createPublicKey(key.publicKey), Buffer.from(anchor.signature, 'base64'))).toBe(true);
    expect((await t.api.get('/api/v1/ledger/anchors/2026-02-30', { token: county.token })).status).toBe(400);
    expect((await t.api.get('/api/v1/ledger/anchors/2999-01-01', { token: county.token })).status).toBe(400);
    expect((await t.api.get('/api/v1/ledger/anchors/2020-01-01', { token: county.token })).body).toMatchObject({
      seq: '0',
      hash: '0'.repeat(64),
      final: true,
    });

    // The day after, the nightly job writes the day's anchor to the folder, once.
    await t.app.get(LedgerJobs).scheduleAnchorExport(new Date(Date.now() + 24 * 3600_000));
    const saved = await waitFor('the anchor file', async () =>
      JSON.parse(readFileSync(join(anchorsDir, 'daily', `${TODAY}.json`), 'utf8')),
    );
    expect(saved).toEqual(anchor);

    const check = (body: unknown) => t.api.post('/api/v1/ledger/anchors/verify', body, { token: county.token });
    expect((await check(saved)).body).toEqual({ ok: true, date: TODAY, seq: '4', hash: head.head.hash });
    expect((await check({ ...saved, seq: '3' })).body).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/altered after it was signed/),
    });
    expect((await check({ ...saved, signature: 'nope' })).status).toBe(400);

    // The database's owner edits the session's attendance with the triggers off and recomputes every hash after it.
    await sql(
      t.database,
      `DO $$ BEGIN SET LOCAL session_replication_role = replica; UPDATE ledger_entry SET payload = jsonb_set(payload, '{attendance}', '400') WHERE seq = 1; END $$`,
    );
    const rows = await sql<any>(t.database, 'SELECT * FROM ledger_entry ORDER BY seq');
    let prevHash = '0'.repeat(64);
    const updates = rows.map((row) => {
      const entry: ChainedEntry = {
        seq: String(row.seq),
        prevHash,
        kind: row.kind,
        actorId: row.actor_id,
        regionCode: row.region_code,
        countyCode: row.county_code,
        townshipCode: row.township_code,
        occurredAt: row.occurred_at.toISOString(),
        recordedAt: row.recorded_at.toISOString(),
        subject: row.subject,
        corrects: row.corrects === null ? null : String(row.corrects),
        payload: row.payload,
        dedupeKey: row.dedupe_key,
      };
      const update = `UPDATE ledger_entry SET prev_hash = '${prevHash}', hash = '${entryHash(entry)}' WHERE seq = ${row.seq};`;
      prevHash = entryHash(entry);
      return update;
    });
    await sql(t.database, `BEGIN; SET LOCAL session_replication_role = replica; ${updates.join(' ')} COMMIT;`);
    expect((await t.api.get('/api/v1/ledger/verify', { token: county.token })).body).toMatchObject({
      ok: true,
      count: 4,
    });
    expect((await check(saved)).body).toEqual({
      ok: false,
      date: TODAY,
      seq: '4',
      reason: expect.stringMatching(
        /^entry 4 now has hash [0-9a-f]{64}, but on .* it had .*: the chain was rewritten$/,
      ),
    });
  });

  it('gets ordinary rights on a table a later migration creates', async () => {
    await sql(t.database, 'CREATE TABLE later_feature (id int)');
    await sqlAs(t.config.databaseUrl, 'INSERT INTO later_feature VALUES (1)');
    await expect(sqlAs(t.config.databaseUrl, 'UPDATE later_feature SET id = 2 RETURNING id')).resolves.toEqual([
      { id: 2 },
    ]);
  });
});

describe('starting with a migration role and an application role', () => {
  const database = uniqueName('dalaba_roles');
  const appUrl = new URL(databaseUrl(database));
  appUrl.username = `${database}_app`;
  appUrl.password = 'app-password';
  const mediaDir = mkdtempSync(join(tmpdir(), 'dalaba-media-'));
  const queuePrefix = uniqueName('t');
  const environment = (overrides: Record<string, string>) => ({
    PATH: process.env.PATH,
    REDIS_URL,
    JWT_SECRET: TEST_JWT_SECRET,
    ADMIN_PASSWORD: 'admin-password-for-tests',
    QUEUE_PREFIX: queuePrefix,
    MEDIA_DIR: mediaDir,
    ...overrides,
  });

  afterAll(async () => {
    await dropDatabase(database);
    await dropAppRole(database);
    rmSync(mediaDir, { recursive: true, force: true });
    await clearQueuePrefix(queuePrefix);
  });

  it('migrates as the owner, creates the application role and serves as it', async () => {
    const port = await freePort();
    const app = spawnProcess(
      process.execPath,
      [MAIN],
      environment({
        PORT: String(port),
        MIGRATION_DATABASE_URL: databaseUrl(database),
        DATABASE_URL: appUrl.toString(),
      }),
    );
    try {
      await waitFor(
        'the app to serve',
        async () => ((await fetch(`http://127.0.0.1:${port}/health`)).ok ? true : undefined),
        60_000,
      );
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

  it('refuses an application role that is a superuser or may create roles', async () => {
    const risky = new URL(appUrl);
    risky.username = `${database}_risky`;
    try {
      for (const [grant, refusal] of [
        ['SUPERUSER', /is a superuser/],
        ['CREATEROLE', /is allowed to create roles/],
      ] as const) {
        await onServer((client) =>
          client.query(`DROP ROLE IF EXISTS "${risky.username}"; CREATE ROLE "${risky.username}" LOGIN ${grant}`),
        );
        await expect(grantAppRole(databaseUrl(database), risky.toString())).rejects.toThrow(refusal);
      }
    } finally {
      await onServer((client) => client.query(`DROP ROLE IF EXISTS "${risky.username}"`));
    }
  });

  it('keeps one URL working for a quick start, with a warning in production', async () => {
    const port = await freePort();
    const app = spawnProcess(
      process.execPath,
      [MAIN],
      environment({
        PORT: String(port),
        DATABASE_URL: databaseUrl(database),
        NODE_ENV: 'production',
        JWT_SECRET: randomBytes(32).toString('hex'),
      }),
    );
    try {
      await waitFor(
        'the app to serve',
        async () => ((await fetch(`http://127.0.0.1:${port}/health`)).ok ? true : undefined),
        60_000,
      );
      expect(app.output()).toMatch(
        /MIGRATION_DATABASE_URL is not set: the application connects as the owner of its tables/,
      );
    } finally {
      await app.stop();
    }
  }, 90_000);

  it('refuses to start when the application would connect as the owner itself', async () => {
    const app = spawnProcess(
      process.execPath,
      [MAIN],
      environment({ MIGRATION_DATABASE_URL: databaseUrl(database), DATABASE_URL: databaseUrl(database) }),
    );
    expect(await app.exited).toBe(1);
    expect(app.output()).toMatch(/DATABASE_URL and MIGRATION_DATABASE_URL both log in as postgres/);
  }, 60_000);
});
