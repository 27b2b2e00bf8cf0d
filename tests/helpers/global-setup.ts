import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { databaseUrl, onServer, RUN_ENV, TEMPLATE_ENV, uniqueName } from './databases';

/**
 * Names this run, gives it a temporary folder of its own (every test, worker
 * and child process inherits it as TMPDIR) and migrates one template database
 * with the real migration command (the built `npm run db:migrate`).
 */
export default async function globalSetup(): Promise<void> {
  process.env[RUN_ENV] = `r${randomBytes(3).toString('hex')}`;
  process.env.TMPDIR = mkdtempSync(join(tmpdir(), `dalaba-test-${process.env[RUN_ENV]}-`));
  const template = uniqueName('dalaba_tpl');
  execFileSync(process.execPath, [join(__dirname, '../../dist/cli/db.js'), 'migrate'], {
    env: { ...process.env, DATABASE_URL: databaseUrl(template) },
    stdio: 'pipe',
  });
  // A template must have no connections while it is cloned.
  await onServer((client) => client.query(`ALTER DATABASE "${template}" WITH ALLOW_CONNECTIONS false`));
  process.env[TEMPLATE_ENV] = template;
}
