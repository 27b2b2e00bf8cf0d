// One table says what each role may do. Routes name a permission, never a role.

export const ROLES = ['admin', 'operator', 'approver', 'lecturer'] as const;
export type Role = (typeof ROLES)[number];

export const PERMISSIONS = [
  'regions.read',
  'regions.import',
  'users.manage',
  'endpoints.read',
  'endpoints.manage',
  'media.read',
  'media.upload',
  'queues.monitor',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

export const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  admin: PERMISSIONS,
  operator: ['regions.read', 'endpoints.read', 'endpoints.manage', 'media.read', 'media.upload'],
  approver: ['regions.read', 'endpoints.read', 'media.read'],
  lecturer: ['regions.read', 'media.read', 'media.upload'],
};

export function can(role: Role, permission: Permission): boolean {
  return ROLE_PERMISSIONS[role].includes(permission);
}
