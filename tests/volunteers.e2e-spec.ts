import { sql } from './helpers/databases';
import { startApp, type TestApp } from './helpers/app';
import type { Reply } from './helpers/api';
import {
  adminToken,
  DAXING,
  DAXING_VILLAGE,
  importSongtao,
  PANSHI,
  PANSHI_VILLAGE,
  person,
  SONGTAO,
} from './helpers/factories';

const OTHER_COUNTY_VILLAGE = '520627001001'; // a village of another county, added to the tree below
const SONGTAO_POSTER = 'baiyan-poster-1';
const PANSHI_POSTER = 'panshi-poster-1';
const OTHER_POSTER = 'other-county-poster';

/**
 * Volunteers (issue 16, point 3): they register themselves from their
 * village's poster, their phone keeps a card, they sign in and out of a
 * session by its QR code, and their hours come from their own times.
 */
describe('volunteers: self-registration, cards and signing in at sessions', () => {
  let t: TestApp;
  let lecturer: { id: string; token: string };
  let operator: { id: string; token: string };
  let topicId: string;
  let teamId: string;
  // Each test speaks from its own address (the app trusts loopback as its proxy), so the per-address limit is each test's own.
  let address = 0;
  let from = '';
  const origin = () => t.url;

  /** A phone: its own card cookie, sent back as a browser would, and its own address. */
  class Phone {
    cookie = '';
    setCookie = '';
    constructor(readonly forwardedFor = from) {}
    headers(extra: Record<string, string> = {}) {
      return {
        'x-forwarded-for': this.forwardedFor,
        origin: origin(),
        ...(this.cookie ? { cookie: this.cookie } : {}),
        ...extra,
      };
    }
    async call(method: string, path: string, body?: unknown, extra: Record<string, string> = {}): Promise<Reply> {
      const reply = await t.api.request<any>(method, path, body, { headers: this.headers(extra) });
      const set = reply.headers.get('set-cookie');
      if (set) {
        this.setCookie = set;
        const value = /^dalaba_volunteer=([^;]*)/.exec(set)?.[1] ?? '';
        this.cookie = value ? `dalaba_volunteer=${value}` : '';
      }
      return reply;
    }
    register(poster: string, name: string, phone: string) {
      return this.call('POST', `/api/v1/public/villages/${poster}/volunteers`, { name, phone });
    }
  }

  async function newSession(startsMinutesFromNow = -5, regionCode = DAXING_VILLAGE) {
    const reply = await t.api.post(
      '/api/v1/lecture-sessions',
      {
        topicId,
        mode: 'onsite',
        regionCode,
        startsAt: new Date(Date.now() + startsMinutesFromNow * 60_000).toISOString(),
        plannedMinutes: 90,
        lecturerIds: [lecturer.id],
        teamId,
      },
      { token: lecturer.token },
    );
    expect(reply.status).toBe(201);
    const checkin = await t.api.get(`/api/v1/lecture-sessions/${reply.body.id}/checkin`, { token: lecturer.token });
    expect(checkin.status).toBe(200);
    const key = new URL(checkin.body.url, t.url).searchParams.get('k')!;
    expect(checkin.body.url).toBe(`/v/session/${reply.body.id}?k=${encodeURIComponent(key)}`);
    return { id: reply.body.id as string, key };
  }

  async function openPoster(code: string, regionCode: string) {
    await sql(t.database, `INSERT INTO village_poster (region_code, code, opened_by_id) VALUES ($1, $2, $3)`, [
      regionCode,
      code,
      operator.id,
    ]);
  }

  beforeAll(async () => {
    t = await startApp({ TRUSTED_PROXIES: '127.0.0.1' });
    const admin = await adminToken(t);
    await importSongtao(t, admin);
    // A second county: its volunteers are strangers to Songtao's sessions.
    const other = await t.api.post('/api/v1/regions/import', undefined, {
      token: admin,
      raw: [
        'code,name,level,parent_code',
        '520627000000,沿河土家族自治县,county,',
        '520627001000,和平街道,township,520627000000',
        '520627001001,和平社区,village,520627001000',
      ].join('\n'),
      headers: { 'content-type': 'text/csv' },
    });
    expect(other.status).toBe(200);
    operator = await person(t, admin, 'daxing', 'operator', DAXING);
    lecturer = await person(t, admin, 'wang', 'lecturer', DAXING, '王理论');
    topicId = (
      await t.api.post(
        '/api/v1/topics',
        { countyCode: SONGTAO, title: '社会主义核心价值观', category: 'core_values' },
        { token: admin },
      )
    ).body.id;
    teamId = (
      await t.api.post(
        '/api/v1/teams',
        { name: '大兴宣讲队', regionCode: DAXING, members: [{ userId: lecturer.id }] },
        { token: operator.token },
      )
    ).body.id;
    await openPoster(SONGTAO_POSTER, DAXING_VILLAGE);
    await openPoster(PANSHI_POSTER, PANSHI_VILLAGE);
    await openPoster(OTHER_POSTER, OTHER_COUNTY_VILLAGE);
  }, 60_000);
  afterAll(() => t.close());
  beforeEach(() => {
    from = `203.0.113.${++address}`;
  });

  it('refuses a bad name, phone or body with 400 and registers nobody', async () => {
    const phone = new Phone();
    for (const body of [
      { name: '', phone: '13812341234' },
      { name: '李四\u202e', phone: '13812341234' },
      { name: '李'.repeat(31), phone: '13812341234' },
      { name: '李四', phone: '1381234123' },
      { name: '李四', phone: '23812341234' },
      { name: '李四' },
      { name: '李四', phone: '13812341234', village: DAXING_VILLAGE },
    ]) {
      const reply = await phone.call('POST', `/api/v1/public/villages/${SONGTAO_POSTER}/volunteers`, body);
      expect(reply.status).toBe(400);
      expect(reply.body.details?.length).toBeGreaterThan(0);
      expect(reply.headers.get('set-cookie')).toBeNull();
    }
    expect((await phone.register('no-such-poster', '李四', '13812341234')).status).toBe(404);
    expect(await sql(t.database, `SELECT id FROM volunteer`)).toEqual([]);
  });

  it('registers a volunteer from the poster and gives the phone an HttpOnly, SameSite=Lax card that only the server can read', async () => {
    const phone = new Phone();
    const reply = await phone.register(SONGTAO_POSTER, '张伟', '138 1234 5678');
    expect(reply.status).toBe(201);
    expect(reply.body).toEqual({
      id: expect.any(String),
      name: '张伟',
      village: { code: DAXING_VILLAGE, name: '白岩社区居民委员会' },
      phone: '138****5678',
      registeredAt: expect.stringMatching(/\+08:00$/),
    });
    const flags = phone.setCookie.split(';').map((part) => part.trim());
    expect(flags).toEqual(expect.arrayContaining(['HttpOnly', 'SameSite=Lax', 'Path=/', `Max-Age=${365 * 24 * 3600}`]));
    expect(flags).not.toContain('Secure');
    const [stored] = await sql<{ phone: string; card_hash: string }>(
      t.database,
      `SELECT phone, card_hash FROM volunteer WHERE id = $1`,
      [reply.body.id],
    );
    expect(stored.phone).toBe('13812345678');
    // Only a digest is kept: the cookie's secret is nowhere in the row.
    expect(stored.card_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(phone.cookie).not.toContain(stored.card_hash);

    const me = await phone.call('GET', '/api/v1/volunteer/me');
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ name: '张伟', phone: '138****5678', points: 0, earned: 0, history: [] });
    expect((await new Phone().call('GET', '/api/v1/volunteer/me')).status).toBe(401);

    // Behind a TLS proxy the card is Secure.
    const secure = new Phone();
    expect(
      (
        await secure.call(
          'POST',
          `/api/v1/public/villages/${SONGTAO_POSTER}/volunteers`,
          { name: '刘洋', phone: '13900001111' },
          { 'x-forwarded-proto': 'https', origin: origin().replace('http:', 'https:') },
        )
      ).status,
    ).toBe(201);
    expect(secure.setCookie.split(';').map((part) => part.trim())).toContain('Secure');
  });

  it('gives the same name and number a new card (ending the old phone’s) and asks another number for a mark', async () => {
    const first = new Phone();
    expect((await first.register(SONGTAO_POSTER, '陈静', '13711112222')).status).toBe(201);
    const second = new Phone();
    const again = await second.register(SONGTAO_POSTER, '陈静', '+86 137 1111 2222');
    expect(again.status).toBe(200);
    expect((await second.call('GET', '/api/v1/volunteer/me')).body.name).toBe('陈静');
    expect((await first.call('GET', '/api/v1/volunteer/me')).status).toBe(401);

    const stranger = new Phone();
    const taken = await stranger.register(SONGTAO_POSTER, '陈静', '13633334444');
    expect(taken.status).toBe(409);
    expect(taken.body.message).toMatch(/add a mark/);
    expect(taken.headers.get('set-cookie')).toBeNull();
    expect((await stranger.register(SONGTAO_POSTER, '陈静（村东）', '13633334444')).status).toBe(201);
    // The same name in another village is another person.
    expect((await new Phone().register(PANSHI_POSTER, '陈静', '13633334444')).status).toBe(201);
  });

  it('refuses a change carried by the card from another origin or without one (CSRF), and signs the phone out', async () => {
    const phone = new Phone();
    expect((await phone.register(SONGTAO_POSTER, '周敏', '13822223333')).status).toBe(201);
    const foreign = await phone.call('POST', '/api/v1/volunteer/me/code', undefined, {
      origin: 'https://evil.example',
    });
    expect(foreign.status).toBe(403);
    const bare = await t.api.request<any>('POST', '/api/v1/volunteer/me/code', undefined, {
      headers: { cookie: phone.cookie, 'x-forwarded-for': from },
    });
    expect(bare.status).toBe(403);
    expect((await phone.call('DELETE', '/api/v1/volunteer/me/card', undefined, { origin: 'null' })).status).toBe(403);
    // Reading is no change: no Origin needed.
    expect(
      (await t.api.get('/api/v1/volunteer/me', { headers: { cookie: phone.cookie, 'x-forwarded-for': from } })).status,
    ).toBe(200);

    const code = await phone.call('POST', '/api/v1/volunteer/me/code');
    expect(code.status).toBe(201);
    expect(code.body.code).toMatch(/^V1\./);
    expect(Date.parse(code.body.expiresAt)).toBeGreaterThan(Date.now());

    const card = phone.cookie;
    expect((await phone.call('DELETE', '/api/v1/volunteer/me/card')).status).toBe(204);
    expect(phone.setCookie).toMatch(/Max-Age=0/);
    const after = await t.api.get('/api/v1/volunteer/me', { headers: { cookie: card, 'x-forwarded-for': from } });
    expect(after.status).toBe(401);
  });

  it('limits registrations per address', async () => {
    const phone = new Phone();
    let reply: Reply | undefined;
    for (let i = 0; i < 31; i++) reply = await phone.register('no-such-poster', `路人${i}`, '13800000000');
    expect(reply!.status).toBe(429);
    expect(Number(reply!.headers.get('retry-after'))).toBeGreaterThan(0);
    // Another address is not held back.
    expect((await new Phone('198.51.100.7').register('no-such-poster', '路人', '13800000000')).status).toBe(404);
  });

  it('shows a session by its QR code only with the right key, and the volunteer’s own sign-in and sign-out', async () => {
    const session = await newSession();
    const phone = new Phone();
    expect((await phone.register(SONGTAO_POSTER, '吴芳', '13944445555')).status).toBe(201);

    for (const path of [
      `/api/v1/public/sessions/${session.id}?k=wrong-key`,
      `/api/v1/public/sessions/00000000-0000-4000-8000-000000000000?k=${session.key}`,
    ]) {
      const reply = await phone.call('GET', path);
      expect(reply.status).toBe(404);
      expect(reply.body.message).toMatch(/No session has this sign-in code/);
    }
    expect((await phone.call('GET', `/api/v1/public/sessions/${session.id}`)).status).toBe(400);
    for (const key of ['wrong-key', '']) {
      expect((await phone.call('POST', `/api/v1/volunteer/sessions/${session.id}/sign-in`, { key })).status).toBe(
        key ? 404 : 400,
      );
    }

    const anonymous = await new Phone().call('GET', `/api/v1/public/sessions/${session.id}?k=${session.key}`);
    expect(anonymous.status).toBe(200);
    expect(anonymous.body).toMatchObject({
      topicTitle: '社会主义核心价值观',
      villageName: '白岩社区居民委员会',
      status: 'planned',
      startsAt: expect.stringMatching(/\+08:00$/),
      volunteer: null,
    });
    expect((await new Phone().call('POST', `/api/v1/volunteer/sessions/${session.id}/sign-in`, session)).status).toBe(
      401,
    );

    const view = () => phone.call('GET', `/api/v1/public/sessions/${session.id}?k=${session.key}`);
    expect((await view()).body.volunteer).toEqual({ name: '吴芳', attendance: null });
    const sign = (what: 'sign-in' | 'sign-out') =>
      phone.call('POST', `/api/v1/volunteer/sessions/${session.id}/${what}`, { key: session.key });
    expect((await sign('sign-out')).status).toBe(409);
    const signedIn = await sign('sign-in');
    expect(signedIn.status).toBe(201);
    expect(signedIn.body).toEqual({ signedInAt: expect.stringMatching(/\+08:00$/), signedOutAt: null });
    expect((await sign('sign-in')).status).toBe(409);
    expect((await view()).body.volunteer.attendance).toEqual(signedIn.body);
    const signedOut = await sign('sign-out');
    expect(signedOut.status).toBe(200);
    expect(signedOut.body.signedInAt).toBe(signedIn.body.signedInAt);
    expect(signedOut.body.signedOutAt).toEqual(expect.stringMatching(/\+08:00$/));
    // One sign-in and one sign-out per session.
    expect((await sign('sign-out')).status).toBe(409);
    expect((await sign('sign-in')).status).toBe(409);

    const checkin = await t.api.get(`/api/v1/lecture-sessions/${session.id}/checkin`, { token: operator.token });
    expect(checkin.body.attendance).toEqual([{ volunteerId: expect.any(String), name: '吴芳', ...signedOut.body }]);
  });

  it('refuses a volunteer of another county with 403, and signing in long before the session with 409', async () => {
    const session = await newSession();
    const stranger = new Phone();
    expect((await stranger.register(OTHER_POSTER, '郑强', '13566667777')).status).toBe(201);
    expect(
      (await stranger.call('POST', `/api/v1/volunteer/sessions/${session.id}/sign-in`, { key: session.key })).status,
    ).toBe(403);

    const later = await newSession(24 * 60);
    const phone = new Phone();
    expect((await phone.register(SONGTAO_POSTER, '钱多', '13577778888')).status).toBe(201);
    const reply = await phone.call('POST', `/api/v1/volunteer/sessions/${later.id}/sign-in`, { key: later.key });
    expect(reply.status).toBe(409);
    expect(reply.body.message).toMatch(/opens at/);
  });

  it('counts each volunteer’s hours from their own sign-in and sign-out at completion; a scan afterwards is refused; the ledger verifies', async () => {
    const session = await newSession();
    const phones = { early: new Phone(), brief: new Phone(), stays: new Phone() };
    const names = { early: '孙丽', brief: '何军', stays: '马红' };
    const ids: Record<string, string> = {};
    let n = 0;
    for (const [who, phone] of Object.entries(phones)) {
      const reply = await phone.register(SONGTAO_POSTER, names[who as keyof typeof names], `1360000000${n++}`);
      expect(reply.status).toBe(201);
      ids[who] = reply.body.id;
      expect(
        (await phone.call('POST', `/api/v1/volunteer/sessions/${session.id}/sign-in`, { key: session.key })).status,
      ).toBe(201);
    }
    for (const who of ['early', 'brief'] as const)
      expect(
        (await phones[who].call('POST', `/api/v1/volunteer/sessions/${session.id}/sign-out`, { key: session.key }))
          .status,
      ).toBe(200);
    // Their scans moved back in time as if they had come and gone at different moments (the test cannot wait an hour).
    const shift = (who: string, signedIn: string, signedOut: string | null) =>
      sql(
        t.database,
        `UPDATE session_attendance SET signed_in_at = ${signedIn}, signed_out_at = ${signedOut ?? 'NULL'} WHERE session_id = $1 AND volunteer_id = $2`,
        [session.id, ids[who]],
      );
    await shift('early', `signed_out_at - interval '72 minutes'`, `signed_out_at`);
    await shift('brief', `signed_out_at - interval '20 minutes 30 seconds'`, `signed_out_at`);
    await shift('stays', `now() - interval '45 minutes'`, null);

    const named = await t.api.post(
      `/api/v1/lecture-sessions/${session.id}/complete`,
      { attendance: 40, actualMinutes: 90, signIns: ['老队员'] },
      { token: lecturer.token },
    );
    expect(named.status).toBe(200);

    const rows = await sql<{ volunteer_id: string; signed_in_at: Date; signed_out_at: Date }>(
      t.database,
      `SELECT volunteer_id, signed_in_at, signed_out_at FROM session_attendance WHERE session_id = $1`,
      [session.id],
    );
    const [{ completed_at: completedAt }] = await sql<{ completed_at: Date }>(
      t.database,
      `SELECT completed_at FROM lecture_session WHERE id = $1`,
      [session.id],
    );
    const own = (who: string) => rows.find((row) => row.volunteer_id === ids[who])!;
    // Whoever was still signed in was signed out at the completion.
    expect(own('stays').signed_out_at).toEqual(completedAt);
    const minutesOf = (who: string) =>
      Math.floor((own(who).signed_out_at.getTime() - own(who).signed_in_at.getTime()) / 60_000);
    expect([minutesOf('early'), minutesOf('brief')]).toEqual([72, 20]);
    expect(minutesOf('stays')).toBeGreaterThanOrEqual(45);

    const ledger = (
      await t.api.get(`/api/v1/ledger?region=${DAXING_VILLAGE}&kind=volunteer_hours,points_awarded&limit=500`, {
        token: operator.token,
      })
    ).body.items as any[];
    const ofSession = ledger.filter((entry) => entry.payload.sessionId === session.id);
    const hoursOf = (id: string) =>
      ofSession.find((entry) => entry.kind === 'volunteer_hours' && entry.payload.volunteerId === id)?.payload;
    const pointsOf = (id: string) =>
      ofSession.find((entry) => entry.kind === 'points_awarded' && entry.payload.holderId === id)?.payload.points;
    for (const who of ['early', 'brief', 'stays']) {
      expect(hoursOf(ids[who])).toEqual({
        volunteerId: ids[who],
        name: names[who as keyof typeof names],
        sessionId: session.id,
        minutes: minutesOf(who),
        signedInAt: expect.stringMatching(/\+08:00$/),
        signedOutAt: expect.stringMatching(/\+08:00$/),
      });
      expect(Date.parse(hoursOf(ids[who]).signedInAt)).toBe(own(who).signed_in_at.getTime());
      // The county's default rate, 10 points an hour, rounded down.
      expect(pointsOf(ids[who])).toBe(Math.floor((minutesOf(who) * 10) / 60));
    }
    expect([pointsOf(ids.early), pointsOf(ids.brief)]).toEqual([12, 3]);
    // The volunteer the lecturer named gets the session's minutes.
    const elder = ofSession.find((entry) => entry.kind === 'volunteer_hours' && entry.payload.name === '老队员');
    expect(elder.payload).toEqual(expect.objectContaining({ minutes: 90 }));
    expect(elder.payload.signedInAt).toBeUndefined();

    const me = await phones.early.call('GET', '/api/v1/volunteer/me');
    expect(me.body).toMatchObject({ points: 12, earned: 12 });
    expect(me.body.history).toEqual([
      expect.objectContaining({
        kind: 'hours',
        sessionId: session.id,
        topicTitle: '社会主义核心价值观',
        minutes: 72,
        points: 12,
        balance: 12,
        signedInAt: hoursOf(ids.early).signedInAt,
      }),
    ]);

    for (const what of ['sign-in', 'sign-out']) {
      const reply = await phones.stays.call('POST', `/api/v1/volunteer/sessions/${session.id}/${what}`, {
        key: session.key,
      });
      expect(reply.status).toBe(409);
      expect(reply.body.message).toBe('the session is completed; signing in or out is closed');
    }
    // The volunteer the lecturer named registers later: the name (without a number yet) becomes theirs, hours and all.
    const elderPhone = new Phone();
    expect((await elderPhone.register(SONGTAO_POSTER, '老队员', '13812120000')).status).toBe(200);
    expect((await elderPhone.call('GET', '/api/v1/volunteer/me')).body).toMatchObject({
      points: 15,
      history: [expect.objectContaining({ minutes: 90, points: 15, signedInAt: null })],
    });
    expect((await new Phone().register(SONGTAO_POSTER, '老队员', '13812129999')).status).toBe(409);

    const verify = await t.api.get('/api/v1/ledger/verify', { token: operator.token });
    expect(verify.body).toMatchObject({ ok: true });
  });

  it('shows a volunteer what they may redeem: their county’s and township’s items on offer, no other township’s, none retired', async () => {
    const admin = await adminToken(t);
    const item = async (regionCode: string, name: string, pointsPrice: number) => {
      const made = await t.api.post(
        '/api/v1/redemption-items',
        { regionCode, name, pointsPrice, stock: 3 },
        { token: admin },
      );
      expect(made.status).toBe(201);
      return made.body.id as string;
    };
    await item(SONGTAO, '县里的台灯', 200);
    await item(DAXING, '大兴的毛巾', 20);
    await item(PANSHI, '盘石的米', 50);
    const retired = await item(DAXING, '下架的雨伞', 30);
    expect(
      (await t.api.request('PATCH', `/api/v1/redemption-items/${retired}`, { retired: true }, { token: admin })).status,
    ).toBe(200);

    expect((await new Phone().call('GET', '/api/v1/volunteer/redemption-items')).status).toBe(401);
    const phone = new Phone();
    expect((await phone.register(SONGTAO_POSTER, '赵兑换', '13700001111')).status).toBe(201);
    const offered = await phone.call('GET', '/api/v1/volunteer/redemption-items');
    expect(offered.status).toBe(200);
    expect(
      offered.body.items.map((offer: { name: string; regionName: string }) => [offer.name, offer.regionName]),
    ).toEqual([
      ['大兴的毛巾', '大兴街道'],
      ['县里的台灯', '松桃苗族自治县'],
    ]);
  });

  it('shows the sign-in code only to a lecturer of the session or an operator in scope', async () => {
    const session = await newSession();
    const admin = await adminToken(t);
    const outsider = await person(t, admin, 'zhao', 'lecturer', DAXING, '赵老师');
    expect((await t.api.get(`/api/v1/lecture-sessions/${session.id}/checkin`, { token: outsider.token })).status).toBe(
      403,
    );
    const panshi = await person(t, admin, 'panshi', 'operator', '520628101000');
    expect((await t.api.get(`/api/v1/lecture-sessions/${session.id}/checkin`, { token: panshi.token })).status).toBe(
      403,
    );
  });
});
