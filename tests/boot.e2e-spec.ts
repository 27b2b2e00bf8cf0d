import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ADMIN, REDIS_URL, TEST_JWT_SECRET } from './helpers/app';
import { databaseUrl, dropDatabase, uniqueName } from './helpers/databases';
import { freePort, MAIN, spawnProcess, waitFor } from './helpers/processes';

// The built service as `npm start` runs it: a real process, configured only by its environment.

const baseEnv = (database: string, port: number) => ({
  PATH: process.env.PATH,
  DATABASE_URL: databaseUrl(database),
  REDIS_URL,
  JWT_SECRET: TEST_JWT_SECRET,
  PORT: String(port),
  HOST: '127.0.0.1',
  QUEUE_PREFIX: uniqueName('boot'),
  MEDIA_DIR: mkdtempSync(join(tmpdir(), 'dalaba-boot-media-')),
});

const MIGRATIONS = readdirSync(join(__dirname, '../prisma/migrations'), { withFileTypes: true }).filter((entry) => entry.isDirectory()).length;

describe('starting the service', () => {
  it('stops with one line naming a missing or malformed variable', async () => {
    const { JWT_SECRET: _unset, ...env } = baseEnv('unused', 1);
    const missing = spawnProcess(process.execPath, [MAIN], env);
    expect(await missing.exited).toBe(1);
    expect(missing.output().trim()).toBe('Invalid configuration: JWT_SECRET is required but not set');

    const malformed = spawnProcess(process.execPath, [MAIN], { ...baseEnv('unused', 1), APP_ROLE: 'everything' });
    expect(await malformed.exited).toBe(1);
    expect(malformed.output().trim().split('\n')).toHaveLength(1);
    expect(malformed.output()).toContain('Invalid configuration: APP_ROLE');
  });

  it('refuses the JWT_SECRET of .env.example with one line, so no token signed with it is ever honoured', async () => {
    const placeholder = /^JWT_SECRET=(.*)$/m.exec(readFileSync(join(__dirname, '../.env.example'), 'utf8'))![1];
    const started = spawnProcess(process.execPath, [MAIN], { ...baseEnv(uniqueName('dalaba_refused'), 1), JWT_SECRET: placeholder });
    try {
      expect(await waitFor('the service to stop', async () => started.child.exitCode ?? undefined)).toBe(1);
      expect(started.output().trim().split('\n')).toEqual([expect.stringMatching(/^Invalid configuration: JWT_SECRET is a placeholder .*openssl rand -hex 32$/)]);
    } finally {
      await started.stop();
    }
  });

  it('creates and migrates a new database, creates the admin once with a generated password kept in a 0600 file, then serves', async () => {
    const database = uniqueName('dalaba_boot');
    const port = await freePort();
    const secrets = mkdtempSync(join(tmpdir(), 'dalaba-boot-secrets-'));
    const passwordFile = join(secrets, 'admin-password');
    const env = () => ({ ...baseEnv(database, port), ADMIN_PASSWORD_FILE: passwordFile });
    try {
      const first = spawnProcess(process.execPath, [MAIN], env());
      await waitFor('the first start', async () => ((await fetch(`http://127.0.0.1:${port}/health`)).status === 200 ? true : undefined));
      await first.stop();
      const lines = first.output().split('\n').filter((line) => line.startsWith('{')).map((line) => JSON.parse(line));
      expect(lines.find((line) => line.msg?.startsWith(`applied ${MIGRATIONS} migration`))).toBeDefined();
      expect(lines.find((line) => String(line.msg).includes(`generated password, written to ${passwordFile}`))).toBeDefined();
      expect(statSync(passwordFile).mode & 0o777).toBe(0o600);
      const password = readFileSync(passwordFile, 'utf8').trim();
      expect(password.length).toBeGreaterThanOrEqual(16);
      expect(first.output()).not.toContain(password);
      expect(readdirSync(secrets)).toEqual(['admin-password']);

      const second = spawnProcess(process.execPath, [MAIN], env());
      await waitFor('the second start', async () => ((await fetch(`http://127.0.0.1:${port}/health`)).status === 200 ? true : undefined));
      const login = await fetch(`http://127.0.0.1:${port}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: ADMIN.username, password }),
      });
      expect(login.status).toBe(200);
      await second.stop();
      expect(second.output()).toContain('database schema is up to date');
      expect(second.output()).not.toContain('generated password');
      expect(second.output()).not.toContain(password);
    } finally {
      await dropDatabase(database);
      rmSync(secrets, { recursive: true, force: true });
    }
  });
});
