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
  'ledger.read',
  'ledger.correct',
  'topics.read',
  'topics.manage',
  'teams.read',
  'teams.manage',
  'sessions.read',
  'sessions.register',
  'sessions.complete',
  'points.read',
  'points.manage',
  'orders.read',
  'orders.place',
  'orders.dispatch',
  'orders.accept',
  'orders.rate',
  'reports.read',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

export const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  admin: PERMISSIONS,
  operator: [
    'regions.read', 'endpoints.read', 'endpoints.manage', 'media.read', 'media.upload', 'programmes.read', 'programmes.manage', 'schedule.read', 'schedule.manage',
    'emergencies.read', 'emergencies.draft', 'emergencies.cancel', 'audit.read',
    'ledger.read', 'ledger.correct', 'topics.read', 'topics.manage', 'teams.read', 'teams.manage', 'sessions.read', 'sessions.register', 'sessions.complete',
    'points.read', 'points.manage', 'orders.read', 'orders.place', 'orders.dispatch', 'orders.rate', 'reports.read',
  ],
  approver: ['regions.read', 'endpoints.read', 'media.read', 'programmes.read', 'schedule.read', 'emergencies.read', 'emergencies.approve', 'emergencies.cancel', 'audit.read', 'ledger.read', 'topics.read', 'teams.read', 'sessions.read', 'reports.read'],
  // A lecturer registers and completes their own team's sessions (checked by team, not only by scope) and takes on orders.
  lecturer: ['regions.read', 'media.read', 'media.upload', 'programmes.read', 'schedule.read', 'topics.read', 'teams.read', 'sessions.read', 'sessions.register', 'sessions.complete', 'points.read', 'orders.read', 'orders.accept'],
};

export function can(role: Role, permission: Permission): boolean {
  return ROLE_PERMISSIONS[role].includes(permission);
}
