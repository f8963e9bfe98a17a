// Authentication for /v1 when the console is on: systems send an API key, people send the session
// cookie (and, on state-changing calls, the CSRF header). Either way the route's permission is
// checked against the caller's role; refusals (401, 403, 429) are audited in aggregate.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { authenticateApiKey } from '../../app/api-keys.ts';
import type { ConsoleServices } from '../../app/console.ts';
import { actorId, csrfMatches, type Principal, principalMay, principalRole } from '../../app/people.ts';
import type { Clock, Store } from '../../app/ports.ts';
import { credentialsFrom } from './auth.ts';
import { forbiddenProblem, HttpProblem, toProblem, unauthenticatedProblem } from './problems.ts';

export const SESSION_COOKIE = 'rg_session';
export const CSRF_HEADER = 'x-csrf-token';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

declare module 'fastify' {
  interface FastifyContextConfig {
    /** `public`: no credentials (login); `session`: any signed-in person (no permission needed). */
    auth?: 'public' | 'session';
  }
  interface FastifyRequest {
    /** Who is calling (a person or a system); null before authentication and on public routes. */
    principal: Principal | null;
    /** The raw session id from the cookie, when the caller is a person. */
    sessionId: string | null;
  }
}

function cookieSession(request: FastifyRequest): string | undefined {
  const value = request.cookies?.[SESSION_COOKIE];
  return value === undefined || value === '' ? undefined : value;
}

/** The onRequest hook for /v1 with the console: API key or session, CSRF, then the route's permission. */
export function consoleGuard(store: Store, services: ConsoleServices, clock: Clock) {
  return async (request: FastifyRequest, _reply: FastifyReply): Promise<void> => {
    const config = request.routeOptions.config;
    if (config.auth === 'public') return;
    const secret = credentialsFrom(request.headers);
    const sessionId = cookieSession(request);
    if (secret !== undefined) {
      const key = await authenticateApiKey(store, secret, clock);
      if (key === undefined) throw unauthenticatedProblem('The API key is unknown or revoked.');
      request.apiKey = key;
      request.principal = { kind: 'key', key };
      services.keys.touch(key.id);
    } else if (sessionId !== undefined) {
      const user = await services.people.sessionUser(sessionId);
      if (user === undefined) throw unauthenticatedProblem('The session has ended; sign in again.');
      request.principal = { kind: 'user', user };
      request.sessionId = sessionId;
      if (!SAFE_METHODS.has(request.method)) {
        const header = request.headers[CSRF_HEADER];
        if (!csrfMatches(sessionId, Array.isArray(header) ? header[0] : header))
          throw forbiddenProblem(
            `A state-changing call made with a session needs the ${CSRF_HEADER} header.`,
          );
      }
    } else {
      throw unauthenticatedProblem(
        'Sign in (session cookie) or send an API key as "Authorization: Bearer <key>" or "X-API-Key: <key>".',
      );
    }
    request.log = request.log.child({
      actor: actorId(request.principal),
      role: principalRole(request.principal),
    });
    if (config.auth === 'session') {
      if (request.principal.kind !== 'user')
        throw forbiddenProblem('This route is for people signed in to the console.');
      return;
    }
    const permission = config.permission;
    if (permission === undefined) {
      throw new HttpProblem(500, 'about:blank', 'Internal Server Error', 'This route states no permission.');
    }
    if (!principalMay(request.principal, permission)) {
      throw forbiddenProblem(`The role "${principalRole(request.principal)}" does not allow ${permission}.`);
    }
  };
}

/** Refusals the audit tallies; a wrong password (401 on sign-in) is audited on its own by People. */
const TALLIED = new Set([401, 403, 429]);

/** onError hook: refused calls (401, 403, 429) are audited in aggregate, per caller, address, route and minute. */
export function auditRefusals(services: ConsoleServices) {
  return async (request: FastifyRequest, _reply: FastifyReply, error: unknown): Promise<void> => {
    const problem = toProblem(error);
    if (!TALLIED.has(problem.status)) return;
    const route = `${request.method} ${request.routeOptions.url ?? request.url.split('?')[0]}`;
    if (problem.status === 401 && route === 'POST /v1/session') return;
    await services.refusals
      .note({
        actor: actorId(request.principal ?? undefined),
        ip: request.ip,
        status: problem.status,
        route,
        path: request.url.split('?')[0] ?? '',
        reason: problem.detail ?? problem.title,
      })
      .catch((auditError: unknown) => request.log.error({ err: auditError }, 'audit write failed'));
  };
}

/** The principal of an authenticated request (routes behind the guard). */
export function principalOf(request: FastifyRequest): Principal {
  if (request.principal === null) throw unauthenticatedProblem('Sign in or send an API key.');
  return request.principal;
}
