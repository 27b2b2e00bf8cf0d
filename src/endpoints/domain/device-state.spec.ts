import { groupOutages, mapState, outageKey, outageText } from './device-state';

const now = new Date('2026-12-03T09:00:00Z');
const since = new Date(now.getTime() - 180_000);
const recent = new Date(now.getTime() - 60_000);
const old = new Date(now.getTime() - 3600_000);
const device = { enrolledAt: old, revokedAt: null, lastSeenAt: recent, state: null, playing: null } as const;

describe('what the map shows of a loudspeaker', () => {
  it('leaves a revoked one off and shows one never installed as such', () => {
    expect(mapState({ ...device, revokedAt: recent }, since)).toBeNull();
    expect(mapState({ ...device, enrolledAt: null, lastSeenAt: null }, since)).toBe('never-enrolled');
  });

  it('says offline when the last word is old, whatever that word was', () => {
    expect(mapState({ ...device, lastSeenAt: old, state: 'fault' }, since)).toBe('offline');
    expect(mapState({ ...device, lastSeenAt: null }, since)).toBe('offline');
  });

  it('reads fault and playing from the state, and playing from an older device that says only that', () => {
    expect(mapState({ ...device, state: 'fault' }, since)).toBe('fault');
    expect(mapState({ ...device, state: 'playing' }, since)).toBe('playing');
    expect(mapState({ ...device, playing: true }, since)).toBe('playing');
    expect(mapState({ ...device, state: 'idle', playing: true }, since)).toBe('online');
  });
});

describe('outages', () => {
  const silent = (id: string, regionCode: string, minutesAgo: number) => ({
    id,
    name: `喇叭${id}`,
    regionCode,
    lastSeenAt: new Date(now.getTime() - minutesAgo * 60_000),
  });

  it('makes one group a place, named by its earliest silence', () => {
    const groups = groupOutages([silent('1', 'A', 40), silent('2', 'B', 50), silent('3', 'A', 90)]);
    expect(groups.map((group) => [group.regionCode, group.endpoints.map((e) => e.id)])).toEqual([
      ['A', ['3', '1']],
      ['B', ['2']],
    ]);
    expect(outageKey(groups[0])).toBe(`endpoint-offline:A:${new Date(now.getTime() - 90 * 60_000).toISOString()}`);
  });

  it('names ten loudspeakers and counts the rest', () => {
    const many = groupOutages(Array.from({ length: 12 }, (_, i) => silent(String(i), 'A', 40 + i)))[0];
    const text = outageText(many, '盘石镇盘石社区', '2026-12-03 16:20', 30);
    expect(text.title).toBe('盘石镇盘石社区 12 个喇叭离线');
    expect(text.body).toContain('等 12 个');
    expect(text.body.match(/“/g)).toHaveLength(10);
  });
});
