import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { databaseUrl, onServer, TEMPLATE_ENV, uniqueName } from './databases';

/** Migrates one template database with the real migration command (the built `npm run db:migrate`). */
export default async function globalSetup(): Promise<void> {
  const template = uniqueName('dalaba_tpl');
  execFileSync(process.execPath, [join(__dirname, '../../dist/cli/db.js'), 'migrate'], {
    env: { ...process.env, DATABASE_URL: databaseUrl(template) },
    stdio: 'pipe',
  });
  // A template must have no connections while it is cloned.
  await onServer((client) => client.query(`ALTER DATABASE "${template}" WITH ALLOW_CONNECTIONS false`));
  process.env[TEMPLATE_ENV] = template;
}
