// API keys: who may call the API and what their role lets them do. Only a key's sha256 hash is
// stored; the secret is shown once, when the key is created.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { ApiKeyRecord, Store } from './ports.ts';

export const ROLES = ['admin', 'ingest', 'analyst'] as const;
export type Role = (typeof ROLES)[number];

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
] as const;
export type Permission = (typeof PERMISSIONS)[number];

export const ROLE_PERMISSIONS = {
  admin: PERMISSIONS,
  /** Support and order systems: send events, ask for decisions, read the decision on a refund. */
  ingest: ['events:write', 'refunds:assess', 'assessments:read'],
  /** Fraud analysts and investigators: read-only. */
  analyst: [
    'assessments:read',
    'assessments:list',
    'rules:read',
    'cases:read',
    'refunds:search',
    'dashboard:read',
  ],
} as const satisfies Record<Role, readonly Permission[]>;

export const API_KEY_PREFIX = 'rg_';

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

/** Whether a role (as stored: any string) grants a permission; an unknown role grants nothing. */
export function hasPermission(role: string, permission: Permission): boolean {
  return isRole(role) && (ROLE_PERMISSIONS[role] as readonly Permission[]).includes(permission);
}

/** A new secret: `rg_` and 32 random bytes in base64url. */
export function generateApiKey(): string {
  return `${API_KEY_PREFIX}${randomBytes(32).toString('base64url')}`;
}

export function hashApiKey(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

export interface CreatedApiKey {
  id: string;
  name: string;
  role: Role;
  /** Shown once: only its hash is stored. */
  secret: string;
}

export async function createApiKey(
  store: Store,
  input: { name: string; role: Role },
  clock: () => number = Date.now,
): Promise<CreatedApiKey> {
  if (!isRole(input.role)) throw new Error(`unknown role "${input.role}"; known: ${ROLES.join(', ')}`);
  const name = input.name.trim();
  if (name === '') throw new Error('an API key needs a name');
  const secret = generateApiKey();
  const record: ApiKeyRecord = {
    id: randomUUID(),
    name,
    hash: hashApiKey(secret),
    role: input.role,
    createdAt: clock(),
    revokedAt: null,
  };
  await store.createApiKey(record);
  return { id: record.id, name, role: input.role, secret };
}

/** The active key a secret belongs to; undefined for an unknown or revoked key. */
export async function authenticateApiKey(store: Store, secret: string): Promise<ApiKeyRecord | undefined> {
  if (!secret.startsWith(API_KEY_PREFIX)) return undefined;
  const record = await store.findApiKeyByHash(hashApiKey(secret));
  if (record === undefined || record.revokedAt !== null) return undefined;
  return record;
}

/** True when the key existed; revoking twice keeps the first revocation time. */
export function revokeApiKey(store: Store, id: string, clock: () => number = Date.now): Promise<boolean> {
  return store.revokeApiKey(id, clock());
}
