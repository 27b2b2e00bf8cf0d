import { createHmac } from 'node:crypto';
import { ADMIN, startApp, type TestApp } from './helpers/app';
import { adminToken, DAXING, importSongtao, PANSHI, SONGTAO } from './helpers/factories';
import { settled } from './helpers/media';

// Accounts are managed by admins within their scope, and every change to who
// a user is or how they prove it ends every token they hold, in every API
// process, at once.

interface Account {
  id: string;
  username: string;
  password: string;
  token: string;
  refreshToken: string;
}

describe('accounts', () => {
  let t: TestApp;
  /** A second API process on the same database and Redis. */
  let other: TestApp;
  let admin: string;
  let daxingAdmin: Account;
  let made = 0;

  async function signIn(username: string, password: string) {
    const reply = await t.api.post('/api/v1/auth/login', { username, password });
    if (reply.status !== 200)
      throw new Error(`login as ${username} failed: ${reply.status} ${JSON.stringify(reply.body)}`);
    return reply.body as { accessToken: string; refreshToken: string; expiresIn: number; refreshExpiresIn: number };
  }

  async function account(role: string, scopeCode: string | null, by = admin): Promise<Account> {
    const username = `acct${++made}`;
    const password = `the ${role} passphrase ${made}`;
    const created = await t.api.post('/api/v1/users', { username, password, role, scopeCode }, { token: by });
    if (created.status !== 201)
      throw new Error(`creating ${username} failed: ${created.status} ${JSON.stringify(created.body)}`);
    const { accessToken, refreshToken } = await signIn(username, password);
    return { id: created.body.id, username, password, token: accessToken, refreshToken };
  }

  /** The status `GET /auth/me` answers with the token, on each process. */
  const meEverywhere = async (token: string) => [
    (await t.api.get('/api/v1/auth/me', { token })).status,
    (await other.api.get('/api/v1/auth/me', { token })).status,
  ];
  const act = (path: string, body: unknown, token: string) => t.api.post(`/api/v1/users${path}`, body, { token });
  const patch = (id: string, body: unknown, token: string) =>
    t.api.request<any>('PATCH', `/api/v1/users/${id}`, body, { token });
  const refresh = (refreshToken: string) => t.api.post('/api/v1/auth/refresh', { refreshToken });

  beforeAll(async () => {
    t = await startApp();
    other = await startApp(t.env, { database: t.database });
    admin = await adminToken(t);
    await importSongtao(t, admin);
    daxingAdmin = await account('admin', DAXING);
  }, 60_000);
  afterAll(async () => {
    await other?.close({ keep: true });
    await t?.close();
  });

  it('signs in with a short-lived access token and a refresh token', async () => {
    const session = await signIn(ADMIN.username, ADMIN.password);
    expect(session).toMatchObject({
      tokenType: 'Bearer',
      expiresIn: 900,
      refreshExpiresIn: 43200,
      refreshToken: expect.any(String),
    });
  });

  it('disables and re-enables a user: the old token is refused at once in every process, and so is signing in while disabled', async () => {
    const user = await account('operator', DAXING);
    expect(await meEverywhere(user.token)).toEqual([200, 200]);

    const disabled = await act(`/${user.id}/disable`, undefined, admin);
    expect(disabled.status).toBe(200);
    expect(disabled.body).toMatchObject({ id: user.id, disabledAt: expect.any(String) });
    expect(await meEverywhere(user.token)).toEqual([401, 401]);
    expect((await refresh(user.refreshToken)).status).toBe(401);
    expect((await t.api.post('/api/v1/auth/login', { username: user.username, password: user.password })).status).toBe(
      401,
    );

    const enabled = await act(`/${user.id}/enable`, undefined, admin);
    expect(enabled.status).toBe(200);
    expect(enabled.body.disabledAt).toBeNull();
    expect(await meEverywhere(user.token)).toEqual([401, 401]);
    const again = await signIn(user.username, user.password);
    expect(await meEverywhere(again.accessToken)).toEqual([200, 200]);
  });

  it('resets a password: every old token and the old password stop working, the new one signs in', async () => {
    const user = await account('lecturer', DAXING);
    const reset = await act(`/${user.id}/password`, { password: 'a fresh passphrase from the admin' }, admin);
    expect(reset.status).toBe(204);
    expect(await meEverywhere(user.token)).toEqual([401, 401]);
    expect((await refresh(user.refreshToken)).status).toBe(401);
    expect((await t.api.post('/api/v1/auth/login', { username: user.username, password: user.password })).status).toBe(
      401,
    );
    await signIn(user.username, 'a fresh passphrase from the admin');
  });

  it('changes a role or a scope: the old token is refused everywhere and the new one carries the change', async () => {
    const user = await account('operator', DAXING);
    const promoted = await patch(user.id, { role: 'approver' }, admin);
    expect(promoted.status).toBe(200);
    expect(promoted.body).toMatchObject({ role: 'approver', scopeCode: DAXING });
    expect(await meEverywhere(user.token)).toEqual([401, 401]);
    const asApprover = await signIn(user.username, user.password);
    expect((await t.api.get('/api/v1/auth/me', { token: asApprover.accessToken })).body.role).toBe('approver');

    expect((await patch(user.id, { scopeCode: PANSHI }, admin)).status).toBe(200);
    expect(await meEverywhere(asApprover.accessToken)).toEqual([401, 401]);
    expect((await refresh(asApprover.refreshToken)).status).toBe(401);
    const moved = await signIn(user.username, user.password);
    expect((await other.api.get('/api/v1/auth/me', { token: moved.accessToken })).body.scopeCode).toBe(PANSHI);

    // A display name is no change of access: tokens live on.
    expect((await patch(user.id, { displayName: '盘石审批员' }, admin)).body.displayName).toBe('盘石审批员');
    expect(await meEverywhere(moved.accessToken)).toEqual([200, 200]);
  });

  it('lets a user change their own password with the current one, which signs out every session', async () => {
    const user = await account('lecturer', DAXING);
    const wrong = await t.api.post(
      '/api/v1/auth/password',
      { currentPassword: 'not my passphrase', newPassword: 'my own new passphrase' },
      { token: user.token },
    );
    expect(wrong.status).toBe(403);
    expect(wrong.body.message).toMatch(/current password/);
    const weak = await t.api.post(
      '/api/v1/auth/password',
      { currentPassword: user.password, newPassword: 'qwerty123456' },
      { token: user.token },
    );
    expect(weak.status).toBe(400);
    expect(await meEverywhere(user.token)).toEqual([200, 200]);

    const changed = await t.api.post(
      '/api/v1/auth/password',
      { currentPassword: user.password, newPassword: 'my own new passphrase' },
      { token: user.token },
    );
    expect(changed.status).toBe(204);
    expect(await meEverywhere(user.token)).toEqual([401, 401]);
    expect((await refresh(user.refreshToken)).status).toBe(401);
    await signIn(user.username, 'my own new passphrase');
  });

  it('keeps a township admin to the users of their township and to scopes inside it', async () => {
    const panshiUser = await account('operator', PANSHI);
    const daxingUser = await account('operator', DAXING);
    const outside = [
      await act(`/${panshiUser.id}/disable`, undefined, daxingAdmin.token),
      await act(`/${panshiUser.id}/password`, { password: 'taken over by daxing' }, daxingAdmin.token),
      await patch(panshiUser.id, { role: 'lecturer' }, daxingAdmin.token),
      // Moving a user of one's own to a scope outside one's own, or to none.
      await patch(daxingUser.id, { scopeCode: PANSHI }, daxingAdmin.token),
      await patch(daxingUser.id, { scopeCode: SONGTAO }, daxingAdmin.token),
      await patch(daxingUser.id, { role: 'admin', scopeCode: null }, daxingAdmin.token),
    ];
    expect(outside.map((reply) => reply.status)).toEqual([403, 403, 403, 403, 403, 403]);
    // The root admin has no scope, so only an unscoped admin reaches it.
    const [root] = (await t.api.get('/api/v1/users', { token: admin })).body.items.filter(
      (u: any) => u.username === ADMIN.username,
    );
    expect((await act(`/${root.id}/disable`, undefined, daxingAdmin.token)).status).toBe(403);
    expect((await act('/00000000-0000-4000-8000-000000000000/disable', undefined, daxingAdmin.token)).status).toBe(404);
    expect(await meEverywhere(panshiUser.token)).toEqual([200, 200]);

    expect((await patch(daxingUser.id, { role: 'lecturer' }, daxingAdmin.token)).status).toBe(200);
    expect((await act(`/${daxingUser.id}/disable`, undefined, daxingAdmin.token)).status).toBe(200);
  });

  it('refuses an admin acting on their own account through the admin routes, and a role without a scope', async () => {
    const self = daxingAdmin;
    const replies = [
      await act(`/${self.id}/disable`, undefined, self.token),
      await act(`/${self.id}/password`, { password: 'reset without the old one' }, self.token),
      await patch(self.id, { role: 'operator' }, self.token),
    ];
    expect(replies.map((reply) => reply.status)).toEqual([403, 403, 403]);
    expect(replies[0].body.message).toMatch(/your own account/);
    const rootAdmin = await account('admin', null);
    const noScope = await patch(rootAdmin.id, { role: 'operator' }, admin);
    expect(noScope.status).toBe(400);
    expect(noScope.body.message).toMatch(/scope/);
    expect(await meEverywhere(self.token)).toEqual([200, 200]);
  });

  it('leaves an unscoped admin enabled when two of them disable each other at once', async () => {
    const [first, second] = [await account('admin', null), await account('admin', null)];
    // Disable every other unscoped admin first, so these two are the last ones.
    const others = (await t.api.get('/api/v1/users', { token: first.token })).body.items.filter(
      (u: any) => u.role === 'admin' && u.scopeCode === null && !u.disabledAt && ![first.id, second.id].includes(u.id),
    );
    for (const u of others) expect((await act(`/${u.id}/disable`, undefined, first.token)).status).toBe(200);
    const replies = await Promise.all([
      act(`/${second.id}/disable`, undefined, first.token),
      act(`/${first.id}/disable`, undefined, second.token),
    ]);
    expect(replies.filter((reply) => reply.status === 200)).toHaveLength(1);
    const refused = replies.find((reply) => reply.status !== 200)!;
    expect([401, 409]).toContain(refused.status);
    const survivor = replies[0].status === 200 ? first : second;
    expect((await t.api.get('/api/v1/auth/me', { token: survivor.token })).status).toBe(200);
    for (const u of others) expect((await act(`/${u.id}/enable`, undefined, survivor.token)).status).toBe(200);
    admin = await adminToken(t); // the root admin's old token was revoked by the disable
  });

  it('rotates the refresh token on use; a rotated one used again revokes every token of the user', async () => {
    const user = await account('operator', DAXING);
    const first = await refresh(user.refreshToken);
    expect(first.status).toBe(200);
    expect(first.body.refreshToken).not.toBe(user.refreshToken);
    expect(await meEverywhere(first.body.accessToken)).toEqual([200, 200]);
    const second = await refresh(first.body.refreshToken);
    expect(second.status).toBe(200);

    const reused = await refresh(user.refreshToken);
    expect(reused.status).toBe(401);
    expect(reused.body.message).toMatch(/used before/);
    expect((await refresh(second.body.refreshToken)).status).toBe(401);
    expect(await meEverywhere(second.body.accessToken)).toEqual([401, 401]);
    expect(await meEverywhere(user.token)).toEqual([401, 401]);

    for (const garbage of ['', 'nonsense', `${user.id}.x`])
      expect((await refresh(garbage)).status).toBe(garbage ? 401 : 400);
  });

  it('refuses forged access tokens: unsigned (alg none), signed with another secret, or a refresh token in their place', async () => {
    const session = await signIn(ADMIN.username, ADMIN.password);
    const [, payload] = session.accessToken.split('.');
    const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const signed = (alg: string, secret: string) => {
      const unsigned = `${part({ alg, typ: 'JWT' })}.${payload}`;
      return `${unsigned}.${createHmac(alg === 'HS512' ? 'sha512' : 'sha256', secret)
        .update(unsigned)
        .digest('base64url')}`;
    };
    for (const forged of [
      `${part({ alg: 'none', typ: 'JWT' })}.${payload}.`,
      `${part({ alg: 'none', typ: 'JWT' })}.${payload}`,
      signed('HS256', 'another secret'),
      signed('HS512', 'another secret'),
      session.refreshToken,
    ]) {
      expect(await meEverywhere(forged)).toEqual([401, 401]);
    }
    expect(await meEverywhere(session.accessToken)).toEqual([200, 200]);
  });

  it('signs out: the refresh token of the session stops working', async () => {
    const user = await account('operator', DAXING);
    const other = await signIn(user.username, user.password);
    const out = await t.api.post('/api/v1/auth/logout', { refreshToken: user.refreshToken });
    expect(out.status).toBe(204);
    expect((await refresh(user.refreshToken)).status).toBe(401);
    // Only that session: another sign-in goes on.
    expect((await refresh(other.refreshToken)).status).toBe(200);
  });

  it('refuses short, common and blank passwords with a 400 saying why, and changes nothing', async () => {
    const user = await account('lecturer', DAXING);
    const cases: Array<[string, RegExp]> = [
      ['eleven char', /at least 12 characters/],
      ['PASSWORD1234', /most common passwords/],
      ['               ', /only spaces/],
    ];
    for (const [password, why] of cases) {
      const created = await act(
        '',
        { username: `weak${++made}`, password, role: 'lecturer', scopeCode: DAXING },
        admin,
      );
      const reset = await act(`/${user.id}/password`, { password }, admin);
      const own = await t.api.post(
        '/api/v1/auth/password',
        { currentPassword: user.password, newPassword: password },
        { token: user.token },
      );
      for (const reply of [created, reset, own]) {
        expect(reply.status).toBe(400);
        expect(reply.body.message).toMatch(why);
      }
    }
    expect(await meEverywhere(user.token)).toEqual([200, 200]);
    expect(
      (await t.api.get('/api/v1/users', { token: admin })).body.items.some((u: any) => u.username.startsWith('weak')),
    ).toBe(false);
  });

  it('audits creating a user, changing their role and scope, disabling, enabling and resetting their password', async () => {
    const user = await account('operator', DAXING);
    await patch(user.id, { role: 'approver', scopeCode: PANSHI }, admin);
    await act(`/${user.id}/disable`, undefined, admin);
    await act(`/${user.id}/enable`, undefined, admin);
    await act(`/${user.id}/password`, { password: 'another fresh passphrase' }, admin);
    await t.api.post(
      '/api/v1/auth/password',
      { currentPassword: 'another fresh passphrase', newPassword: 'a passphrase of my own' },
      { token: (await signIn(user.username, 'another fresh passphrase')).accessToken },
    );

    const trail = await t.api.get(`/api/v1/users/${user.id}/audit`, { token: admin });
    expect(trail.status).toBe(200);
    expect(trail.body.entries.map((entry: any) => [entry.action, entry.actor.username])).toEqual([
      ['created', ADMIN.username],
      ['access-changed', ADMIN.username],
      ['disabled', ADMIN.username],
      ['enabled', ADMIN.username],
      ['password-reset', ADMIN.username],
      ['password-changed', user.username],
    ]);
    expect(trail.body.entries[0].details).toEqual({ role: 'operator', scopeCode: DAXING });
    expect(trail.body.entries[1].details).toEqual({
      from: { role: 'operator', scopeCode: DAXING },
      to: { role: 'approver', scopeCode: PANSHI },
    });
    expect(JSON.stringify(trail.body)).not.toContain('passphrase');
    // A township admin of elsewhere does not read it.
    expect((await t.api.get(`/api/v1/users/${user.id}/audit`, { token: daxingAdmin.token })).status).toBe(403);
  });
});

describe("an approver an admin controls cannot approve that admin's alert", () => {
  let t: TestApp;
  let admin: string;
  let mediaId: string;
  let made = 0;

  async function account(role: string, scopeCode: string | null, by: string) {
    const username = `appr${++made}`;
    const password = `the ${role} passphrase ${made}`;
    const created = await t.api.post('/api/v1/users', { username, password, role, scopeCode }, { token: by });
    expect(created.status).toBe(201);
    const token = (await t.api.post('/api/v1/auth/login', { username, password })).body.accessToken as string;
    return { id: created.body.id as string, username, password, token };
  }

  const draft = async (token: string, media = mediaId) => {
    const reply = await t.api.post(
      '/api/v1/emergencies',
      {
        title: '山洪预警',
        level: 2,
        category: 'flood',
        regionCodes: [DAXING],
        mediaId: media,
        expiresAt: new Date(Date.now() + 3600_000).toISOString(),
        drill: true,
      },
      { token },
    );
    expect(reply.status).toBe(201);
    return reply.body.id as string;
  };
  const approve = (id: string, token: string) => t.api.post(`/api/v1/emergencies/${id}/approve`, undefined, { token });

  beforeAll(async () => {
    t = await startApp();
    admin = await adminToken(t);
    await importSongtao(t, admin);
    const spoken = await t.api.post('/api/v1/media/tts', { text: '请注意，山洪预警演练。' }, { token: admin });
    expect((await settled(t, admin, spoken.body.id)).status).toBe('ready');
    mediaId = spoken.body.id;
  }, 90_000);
  afterAll(() => t?.close());

  it('refuses the approval of an approver the drafter created, and takes one created by someone else', async () => {
    const puppet = await account('approver', SONGTAO, admin);
    const alert = await draft(admin);
    const refused = await approve(alert, puppet.token);
    expect(refused.status).toBe(409);
    expect(refused.body.message).toMatch(/drafter .*(created|password)/);

    // Another admin, who chose their own password, creates an approver.
    const otherAdmin = await account('admin', null, admin);
    expect(
      (
        await t.api.post(
          '/api/v1/auth/password',
          { currentPassword: otherAdmin.password, newPassword: 'the other admin chose this' },
          { token: otherAdmin.token },
        )
      ).status,
    ).toBe(204);
    const otherAdminToken = (
      await t.api.post('/api/v1/auth/login', { username: otherAdmin.username, password: 'the other admin chose this' })
    ).body.accessToken;
    const independent = await account('approver', SONGTAO, otherAdminToken);
    // The other admin set the independent approver's password, so it may not approve that admin's own alerts either.
    expect((await approve(await draft(otherAdminToken), independent.token)).status).toBe(409);
    expect((await approve(alert, independent.token)).status).toBe(200);
  });

  it('refuses an approver created by an admin the drafter created, until that admin chose their own password', async () => {
    const relay = await account('admin', null, admin);
    const approver = await account('approver', SONGTAO, relay.token);
    const refused = await approve(await draft(admin), approver.token);
    expect(refused.status).toBe(409);
    expect(refused.body.message).toMatch(/or that of the admin who set it/);
  });

  it('still refuses once the approver chose their own password, while the drafter gave them the role within a day', async () => {
    const puppet = await account('approver', SONGTAO, admin);
    const changed = await t.api.post(
      '/api/v1/auth/password',
      { currentPassword: puppet.password, newPassword: 'chosen by the approver' },
      { token: puppet.token },
    );
    expect(changed.status).toBe(204);
    const token = (
      await t.api.post('/api/v1/auth/login', { username: puppet.username, password: 'chosen by the approver' })
    ).body.accessToken;
    const refused = await approve(await draft(admin), token);
    expect(refused.status).toBe(409);
    expect(refused.body.message).toMatch(/within the last 24 hours/);
  });

  it('refuses an admin approving an alert drafted by an account whose password that admin chose (directly or through an admin they made)', async () => {
    const puppet = await account('operator', SONGTAO, admin);
    const spoken = await t.api.post('/api/v1/media/tts', { text: '请注意，山洪预警演练。' }, { token: puppet.token });
    expect((await settled(t, puppet.token, spoken.body.id)).status).toBe('ready');
    const songtaoMedia = spoken.body.id as string;
    const refused = await approve(await draft(puppet.token, songtaoMedia), admin);
    expect(refused.status).toBe(409);
    expect(refused.body.message).toMatch(/drafter/);

    const relay = await account('admin', null, admin);
    const relayed = await account('operator', SONGTAO, relay.token);
    expect((await approve(await draft(relayed.token, songtaoMedia), admin)).status).toBe(409);
    // An approver who had no hand in the drafter's password may approve.
    const otherAdmin = await account('admin', null, admin);
    expect(
      (
        await t.api.post(
          '/api/v1/auth/password',
          { currentPassword: otherAdmin.password, newPassword: 'the other admin chose this' },
          { token: otherAdmin.token },
        )
      ).status,
    ).toBe(204);
    const otherAdminToken = (
      await t.api.post('/api/v1/auth/login', { username: otherAdmin.username, password: 'the other admin chose this' })
    ).body.accessToken;
    expect((await approve(await draft(puppet.token, songtaoMedia), otherAdminToken)).status).toBe(200);
  });

  it('refuses an approver whose password the drafter reset', async () => {
    const otherAdmin = await account('admin', null, admin);
    const approver = await account('approver', SONGTAO, otherAdmin.token);
    expect(
      (
        await t.api.post(
          `/api/v1/users/${approver.id}/password`,
          { password: 'reset by the drafter' },
          { token: admin },
        )
      ).status,
    ).toBe(204);
    const token = (
      await t.api.post('/api/v1/auth/login', { username: approver.username, password: 'reset by the drafter' })
    ).body.accessToken;
    const refused = await approve(await draft(admin), token);
    expect(refused.status).toBe(409);
    expect(refused.body.message).toMatch(/password/);
  });
});
