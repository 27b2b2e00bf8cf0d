import { covers, RegionRef } from './scope';
import { can, ROLES, ROLE_PERMISSIONS } from './permissions';

const county = '520628000000';
const township = '520628100000';
const otherTownship = '520628101000';
const village: RegionRef = { code: '520628100201', countyCode: county, townshipCode: township };

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

describe('role permissions', () => {
  it('gives the admin every permission and a lecturer no management', () => {
    expect(ROLE_PERMISSIONS.admin.length).toBeGreaterThan(0);
    for (const role of ROLES) expect(can(role, 'regions.read')).toBe(true);
    expect(can('lecturer', 'endpoints.manage')).toBe(false);
    expect(can('approver', 'endpoints.manage')).toBe(false);
    expect(can('operator', 'users.manage')).toBe(false);
    expect(can('operator', 'regions.import')).toBe(false);
  });
});
