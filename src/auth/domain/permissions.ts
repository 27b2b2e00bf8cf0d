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
  'programmes.read',
  'programmes.manage',
  'schedule.read',
  'schedule.manage',
  'queues.monitor',
  'emergencies.read',
  'emergencies.draft',
  'emergencies.approve',
  'emergencies.cancel',
  'audit.read',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

export const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  admin: PERMISSIONS,
  operator: ['regions.read', 'endpoints.read', 'endpoints.manage', 'media.read', 'media.upload', 'programmes.read', 'programmes.manage', 'schedule.read', 'schedule.manage', 'emergencies.read', 'emergencies.draft', 'emergencies.cancel', 'audit.read'],
  approver: ['regions.read', 'endpoints.read', 'media.read', 'programmes.read', 'schedule.read', 'emergencies.read', 'emergencies.approve', 'emergencies.cancel', 'audit.read'],
  lecturer: ['regions.read', 'media.read', 'media.upload', 'programmes.read', 'schedule.read'],
};

export function can(role: Role, permission: Permission): boolean {
  return ROLE_PERMISSIONS[role].includes(permission);
}
