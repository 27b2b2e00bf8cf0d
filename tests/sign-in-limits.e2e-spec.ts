import { createHash, randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ADMIN, startApp, type TestApp } from './helpers/app';
import { adminToken } from './helpers/factories';
import { startRedisServer } from './helpers/processes';

// Every request of a test comes from 127.0.0.1, so the limits are set small
// here and the address limit above the username limit.

const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
const LIMITS = {
  LOGIN_MAX_FAILURES_PER_USERNAME: '3',
  LOGIN_MAX_FAILURES_PER_ADDRESS: '10',
  LOGIN_LOCKOUT_SECONDS: '60',
  LOGIN_LOCKOUT_MAX_SECONDS: '600',
};

function expectTooMany(reply: { status: number; headers: Headers; body?: unknown }) {
  expect(reply.status).toBe(429);
  const retryAfter = Number(reply.headers.get('retry-after'));
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  expect(retryAfter).toBeLessThanOrEqual(600);
  if (reply.body !== undefined)
    expect(reply.body).toMatchObject({ statusCode: 429, error: 'Too Many Requests', requestId: expect.any(String) });
}

describe('failed sign-ins', () => {
  let t: TestApp;
  let other: TestApp;

  beforeAll(async () => {
    t = await startApp(LIMITS);
    // A second API process on the same database and Redis.
    other = await startApp({ ...t.env, ...LIMITS }, { database: t.database });
    const admin = await adminToken(t);
    for (const username of ['victim', 'bystander', 'browser-user']) {
      expect(
        (
          await t.api.post(
            '/api/v1/users',
            { username, password: `${username}-password-1`, role: 'admin' },
            { token: admin },
          )
        ).status,
      ).toBe(201);
    }
  });
  afterAll(async () => {
    await other?.close({ keep: true });
    await t?.close();
  });

  it('never counts successful sign-ins', async () => {
    for (let i = 0; i < 12; i++) expect((await t.api.post('/api/v1/auth/login', ADMIN)).status).toBe(200);
  });

  it('locks a username after its failures, in every API process, refusing even the right password, and no one else', async () => {
    for (let i = 0; i < 3; i++)
      expect((await t.api.post('/api/v1/auth/login', { username: 'victim', password: `guess-${i}` })).status).toBe(401);
    expectTooMany(await t.api.post('/api/v1/auth/login', { username: 'victim', password: 'guess-3' }));
    expectTooMany(await t.api.post('/api/v1/auth/login', { username: 'victim', password: 'victim-password-1' }));
    expectTooMany(await other.api.post('/api/v1/auth/login', { username: 'victim', password: 'victim-password-1' }));
    expect(
      (await t.api.post('/api/v1/auth/login', { username: 'bystander', password: 'bystander-password-1' })).status,
    ).toBe(200);
  });

  it('counts the queue dashboard’s Basic sign-in too', async () => {
    const attempt = (password: string) =>
      fetch(`${t.url}/admin/queues`, { headers: { authorization: basic('browser-user', password) } });
    for (let i = 0; i < 3; i++) expect((await attempt(`guess-${i}`)).status).toBe(401);
    const locked = await attempt('guess-3');
    expectTooMany({ status: locked.status, headers: locked.headers, body: await locked.json() });
    expectTooMany(
      await t.api.post('/api/v1/auth/login', { username: 'browser-user', password: 'browser-user-password-1' }),
    );
  });

  it('locks an address after its failures, whatever the usernames', async () => {
    // Six failures so far from this address; four more, each for a new name.
    for (let i = 0; i < 4; i++)
      expect((await t.api.post('/api/v1/auth/login', { username: `nobody-${i}`, password: 'guess' })).status).toBe(401);
    expectTooMany(await t.api.post('/api/v1/auth/login', ADMIN));
    expectTooMany(
      await other.api.post('/api/v1/auth/login', { username: 'bystander', password: 'bystander-password-1' }),
    );
    // A forwarded address from a peer that is no trusted proxy changes nothing.
    for (const forwarded of ['x-forwarded-for', 'x-real-ip'])
      expectTooMany(await t.api.post('/api/v1/auth/login', ADMIN, { headers: { [forwarded]: '203.0.113.9' } }));
  });
});

describe('a wrong current password when changing it', () => {
  it('counts as a failed sign-in, so a stolen token cannot be used to guess the password', async () => {
    const t = await startApp(LIMITS);
    try {
      const admin = await adminToken(t);
      expect(
        (
          await t.api.post(
            '/api/v1/users',
            { username: 'holder', password: 'holder-password-1', role: 'admin' },
            { token: admin },
          )
        ).status,
      ).toBe(201);
      const token = (await t.api.post('/api/v1/auth/login', { username: 'holder', password: 'holder-password-1' })).body
        .accessToken;
      const change = (currentPassword: string) =>
        t.api.post('/api/v1/auth/password', { currentPassword, newPassword: 'a brand new passphrase' }, { token });
      for (let i = 0; i < 3; i++) expect((await change(`guess-${i}`)).status).toBe(403);
      expectTooMany(await change('holder-password-1'));
      expectTooMany(await t.api.post('/api/v1/auth/login', { username: 'holder', password: 'holder-password-1' }));
    } finally {
      await t.close();
    }
  });
});

describe('failed sign-ins while Redis is down', () => {
  it('are still limited, by each process on its own, and the right password of another user still signs in', async () => {
    const redis = await startRedisServer();
    const t = await startApp({ ...LIMITS, REDIS_URL: redis.url, APP_ROLE: 'api' });
    try {
      await redis.kill();
      for (let i = 0; i < 3; i++)
        expect(
          (await t.api.post('/api/v1/auth/login', { username: ADMIN.username, password: `guess-${i}` })).status,
        ).toBe(401);
      expectTooMany(await t.api.post('/api/v1/auth/login', ADMIN));
      expect(
        t.logs.some((line) =>
          String(line.msg).includes('Redis is unreachable: failed sign-ins are counted by each process on its own'),
        ),
      ).toBe(true);
    } finally {
      const back = await startRedisServer(redis.port);
      await t.close();
      await back.kill();
    }
  });
});

describe('a flood of sign-ins', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startApp({
      PASSWORD_HASH_CONCURRENCY: '1',
      PASSWORD_HASH_QUEUE: '2',
      LOGIN_MAX_FAILURES_PER_USERNAME: '1000',
      LOGIN_MAX_FAILURES_PER_ADDRESS: '1000',
    });
  });
  afterAll(() => t?.close());

  it('is refused beyond what the password hashing may take, and never holds up media files', async () => {
    const audio = randomBytes(256 * 1024);
    const sha256 = createHash('sha256').update(audio).digest('hex');
    writeFileSync(join(t.config.mediaDir, `${sha256}.mp3`), audio);

    const finished: string[] = [];
    const logins = Array.from({ length: 50 }, async () => {
      const reply = await t.api.post('/api/v1/auth/login', { username: ADMIN.username, password: 'wrong password' });
      finished.push('login');
      return reply;
    });
    const file = fetch(`${t.url}/media/${sha256}.mp3`).then(async (reply) => {
      const bytes = Buffer.from(await reply.arrayBuffer());
      finished.push('file');
      return { status: reply.status, bytes };
    });

    const served = await file;
    expect(served.status).toBe(200);
    expect(served.bytes.equals(audio)).toBe(true);
    const replies = await Promise.all(logins);
    expect(finished.indexOf('file')).toBeLessThan(finished.length - 1);
    const refused = replies.filter((reply) => reply.status === 429);
    expect(refused.length).toBeGreaterThan(0);
    for (const reply of refused) expectTooMany(reply);
    expect(replies.every((reply) => reply.status === 429 || reply.status === 401)).toBe(true);

    expect((await t.api.post('/api/v1/auth/login', ADMIN)).status).toBe(200);
  });
});
