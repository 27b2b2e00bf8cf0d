import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ADMIN, clearQueuePrefix, REDIS_URL, TEST_JWT_SECRET } from './helpers/app';
import { databaseUrl, dropDatabase, uniqueName } from './helpers/databases';
import { freePort, MAIN, spawnProcess, startRedisServer, waitFor } from './helpers/processes';

// The built service as `npm start` runs it: a real process, configured only by its environment.

const QUEUE_PREFIX = uniqueName('boot');
const MEDIA_DIR = mkdtempSync(join(tmpdir(), 'dalaba-boot-media-'));
afterAll(async () => {
  await clearQueuePrefix(QUEUE_PREFIX);
  rmSync(MEDIA_DIR, { recursive: true, force: true });
});

const baseEnv = (database: string, port: number) => ({
  PATH: process.env.PATH,
  DATABASE_URL: databaseUrl(database),
  REDIS_URL,
  JWT_SECRET: TEST_JWT_SECRET,
  PORT: String(port),
  HOST: '127.0.0.1',
  QUEUE_PREFIX,
  MEDIA_DIR,
});

const MIGRATIONS = readdirSync(join(__dirname, '../prisma/migrations'), { withFileTypes: true }).filter((entry) =>
  entry.isDirectory(),
).length;

describe('starting the service', () => {
  it('stops with one line naming a missing or malformed variable', async () => {
    const { JWT_SECRET: _unset, ...env } = baseEnv(uniqueName('dalaba_unused'), 1);
    const missing = spawnProcess(process.execPath, [MAIN], env);
    expect(await missing.exited).toBe(1);
    expect(missing.output().trim()).toBe('Invalid configuration: JWT_SECRET is required but not set');

    const malformed = spawnProcess(process.execPath, [MAIN], {
      ...baseEnv(uniqueName('dalaba_unused'), 1),
      APP_ROLE: 'everything',
    });
    expect(await malformed.exited).toBe(1);
    expect(malformed.output().trim().split('\n')).toHaveLength(1);
    expect(malformed.output()).toContain('Invalid configuration: APP_ROLE');
  });

  it('refuses the JWT_SECRET of .env.example with one line, so no token signed with it is ever honoured', async () => {
    const placeholder = /^JWT_SECRET=(.*)$/m.exec(readFileSync(join(__dirname, '../.env.example'), 'utf8'))![1];
    const started = spawnProcess(process.execPath, [MAIN], {
      ...baseEnv(uniqueName('dalaba_refused'), 1),
      JWT_SECRET: placeholder,
    });
    try {
      expect(await waitFor('the service to stop', async () => started.child.exitCode ?? undefined)).toBe(1);
      expect(started.output().trim().split('\n')).toEqual([
        expect.stringMatching(/^Invalid configuration: JWT_SECRET is a placeholder .*openssl rand -hex 32$/),
      ]);
    } finally {
      await started.stop();
    }
  });

  it('lists every missing or malformed variable at once, one line each', async () => {
    const { JWT_SECRET: _unset, ...env } = baseEnv(uniqueName('dalaba_unused'), 1);
    const run = spawnProcess(process.execPath, [MAIN], { ...env, APP_ROLE: 'everything', PORT: 'eighty' });
    expect(await run.exited).toBe(1);
    expect(run.output().trim().split('\n')).toEqual([
      'Invalid configuration: PORT Invalid input: expected number, received NaN',
      'Invalid configuration: JWT_SECRET is required but not set',
      expect.stringMatching(/^Invalid configuration: APP_ROLE /),
    ]);
  });

  it('reads an env file only when told to, as npm start does', async () => {
    const file = join(MEDIA_DIR, 'settings.env');
    writeFileSync(file, 'JWT_SECRET=too-short\n');
    const { JWT_SECRET: _unset, ...env } = baseEnv(uniqueName('dalaba_unused'), 1);
    const told = spawnProcess(process.execPath, [MAIN, '--env-file', file], env);
    expect(await told.exited).toBe(1);
    expect(told.output().trim()).toBe('Invalid configuration: JWT_SECRET must be at least 32 characters');
    rmSync(file);
  });

  it('names the variable and the address of a Postgres or Redis it cannot reach, in one line', async () => {
    const deadPort = await freePort();
    const noPostgres = spawnProcess(process.execPath, [MAIN], {
      ...baseEnv('unused', 1),
      DATABASE_URL: `postgresql://postgres@127.0.0.1:${deadPort}/dalaba`,
    });
    expect(await noPostgres.exited).toBe(1);
    expect(noPostgres.output().trim()).toBe(
      `Cannot reach PostgreSQL at 127.0.0.1:${deadPort} (DATABASE_URL): connection refused`,
    );

    const noRedis = spawnProcess(process.execPath, [MAIN], {
      ...baseEnv(uniqueName('dalaba_unused'), 1),
      REDIS_URL: `redis://127.0.0.1:${deadPort}`,
    });
    expect(await noRedis.exited).toBe(1);
    expect(noRedis.output().trim()).toBe(`Cannot reach Redis at 127.0.0.1:${deadPort} (REDIS_URL): connection refused`);
  });

  it('says once that Redis went away while running, not at every retry', async () => {
    const database = uniqueName('dalaba_boot');
    const port = await freePort();
    const redis = await startRedisServer();
    try {
      const server = spawnProcess(process.execPath, [MAIN], { ...baseEnv(database, port), REDIS_URL: redis.url });
      await waitFor(
        'the service',
        async () => ((await fetch(`http://127.0.0.1:${port}/health`)).status === 200 ? true : undefined),
        60_000,
      );
      const before = server.output().split('\n').length;
      await redis.kill();
      // Long enough for several reconnect attempts by every connection (queues, workers, the event bus).
      await new Promise((resolve) => setTimeout(resolve, 8_000));
      const during = server
        .output()
        .split('\n')
        .slice(before - 1)
        .filter(Boolean);
      expect(during.length).toBeLessThanOrEqual(3);
      expect(during.join('\n')).toContain(`Redis at ${new URL(redis.url).host} (REDIS_URL)`);
      await server.stop();
    } finally {
      await dropDatabase(database);
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
      await waitFor('the first start', async () =>
        (await fetch(`http://127.0.0.1:${port}/health`)).status === 200 ? true : undefined,
      );
      await first.stop();
      const lines = first
        .output()
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line));
      expect(lines.find((line) => line.msg?.startsWith(`applied ${MIGRATIONS} migration`))).toBeDefined();
      expect(
        lines.find((line) => String(line.msg).includes(`generated password, written to ${passwordFile}`)),
      ).toBeDefined();
      expect(statSync(passwordFile).mode & 0o777).toBe(0o600);
      const password = readFileSync(passwordFile, 'utf8').trim();
      expect(password.length).toBeGreaterThanOrEqual(16);
      expect(first.output()).not.toContain(password);
      expect(readdirSync(secrets)).toEqual(['admin-password']);

      const second = spawnProcess(process.execPath, [MAIN], env());
      await waitFor('the second start', async () =>
        (await fetch(`http://127.0.0.1:${port}/health`)).status === 200 ? true : undefined,
      );
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
