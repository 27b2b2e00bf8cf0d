import { ADMIN, startApp, type TestApp } from './helpers/app';
import { adminToken, importSongtao, SONGTAO } from './helpers/factories';

// The queue dashboard shows and controls every county's jobs, so it is for
// installation-wide admins only, and its cookie is good for nothing else.

const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
const COUNTY_ADMIN = { username: 'songtao-admin', password: 'songtao-admin-password' };

describe('the queue dashboard', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startApp({ TRUSTED_PROXIES: '127.0.0.1' });
    const admin = await adminToken(t);
    await importSongtao(t, admin);
    const created = await t.api.post(
      '/api/v1/users',
      { ...COUNTY_ADMIN, role: 'admin', scopeCode: SONGTAO },
      { token: admin },
    );
    expect(created.status).toBe(201);
  });
  afterAll(() => t.close());

  it('refuses an admin scoped to a county, on the page and on the API that pauses a queue', async () => {
    const scoped = { authorization: basic(COUNTY_ADMIN.username, COUNTY_ADMIN.password) };
    const page = await fetch(`${t.url}/admin/queues`, { headers: scoped });
    expect(page.status).toBe(403);
    expect(await page.json()).toMatchObject({ statusCode: 403, error: 'Forbidden' });
    expect(page.headers.get('set-cookie')).toBeNull();

    const pause = await fetch(`${t.url}/admin/queues/api/queues/emergency/pause`, { method: 'PUT', headers: scoped });
    expect(pause.status).toBe(403);
    const token = (await t.api.post('/api/v1/auth/login', COUNTY_ADMIN)).body.accessToken;
    const pauseAll = await fetch(`${t.url}/admin/queues/api/queues/pause`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(pauseAll.status).toBe(403);

    const queues = await fetch(`${t.url}/admin/queues/api/queues?page=1&jobsPerPage=10`, {
      headers: { authorization: basic(ADMIN.username, ADMIN.password) },
    });
    expect(
      ((await queues.json()) as { queues: Array<{ isPaused: boolean }> }).queues.every((queue) => !queue.isPaused),
    ).toBe(true);
  });

  it('lets an installation-wide admin in, with a cookie that is no API token', async () => {
    const page = await fetch(`${t.url}/admin/queues`, {
      headers: { authorization: basic(ADMIN.username, ADMIN.password) },
    });
    expect(page.status).toBe(200);
    const setCookie = page.headers.get('set-cookie')!;
    expect(setCookie).toMatch(/; Path=\/admin\/queues(;|$)/);
    expect(setCookie).toMatch(/; HttpOnly(;|$)/);
    expect(setCookie).toMatch(/; SameSite=Strict(;|$)/);
    expect(setCookie).not.toMatch(/Secure/);
    const [cookie] = setCookie.split(';');

    expect(
      (await fetch(`${t.url}/admin/queues/api/queues?page=1&jobsPerPage=10`, { headers: { cookie } })).status,
    ).toBe(200);
    const value = cookie.split('=').slice(1).join('=');
    const me = await t.api.get('/api/v1/auth/me', { token: value });
    expect(me.status).toBe(401);
    expect((await fetch(`${t.url}/admin/queues`, { headers: { cookie: 'dalaba_queues=forged' } })).status).toBe(401);
  });

  it('ends the cookie’s session with the account’s tokens: disabling ends it for good, even once re-enabled, and a role change refuses it', async () => {
    const admin = await adminToken(t);
    const second = { username: 'second-installation-admin', password: 'second installation admin passphrase' };
    const created = await t.api.post('/api/v1/users', { ...second, role: 'admin', scopeCode: null }, { token: admin });
    expect(created.status).toBe(201);
    const cookieOf = async () => {
      const page = await fetch(`${t.url}/admin/queues`, {
        headers: { authorization: basic(second.username, second.password) },
      });
      expect(page.status).toBe(200);
      return { cookie: page.headers.get('set-cookie')!.split(';')[0] };
    };
    const queues = async (headers: Record<string, string>) =>
      (await fetch(`${t.url}/admin/queues/api/queues?page=1&jobsPerPage=10`, { headers })).status;

    const cookie = await cookieOf();
    expect(await queues(cookie)).toBe(200);
    expect((await t.api.post(`/api/v1/users/${created.body.id}/disable`, undefined, { token: admin })).status).toBe(
      200,
    );
    expect(await queues(cookie)).toBe(401);
    expect((await t.api.post(`/api/v1/users/${created.body.id}/enable`, undefined, { token: admin })).status).toBe(200);
    expect(await queues(cookie)).toBe(401);

    const next = await cookieOf();
    expect(
      (
        await t.api.request(
          'PATCH',
          `/api/v1/users/${created.body.id}`,
          { role: 'operator', scopeCode: SONGTAO },
          { token: admin },
        )
      ).status,
    ).toBe(200);
    expect(await queues(next)).not.toBe(200);
  });

  it('marks the cookie Secure when a trusted proxy says the request came over HTTPS', async () => {
    const page = await fetch(`${t.url}/admin/queues`, {
      headers: { authorization: basic(ADMIN.username, ADMIN.password), 'x-forwarded-proto': 'https' },
    });
    expect(page.status).toBe(200);
    expect(page.headers.get('set-cookie')).toMatch(/; Secure(;|$)/);
  });
});
