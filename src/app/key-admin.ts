// API keys as the console's admins see them: listed with when each was last used, created (the
// secret shown once) and revoked, each change audited. Use is recorded at most once a minute per
// key, so a busy integration does not write on every call.
import { createApiKey, isRole, ROLES, type Role, revokeApiKey } from './api-keys.ts';
import type { AuditLog } from './audit.ts';
import { invalid, notFound } from './console-errors.ts';
import type { ApiKeyUsage, PeopleStore } from './console-ports.ts';
import type { Clock, Store } from './ports.ts';

const TOUCH_EVERY_MS = 60_000;

export class KeyAdmin {
  readonly #lastTouch = new Map<string, number>();

  constructor(
    private readonly store: Store,
    private readonly consoleStore: PeopleStore,
    private readonly audit: AuditLog,
    private readonly clock: Clock,
  ) {}

  list(): Promise<ApiKeyUsage[]> {
    return this.consoleStore.listApiKeyUsage();
  }

  async create(
    input: { name: string; role: string },
    actor: string,
  ): Promise<ApiKeyUsage & { secret: string }> {
    const name = input.name.trim();
    if (name === '') throw invalid('name', 'must not be empty');
    if (!isRole(input.role)) throw invalid('role', `must be one of ${ROLES.join(', ')}`);
    // The key answers for whoever made it: a second key is no second person (four-eyes).
    const createdBy = actor === 'system' ? null : actor;
    const created = await createApiKey(this.store, { name, role: input.role as Role, createdBy }, this.clock);
    // The secret is never written anywhere but the answer.
    await this.audit.record(actor, 'key.create', `key:${created.id}`, { name, role: created.role });
    const stored = (await this.list()).find((key) => key.id === created.id);
    return {
      id: created.id,
      name,
      role: created.role,
      createdAt: stored?.createdAt ?? this.clock(),
      revokedAt: null,
      lastUsedAt: null,
      createdBy,
      secret: created.secret,
    };
  }

  async revoke(id: string, actor: string): Promise<ApiKeyUsage> {
    const existing = (await this.list()).find((key) => key.id === id);
    if (existing === undefined) throw notFound(`No API key ${id}.`);
    if (existing.revokedAt === null) {
      await revokeApiKey(this.store, id, this.clock);
      await this.audit.record(actor, 'key.revoke', `key:${id}`, { name: existing.name, role: existing.role });
    }
    return (await this.list()).find((key) => key.id === id) ?? existing;
  }

  /** Notes that a key was just used (throttled per key); never fails the call it is noted for. */
  touch(id: string): void {
    const now = this.clock();
    const last = this.#lastTouch.get(id);
    if (last !== undefined && now - last < TOUCH_EVERY_MS) return;
    this.#lastTouch.set(id, now);
    if (this.#lastTouch.size > 10_000) this.#lastTouch.clear();
    void this.consoleStore.touchApiKey(id, now).catch(() => undefined);
  }
}
