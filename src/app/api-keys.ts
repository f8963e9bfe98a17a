// API keys: who may call the API and what their role lets them do. Only a key's sha256 hash is
// stored; the secret is shown once, when the key is created.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { isKeyRole, KEY_ROLES, keyRoleMay, type KeyRole as Role } from '../core/access.ts';
import type { ApiKeyRecord, Clock, Store } from './ports.ts';

export {
  KEY_ROLE_PERMISSIONS as ROLE_PERMISSIONS,
  KEY_ROLES as ROLES,
  type KeyRole as Role,
  PERMISSIONS,
  type Permission,
} from '../core/access.ts';

export const API_KEY_PREFIX = 'rg_';

export const isRole = isKeyRole;

/** Whether a key role (as stored: any string) grants a permission. */
export const hasPermission = keyRoleMay;

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
  /** `createdBy`: the actor making it, whom the key answers for; omitted at the shell (bootstrap). */
  input: { name: string; role: Role; createdBy?: string | null },
  clock: Clock,
): Promise<CreatedApiKey> {
  if (!isRole(input.role)) throw new Error(`unknown role "${input.role}"; known: ${KEY_ROLES.join(', ')}`);
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
    createdBy: input.createdBy ?? null,
  };
  await store.createApiKey(record);
  return { id: record.id, name, role: input.role, secret };
}

/**
 * How long an active key, once found, is trusted without asking the store again (every API call
 * authenticates, and the lookup was a database query per call). A key revoked with `revokeApiKey`
 * in this process is forgotten at once; one revoked by another process (the CLI) stops working
 * within this time. Only keys found active are kept, by their hash: never a secret, never a miss.
 */
export const API_KEY_CACHE_MS = 2_000;
const API_KEY_CACHE_LIMIT = 1_000;
interface ActiveKeys {
  byHash: Map<string, { record: ApiKeyRecord; until: number }>;
  /** Counts revocations: a lookup that began before one is not cached (it may have read the key active). */
  revocations: number;
}
const activeKeys = new WeakMap<Store, ActiveKeys>();

function activeKeysOf(store: Store): ActiveKeys {
  let keys = activeKeys.get(store);
  if (keys === undefined) {
    keys = { byHash: new Map(), revocations: 0 };
    activeKeys.set(store, keys);
  }
  return keys;
}

/** The active key a secret belongs to; undefined for an unknown or revoked key. */
export async function authenticateApiKey(
  store: Store,
  secret: string,
  clock: Clock,
): Promise<ApiKeyRecord | undefined> {
  if (!secret.startsWith(API_KEY_PREFIX)) return undefined;
  const hash = hashApiKey(secret);
  const keys = activeKeysOf(store);
  const cached = keys.byHash.get(hash);
  if (cached !== undefined && clock() < cached.until) return cached.record;
  const revocations = keys.revocations;
  const record = await store.findApiKeyByHash(hash);
  if (record === undefined || record.revokedAt !== null) {
    keys.byHash.delete(hash);
    return undefined;
  }
  if (keys.revocations === revocations) {
    // More live keys than this is unusual: start over rather than track recency.
    if (keys.byHash.size >= API_KEY_CACHE_LIMIT) keys.byHash.clear();
    keys.byHash.set(hash, { record, until: clock() + API_KEY_CACHE_MS });
  }
  return record;
}

/** True when the key existed; revoking twice keeps the first revocation time. */
export async function revokeApiKey(store: Store, id: string, clock: Clock): Promise<boolean> {
  const keys = activeKeysOf(store);
  keys.revocations += 1;
  try {
    return await store.revokeApiKey(id, clock());
  } finally {
    // After the write, so that no lookup that read the key active before it stays cached.
    keys.revocations += 1;
    for (const [hash, { record }] of keys.byHash) if (record.id === id) keys.byHash.delete(hash);
  }
}
