import { startApp, type TestApp } from './helpers/app';
import { DAXING_VILLAGE } from './helpers/factories';
import { LectureTeams } from './helpers/lecture-teams';

/**
 * A lecturer's own work on a phone: the orders dispatched to their teams
 * (not every order of their township) with the team's name, and the
 * sessions they give (not every session of their township).
 */
describe("a lecturer's own orders and sessions", () => {
  let t: TestApp;
  let cast: LectureTeams;
  const api = (method: string, path: string, who: string, body?: unknown) => cast.api(method, path, who, body);

  beforeAll(async () => {
    t = await startApp();
    cast = await LectureTeams.create(t, { wang: '大兴一队', liu: '大兴二队' });
  }, 60_000);
  afterAll(() => t.close());

  it("lists only the orders dispatched to the lecturer's teams with mine=true, each naming its team", async () => {
    expect((await api('GET', '/api/v1/orders?mine=yes', 'wang')).status).toBe(400);

    const wangs = await cast.order('大兴一队');
    const lius = await cast.order('大兴二队');
    const waiting = await cast.order();

    const all = (await api('GET', '/api/v1/orders', 'wang')).body.items.map((item: any) => item.id);
    expect(all).toEqual(expect.arrayContaining([wangs, lius, waiting]));

    const mine = await api('GET', '/api/v1/orders?mine=true', 'wang');
    expect(mine.status).toBe(200);
    expect(mine.body.items).toEqual([
      expect.objectContaining({
        id: wangs,
        status: 'dispatched',
        teamName: '大兴一队',
        teamId: cast.teams['大兴一队'],
      }),
    ]);
    expect((await api('GET', '/api/v1/orders?mine=true', 'liu')).body.items.map((item: any) => item.id)).toEqual([
      lius,
    ]);
    // Accepted, it stays on the list; an operator belongs to no team and has none.
    expect((await api('POST', `/api/v1/orders/${wangs}/accept`, 'wang')).status).toBe(200);
    expect((await api('GET', '/api/v1/orders?mine=true&status=accepted', 'wang')).body.items).toEqual([
      expect.objectContaining({ id: wangs, status: 'accepted', teamName: '大兴一队' }),
    ]);
    expect((await api('GET', '/api/v1/orders?mine=true', 'township')).body.items).toEqual([]);
    expect((await api('GET', `/api/v1/orders/${waiting}`, 'wang')).body.teamName).toBeNull();
  });

  it('lists only the sessions the lecturer gives with mine=true', async () => {
    expect((await api('GET', '/api/v1/lecture-sessions?mine=1', 'wang')).status).toBe(400);
    const register = async (who: string, teamName: string) => {
      const session = await api('POST', '/api/v1/lecture-sessions', who, {
        topicId: cast.topicId,
        mode: 'onsite',
        regionCode: DAXING_VILLAGE,
        startsAt: new Date(Date.now() + 60 * 60_000).toISOString(),
        plannedMinutes: 60,
        lecturerIds: [cast.users[who].id],
        teamId: cast.teams[teamName],
      });
      expect(session.status).toBe(201);
      return session.body.id as string;
    };
    const wangs = await register('wang', '大兴一队');
    const lius = await register('liu', '大兴二队');

    const ids = async (who: string, query: string) =>
      (await api('GET', `/api/v1/lecture-sessions${query}`, who)).body.items.map((item: any) => item.id);
    expect(await ids('wang', '')).toEqual(expect.arrayContaining([wangs, lius]));
    expect(await ids('wang', '?mine=true')).toEqual([wangs]);
    expect(await ids('liu', '?mine=true')).toEqual([lius]);
  });
});
