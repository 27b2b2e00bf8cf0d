import { sql } from './helpers/databases';
import { startApp, type TestApp } from './helpers/app';
import { settled } from './helpers/media';
import {
  adminToken,
  DAXING,
  DAXING_VILLAGE,
  deliverOrder,
  importSongtao,
  person,
  PANSHI_VILLAGE,
  SONGTAO,
} from './helpers/factories';
import { addDays, countyDate } from '../src/kernel/county-time';

// A second county, whose menu a Songtao village may not order from.
const YANHE = '520627000000';
const YANHE_CSV = `code,name,level,parent_code\n${YANHE},沿河土家族自治县,county,\n520627001000,和平街道,township,${YANHE}\n520627001001,城南社区,village,520627001000\n`;
// More villages of 大兴街道, one per abuse case, so each case has its own village counters.
const LIMITED_VILLAGE = '520628001002';
const CAPPED_VILLAGE = '520628001003';

const PHONE = '13812345678';
const MASKED = '138****5678';
const LIMITS = {
  PUBLIC_REQUESTS_PER_ADDRESS_PER_MINUTE: '8',
  PUBLIC_REQUESTS_PER_VILLAGE_PER_MINUTE: '12',
  PUBLIC_WRITES_PER_ADDRESS_PER_HOUR: '3',
  VILLAGER_ORDERS_PER_VILLAGE_PER_DAY: '3',
};

/**
 * Villagers, with no account, from their village's poster: the month's theme
 * and the menu, an order (点单) with a contact number that is only ever shown
 * masked, what the loudspeakers air today and the last week's evening
 * programmes, and the one-time rating link (评单) that writes the villager's
 * own rating to the ledger. Abuse first: limits per address and per village,
 * a daily cap per village, and codes that do not say whether they ever existed.
 */
describe('villagers from the village poster', () => {
  let t: TestApp;
  let admin: string;
  const users: Record<string, { id: string; token: string }> = {};
  let topicId: string;
  let teamId: string;
  let posterCode: string;
  // Each request comes from an address of its own unless a case says otherwise (the test app trusts loopback as a proxy).
  let addresses = 0;
  const newAddress = () => `203.0.${Math.floor(++addresses / 250)}.${addresses % 250}`;

  const as = (who: string) => ({ token: users[who]?.token ?? admin });
  const pub = (method: string, path: string, body?: unknown, from = newAddress()) =>
    t.api.request<any>(method, `/api/v1/public${path}`, body, { headers: { 'x-forwarded-for': from } });
  const count = async (table: string) =>
    Number((await sql<{ n: string }>(t.database, `select count(*) as n from ${table}`))[0].n);

  async function openPoster(village: string): Promise<string> {
    const opened = await t.api.post(`/api/v1/regions/${village}/poster`, undefined, as('township'));
    expect(opened.status).toBe(200);
    return opened.body.code;
  }

  beforeAll(async () => {
    t = await startApp({ TRUSTED_PROXIES: '127.0.0.1', ...LIMITS });
    admin = await adminToken(t);
    await importSongtao(t, admin);
    const yanhe = await t.api.post('/api/v1/regions/import', undefined, {
      token: admin,
      raw: YANHE_CSV,
      headers: { 'content-type': 'text/csv' },
    });
    expect(yanhe.status).toBe(200);
    users.county = await person(t, admin, 'county', 'operator', SONGTAO);
    users.township = await person(t, admin, 'township', 'operator', DAXING);
    users.panshi = await person(t, admin, 'panshi', 'operator', '520628101000');
    users.lecturer = await person(t, admin, 'lecturer', 'lecturer', DAXING);
    users.stranger = await person(t, admin, 'stranger', 'lecturer', DAXING);
    users.yanhe = await person(t, admin, 'yanhe', 'operator', YANHE);
    const topic = (countyCode: string, title: string, who: string) =>
      t.api.post('/api/v1/topics', { countyCode, title, category: 'customs' }, as(who));
    topicId = (await topic(SONGTAO, '移风易俗', 'county')).body.id;
    teamId = (
      await t.api.post(
        '/api/v1/teams',
        { name: '大兴宣讲队', regionCode: DAXING, members: [{ userId: users.lecturer.id }] },
        as('township'),
      )
    ).body.id;
    expect(teamId).toBeDefined();
  }, 60_000);
  afterAll(() => t.close());

  describe('the poster', () => {
    it('is a village’s only: a township or another county’s village is refused, and nothing opens', async () => {
      const township = await t.api.post(`/api/v1/regions/${DAXING}/poster`, undefined, as('township'));
      expect(township.status).toBe(400);
      expect(township.body.message).toMatch(/belongs to a village/);
      expect((await t.api.post(`/api/v1/regions/${PANSHI_VILLAGE}/poster`, undefined, as('township'))).status).toBe(
        403,
      );
      expect((await t.api.post(`/api/v1/regions/${DAXING_VILLAGE}/poster`, undefined, as('lecturer'))).status).toBe(
        403,
      );
      expect(await count('village_poster')).toBe(0);
    });

    it('opens with an unguessable code and names the village, its township and county', async () => {
      const closed = await t.api.get(`/api/v1/regions/${DAXING_VILLAGE}/poster`, as('township'));
      expect(closed.body).toMatchObject({ open: false, code: null, path: null });
      posterCode = await openPoster(DAXING_VILLAGE);
      expect(posterCode).toMatch(/^[A-Za-z0-9_-]{10,}$/);
      const poster = await t.api.get(`/api/v1/regions/${DAXING_VILLAGE}/poster`, as('township'));
      expect(poster.body).toMatchObject({
        open: true,
        code: posterCode,
        path: `/v/village/${posterCode}`,
        place: { village: '白岩社区居民委员会', township: '大兴街道', county: '松桃苗族自治县' },
      });
    });

    it('answers a replaced, a closed and a never-existing code exactly alike', async () => {
      const village = '520628001100';
      const first = await openPoster(village);
      expect((await pub('GET', `/villages/${first}`)).status).toBe(200);
      const second = await openPoster(village);
      expect(second).not.toBe(first);
      const replaced = await pub('GET', `/villages/${first}`);
      expect((await pub('GET', `/villages/${second}`)).status).toBe(200);
      const closing = await t.api.request<any>(
        'DELETE',
        `/api/v1/regions/${village}/poster`,
        undefined,
        as('township'),
      );
      expect(closing.status).toBe(200);
      expect(closing.body).toMatchObject({ open: false, code: null });
      const closed = await pub('GET', `/villages/${second}`);
      const never = await pub('GET', '/villages/NoSuchPosterCode123');
      const strip = ({ status, body }: { status: number; body: any }) => ({ status, body: { ...body, requestId: 0 } });
      expect(strip(replaced)).toEqual(strip(never));
      expect(strip(closed)).toEqual(strip(never));
      expect(never.status).toBe(404);
      const ordered = await pub('POST', `/villages/${second}/orders`, { topicId });
      expect(strip(ordered)).toEqual(strip(never));
    });
  });

  describe('the village page and an order', () => {
    it('shows the month’s theme and only the topics on the menu', async () => {
      const month = countyDate(new Date()).slice(0, 7);
      const retired = (
        await t.api.post('/api/v1/topics', { countyCode: SONGTAO, title: '已撤下', category: 'customs' }, as('county'))
      ).body.id;
      await sql(t.database, 'update topic set retired_at = now() where id = $1', [retired]);
      expect(
        (
          await t.api.request<any>(
            'PUT',
            `/api/v1/themes/${month}`,
            { countyCode: SONGTAO, title: '文明新风进万家', topicId },
            as('county'),
          )
        ).status,
      ).toBe(200);
      const page = await pub('GET', `/villages/${posterCode}`);
      expect(page.status).toBe(200);
      expect(page.body).toMatchObject({
        place: { village: '白岩社区居民委员会', township: '大兴街道', county: '松桃苗族自治县' },
        month,
        theme: { title: '文明新风进万家' },
      });
      expect(page.body.topics.map((topic: any) => topic.title)).toEqual(['移风易俗']);
    });

    it('refuses a bad phone number, an unknown field and another county’s topic, and stores nothing', async () => {
      const yanheTopic = (
        await t.api.post('/api/v1/topics', { countyCode: YANHE, title: '沿河话题', category: 'customs' }, as('yanhe'))
      ).body.id;
      const before = await count('lecture_order');
      const badPhone = await pub('POST', `/villages/${posterCode}/orders`, { topicId, phone: '12345' });
      expect(badPhone.status).toBe(400);
      expect(JSON.stringify(badPhone.body.details)).toMatch(/mainland mobile number/);
      expect((await pub('POST', `/villages/${posterCode}/orders`, { topicId, regionCode: DAXING })).status).toBe(400);
      const foreign = await pub('POST', `/villages/${posterCode}/orders`, { topicId: yanheTopic });
      expect(foreign.status).toBe(400);
      expect(foreign.body.message).toMatch(/menu of/);
      expect(await count('lecture_order')).toBe(before);
    });

    it('places the order as the villager’s, keeps the note as text and never shows the whole number', async () => {
      const note = '<script>alert(1)</script> 请讲讲<b>移风易俗</b>';
      const placed = await pub('POST', `/villages/${posterCode}/orders`, { topicId, notes: note, phone: PHONE });
      expect(placed.status).toBe(201);
      expect(placed.body).toMatchObject({ topicTitle: '移风易俗', contactPhone: MASKED });
      const id = placed.body.id;

      const seen = await t.api.get(`/api/v1/orders/${id}`, as('township'));
      expect(seen.body).toMatchObject({
        source: 'villager',
        orderedById: null,
        contactPhone: MASKED,
        notes: note,
        regionCode: DAXING_VILLAGE,
        status: 'ordered',
      });
      const listed = await t.api.get(`/api/v1/orders?region=${DAXING}`, as('township'));
      expect(JSON.stringify(listed.body)).not.toContain(PHONE);
      expect(JSON.stringify(listed.body)).toContain(MASKED);
      const [row] = await sql<{ contact_phone: string }>(
        t.database,
        'select contact_phone from lecture_order where id = $1',
        [id],
      );
      expect(row.contact_phone).toBe(PHONE);

      const byOperator = await t.api.post('/api/v1/orders', { topicId, regionCode: DAXING_VILLAGE }, as('township'));
      expect(byOperator.body).toMatchObject({ source: 'operator', contactPhone: null, orderedById: users.township.id });
    });

    it('forgets the number when the order is cancelled', async () => {
      // Typed the way people write it; kept as its eleven digits.
      const placed = await pub('POST', `/villages/${posterCode}/orders`, { topicId, phone: '+86 139-0000-1111' });
      expect(placed.status).toBe(201);
      expect(placed.body.contactPhone).toBe('139****1111');
      const [stored] = await sql<{ contact_phone: string }>(
        t.database,
        'select contact_phone from lecture_order where id = $1',
        [placed.body.id],
      );
      expect(stored.contact_phone).toBe('13900001111');
      expect(
        (await t.api.post(`/api/v1/orders/${placed.body.id}/cancel`, undefined, as('township'))).body,
      ).toMatchObject({ status: 'cancelled', contactPhone: null });
      const [row] = await sql<{ contact_phone: string | null }>(
        t.database,
        'select contact_phone from lecture_order where id = $1',
        [placed.body.id],
      );
      expect(row.contact_phone).toBeNull();
    });
  });

  describe('the one-time rating link', () => {
    let orderId: string;

    it('exists once the order is delivered, for the team that delivered it', async () => {
      const placed = await pub('POST', `/villages/${posterCode}/orders`, { topicId, phone: PHONE });
      expect(placed.status).toBe(201);
      orderId = placed.body.id;
      const early = await t.api.get(`/api/v1/orders/${orderId}/rating-link`, as('township'));
      expect(early.status).toBe(409);
      await deliverOrder(
        t,
        { id: orderId, topicId, regionCode: DAXING_VILLAGE },
        teamId,
        users.county.token,
        users.lecturer,
      );

      expect((await t.api.get(`/api/v1/orders/${orderId}/rating-link`, as('stranger'))).status).toBe(403);
      const link = await t.api.get(`/api/v1/orders/${orderId}/rating-link`, as('lecturer'));
      expect(link.status).toBe(200);
      expect(link.body.url).toBe(`/v/rate/${link.body.token}`);
      expect(link.body.token).toMatch(/^[A-Za-z0-9_-]{20,}$/);
      expect((await t.api.get(`/api/v1/orders/${orderId}/rating-link`, as('township'))).body).toEqual(link.body);
    });

    it('refuses a bad rating and an unknown link, then records the villager’s own rating once', async () => {
      const { token } = (await t.api.get(`/api/v1/orders/${orderId}/rating-link`, as('lecturer'))).body;
      const about = await pub('GET', `/ratings/${token}`);
      expect(about.body).toEqual({
        topicTitle: '移风易俗',
        village: '白岩社区居民委员会',
        deliveredAt: expect.any(String),
        teamName: '大兴宣讲队',
        rated: false,
      });
      expect((await pub('POST', `/ratings/${token}`, { rating: 'great' })).status).toBe(400);
      expect((await pub('POST', `/ratings/${token}`, { rating: 'excellent', actorId: users.county.id })).status).toBe(
        400,
      );
      expect((await pub('GET', '/ratings/NoSuchRatingToken00000')).status).toBe(404);
      expect((await pub('POST', '/ratings/NoSuchRatingToken00000', { rating: 'excellent' })).status).toBe(404);
      const ratings = await count("ledger_entry where kind = 'rating'");
      expect(ratings).toBe(0);

      const comment = '<img src=x onerror=alert(1)> 讲得好';
      const rated = await pub('POST', `/ratings/${token}`, { rating: 'satisfied', comment });
      expect(rated.status).toBe(200);
      const again = await pub('POST', `/ratings/${token}`, { rating: 'unsatisfied' });
      expect(again.status).toBe(409);
      expect(again.body.message).toMatch(/rated already/);
      expect((await pub('GET', `/ratings/${token}`)).body.rated).toBe(true);

      expect((await t.api.get(`/api/v1/orders/${orderId}`, as('county'))).body).toMatchObject({
        status: 'rated',
        rating: 'satisfied',
        ratedById: null,
        contactPhone: null,
      });
      const [row] = await sql<{ contact_phone: string | null; rating_comment: string }>(
        t.database,
        'select contact_phone, rating_comment from lecture_order where id = $1',
        [orderId],
      );
      expect(row).toEqual({ contact_phone: null, rating_comment: comment });
      const entries = (await t.api.get('/api/v1/ledger?kind=rating', as('county'))).body.items;
      expect(entries).toHaveLength(1);
      expect(entries[0]).toMatchObject({
        actor: null,
        payload: { orderId, rating: 'satisfied', comment, source: 'villager', ratedFor: null },
      });
      expect((await t.api.get(`/api/v1/orders/${orderId}/rating-link`, as('lecturer'))).status).toBe(409);
      expect((await t.api.get('/api/v1/ledger/verify', as('county'))).body).toMatchObject({ ok: true });
    });
  });

  describe('abuse', () => {
    it('limits one address, with Retry-After, whatever codes it tries', async () => {
      const from = newAddress();
      const answers: number[] = [];
      for (let i = 0; i < Number(LIMITS.PUBLIC_REQUESTS_PER_ADDRESS_PER_MINUTE) + 1; i++)
        answers.push((await pub('GET', `/villages/guess${i}xxxxxxxx`, undefined, from)).status);
      expect(answers.slice(0, -1).every((status) => status === 404)).toBe(true);
      const limited = await pub('GET', `/villages/${posterCode}`, undefined, from);
      expect(limited.status).toBe(429);
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(limited.body).toMatchObject({ statusCode: 429, error: 'Too Many Requests' });
      expect(limited.body.message).toMatch(/Too many requests from your network/);
      // Another address is not held up by it.
      expect((await pub('GET', `/villages/${posterCode}`, undefined, newAddress())).status).toBe(200);
    });

    it('limits one village, whichever addresses ask', async () => {
      const code = await openPoster(LIMITED_VILLAGE);
      const max = Number(LIMITS.PUBLIC_REQUESTS_PER_VILLAGE_PER_MINUTE);
      for (let i = 0; i < max; i++)
        expect((await pub('GET', `/villages/${code}`, undefined, newAddress())).status).toBe(200);
      const limited = await pub('GET', `/villages/${code}/today`, undefined, newAddress());
      expect(limited.status).toBe(429);
      expect(limited.body.message).toMatch(/Too many requests for this village/);
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    });

    it('limits orders and ratings from one address', async () => {
      const code = await openPoster('520628001101');
      const from = newAddress();
      const max = Number(LIMITS.PUBLIC_WRITES_PER_ADDRESS_PER_HOUR);
      for (let i = 0; i < max; i++) await pub('POST', `/ratings/NoSuchRatingToken${i}`, { rating: 'excellent' }, from);
      const before = await count('lecture_order');
      const limited = await pub('POST', `/villages/${code}/orders`, { topicId }, from);
      expect(limited.status).toBe(429);
      expect(limited.body.message).toMatch(/Too many orders or ratings from your network/);
      expect(await count('lecture_order')).toBe(before);
    });

    it('caps a village’s orders a day, counted in Postgres', async () => {
      const code = await openPoster(CAPPED_VILLAGE);
      const cap = Number(LIMITS.VILLAGER_ORDERS_PER_VILLAGE_PER_DAY);
      for (let i = 0; i < cap; i++)
        expect((await pub('POST', `/villages/${code}/orders`, { topicId }, newAddress())).status).toBe(201);
      const capped = await pub('POST', `/villages/${code}/orders`, { topicId }, newAddress());
      expect(capped.status).toBe(429);
      expect(capped.body.message).toMatch(new RegExp(`placed its ${cap} orders for today already`));
      expect(Number(capped.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(await count(`lecture_order where region_code = '${CAPPED_VILLAGE}'`)).toBe(cap);
      // An operator still orders for the village.
      expect((await t.api.post('/api/v1/orders', { topicId, regionCode: CAPPED_VILLAGE }, as('township'))).status).toBe(
        201,
      );
    });
  });

  describe('what the loudspeakers air', () => {
    let title: string;

    beforeAll(async () => {
      const speech = await t.api.post('/api/v1/media/tts', { text: '今晚七点在村委会开群众会。' }, as('township'));
      const media = await settled(t, users.township.token, speech.body.id);
      title = '白岩社区村规民约';
      const programme = await t.api.post(
        '/api/v1/programmes',
        { title, category: 'village_rules', segments: [media.id] },
        as('township'),
      );
      const broadcast = await t.api.post(
        '/api/v1/broadcasts',
        { programmeId: programme.body.id, regionCodes: [DAXING_VILLAGE], recurrence: 'FREQ=DAILY' },
        as('township'),
      );
      expect(broadcast.status).toBe(201);
      // As if it had been scheduled three days ago: its earlier airings are in the past.
      await sql(t.database, `update scheduled_broadcast set start_date = start_date - 3 where id = $1`, [
        broadcast.body.id,
      ]);
    }, 120_000);

    it('lists today’s items in county time', async () => {
      const today = await pub('GET', `/villages/${posterCode}/today`);
      expect(today.status).toBe(200);
      expect(today.body.date).toBe(countyDate(new Date()));
      expect(today.body.items).toEqual([
        {
          title,
          startsAt: `${today.body.date}T17:30:00+08:00`,
          durationMs: expect.any(Number),
          kind: 'scheduled',
          drill: false,
        },
      ]);
    });

    it('plays back the evening programmes of the past days, from public rendition files', async () => {
      const replays = await pub('GET', `/villages/${posterCode}/replays`);
      expect(replays.status).toBe(200);
      const today = countyDate(new Date());
      expect(replays.body).toMatchObject({ from: addDays(today, -6), to: today });
      const past = replays.body.items.filter((item: any) => item.date < today);
      expect(past.map((item: any) => item.date)).toEqual([addDays(today, -1), addDays(today, -2), addDays(today, -3)]);
      expect(past.every((item: any) => item.title === title && item.parts.length === 1)).toBe(true);
      const audio = await fetch(`${t.url}${past[0].parts[0].url}`);
      expect(audio.status).toBe(200);
      expect(audio.headers.get('content-type')).toBe('audio/mpeg');
      // Another village's poster does not list this village's own programme.
      const panshi = await openPosterAs('panshi', PANSHI_VILLAGE);
      expect((await pub('GET', `/villages/${panshi}/replays`)).body.items).toEqual([]);
    });

    async function openPosterAs(who: string, village: string): Promise<string> {
      return (await t.api.post(`/api/v1/regions/${village}/poster`, undefined, as(who))).body.code;
    }
  });
});
