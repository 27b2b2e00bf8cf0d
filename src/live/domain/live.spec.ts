import { clashes, LIVE_ITEM_PRIORITY, overdue, overlaps } from './live';

const county = { code: '522229000000', countyCode: '522229000000', townshipCode: null };
const townshipA = { code: '522229001000', countyCode: '522229000000', townshipCode: '522229001000' };
const villageA = { code: '522229001001', countyCode: '522229000000', townshipCode: '522229001000' };
const townshipB = { code: '522229002000', countyCode: '522229000000', townshipCode: '522229002000' };

describe('live regions', () => {
  it('overlap when one lies in the other, either way round, and not between siblings', () => {
    expect(overlaps(townshipA, villageA)).toBe(true);
    expect(overlaps(villageA, townshipA)).toBe(true);
    expect(overlaps(county, townshipB)).toBe(true);
    expect(overlaps(townshipA, townshipB)).toBe(false);
    expect(overlaps(villageA, townshipB)).toBe(false);
  });

  it('names every clash between what is wanted and what is taken', () => {
    expect(clashes([villageA, townshipB], [townshipA])).toEqual([{ wanted: villageA.code, taken: townshipA.code }]);
    expect(clashes([townshipB], [townshipA, villageA])).toEqual([]);
  });

  it('ranks live audio above scheduled items and below every alert', () => {
    expect(LIVE_ITEM_PRIORITY.normal).toBeGreaterThan(10);
    expect(LIVE_ITEM_PRIORITY.urgent).toBeGreaterThan(LIVE_ITEM_PRIORITY.normal);
    expect(LIVE_ITEM_PRIORITY.urgent).toBeLessThan(100);
  });
});

describe('a session overdue to end', () => {
  const at = (seconds: number) => new Date(Date.UTC(2026, 11, 2, 9, 0, seconds));
  const grace = 10_000;
  const max = 60_000;

  it('is none while its carrier beats', () => {
    expect(overdue({ createdAt: at(0), liveAt: at(1), heartbeatAt: at(10) }, at(12), grace, max)).toBeNull();
  });

  it('is a restarted server once the beat stops for twice the grace', () => {
    expect(overdue({ createdAt: at(0), liveAt: at(1), heartbeatAt: at(10) }, at(29), grace, max)).toBeNull();
    expect(overdue({ createdAt: at(0), liveAt: at(1), heartbeatAt: at(10) }, at(30), grace, max)).toBe(
      'server-restarted',
    );
  });

  it('is no audio when nothing ever carried it', () => {
    expect(overdue({ createdAt: at(0), liveAt: null, heartbeatAt: null }, at(20), grace, max)).toBe('no-audio');
  });

  it('is its maximum length, counted from when it went live', () => {
    expect(overdue({ createdAt: at(0), liveAt: at(5), heartbeatAt: at(64) }, at(65), grace, max)).toBe('max-length');
  });
});
