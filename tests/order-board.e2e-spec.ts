import { randomUUID } from 'node:crypto';
import type { Role } from '../src/auth/domain/permissions';
import { startApp, type TestApp } from './helpers/app';
import {
  adminToken,
  DAXING,
  DAXING_VILLAGE,
  importSongtao,
  PANSHI,
  person as createPerson,
  SONGTAO,
} from './helpers/factories';

/**
 * The operators' side of the four-order flow: the board's list (each order
 * with its village and team by name) and the dispatch suggestions, ranked by
 * the seeds' rule "nearby, same field, the right person", the choice left to
 * the operator.
 */
describe('the order board and dispatch suggestions', () => {
  let t: TestApp;
  let admin: string;
  const users: Record<string, { id: string; token: string }> = {};
  const teams: Record<string, string> = {};
  const topics: Record<string, string> = {};

  const api = (method: string, path: string, who: string, body?: unknown) =>
    t.api.request<any>(method, path, body, { token: users[who].token });

  async function person(name: string, role: Role, scopeCode: string) {
    users[name] = await createPerson(t, admin, name, role, scopeCode);
  }
  async function team(name: string, regionCode: string, lecturer: string) {
    const made = await api('POST', '/api/v1/teams', 'county', {
      name,
      regionCode,
      members: [{ userId: users[lecturer].id, title: '理论专家' }],
    });
    expect(made.status).toBe(201);
    teams[name] = made.body.id;
  }
  async function topic(title: string, category: string) {
    topics[title] = (await api('POST', '/api/v1/topics', 'county', { countyCode: SONGTAO, title, category })).body.id;
  }
  /** A session the team gave on the topic, completed. */
  async function gave(teamName: string, lecturer: string, topicTitle: string) {
    const session = await api('POST', '/api/v1/lecture-sessions', 'county', {
      topicId: topics[topicTitle],
      mode: 'onsite',
      regionCode: DAXING_VILLAGE,
      startsAt: new Date(Date.now() - 60 * 60_000).toISOString(),
      plannedMinutes: 45,
      lecturerIds: [users[lecturer].id],
      teamId: teams[teamName],
    });
    expect(session.status).toBe(201);
    expect(
      (
        await api('POST', `/api/v1/lecture-sessions/${session.body.id}/complete`, 'county', {
          attendance: 20,
          actualMinutes: 45,
        })
      ).status,
    ).toBe(200);
  }
  const order = async (topicTitle: string) =>
    (await api('POST', '/api/v1/orders', 'village', { topicId: topics[topicTitle], regionCode: DAXING_VILLAGE })).body
      .id as string;

  beforeAll(async () => {
    t = await startApp();
    admin = await adminToken(t);
    await importSongtao(t, admin);
    await person('county', 'operator', SONGTAO);
    await person('panshi', 'operator', PANSHI);
    await person('village', 'operator', DAXING_VILLAGE);
    await person('wang', 'lecturer', DAXING);
    await person('liu', 'lecturer', DAXING);
    await person('cun', 'lecturer', DAXING_VILLAGE);
    await person('sun', 'lecturer', SONGTAO);
    await person('zhao', 'lecturer', PANSHI);
    await topic('移风易俗', 'customs');
    await topic('孝老爱亲', 'customs');
    await topic('惠农政策', 'policy');
    await team('白岩宣讲组', DAXING_VILLAGE, 'cun');
    await team('大兴甲队', DAXING, 'wang');
    await team('大兴乙队', DAXING, 'liu');
    await team('县宣讲团', SONGTAO, 'sun');
    await team('盘石队', PANSHI, 'zhao');
    await gave('大兴甲队', 'wang', '移风易俗');
    await gave('大兴乙队', 'liu', '孝老爱亲');
    await gave('大兴乙队', 'liu', '惠农政策');
    await gave('县宣讲团', 'sun', '移风易俗');
  }, 90_000);
  afterAll(() => t.close());

  it('refuses suggestions to a malformed or unknown order, a lecturer, and an operator of another township', async () => {
    const id = await order('惠农政策');
    expect((await api('GET', '/api/v1/orders/not-an-id/team-suggestions', 'county')).status).toBe(400);
    expect((await api('GET', `/api/v1/orders/${randomUUID()}/team-suggestions`, 'county')).status).toBe(404);
    expect((await api('GET', `/api/v1/orders/${id}/team-suggestions`, 'wang')).status).toBe(403);
    expect((await api('GET', `/api/v1/orders/${id}/team-suggestions`, 'panshi')).status).toBe(403);
  });

  it('ranks every team that may take the order: nearest first, then same topic, same category, fewest open orders', async () => {
    // The county team holds an order open: it is busy.
    const busy = await order('惠农政策');
    expect((await api('POST', `/api/v1/orders/${busy}/dispatch`, 'county', { teamId: teams['县宣讲团'] })).status).toBe(
      200,
    );

    const id = await order('移风易俗');
    const suggested = await api('GET', `/api/v1/orders/${id}/team-suggestions`, 'county');
    expect(suggested.status).toBe(200);
    expect(suggested.body).toMatchObject({ orderId: id, topicTitle: '移风易俗', category: 'customs' });
    expect(
      suggested.body.items.map((s: any) => [
        s.rank,
        s.name,
        s.distance,
        s.sameTopicSessions,
        s.sameCategorySessions,
        s.openOrders,
        s.reasons,
      ]),
    ).toEqual([
      [1, '白岩宣讲组', 0, 0, 0, 0, ['same_village', 'new_to_field', 'no_open_orders']],
      [2, '大兴甲队', 1, 1, 1, 0, ['same_township', 'same_topic', 'no_open_orders']],
      [3, '大兴乙队', 1, 0, 1, 0, ['same_township', 'same_category', 'no_open_orders']],
      [4, '县宣讲团', 2, 1, 1, 1, ['same_county', 'same_topic', 'open_orders']],
    ]);
    expect(suggested.body.items[1].members).toEqual([{ name: 'wang', title: '理论专家' }]);

    // The operator's choice stands, whatever the rank.
    expect((await api('POST', `/api/v1/orders/${id}/dispatch`, 'county', { teamId: teams['大兴乙队'] })).status).toBe(
      200,
    );
    const after = await api('GET', `/api/v1/orders/${id}/team-suggestions`, 'county');
    expect(after.body.items.find((s: any) => s.name === '大兴乙队').openOrders).toBe(1);
  });

  it('lists orders for the board with the village and team by name, the deadlines and the source', async () => {
    const board = await api('GET', `/api/v1/orders?region=${DAXING}&status=dispatched`, 'county');
    expect(board.status).toBe(200);
    expect(board.body.items).toHaveLength(2);
    for (const item of board.body.items) {
      expect(item).toMatchObject({ villageName: '白岩社区居民委员会', source: 'operator', status: 'dispatched' });
      expect(Date.parse(item.deliverBy) - Date.parse(item.acceptBy)).toBe(48 * 3600_000);
    }
    expect(board.body.items.map((item: any) => item.teamName).sort()).toEqual(['县宣讲团', '大兴乙队'].sort());
    const waiting = await api('GET', `/api/v1/orders?region=${DAXING}&status=ordered`, 'county');
    expect(waiting.body.items[0]).toMatchObject({
      teamName: null,
      teamId: null,
      acceptBy: null,
      topicTitle: '惠农政策',
    });
  });
});
