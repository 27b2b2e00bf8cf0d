import { Client } from 'pg';
import { ConfigError } from '../config/config';

// The application connects as its own role, not as the owner of the tables:
// an owner (or a superuser) can switch the ledger's append-only triggers off
// and rewrite the chain. The app role gets ordinary rights on every table but
// only INSERT and SELECT on the ledger, and nothing on the migration history.

const LEDGER = 'ledger_entry';
const MIGRATIONS_TABLE = '_prisma_migrations';
// One process grants at a time: concurrent GRANTs on one table can fail with
// "tuple concurrently updated" when the api and the worker start together.
const GRANT_LOCK = 'dalaba:grant-app-role';

const ident = (name: string) => `"${name.replaceAll('"', '""')}"`;

/** The role a connection URL logs in as. */
function roleOf(databaseUrl: string): string {
  return decodeURIComponent(new URL(databaseUrl).username);
}

/**
 * As the owner (migrationUrl), creates the role of appUrl if it does not
 * exist and grants it what the application needs, after every migration run
 * so new tables are covered; default privileges cover tables the owner
 * creates between runs. Refuses a role that could unguard the ledger.
 */
export async function grantAppRole(migrationUrl: string, appUrl: string): Promise<void> {
  const role = roleOf(appUrl);
  if (!role)
    throw new ConfigError(
      'Invalid configuration: DATABASE_URL names no user: with MIGRATION_DATABASE_URL set, it is the restricted role the application connects as',
    );
  const client = new Client({ connectionString: migrationUrl });
  await client.connect();
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [GRANT_LOCK]);
    const {
      rows: [here],
    } = await client.query<{ owner: string; database: string; schema: string }>(
      'SELECT current_user AS owner, current_database() AS database, current_schema() AS schema',
    );
    if (role === here.owner)
      throw new ConfigError(
        `Invalid configuration: DATABASE_URL and MIGRATION_DATABASE_URL both log in as ${role}: the application must connect as a role that does not own the tables`,
      );
    // A member of the ledger's owner could act as the owner; CREATEROLE could make itself one.
    const {
      rows: [existing],
    } = await client.query<{ rolsuper: boolean; rolcreaterole: boolean; owner_member: boolean }>(
      `SELECT rolsuper, rolcreaterole, pg_has_role(rolname, (SELECT relowner FROM pg_class WHERE oid = $2::regclass), 'MEMBER') AS owner_member
         FROM pg_roles WHERE rolname = $1`,
      [role, LEDGER],
    );
    if (existing && (existing.rolsuper || existing.rolcreaterole || existing.owner_member)) {
      const why = existing.rolsuper
        ? 'a superuser'
        : existing.rolcreaterole
          ? 'allowed to create roles'
          : "a member of the ledger's owner";
      throw new ConfigError(
        `Invalid configuration: DATABASE_URL's role ${role} is ${why}: it could switch the ledger's triggers off; give DATABASE_URL a role of its own`,
      );
    }
    if (!existing) {
      const password = decodeURIComponent(new URL(appUrl).password);
      await client.query(
        `CREATE ROLE ${ident(role)} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS${password ? ` PASSWORD ${client.escapeLiteral(password)}` : ''}`,
      );
    }
    const to = ident(role);
    const schema = ident(here.schema);
    const owner = ident(here.owner);
    for (const statement of [
      `GRANT CONNECT ON DATABASE ${ident(here.database)} TO ${to}`,
      `GRANT USAGE ON SCHEMA ${schema} TO ${to}`,
      // From a clean slate, so a right granted by hand (TRUNCATE, TRIGGER) does not linger.
      `REVOKE ALL ON ALL TABLES IN SCHEMA ${schema} FROM ${to}`,
      `GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA ${schema} TO ${to}`,
      `REVOKE UPDATE, DELETE ON ${schema}.${ident(LEDGER)} FROM ${to}`,
      `REVOKE ALL ON ${schema}.${ident(MIGRATIONS_TABLE)} FROM ${to}`,
      `GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA ${schema} TO ${to}`,
      `ALTER DEFAULT PRIVILEGES FOR ROLE ${owner} IN SCHEMA ${schema} GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO ${to}`,
      `ALTER DEFAULT PRIVILEGES FOR ROLE ${owner} IN SCHEMA ${schema} GRANT USAGE, SELECT ON SEQUENCES TO ${to}`,
    ]) {
      await client.query(statement);
    }
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    await client.end();
  }
}
