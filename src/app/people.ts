// People who use the console: users with roles, argon2id password hashes, sessions (only a hash of
// the session id and of its CSRF token is stored) and limits on sign-in attempts.
import { createHash, createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import argon2 from 'argon2';
import { isUserRole, type Permission, USER_ROLES, type UserRole, userRoleMay } from '../core/access.ts';
import { hasPermission as keyHasPermission } from './api-keys.ts';
import type { AuditLog } from './audit.ts';
import { forbidden, invalid, notFound } from './console-errors.ts';
import type { PeopleStore, RateLimitStore, UserRecord } from './console-ports.ts';
import { type Person, Persons } from './persons.ts';
import type { ApiKeyRecord, Clock } from './ports.ts';

export { isUserRole, USER_ROLE_PERMISSIONS, USER_ROLES, type UserRole } from '../core/access.ts';

/** Who is calling: a person with a session, or a system with an API key. */
export type Principal = { kind: 'user'; user: UserRecord } | { kind: 'key'; key: ApiKeyRecord };

export function actorId(principal: Principal | undefined): string {
  if (principal === undefined) return 'anonymous';
  return principal.kind === 'user' ? `user:${principal.user.id}` : `key:${principal.key.id}`;
}

export function principalRole(principal: Principal): string {
  return principal.kind === 'user' ? principal.user.role : principal.key.role;
}

export function principalMay(principal: Principal, permission: Permission): boolean {
  if (principal.kind === 'key') return keyHasPermission(principal.key.role, permission);
  return userRoleMay(principal.user.role, permission);
}

export interface PersonView {
  id: string;
  name: string;
}

function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/**
 * The CSRF token is bound to the session: an HMAC of the session id, which only the cookie holds.
 * A page from another site can make the browser send the cookie but cannot read it, so it cannot
 * compute the token; the console gets it in the login (and GET /v1/session) body.
 */
export function csrfTokenFor(sessionId: string): string {
  return createHmac('sha256', sessionId).update('refundguard csrf v1').digest('base64url');
}

export function csrfMatches(sessionId: string, token: string | undefined): boolean {
  if (token === undefined || token === '') return false;
  const expected = Buffer.from(csrfTokenFor(sessionId));
  const given = Buffer.from(token);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

export const MIN_PASSWORD_LENGTH = 10;

export function generatePassword(): string {
  return randomBytes(12).toString('base64url');
}

/**
 * How sign-in attempts are limited. Every attempt is counted before its password is checked (so a
 * burst of parallel guesses is counted one by one), per e-mail and per IP address, in counters every
 * process shares. Past the limit the key is locked, and each further attempt doubles the lock.
 */
export interface LoginLimits {
  /** Attempts per e-mail in a window; a successful sign-in clears them. */
  perAccount: number;
  /** Failed attempts per IP address in a window (a success takes its attempt back). */
  perIp: number;
  windowMs: number;
  /** The longest lock back-off reaches. */
  maxLockMs: number;
}

export const DEFAULT_LOGIN_LIMITS: LoginLimits = {
  perAccount: 5,
  perIp: 30,
  windowMs: 15 * 60_000,
  maxLockMs: 24 * 3_600_000,
};

export type LoginResult =
  | { ok: true; user: UserRecord; sessionId: string; csrfToken: string; expiresAt: number }
  | { ok: false; reason: 'invalid' }
  | { ok: false; reason: 'throttled'; retryAfterMs: number };

export interface PeopleOptions {
  sessionTtlMs?: number;
  loginLimits?: Partial<LoginLimits>;
}

export interface NewUser {
  email: string;
  name: string;
  role: UserRole;
  agentId?: string | null;
  password: string;
}

export class People {
  readonly #sessionTtlMs: number;
  readonly #limits: LoginLimits;
  readonly #persons: Persons;
  /** Verified against when the e-mail is unknown, so a wrong e-mail costs as long as a wrong password. */
  #dummyHash: Promise<string> | undefined;

  constructor(
    private readonly store: PeopleStore & RateLimitStore,
    private readonly audit: AuditLog,
    private readonly clock: Clock,
    options: PeopleOptions = {},
  ) {
    this.#sessionTtlMs = options.sessionTtlMs ?? 12 * 3_600_000;
    this.#limits = { ...DEFAULT_LOGIN_LIMITS, ...options.loginLimits };
    this.#persons = new Persons(store);
  }

  /** The person a credential answers for (four-eyes, the self-subject rule). */
  personOf(principal: Principal): Promise<Person> {
    return this.#persons.of(principal);
  }

  async createUser(input: NewUser, actor = 'system'): Promise<UserRecord> {
    const email = normalizeEmailAddress(input.email);
    if (!/^[^@\s]+@[^@\s]+$/.test(email)) throw invalid('email', 'must be an e-mail address');
    const name = input.name.trim();
    if (name === '') throw invalid('name', 'must not be empty');
    if (!isUserRole(input.role)) throw invalid('role', `must be one of ${USER_ROLES.join(', ')}`);
    if (input.password.length < MIN_PASSWORD_LENGTH)
      throw invalid('password', `must be at least ${MIN_PASSWORD_LENGTH} characters`);
    if ((await this.store.findUserByEmail(email)) !== undefined)
      throw invalid('email', 'a user with this e-mail exists');
    const user: UserRecord = {
      id: randomUUID(),
      email,
      name,
      role: input.role,
      agentId: input.agentId ?? null,
      passwordHash: await argon2.hash(input.password, { type: argon2.argon2id }),
      disabled: false,
      createdAt: this.clock(),
      // Made in the console: the maker answers for this user until another admin confirms them.
      createdBy: actor === 'system' ? null : actor,
      confirmedBy: null,
    };
    await this.store.createUser(user);
    await this.audit.record(actor, 'user.create', `user:${user.id}`, {
      email,
      role: user.role,
      agentId: user.agentId,
      ...(user.createdBy !== null ? { confirmation: 'pending' } : {}),
    });
    return user;
  }

  /**
   * Four-eyes on new people: a second admin, not the maker (nor anyone the maker answers for),
   * confirms a user made in the console as a person of their own. Until then the user counts as
   * their maker, so no one approves their own proposal through a user they made. Idempotent.
   */
  async confirmUser(id: string, actor: string): Promise<UserRecord> {
    const existing = await this.store.getUser(id);
    if (existing === undefined) throw notFound(`No user ${id}.`);
    if (existing.createdBy === null || existing.confirmedBy !== null) return existing;
    const [confirmer, target] = await Promise.all([
      this.#persons.ofActor(actor),
      this.#persons.ofActor(`user:${id}`),
    ]);
    if (sharePerson(confirmer, target))
      throw forbidden('Someone other than this user and the one who made them confirms them.');
    await this.store.updateUser(id, { confirmedBy: actor });
    await this.audit.record(actor, 'user.confirm', `user:${id}`, { createdBy: existing.createdBy });
    return (await this.store.getUser(id)) as UserRecord;
  }

  async updateUser(
    id: string,
    changes: {
      name?: string;
      role?: UserRole;
      agentId?: string | null;
      disabled?: boolean;
      password?: string;
    },
    actor: string,
  ): Promise<UserRecord> {
    const existing = await this.store.getUser(id);
    if (existing === undefined) throw notFound(`No user ${id}.`);
    const acting = await this.#persons.ofActor(actor);
    const self = acting.actors.includes(`user:${id}`);
    // No one locks themselves out: another admin changes one's own role or disables one.
    if (self && changes.disabled === true) throw invalid('disabled', 'you cannot disable yourself');
    if (self && changes.role !== undefined && changes.role !== existing.role)
      throw invalid('role', 'you cannot change your own role');
    // The agent id keeps people off cases about themselves: someone else sets it, never oneself
    // (nor through a key or a user one made, nor for a user one made).
    if (
      changes.agentId !== undefined &&
      changes.agentId !== existing.agentId &&
      sharePerson(acting, await this.#persons.ofActor(`user:${id}`))
    )
      throw forbidden('No one changes their own agent id (or that of a user they made): another admin does.');
    if (changes.password !== undefined && changes.password.length < MIN_PASSWORD_LENGTH)
      throw invalid('password', `must be at least ${MIN_PASSWORD_LENGTH} characters`);
    const { password, ...rest } = changes;
    await this.store.updateUser(id, {
      ...rest,
      ...(password !== undefined
        ? { passwordHash: await argon2.hash(password, { type: argon2.argon2id }) }
        : {}),
    });
    // A new role, a disabled account or a new password ends the user's sessions.
    if (changes.role !== undefined || changes.disabled === true || password !== undefined)
      await this.store.deleteSessionsOf(id);
    await this.audit.record(
      actor,
      changes.role !== undefined ? 'user.role_change' : 'user.update',
      `user:${id}`,
      {
        ...rest,
        ...(changes.role !== undefined ? { fromRole: existing.role } : {}),
        ...(changes.agentId !== undefined ? { fromAgentId: existing.agentId } : {}),
        ...(password !== undefined ? { password: 'changed' } : {}),
      },
    );
    return (await this.store.getUser(id)) as UserRecord;
  }

  listUsers(): Promise<UserRecord[]> {
    return this.store.listUsers();
  }

  async people(ids: Iterable<string>): Promise<Map<string, PersonView>> {
    const map = new Map<string, PersonView>();
    for (const id of new Set(ids)) map.set(id, await this.person(id));
    return map;
  }

  /** An actor id (`user:…`, `key:…`, a bare user id) as a name to show. */
  async person(id: string): Promise<PersonView> {
    const userId = id.startsWith('user:') ? id.slice(5) : id;
    if (id.startsWith('key:')) return { id, name: `API key ${id.slice(4, 12)}` };
    if (id === 'system') return { id, name: 'refundguard' };
    const user = await this.store.getUser(userId);
    return { id: userId, name: user?.name ?? userId };
  }

  async login(email: string, password: string, ip: string): Promise<LoginResult> {
    const normalized = normalizeEmailAddress(email);
    const now = this.clock();
    const limits = this.#limits;
    const rule = { windowMs: limits.windowMs, backoff: true, maxLockMs: limits.maxLockMs };
    const ipKey = `login:ip:${ip}`;
    const accountKey = `login:account:${normalized}`;
    // Counted first, both at once: the attempt is on the books before any password is checked.
    const [byIp, byAccount] = await Promise.all([
      this.store.hitRateLimit(ipKey, now, { ...rule, max: limits.perIp }),
      this.store.hitRateLimit(accountKey, now, { ...rule, max: limits.perAccount }),
    ]);
    const refusedUntil = Math.max(
      byIp.hits > limits.perIp ? byIp.resetAt : 0,
      byAccount.hits > limits.perAccount ? byAccount.resetAt : 0,
    );
    // Refused attempts are audited in aggregate by the HTTP edge (a 429), not one row each.
    if (refusedUntil > 0) return { ok: false, reason: 'throttled', retryAfterMs: refusedUntil - now };
    const user = await this.store.findUserByEmail(normalized);
    const hash = user?.passwordHash ?? (await this.#dummy());
    const matches = await argon2.verify(hash, password).catch(() => false);
    if (user === undefined || !matches || user.disabled) {
      await this.audit.record('anonymous', 'session.login_failed', `email:${normalized}`, { ip });
      return { ok: false, reason: 'invalid' };
    }
    await Promise.all([this.store.clearRateLimit(accountKey), this.store.releaseRateLimit(ipKey)]);
    const sessionId = randomBytes(32).toString('base64url');
    const csrfToken = csrfTokenFor(sessionId);
    const expiresAt = now + this.#sessionTtlMs;
    await this.store.createSession({
      idHash: sha256(sessionId),
      userId: user.id,
      createdAt: now,
      expiresAt,
    });
    await this.audit.record(`user:${user.id}`, 'session.login', `user:${user.id}`, { ip });
    return { ok: true, user, sessionId, csrfToken, expiresAt };
  }

  /** The active session's user, or undefined (unknown, expired, or the user was disabled). */
  async sessionUser(sessionId: string): Promise<UserRecord | undefined> {
    const session = await this.store.findSession(sha256(sessionId));
    if (session === undefined) return undefined;
    if (session.expiresAt <= this.clock()) {
      await this.store.deleteSession(session.idHash);
      return undefined;
    }
    const user = await this.store.getUser(session.userId);
    if (user === undefined || user.disabled) return undefined;
    return user;
  }

  async logout(sessionId: string, actor: string): Promise<void> {
    await this.store.deleteSession(sha256(sessionId));
    await this.audit.record(actor, 'session.logout', actor, {});
  }

  #dummy(): Promise<string> {
    this.#dummyHash ??= argon2.hash(randomBytes(16).toString('hex'), { type: argon2.argon2id });
    return this.#dummyHash;
  }
}

/** Whether two credentials answer for any one person in common. */
export function sharePerson(a: Person, b: Person): boolean {
  return a.actors.some((actor) => b.actors.includes(actor));
}

export function normalizeEmailAddress(email: string): string {
  return email.trim().toLowerCase();
}
