// Rate limits for /v1 with @fastify/rate-limit, counted in the console's database (the
// `rate_limits` table) so that every process of a deployment shares them. Calls are counted per
// credential (an API key or a session, by a hash of it: the secret is never a key) and, without one,
// per IP address; the limit runs before authentication, so a flood is refused before any lookup.
import { createHash } from 'node:crypto';
import rateLimit, { type FastifyRateLimitStore, type FastifyRateLimitStoreCtor } from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { RateLimitStore } from '../../app/console-ports.ts';
import type { Clock } from '../../app/ports.ts';
import { SESSION_COOKIE } from './console-auth.ts';
import { HttpProblem, PROBLEM_TYPES } from './problems.ts';

export interface RateLimitOptions {
  /** Calls per minute per API key or session; 0: no limit. */
  perMinute: number;
  /** Calls per minute per IP address without credentials; 0: no limit. */
  anonymousPerMinute: number;
}

export const DEFAULT_RATE_LIMITS: RateLimitOptions = { perMinute: 60_000, anonymousPerMinute: 600 };

/** A store class for @fastify/rate-limit over the shared counters (one atomic upsert per call). */
export function databaseRateLimitStore(store: RateLimitStore, clock: Clock): FastifyRateLimitStoreCtor {
  class DatabaseRateLimitStore implements FastifyRateLimitStore {
    incr(
      key: string,
      callback: (error: Error | null, result?: { current: number; ttl: number }) => void,
      timeWindow: number,
      max: number,
    ): void {
      const now = clock();
      store
        .hitRateLimit(`api:${key}`, now, { windowMs: timeWindow, max, backoff: false, maxLockMs: timeWindow })
        .then(
          ({ hits, resetAt }) => callback(null, { current: hits, ttl: Math.max(0, resetAt - now) }),
          (error: unknown) => callback(error instanceof Error ? error : new Error(String(error))),
        );
    }

    child(): FastifyRateLimitStore {
      return new DatabaseRateLimitStore();
    }
  }
  return DatabaseRateLimitStore;
}

const SESSION_IN_COOKIE = new RegExp(`(?:^|;\\s*)${SESSION_COOKIE}=([^;]*)`);

function digest(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('base64url').slice(0, 22);
}

/** Who a call counts against, without a database lookup: a hash of its credential, or its address. */
export function rateLimitKey(request: FastifyRequest): string {
  const authorization = request.headers.authorization;
  const apiKey = request.headers['x-api-key'];
  const credential = typeof authorization === 'string' && authorization !== '' ? authorization : apiKey;
  if (typeof credential === 'string' && credential !== '')
    return `cred:${digest(credential.replace(/^Bearer\s+/i, '').trim())}`;
  // Read from the header: the limit runs before the cookie plugin has parsed it.
  const session = SESSION_IN_COOKIE.exec(request.headers.cookie ?? '')?.[1];
  if (session !== undefined && session !== '') return `session:${digest(session)}`;
  return `ip:${request.ip}`;
}

/** Registers the limiter on the /v1 scope; call before the authentication hook. */
export async function registerRateLimit(
  v1: FastifyInstance,
  store: RateLimitStore,
  clock: Clock,
  options: RateLimitOptions,
): Promise<void> {
  const limitOf = (key: string) => (key.startsWith('ip:') ? options.anonymousPerMinute : options.perMinute);
  await v1.register(rateLimit, {
    global: false,
    store: databaseRateLimitStore(store, clock),
  });
  v1.addHook(
    'onRequest',
    v1.rateLimit({
      timeWindow: 60_000,
      keyGenerator: rateLimitKey,
      max: (_request, key) => limitOf(key),
      allowList: (_request, key) => limitOf(key) === 0,
      errorResponseBuilder: (_request, context) =>
        new HttpProblem(
          429,
          PROBLEM_TYPES.tooManyAttempts,
          'Too many requests',
          `More than ${context.max} calls a minute; try again in ${context.after}.`,
        ),
    }),
  );
}
