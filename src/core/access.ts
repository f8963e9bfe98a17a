// Who may do what: the roles of API keys (systems) and of users (people), and the permissions each
// grants. One table, read by the server's guard and by the console (which only hides what the
// server would refuse).

/** Roles of API keys, held by systems. */
export const KEY_ROLES = ['admin', 'ingest', 'analyst'] as const;
export type KeyRole = (typeof KEY_ROLES)[number];

/** Roles of people who sign in to the console. */
export const USER_ROLES = ['analyst', 'investigator', 'supervisor', 'admin'] as const;
export type UserRole = (typeof USER_ROLES)[number];

export const PERMISSIONS = [
  'events:write',
  'refunds:assess',
  /** One subject's assessment, by id (a support system reading the decision on a refund it sent). */
  'assessments:read',
  /** Browsing every assessment (the investigators' queue). */
  'assessments:list',
  'rules:read',
  'keys:manage',
  /** The console: the case queue, case pages and timelines (personal data: every view is audited). */
  'cases:read',
  'refunds:search',
  'dashboard:read',
  /** Assign, transition, annotate and label cases. */
  'cases:work',
  'actions:propose',
  /** Approve or reject account closures and refund reversals proposed by someone else (four-eyes). */
  'actions:approve',
  'users:manage',
  'webhooks:manage',
  'templates:manage',
  'audit:read',
  /** The decision policy, what it would have done on history, and the models and shadow candidate. */
  'decisions:read',
  /** Change the decision policy (audited). */
  'policy:manage',
  /** Train, promote and retire models; start and stop a shadow candidate (audited). */
  'models:manage',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

const READ = [
  'assessments:read',
  'assessments:list',
  'rules:read',
  'cases:read',
  'refunds:search',
  'dashboard:read',
  'decisions:read',
] as const satisfies readonly Permission[];
const INVESTIGATE = [...READ, 'cases:work', 'actions:propose'] as const satisfies readonly Permission[];

export const KEY_ROLE_PERMISSIONS = {
  admin: PERMISSIONS,
  /** Support and order systems: send events, ask for decisions, read the decision on a refund. */
  ingest: ['events:write', 'refunds:assess', 'assessments:read'],
  /** Fraud analysts' tools: read-only. */
  analyst: READ,
} as const satisfies Record<KeyRole, readonly Permission[]>;

export const USER_ROLE_PERMISSIONS = {
  analyst: READ,
  investigator: INVESTIGATE,
  supervisor: [...INVESTIGATE, 'actions:approve', 'policy:manage'],
  admin: PERMISSIONS,
} as const satisfies Record<UserRole, readonly Permission[]>;

export function isKeyRole(value: string): value is KeyRole {
  return (KEY_ROLES as readonly string[]).includes(value);
}

export function isUserRole(value: string): value is UserRole {
  return (USER_ROLES as readonly string[]).includes(value);
}

/** Whether a key role (as stored: any string) grants a permission; an unknown role grants nothing. */
export function keyRoleMay(role: string, permission: Permission): boolean {
  return isKeyRole(role) && (KEY_ROLE_PERMISSIONS[role] as readonly Permission[]).includes(permission);
}

/** Whether a user role (as stored: any string) grants a permission; an unknown role grants nothing. */
export function userRoleMay(role: string, permission: Permission): boolean {
  return isUserRole(role) && (USER_ROLE_PERMISSIONS[role] as readonly Permission[]).includes(permission);
}
