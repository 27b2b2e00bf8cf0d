import { can, ROLES, ROLE_PERMISSIONS } from './permissions';

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
