// A real server with the console for tests: a fresh store location (SQLite file or PostgreSQL
// database), the engine, the console's store on the same location, and one user per role.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { createApiKey } from '../../../app/api-keys.ts';
import { type ConsoleServices, createConsoleServices } from '../../../app/console.ts';
import type { UserRecord } from '../../../app/console-ports.ts';
import { RiskEngine } from '../../../app/engine.ts';
import type { LoginLimits, UserRole } from '../../../app/people.ts';
import type { Clock, Store } from '../../../app/ports.ts';
import type { RingSource } from '../../../app/ring-cases.ts';
import { loadRulePack } from '../../../app/rule-pack-file.ts';
import { openConsoleStore } from '../../db/console-store.ts';
import { openStore } from '../../db/open-store.ts';
import type { StoreDialect } from '../../db/schema.ts';
import { createTestLocation, type TestLocation } from '../../db/testing/test-locations.ts';
import { fileAuditAnchor } from '../../files/audit-anchor.ts';
import { OutboundGuard } from '../outbound.ts';
import { buildServer, type ServerOptions } from '../server.ts';

/** Webhooks as `serve` sends them, with REFUNDGUARD_WEBHOOK_ALLOW=127.0.0.0/8 (the test receivers). */
export function loopbackWebhooks(): {
  fetch: typeof fetch;
  checkUrl: (url: URL) => Promise<string | undefined>;
} {
  const guard = new OutboundGuard({ allow: ['127.0.0.0/8'], timeoutMs: 2000 });
  return { fetch: guard.fetch, checkUrl: guard.checkUrl };
}

export const TEST_PASSWORD = 'correct horse battery';

export interface ConsoleTestServer {
  app: FastifyInstance;
  store: Store;
  engine: RiskEngine;
  services: ConsoleServices;
  location: TestLocation;
  users: Record<UserRole | 'supervisor2' | 'insider', UserRecord>;
  adminKey: string;
  /** The audit chain's key and anchor file. */
  auditKey: Buffer;
  auditAnchorPath: string;
  close(): Promise<void>;
}

export async function createConsoleTestServer(
  dialect: StoreDialect,
  /** Rings: a source, or one built over the test's engine (the real RingWatch). */
  options: {
    rings?: RingSource | ((engine: RiskEngine) => RingSource);
    clock?: Clock;
    loginLimits?: Partial<LoginLimits>;
    logger?: ServerOptions['logger'];
    rateLimit?: ServerOptions['rateLimit'];
    trustProxy?: string[];
  } = {},
): Promise<ConsoleTestServer> {
  // The wall clock unless a test fixes it: sessions, back-off and cases go by it.
  const clock = options.clock ?? Date.now;
  const location = await createTestLocation(dialect);
  const store = await openStore(location.location);
  const engine = new RiskEngine(store, loadRulePack(), clock);
  await engine.load();
  const consoleStore = await openConsoleStore(location.location);
  // A keyed, anchored audit chain, as `serve` has: the key and anchor in a folder of the test's own.
  const auditFolder = await mkdtemp(join(tmpdir(), 'refundguard-audit-'));
  const auditAnchorPath = join(auditFolder, 'audit-anchor.jsonl');
  const auditKey = randomBytes(32);
  const services = createConsoleServices({
    engine,
    store,
    consoleStore,
    clock,
    // The tests' receivers listen on loopback, which only the allow-list lets webhooks reach.
    webhooks: { baseDelayMs: 20, maxAttempts: 4, timeoutMs: 2000, ...loopbackWebhooks() },
    auditTrust: { key: auditKey, anchor: fileAuditAnchor(auditAnchorPath) },
    ...(options.loginLimits !== undefined ? { loginLimits: options.loginLimits } : {}),
    ...(options.rings !== undefined
      ? { rings: typeof options.rings === 'function' ? options.rings(engine) : options.rings }
      : {}),
  });
  services.start();
  const make = (role: UserRole, email: string, agentId: string | null = null) =>
    services.people.createUser({
      email,
      name: email.split('@')[0] ?? email,
      role,
      password: TEST_PASSWORD,
      agentId,
    });
  const users = {
    admin: await make('admin', 'admin@test.local'),
    supervisor: await make('supervisor', 'supervisor@test.local'),
    supervisor2: await make('supervisor', 'supervisor2@test.local'),
    investigator: await make('investigator', 'investigator@test.local'),
    analyst: await make('analyst', 'analyst@test.local'),
    insider: await make('investigator', 'insider@test.local', 'agent-7'),
  };
  const adminKey = (await createApiKey(store, { name: 'admin key', role: 'admin' }, clock)).secret;
  const app = buildServer({
    engine,
    store,
    clock,
    console: services,
    ...(options.logger !== undefined ? { logger: options.logger } : {}),
    ...(options.rateLimit !== undefined ? { rateLimit: options.rateLimit } : {}),
    ...(options.trustProxy !== undefined ? { trustProxy: options.trustProxy } : {}),
  });
  await app.ready();
  return {
    app,
    store,
    engine,
    services,
    location,
    users,
    adminKey,
    auditKey,
    auditAnchorPath,
    async close() {
      await app.close();
      await services.webhooks.idle();
      await services.close();
      await store.close();
      await location.dispose();
      await rm(auditFolder, { recursive: true, force: true });
    },
  };
}

export interface SignedIn {
  cookie: string;
  csrf: string;
  headers: Record<string, string>;
}

export async function signIn(
  app: FastifyInstance,
  email: string,
  password = TEST_PASSWORD,
): Promise<SignedIn> {
  const response = await app.inject({ method: 'POST', url: '/v1/session', payload: { email, password } });
  if (response.statusCode !== 200) throw new Error(`sign-in failed: ${response.statusCode} ${response.body}`);
  const setCookie = response.headers['set-cookie'];
  const cookieLine = Array.isArray(setCookie) ? setCookie[0] : setCookie;
  const cookie = (cookieLine ?? '').split(';')[0] ?? '';
  const csrf = (response.json() as { csrfToken: string }).csrfToken;
  return { cookie, csrf, headers: { cookie, 'x-csrf-token': csrf } };
}
