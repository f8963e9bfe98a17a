// The authorisation matrix, generated from the route table: every /v1 route is called with every
// kind of credential (none, a wrong key, a revoked key, a key per role, a session per role, a session
// without its CSRF header) and answers 401, 403 or lets the call through exactly as the route's
// declared permission and src/core/access.ts say. The route table and docs/openapi.json agree on
// each route's permission, and a route that declares none stops the server from starting.
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OpenApiDocument } from '../src/adapters/http/api-docs.ts';
import { type RouteAccess, recordDeclaredAccess } from '../src/adapters/http/server.ts';
import {
  type ConsoleTestServer,
  createConsoleTestServer,
  type SignedIn,
  signIn,
} from '../src/adapters/http/testing/console-server.ts';
import { createApiKey, revokeApiKey } from '../src/app/api-keys.ts';
import { type KeyRole, keyRoleMay, type UserRole, userRoleMay } from '../src/core/access.ts';

type Credential =
  | { kind: 'none' | 'wrong key' }
  | { kind: 'revoked key'; secret: string }
  | { kind: 'key'; role: KeyRole; secret: string }
  | { kind: 'session'; role: UserRole; signedIn: SignedIn; csrf: boolean };

type Outcome = 401 | 403 | 'allowed';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

function label(credential: Credential): string {
  if (credential.kind === 'key') return `${credential.role} key`;
  if (credential.kind === 'session')
    return `${credential.role} session${credential.csrf ? '' : ' without its CSRF header'}`;
  return credential.kind;
}

/** What access.ts and the guard say a credential gets on a route. */
function expected(route: RouteAccess, credential: Credential): Outcome {
  if (route.auth === 'public') return 'allowed';
  if (credential.kind !== 'key' && credential.kind !== 'session') return 401;
  if (credential.kind === 'key') {
    if (route.auth === 'session') return 403;
    return route.permission !== undefined && keyRoleMay(credential.role, route.permission) ? 'allowed' : 403;
  }
  if (!credential.csrf && !SAFE_METHODS.has(route.method)) return 403;
  if (route.auth === 'session') return 'allowed';
  return route.permission !== undefined && userRoleMay(credential.role, route.permission) ? 'allowed' : 403;
}

function headersOf(credential: Credential): Record<string, string> {
  switch (credential.kind) {
    case 'none':
      return {};
    case 'wrong key':
      return { authorization: `Bearer rg_${'w'.repeat(43)}` };
    case 'revoked key':
    case 'key':
      return { authorization: `Bearer ${credential.secret}` };
    case 'session':
      return credential.csrf ? credential.signedIn.headers : { cookie: credential.signedIn.cookie };
  }
}

describe('the authorisation matrix', () => {
  let server: ConsoleTestServer;
  let routes: readonly RouteAccess[];
  const credentials: Credential[] = [{ kind: 'none' }, { kind: 'wrong key' }];

  beforeAll(async () => {
    // Authorisation does not depend on the database: SQLite is enough.
    server = await createConsoleTestServer('sqlite');
    routes = server.app.routeTable;
    const revoked = await createApiKey(server.store, { name: 'revoked', role: 'admin' }, Date.now);
    await revokeApiKey(server.store, revoked.id, Date.now);
    credentials.push({ kind: 'revoked key', secret: revoked.secret });
    for (const role of ['ingest', 'analyst', 'admin'] as const) {
      const { secret } = await createApiKey(server.store, { name: `${role} matrix`, role }, Date.now);
      credentials.push({ kind: 'key', role, secret });
    }
    for (const role of ['analyst', 'investigator', 'supervisor', 'admin'] as const)
      credentials.push({
        kind: 'session',
        role,
        signedIn: await signIn(server.app, `${role}@test.local`),
        csrf: true,
      });
    // One session without its CSRF header (its own, so signing out with it ends nothing else).
    credentials.push({
      kind: 'session',
      role: 'admin',
      signedIn: await signIn(server.app, 'admin@test.local'),
      csrf: false,
    });
  }, 120_000);

  afterAll(async () => {
    await server?.close();
  });

  it('finds every route of the API in the route table, each with its access declared and documented', async () => {
    const document = (await server.app.inject({ method: 'GET', url: '/openapi.json' })).json() as {
      paths: Record<string, Record<string, { 'x-permission'?: string; 'x-auth'?: string }>>;
    } & OpenApiDocument;
    const documented = Object.entries(document.paths)
      .filter(([path]) => path.startsWith('/v1/'))
      .flatMap(([path, operations]) =>
        Object.entries(operations).map(([method, operation]) => ({
          route: `${method.toUpperCase()} ${path}`,
          access: operation['x-permission'] ?? operation['x-auth'],
        })),
      );
    const registered = routes.map((route) => ({
      route: `${route.method} ${route.url.replace(/:([A-Za-z]+)/g, '{$1}')}`,
      access: route.permission ?? route.auth,
    }));
    const byRoute = (a: { route: string }, b: { route: string }) => a.route.localeCompare(b.route);
    expect(registered.sort(byRoute)).toEqual(documented.sort(byRoute));
    expect(registered.every((route) => route.access !== undefined)).toBe(true);
    // The console's routes are there, not only the systems' ones.
    expect(registered.length).toBeGreaterThan(40);
  });

  it('answers every route with 401, 403 or the call itself, for every credential, as access.ts says', async () => {
    // Signing out last: it ends the session that calls it.
    const ordered = [...routes].sort(
      (a, b) =>
        Number(a.url === '/v1/session' && a.method === 'DELETE') -
        Number(b.url === '/v1/session' && b.method === 'DELETE'),
    );
    const mismatches: string[] = [];
    const seen: Partial<Record<Outcome, number>> = {};
    let calls = 0;
    for (const route of ordered) {
      // Ids that name nothing and bodies no schema accepts: an allowed call stops at 400 or 404.
      const url = route.url.replace(/:([A-Za-z]+)/g, 'matrix-missing');
      for (const credential of credentials) {
        const response = await server.app.inject({
          method: route.method as 'GET',
          url,
          headers: {
            ...headersOf(credential),
            ...(SAFE_METHODS.has(route.method) ? {} : { 'content-type': 'application/json' }),
          },
          ...(SAFE_METHODS.has(route.method) ? {} : { payload: '42' }),
        });
        calls += 1;
        const outcome: Outcome =
          response.statusCode === 401 ? 401 : response.statusCode === 403 ? 403 : 'allowed';
        const want = expected(route, credential);
        seen[want] = (seen[want] ?? 0) + 1;
        if (outcome !== want || response.statusCode >= 500)
          mismatches.push(
            `${route.method} ${route.url} as ${label(credential)}: ${response.statusCode}, expected ${want}`,
          );
      }
    }
    expect(mismatches).toEqual([]);
    expect(calls).toBe(routes.length * credentials.length);
    // The matrix has all three answers in it (not every call refused, nor every one let through).
    expect(Object.keys(seen).sort()).toEqual(['401', '403', 'allowed']);
  }, 120_000);

  it('refuses to start a /v1 route that declares no permission', async () => {
    const table: RouteAccess[] = [];
    const app = Fastify();
    void app.register(
      async (v1) => {
        v1.addHook('onRoute', recordDeclaredAccess(table));
        v1.get('/declared', { config: { permission: 'rules:read' } }, async () => ({}));
        v1.get('/undeclared', async () => ({}));
      },
      { prefix: '/v1' },
    );
    await expect(app.ready()).rejects.toThrow('GET /v1/undeclared declares no permission');
    expect(table).toEqual([{ method: 'GET', url: '/v1/declared', permission: 'rules:read' }]);
  });
});
