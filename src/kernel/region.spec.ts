import { covers, type RegionPath } from './region';

const county = '520628000000';
const township = '520628100000';
const otherTownship = '520628101000';
const village: RegionPath = { code: '520628100201', countyCode: county, townshipCode: township };

describe('covers', () => {
  it('lets a null scope (an unscoped admin) act everywhere', () => {
    expect(covers(null, village)).toBe(true);
  });

  it('covers a region from its own code, its township and its county', () => {
    expect(covers(village.code, village)).toBe(true);
    expect(covers(township, village)).toBe(true);
    expect(covers(county, village)).toBe(true);
  });

  it('does not cover a sibling township or a parent from below', () => {
    expect(covers(otherTownship, village)).toBe(false);
    expect(covers(village.code, { code: township, countyCode: county, townshipCode: township })).toBe(false);
    expect(covers(township, { code: county, countyCode: county, townshipCode: null })).toBe(false);
  });
});
