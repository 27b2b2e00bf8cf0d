import { ADMIN, startApp, type TestApp } from './helpers/app';
import { sql } from './helpers/databases';
import { adminToken, DAXING, importSongtao, login, PANSHI, SONGTAO, userToken } from './helpers/factories';

describe('users and sign-in', () => {
  let t: TestApp;
  let admin: string;

  beforeAll(async () => {
    t = await startApp();
    admin = await adminToken(t);
    await importSongtao(t, admin);
  });
  afterAll(() => t.close());

  it('created the admin from ADMIN_USERNAME/ADMIN_PASSWORD, with an argon2id hash', async () => {
    const [row] = await sql<{ role: string; scope_code: string | null; password_hash: string }>(
      t.database,
      'SELECT role, scope_code, password_hash FROM app_user WHERE username = $1',
      [ADMIN.username],
    );
    expect(row.role).toBe('admin');
    expect(row.scope_code).toBeNull();
    expect(row.password_hash).toMatch(/^\$argon2id\$/);
    expect(row.password_hash).not.toContain(ADMIN.password);
    const me = await t.api.get('/api/v1/auth/me', { token: admin });
    expect(me.body).toMatchObject({ username: ADMIN.username, role: 'admin', scopeCode: null });
  });

  it('answers a wrong password and an unknown user alike, with 401', async () => {
    const wrong = await t.api.post('/api/v1/auth/login', { username: ADMIN.username, password: 'not the password' });
    const unknown = await t.api.post('/api/v1/auth/login', { username: 'nobody', password: 'not the password' });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body.message).toBe(unknown.body.message);
  });

  it('refuses a missing, forged or garbled token', async () => {
    expect((await t.api.get('/api/v1/auth/me')).status).toBe(401);
    expect((await t.api.get('/api/v1/auth/me', { token: 'garbage' })).status).toBe(401);
    const [header, payload] = admin.split('.');
    const forged = `${header}.${payload}.${'A'.repeat(43)}`;
    expect((await t.api.get('/api/v1/auth/me', { token: forged })).status).toBe(401);
  });

  it('lets the admin create scoped users, who can then sign in', async () => {
    const created = await t.api.post(
      '/api/v1/users',
      {
        username: 'daxing.op',
        password: 'a long enough password',
        role: 'operator',
        scopeCode: DAXING,
        displayName: '大兴操作员',
      },
      { token: admin },
    );
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      username: 'daxing.op',
      role: 'operator',
      scopeCode: DAXING,
      displayName: '大兴操作员',
    });
    expect(created.body).not.toHaveProperty('passwordHash');
    const token = await login(t, 'daxing.op', 'a long enough password');
    expect((await t.api.get('/api/v1/auth/me', { token })).body.scopeCode).toBe(DAXING);
  });

  it('refuses a taken username (409), a role without scope and a short password (400)', async () => {
    const again = await t.api.post(
      '/api/v1/users',
      { username: 'daxing.op', password: 'a long enough password', role: 'lecturer', scopeCode: DAXING },
      { token: admin },
    );
    expect(again.status).toBe(409);
    const noScope = await t.api.post(
      '/api/v1/users',
      { username: 'floating', password: 'a long enough password', role: 'operator' },
      { token: admin },
    );
    expect(noScope.status).toBe(400);
    expect(noScope.body.details).toEqual([{ path: 'body.scopeCode', message: 'is required for every role but admin' }]);
    const short = await t.api.post(
      '/api/v1/users',
      { username: 'shorty', password: 'short', role: 'lecturer', scopeCode: DAXING },
      { token: admin },
    );
    expect(short.status).toBe(400);
    const unknownRegion = await t.api.post(
      '/api/v1/users',
      { username: 'lost', password: 'a long enough password', role: 'lecturer', scopeCode: '520628999999' },
      { token: admin },
    );
    expect(unknownRegion.status).toBe(404);
    const [{ count }] = await sql<{ count: string }>(
      t.database,
      "SELECT count(*) FROM app_user WHERE username IN ('floating','shorty','lost')",
    );
    expect(Number(count)).toBe(0);
  });

  it('keeps a scoped admin inside their subtree when creating users', async () => {
    const townshipAdmin = await userToken(t, admin, 'admin', DAXING);
    const outside = await t.api.post(
      '/api/v1/users',
      { username: 'panshi.op', password: 'a long enough password', role: 'operator', scopeCode: PANSHI },
      { token: townshipAdmin },
    );
    expect(outside.status).toBe(403);
    const above = await t.api.post(
      '/api/v1/users',
      { username: 'county.op', password: 'a long enough password', role: 'operator', scopeCode: SONGTAO },
      { token: townshipAdmin },
    );
    expect(above.status).toBe(403);
    const unscoped = await t.api.post(
      '/api/v1/users',
      { username: 'root2', password: 'a long enough password', role: 'admin', scopeCode: null },
      { token: townshipAdmin },
    );
    expect(unscoped.status).toBe(403);
    const inside = await t.api.post(
      '/api/v1/users',
      { username: 'daxing.lecturer', password: 'a long enough password', role: 'lecturer', scopeCode: DAXING },
      { token: townshipAdmin },
    );
    expect(inside.status).toBe(201);
    const listed = await t.api.get('/api/v1/users', { token: townshipAdmin });
    expect(listed.body.items.every((u: { scopeCode: string }) => u.scopeCode === DAXING)).toBe(true);
  });

  it('refuses user management to every other role', async () => {
    for (const role of ['operator', 'approver', 'lecturer'] as const) {
      const token = await userToken(t, admin, role, SONGTAO);
      const reply = await t.api.post(
        '/api/v1/users',
        { username: `made.by.${role}`, password: 'a long enough password', role: 'lecturer', scopeCode: DAXING },
        { token },
      );
      expect(reply.status).toBe(403);
      expect((await t.api.get('/api/v1/users', { token })).status).toBe(403);
    }
  });
});
