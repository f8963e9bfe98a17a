import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore } from '../adapters/db/open-store.ts';
import {
  API_KEY_CACHE_MS,
  authenticateApiKey,
  createApiKey,
  generateApiKey,
  hashApiKey,
  hasPermission,
  PERMISSIONS,
  ROLE_PERMISSIONS,
  ROLES,
  revokeApiKey,
} from './api-keys.ts';
import type { Store } from './ports.ts';

describe('API keys', () => {
  let store: Store;
  beforeEach(async () => {
    store = await openStore(':memory:');
  });
  afterEach(async () => {
    await store.close();
  });

  it('generates rg_ secrets of 32 random bytes in base64url', () => {
    const first = generateApiKey();
    const second = generateApiKey();
    expect(first).toMatch(/^rg_[A-Za-z0-9_-]{43}$/);
    expect(first).not.toBe(second);
  });

  it('hashes with sha256 hex', () => {
    // sha256("abc"), the FIPS 180-2 test vector.
    expect(hashApiKey('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('stores only the hash and returns the secret once', async () => {
    const created = await createApiKey(store, { name: 'support desk', role: 'ingest' }, () => 1_000);
    const [stored, ...others] = await store.listApiKeys();
    expect(others).toEqual([]);
    expect(stored).toEqual({
      id: created.id,
      name: 'support desk',
      hash: hashApiKey(created.secret),
      role: 'ingest',
      createdAt: 1_000,
      revokedAt: null,
      createdBy: null,
    });
    expect(JSON.stringify(stored)).not.toContain(created.secret);
  });

  it('authenticates an active key and rejects unknown and revoked ones', async () => {
    const created = await createApiKey(store, { name: 'analyst', role: 'analyst' }, Date.now);
    expect((await authenticateApiKey(store, created.secret, Date.now))?.id).toBe(created.id);
    expect(await authenticateApiKey(store, generateApiKey(), Date.now)).toBeUndefined();
    expect(await authenticateApiKey(store, 'not-a-key', Date.now)).toBeUndefined();
    expect(await authenticateApiKey(store, hashApiKey(created.secret), Date.now)).toBeUndefined();

    expect(await revokeApiKey(store, created.id, () => 2_000)).toBe(true);
    expect(await authenticateApiKey(store, created.secret, Date.now)).toBeUndefined();
    expect(await revokeApiKey(store, 'no-such-key', Date.now)).toBe(false);
  });

  it('trusts a found key for a while: one revoked by another process stops working once that has passed', async () => {
    let now = 10_000;
    const clock = () => now;
    const created = await createApiKey(store, { name: 'warehouse', role: 'ingest' }, clock);
    expect((await authenticateApiKey(store, created.secret, clock))?.id).toBe(created.id);
    await store.revokeApiKey(created.id, now); // as the CLI does, beside this process's cache
    now += API_KEY_CACHE_MS - 1;
    expect((await authenticateApiKey(store, created.secret, clock))?.id).toBe(created.id);
    now += 1;
    expect(await authenticateApiKey(store, created.secret, clock)).toBeUndefined();
  });

  it('refuses an unknown role or an empty name', async () => {
    await expect(createApiKey(store, { name: 'x', role: 'root' as never }, Date.now)).rejects.toThrow(
      /unknown role/,
    );
    await expect(createApiKey(store, { name: '  ', role: 'admin' }, Date.now)).rejects.toThrow(
      /needs a name/,
    );
  });

  it('gives each role its permissions and unknown roles none', () => {
    for (const permission of PERMISSIONS) expect(hasPermission('admin', permission)).toBe(true);
    expect(hasPermission('ingest', 'events:write')).toBe(true);
    expect(hasPermission('ingest', 'refunds:assess')).toBe(true);
    expect(hasPermission('ingest', 'assessments:list')).toBe(false);
    expect(hasPermission('ingest', 'keys:manage')).toBe(false);
    expect(hasPermission('analyst', 'assessments:list')).toBe(true);
    expect(hasPermission('analyst', 'rules:read')).toBe(true);
    expect(hasPermission('analyst', 'events:write')).toBe(false);
    expect(hasPermission('analyst', 'refunds:assess')).toBe(false);
    expect(hasPermission('superuser', 'events:write')).toBe(false);
    expect(Object.keys(ROLE_PERMISSIONS).sort()).toEqual([...ROLES].sort());
  });
});
