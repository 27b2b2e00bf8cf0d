import { distance, rankTeams, type TeamRecord } from './team-suggestions';

const village = { code: '520628001001', townshipCode: '520628001000', countyCode: '520628000000' };
const team = (name: string, regionCode: string, figures: Partial<TeamRecord> = {}): TeamRecord => ({
  teamId: name,
  name,
  regionCode,
  sameTopicSessions: 0,
  sameCategorySessions: 0,
  openOrders: 0,
  ...figures,
});

describe('suggesting a team for a village order', () => {
  it('measures distance in the region tree: the village 0, its township 1, its county 2, elsewhere not at all', () => {
    expect(distance(village.code, village)).toBe(0);
    expect(distance(village.townshipCode, village)).toBe(1);
    expect(distance(village.countyCode, village)).toBe(2);
    expect(distance('520628001002', village)).toBeNull();
    expect(distance('520628101000', village)).toBeNull();
  });

  it('puts the nearer team first even when a farther one knows the topic better', () => {
    const ranked = rankTeams(village, [
      team('县宣讲团', village.countyCode, { sameTopicSessions: 9 }),
      team('村宣讲队', village.code),
      team('镇宣讲队', village.townshipCode, { sameTopicSessions: 3 }),
    ]);
    expect(ranked.map((t) => [t.rank, t.name, t.distance])).toEqual([
      [1, '村宣讲队', 0],
      [2, '镇宣讲队', 1],
      [3, '县宣讲团', 2],
    ]);
    expect(ranked[0].reasons).toEqual(['same_village', 'new_to_field', 'no_open_orders']);
  });

  it('among teams as near, prefers the same topic, then the same category, then the fewest open orders', () => {
    const ranked = rankTeams(village, [
      team('甲', village.townshipCode, { sameCategorySessions: 5, openOrders: 0 }),
      team('乙', village.townshipCode, { sameTopicSessions: 1, sameCategorySessions: 1, openOrders: 4 }),
      team('丙', village.townshipCode, { sameCategorySessions: 5, openOrders: 2 }),
      team('丁', village.townshipCode),
    ]);
    expect(ranked.map((t) => t.name)).toEqual(['乙', '甲', '丙', '丁']);
    expect(ranked.map((t) => t.reasons)).toEqual([
      ['same_township', 'same_topic', 'open_orders'],
      ['same_township', 'same_category', 'no_open_orders'],
      ['same_township', 'same_category', 'open_orders'],
      ['same_township', 'new_to_field', 'no_open_orders'],
    ]);
  });

  it('leaves out teams that do not work in the village', () => {
    expect(rankTeams(village, [team('邻村', '520628001002'), team('外镇', '520628101000')])).toEqual([]);
  });
});
