import { readinessByChild, readinessCounts, type RegionReadiness } from './readiness';

const COUNTY = { code: '520628000000', name: '松桃苗族自治县', level: 'county' as const };
const DAXING = { code: '520628001000', name: '大兴街道' };
const PANSHI = { code: '520628101000', name: '盘石镇' };
const none = { offline: 0, 'playlist-not-fetched': 0, 'playlist-outdated': 0, 'media-missing': 0 };

const row = (regionCode: string, townshipCode: string | null, total: number, ready: number, byReason = none) =>
  ({ regionCode, townshipCode, total, ready, byReason }) satisfies RegionReadiness;

describe('readinessCounts', () => {
  it('counts what is there out of the total: an outdated playlist is not fetched, one missing medium is not held', () => {
    expect(
      readinessCounts({
        total: 5,
        ready: 1,
        byReason: { offline: 2, 'playlist-not-fetched': 1, 'playlist-outdated': 1, 'media-missing': 3 },
      }),
    ).toEqual({ total: 5, ready: 1, online: 3, fetched: 3, mediaHeld: 2 });
  });
});

describe('readinessByChild', () => {
  it("sums a county's villages by township, and lists a township without loudspeakers as zero", () => {
    const rows = [
      row('520628001001', DAXING.code, 2, 2),
      row('520628001002', DAXING.code, 1, 0, { ...none, offline: 1, 'media-missing': 1 }),
      row('520628101101', PANSHI.code, 1, 1),
    ];
    const quiet = { code: '520628102000', name: '寨英镇' };
    expect(readinessByChild(COUNTY, [DAXING, PANSHI, quiet], rows)).toEqual([
      { ...DAXING, total: 3, ready: 2, online: 2, fetched: 3, mediaHeld: 2 },
      { ...PANSHI, total: 1, ready: 1, online: 1, fetched: 1, mediaHeld: 1 },
      { ...quiet, total: 0, ready: 0, online: 0, fetched: 0, mediaHeld: 0 },
    ]);
  });

  it('puts loudspeakers hung at the township itself in its own row and those of the county first', () => {
    const rows = [
      row(COUNTY.code, null, 1, 1),
      row(DAXING.code, DAXING.code, 1, 1),
      row('520628001001', DAXING.code, 1, 1),
    ];
    expect(readinessByChild(COUNTY, [DAXING], rows).map((r) => [r.name, r.total])).toEqual([
      [COUNTY.name, 1],
      [DAXING.name, 2],
    ]);
  });

  it("drills into a township's villages one by one", () => {
    const village = { code: '520628001001', name: '白岩社区居民委员会' };
    const rows = [
      row(DAXING.code, DAXING.code, 1, 0, { ...none, 'playlist-not-fetched': 1 }),
      row(village.code, DAXING.code, 2, 2),
    ];
    expect(readinessByChild({ ...DAXING, level: 'township' }, [village], rows)).toEqual([
      { ...DAXING, total: 1, ready: 0, online: 1, fetched: 0, mediaHeld: 1 },
      { ...village, total: 2, ready: 2, online: 2, fetched: 2, mediaHeld: 2 },
    ]);
  });
});
