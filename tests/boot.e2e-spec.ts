import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ADMIN, REDIS_URL } from './helpers/app';
import { databaseUrl, dropDatabase, uniqueName } from './helpers/databases';
import { freePort, MAIN, spawnProcess, waitFor } from './helpers/processes';

// The built service as `npm start` runs it: a real process, configured only by its environment.

const baseEnv = (database: string, port: number) => ({
  PATH: process.env.PATH,
  DATABASE_URL: databaseUrl(database),
  REDIS_URL,
  JWT_SECRET: 'a boot test secret that is long enough to pass',
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

  it('creates and migrates a new database, creates the admin once with a generated password, then serves', async () => {
    const database = uniqueName('dalaba_boot');
    const port = await freePort();
    try {
      const first = spawnProcess(process.execPath, [MAIN], baseEnv(database, port));
      await waitFor('the first start', async () => ((await fetch(`http://127.0.0.1:${port}/health`)).status === 200 ? true : undefined));
      await first.stop();
      const lines = first.output().split('\n').filter((line) => line.startsWith('{')).map((line) => JSON.parse(line));
      expect(lines.find((line) => line.msg?.startsWith(`applied ${MIGRATIONS} migration`))).toBeDefined();
      const generated = lines.find((line) => String(line.msg).includes('generated password'));
      expect(generated).toBeDefined();
      const password = String(generated.msg).split('generated password: ')[1];

      const second = spawnProcess(process.execPath, [MAIN], baseEnv(database, port));
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
    } finally {
      await dropDatabase(database);
    }
  });
});
