import { randomUUID } from 'node:crypto';
import { sql } from './helpers/databases';
import { startApp, type TestApp } from './helpers/app';
import type { Role } from '../src/auth/domain/permissions';
import {
  adminToken,
  DAXING,
  DAXING_VILLAGE,
  importSongtao,
  person as createPerson,
  SONGTAO,
} from './helpers/factories';

// A second county, to register a session against an order that is not the caller's.
const YANHE = '520627000000';
const YANHE_VILLAGE = '520627001001';
const YANHE_CSV = `code,name,level,parent_code\n${YANHE},沿河土家族自治县,county,\n520627001000,和平街道,township,${YANHE}\n${YANHE_VILLAGE},城南社区,village,520627001000\n`;

/**
 * The four-order flow with its duties separated: no one person carries a
 * village's order from the request to its rating, and every order says who
 * placed and rated it and for which villager. A session cannot learn the
 * state of an order outside its registrant's scope.
 */
describe('who may act on a village lecture order', () => {
  let t: TestApp;
  let admin: string;
  const users: Record<string, { id: string; token: string }> = {};
  let topicId: string;
  let teamId: string;

  const api = (method: string, path: string, who: string, body?: unknown) =>
    t.api.request<any>(method, path, body, { token: users[who]?.token ?? admin });
  const count = async (table: string) =>
    Number((await sql<{ n: string }>(t.database, `select count(*) as n from ${table}`))[0].n);

  async function person(name: string, role: Role, scopeCode: string) {
    users[name] = await createPerson(t, admin, name, role, scopeCode);
  }

  beforeAll(async () => {
    t = await startApp();
    admin = await adminToken(t);
    await importSongtao(t, admin);
    expect(
      (
        await t.api.post('/api/v1/regions/import', undefined, {
          token: admin,
          raw: YANHE_CSV,
          headers: { 'content-type': 'text/csv' },
        })
      ).status,
    ).toBe(200);
    await person('county', 'operator', SONGTAO);
    await person('township', 'operator', DAXING);
    await person('village', 'operator', DAXING_VILLAGE);
    await person('lecturer', 'lecturer', DAXING);
    await person('yanhe', 'operator', YANHE);
    topicId = (
      await api('POST', '/api/v1/topics', 'county', { countyCode: SONGTAO, title: '移风易俗', category: 'customs' })
    ).body.id;
    teamId = (
      await api('POST', '/api/v1/teams', 'township', {
        name: '大兴宣讲队',
        regionCode: DAXING,
        members: [{ userId: users.lecturer.id }],
      })
    ).body.id;
  }, 60_000);
  afterAll(() => t.close());

  /** Dispatched by `dispatcher`, accepted and delivered by the team's lecturer. */
  async function deliver(orderId: string, dispatcher: string) {
    expect((await api('POST', `/api/v1/orders/${orderId}/dispatch`, dispatcher, { teamId })).status).toBe(200);
    expect((await api('POST', `/api/v1/orders/${orderId}/accept`, 'lecturer')).status).toBe(200);
    const session = await api('POST', '/api/v1/lecture-sessions', 'lecturer', {
      topicId,
      mode: 'onsite',
      regionCode: DAXING_VILLAGE,
      startsAt: new Date(Date.now() - 5 * 60_000).toISOString(),
      plannedMinutes: 60,
      lecturerIds: [users.lecturer.id],
      teamId,
      orderId,
    });
    expect(session.status).toBe(201);
    expect(
      (
        await api('POST', `/api/v1/lecture-sessions/${session.body.id}/complete`, 'lecturer', {
          attendance: 30,
          actualMinutes: 60,
        })
      ).status,
    ).toBe(200);
  }

  it('refuses the operator who placed an order the dispatch of it, with 409, and records whom it was placed for', async () => {
    const placed = await api('POST', '/api/v1/orders', 'township', {
      topicId,
      regionCode: DAXING_VILLAGE,
      onBehalfOf: '村民张大爷',
    });
    expect(placed.status).toBe(201);
    expect(placed.body).toMatchObject({
      orderedById: users.township.id,
      orderedFor: '村民张大爷',
      ratedById: null,
      ratedFor: null,
    });

    const refused = await api('POST', `/api/v1/orders/${placed.body.id}/dispatch`, 'township', { teamId });
    expect(refused.status).toBe(409);
    expect(refused.body.message).toMatch(/you placed this order/);
    expect((await api('GET', `/api/v1/orders/${placed.body.id}`, 'county')).body).toMatchObject({
      status: 'ordered',
      dispatchedById: null,
      teamId: null,
    });

    expect((await api('POST', `/api/v1/orders/${placed.body.id}/dispatch`, 'county', { teamId })).status).toBe(200);
  });

  it('refuses the dispatcher the rating with 409; the village side rates, and the order and its ledger entry say who rated it for whom', async () => {
    const placed = (await api('POST', '/api/v1/orders', 'village', { topicId, regionCode: DAXING_VILLAGE })).body;
    await deliver(placed.id, 'township');
    const ratingsBefore = await count("ledger_entry where kind = 'rating'");

    const refused = await api('POST', `/api/v1/orders/${placed.id}/rating`, 'township', { rating: 'excellent' });
    expect(refused.status).toBe(409);
    expect(refused.body.message).toMatch(/you dispatched this order/);
    expect((await api('GET', `/api/v1/orders/${placed.id}`, 'county')).body).toMatchObject({
      status: 'delivered',
      rating: null,
      ratedById: null,
    });
    expect(await count("ledger_entry where kind = 'rating'")).toBe(ratingsBefore);

    const rated = await api('POST', `/api/v1/orders/${placed.id}/rating`, 'village', {
      rating: 'satisfied',
      comment: '讲得好',
      onBehalfOf: '村民李大姐',
    });
    expect(rated.status).toBe(200);
    expect(rated.body).toMatchObject({
      status: 'rated',
      orderedById: users.village.id,
      ratedById: users.village.id,
      ratedFor: '村民李大姐',
    });
    const [entry] = (await api('GET', '/api/v1/ledger?kind=rating', 'county')).body.items.filter(
      (item: any) => item.payload.orderId === placed.id,
    );
    expect(entry).toMatchObject({
      actor: { id: users.village.id },
      payload: { rating: 'satisfied', ratedFor: '村民李大姐' },
    });
  });

  it('answers a session naming another county’s order exactly as one naming no order at all', async () => {
    const yanheTopic = (
      await api('POST', '/api/v1/topics', 'yanhe', { countyCode: YANHE, title: '乡风文明', category: 'customs' })
    ).body.id;
    const foreign = await api('POST', '/api/v1/orders', 'yanhe', { topicId: yanheTopic, regionCode: YANHE_VILLAGE });
    expect(foreign.status).toBe(201);
    const missing = randomUUID();
    const register = (orderId: string) =>
      api('POST', '/api/v1/lecture-sessions', 'lecturer', {
        topicId,
        mode: 'onsite',
        regionCode: DAXING_VILLAGE,
        startsAt: new Date(Date.now() + 3600_000).toISOString(),
        plannedMinutes: 60,
        lecturerIds: [users.lecturer.id],
        teamId,
        orderId,
      });
    const sessionsBefore = await count('lecture_session');

    const outside = await register(foreign.body.id);
    const absent = await register(missing);
    const shape = (reply: { status: number; body: any }, id: string) => ({
      status: reply.status,
      error: reply.body.error,
      message: reply.body.message.replace(id, '<id>'),
      details: reply.body.details,
    });
    expect(shape(outside, foreign.body.id)).toEqual(shape(absent, missing));
    expect(shape(outside, foreign.body.id)).toMatchObject({ status: 404, message: 'order <id> not found' });
    expect(await count('lecture_session')).toBe(sessionsBefore);
  });
});
