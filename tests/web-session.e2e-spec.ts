import { PERMISSIONS } from '../src/auth/domain/permissions';
import { ADMIN, startApp, type TestApp } from './helpers/app';
import { sql } from './helpers/databases';
import { adminToken, DAXING, importSongtao } from './helpers/factories';

// A person in a browser signs in to a session the page cannot read: an
// HttpOnly SameSite=Strict cookie kept in Postgres. A change the cookie
// carries must also send the session's CSRF token from a page of this origin;
// bearer tokens work as before.

const SESSION = '/api/v1/auth/session';

interface Signed {
  cookie: string;
  csrfToken: string;
  setCookie: string;
}

describe('browser sessions', () => {
  let t: TestApp;
  /** A second API process on the same database and Redis, which believes X-Forwarded-* from 127.0.0.1. */
  let proxied: TestApp;
  let admin: string;
  let made = 0;

  beforeAll(async () => {
    t = await startApp({ LOGIN_MAX_FAILURES_PER_USERNAME: '3' });
    proxied = await startApp({ ...t.env, TRUSTED_PROXIES: '127.0.0.1' }, { database: t.database });
    admin = await adminToken(t);
    await importSongtao(t, admin);
  }, 60_000);
  afterAll(async () => {
    await proxied?.close({ keep: true });
    await t?.close();
  });

  async function signIn(
    username = ADMIN.username,
    password = ADMIN.password,
    on: TestApp = t,
    headers: Record<string, string> = {},
  ): Promise<Signed> {
    const reply = await on.api.post(SESSION, { username, password }, { headers });
    if (reply.status !== 200) throw new Error(`session for ${username}: ${reply.status} ${JSON.stringify(reply.body)}`);
    const setCookie = reply.headers.get('set-cookie') ?? '';
    return { cookie: setCookie.split(';')[0], csrfToken: reply.body.csrfToken, setCookie };
  }

  /** A request the browser would make with the cookie (and whatever else the page adds). */
  const withCookie = (
    method: string,
    path: string,
    session: Signed,
    headers: Record<string, string> = {},
    body?: unknown,
    on: TestApp = t,
  ) => on.api.request<any>(method, path, body, { headers: { cookie: session.cookie, ...headers } });

  async function account(role = 'operator') {
    const username = `web${++made}`;
    const password = `the web passphrase ${made}`;
    const reply = await t.api.post('/api/v1/users', { username, password, role, scopeCode: DAXING }, { token: admin });
    expect(reply.status).toBe(201);
    return { id: reply.body.id as string, username, password };
  }

  const usernames = async () =>
    ((await t.api.get('/api/v1/users', { token: admin })).body.items as Array<{ username: string }>).map(
      (u) => u.username,
    );

  it('refuses a bad body and wrong credentials like login, and counts them towards the same lock', async () => {
    expect((await t.api.post(SESSION, { username: 'admin' })).status).toBe(400);
    expect((await t.api.post(SESSION, { username: 'admin', password: 'x', extra: 1 })).status).toBe(400);
    const { username } = await account();
    const wrong = await t.api.post(SESSION, { username, password: 'not it' });
    expect(wrong.status).toBe(401);
    expect(wrong.body).toMatchObject({ statusCode: 401, message: 'Wrong username or password' });
    expect(wrong.headers.get('set-cookie')).toBeNull();
    // The session route and the token login share one count: the third failure locks the username.
    expect((await t.api.post('/api/v1/auth/login', { username, password: 'not it either' })).status).toBe(401);
    expect((await t.api.post(SESSION, { username, password: 'still not' })).status).toBe(401);
    const locked = await t.api.post(SESSION, { username, password: 'one more' });
    expect(locked.status).toBe(429);
    expect(locked.headers.get('retry-after')).toMatch(/^\d+$/);
  });

  it('answers 401 without a session, and for a cookie that names none', async () => {
    expect((await t.api.get(SESSION)).status).toBe(401);
    const forged = {
      cookie: 'dalaba_session=00000000-0000-4000-8000-000000000000.guess',
      csrfToken: '',
      setCookie: '',
    };
    expect((await withCookie('GET', SESSION, forged)).status).toBe(401);
    const me = await withCookie('GET', '/api/v1/auth/me', forged);
    expect(me.status).toBe(401);
    expect(me.body.message).toMatch(/sign in again/);
    expect((await withCookie('GET', '/api/v1/auth/me', { ...forged, cookie: 'dalaba_session=garbage' })).status).toBe(
      401,
    );
  });

  it('sets an HttpOnly, SameSite=Strict cookie for the whole site, not Secure over plain HTTP', async () => {
    const session = await signIn();
    const attributes = session.setCookie.split(/;\s*/).slice(1);
    expect(attributes.sort()).toEqual([
      'HttpOnly',
      `Max-Age=${t.config.jwt.refreshTtlSeconds}`,
      'Path=/',
      'SameSite=Strict',
    ]);
    expect(session.cookie).toMatch(/^dalaba_session=[^;]+$/);
    // A client claiming HTTPS is not a trusted proxy: still not Secure (the browser would drop it on http).
    const claimed = await signIn(ADMIN.username, ADMIN.password, t, { 'x-forwarded-proto': 'https' });
    expect(claimed.setCookie).not.toMatch(/Secure/);
  });

  it('sets a Secure cookie when a trusted proxy says the request came over HTTPS', async () => {
    const session = await signIn(ADMIN.username, ADMIN.password, proxied, { 'x-forwarded-proto': 'https' });
    expect(session.setCookie.split(/;\s*/)).toContain('Secure');
  });

  it('tells the page who it is and its CSRF token, after a reload too, and signs in /auth/me', async () => {
    const before = Date.now();
    const opened = await t.api.post(SESSION, ADMIN);
    expect(opened.body).toEqual({
      user: {
        id: expect.any(String),
        username: 'admin',
        role: 'admin',
        scopeCode: null,
        // What the console may offer: for an admin, everything in the role table.
        permissions: [...PERMISSIONS],
      },
      csrfToken: expect.any(String),
      expiresAt: expect.any(String),
    });
    const expiresAt = Date.parse(opened.body.expiresAt);
    expect(expiresAt).toBeGreaterThanOrEqual(before + t.config.jwt.refreshTtlSeconds * 1000 - 1000);
    const session = { cookie: opened.headers.get('set-cookie')!.split(';')[0], csrfToken: '', setCookie: '' };
    const reloaded = await withCookie('GET', SESSION, session);
    expect(reloaded.status).toBe(200);
    expect(reloaded.body).toEqual(opened.body);
    const me = await withCookie('GET', '/api/v1/auth/me', session);
    expect(me.status).toBe(200);
    expect(me.body).toEqual(opened.body.user);
  });

  it('refuses a change the cookie carries without the CSRF token, with a wrong one, or from another origin; nothing changes', async () => {
    const session = await signIn();
    const create = (username: string, headers: Record<string, string>) =>
      withCookie('POST', '/api/v1/users', session, headers, {
        username,
        password: 'a long enough passphrase',
        role: 'operator',
        scopeCode: DAXING,
      });
    const attempts: Array<[string, Record<string, string>]> = [
      ['nocsrf', {}],
      ['wrongcsrf', { 'x-csrf-token': session.csrfToken.slice(1) + 'x' }],
      ['emptycsrf', { 'x-csrf-token': '' }],
      ['foreign', { 'x-csrf-token': session.csrfToken, origin: 'https://evil.example' }],
      ['nullorigin', { 'x-csrf-token': session.csrfToken, origin: 'null' }],
      ['otherport', { 'x-csrf-token': session.csrfToken, origin: 'http://127.0.0.1:1' }],
    ];
    for (const [username, headers] of attempts) {
      const reply = await create(username, headers);
      expect({ username, status: reply.status }).toEqual({ username, status: 403 });
      expect(Object.keys(reply.body).sort()).toEqual(['error', 'message', 'requestId', 'statusCode']);
      expect(reply.body.message).toMatch(/reload the page and sign in again/);
    }
    expect(await usernames()).not.toEqual(expect.arrayContaining(attempts.map(([name]) => name)));

    // The right token from the console's own page (or a client that sends no Origin) does it.
    expect((await create('samesite', { 'x-csrf-token': session.csrfToken, origin: t.url })).status).toBe(201);
    expect((await create('noorigin', { 'x-csrf-token': session.csrfToken })).status).toBe(201);
    expect(await usernames()).toEqual(expect.arrayContaining(['samesite', 'noorigin']));
  });

  it('refuses a sign-in sent from a page of another origin', async () => {
    const reply = await t.api.post(SESSION, ADMIN, { headers: { origin: 'https://evil.example' } });
    expect(reply.status).toBe(403);
    expect(reply.headers.get('set-cookie')).toBeNull();
  });

  it('takes the origin a trusted proxy forwards as the console’s own', async () => {
    const https = { 'x-forwarded-proto': 'https' };
    const session = await signIn(ADMIN.username, ADMIN.password, proxied, https);
    const host = new URL(proxied.url).host;
    const create = (username: string, origin: string) =>
      withCookie(
        'POST',
        '/api/v1/users',
        session,
        { ...https, origin, 'x-csrf-token': session.csrfToken },
        { username, password: 'a long enough passphrase', role: 'operator', scopeCode: DAXING },
        proxied,
      );
    expect((await create('plainhttp', `http://${host}`)).status).toBe(403);
    expect((await create('viaproxy', `https://${host}`)).status).toBe(201);
  });

  it('keeps bearer tokens working without a CSRF token, and prefers them over a cookie', async () => {
    const created = await t.api.post(
      '/api/v1/users',
      { username: 'bybearer', password: 'a long enough passphrase', role: 'operator', scopeCode: DAXING },
      { token: admin },
    );
    expect(created.status).toBe(201);
    const session = await signIn();
    const bad = await t.api.get('/api/v1/auth/me', {
      headers: { cookie: session.cookie, authorization: 'Bearer nope' },
    });
    expect(bad.status).toBe(401);
  });

  it('works in a second API process on the same database', async () => {
    const session = await signIn();
    expect((await withCookie('GET', '/api/v1/auth/me', session, {}, undefined, proxied)).status).toBe(200);
    const made = await withCookie(
      'POST',
      '/api/v1/users',
      session,
      { 'x-csrf-token': session.csrfToken },
      { username: 'elsewhere', password: 'a long enough passphrase', role: 'operator', scopeCode: DAXING },
      proxied,
    );
    expect(made.status).toBe(201);
  });

  it('signs out on the server: the cookie is cleared and a replay of it gets 401, in every process', async () => {
    const session = await signIn();
    const refused = await withCookie('DELETE', SESSION, session);
    expect(refused.status).toBe(403);
    expect((await withCookie('GET', '/api/v1/auth/me', session)).status).toBe(200);

    const out = await withCookie('DELETE', SESSION, session, { 'x-csrf-token': session.csrfToken });
    expect(out.status).toBe(204);
    expect(out.headers.get('set-cookie')!.split(/;\s*/)).toEqual(
      expect.arrayContaining(['dalaba_session=', 'Max-Age=0', 'Path=/', 'HttpOnly']),
    );
    expect((await withCookie('GET', '/api/v1/auth/me', session)).status).toBe(401);
    expect((await withCookie('GET', '/api/v1/auth/me', session, {}, undefined, proxied)).status).toBe(401);
    expect((await withCookie('GET', SESSION, session)).status).toBe(401);
    // Signing out again ends nothing more and still clears the cookie.
    expect((await withCookie('DELETE', SESSION, session, { 'x-csrf-token': session.csrfToken })).status).toBe(204);
  });

  it('is no refresh token: presenting the cookie to /auth/refresh gets 401 and leaves the session alone', async () => {
    const session = await signIn();
    const refreshToken = session.cookie.slice('dalaba_session='.length);
    expect((await t.api.post('/api/v1/auth/refresh', { refreshToken })).status).toBe(401);
    expect((await withCookie('GET', '/api/v1/auth/me', session)).status).toBe(200);
  });

  it('ends when the account changes its password, from the console itself', async () => {
    const person = await account();
    const session = await signIn(person.username, person.password);
    const other = await signIn(person.username, person.password);
    const changed = await withCookie(
      'POST',
      '/api/v1/auth/password',
      session,
      { 'x-csrf-token': session.csrfToken },
      { currentPassword: person.password, newPassword: 'a brand new passphrase' },
    );
    expect(changed.status).toBe(204);
    expect((await withCookie('GET', '/api/v1/auth/me', session)).status).toBe(401);
    expect((await withCookie('GET', SESSION, other)).status).toBe(401);
    expect((await signIn(person.username, 'a brand new passphrase')).csrfToken).toEqual(expect.any(String));
  });

  it('ends when an admin disables the account, and stays ended after it is enabled again', async () => {
    const person = await account();
    const session = await signIn(person.username, person.password);
    expect((await withCookie('GET', '/api/v1/auth/me', session)).status).toBe(200);
    expect((await t.api.post(`/api/v1/users/${person.id}/disable`, undefined, { token: admin })).status).toBe(200);
    expect((await withCookie('GET', '/api/v1/auth/me', session)).status).toBe(401);
    expect((await t.api.post(`/api/v1/users/${person.id}/enable`, undefined, { token: admin })).status).toBe(200);
    expect((await withCookie('GET', '/api/v1/auth/me', session)).status).toBe(401);
  });

  it('reads role changes fresh: a cookie session gets 403 for what the role may not do', async () => {
    const person = await account('lecturer');
    const session = await signIn(person.username, person.password);
    const reply = await withCookie('GET', '/api/v1/users', session);
    expect(reply.status).toBe(403);
  });

  it('ends after WEB_SESSION_IDLE_SECONDS without a request, and a request keeps it alive', async () => {
    const session = await signIn();
    const id = session.cookie.slice('dalaba_session='.length).split('.')[0];
    const idle = t.config.webSession.idleSeconds;
    // The last request is moved back in the database rather than waited for.
    const lastSeen = (secondsAgo: number) =>
      sql(t.database, `UPDATE auth_session SET last_seen_at = now() - make_interval(secs => $2) WHERE id = $1`, [
        id,
        secondsAgo,
      ]);
    await lastSeen(idle - 120);
    expect((await withCookie('GET', '/api/v1/auth/me', session)).status).toBe(200);
    const [{ seconds }] = await sql<{ seconds: number }>(
      t.database,
      'SELECT extract(epoch FROM now() - last_seen_at)::int AS seconds FROM auth_session WHERE id = $1',
      [id],
    );
    expect(seconds).toBeLessThan(60);
    await lastSeen(idle + 1);
    expect((await withCookie('GET', '/api/v1/auth/me', session)).status).toBe(401);
    expect((await withCookie('GET', SESSION, session)).status).toBe(401);
  });
});
