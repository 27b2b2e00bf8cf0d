import { createMigration, migrateFor } from '../infra/database/migrator';

// `npm run db:migrate` and `npm run db:migration -- <name>`: the offline
// equivalents of `prisma migrate deploy` and `prisma migrate dev --create-only`.
// With MIGRATION_DATABASE_URL set, migrate runs as that role (the owner) and
// then creates and grants the restricted role of DATABASE_URL.

async function main(): Promise<void> {
  const [command, name] = process.argv.slice(2);
  const databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) throw new Error('DATABASE_URL is not set');
  if (command === 'migrate') {
    const applied = await migrateFor({
      databaseUrl,
      migrationDatabaseUrl: process.env.MIGRATION_DATABASE_URL || undefined,
    });
    console.log(applied.length ? `applied: ${applied.join(', ')}` : 'database is up to date');
  } else if (command === 'migration') {
    if (!name || !/^[a-z0-9_]+$/.test(name)) throw new Error('usage: npm run db:migration -- <name in snake_case>');
    const folder = await createMigration(process.env.MIGRATION_DATABASE_URL || databaseUrl, name);
    console.log(folder ? `created ${folder}/migration.sql` : 'schema and migrations already match; nothing to create');
  } else {
    throw new Error('usage: db (migrate | migration <name>)');
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
