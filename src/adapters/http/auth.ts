// API-key authentication and role checks for /v1. A route states the permission it needs in its
// config; a /v1 route that states none is refused (deny by default).
import type { FastifyReply, FastifyRequest } from 'fastify';
import { authenticateApiKey, hasPermission, type Permission } from '../../app/api-keys.ts';
import type { ApiKeyRecord, Clock, Store } from '../../app/ports.ts';
import { forbiddenProblem, HttpProblem, unauthenticatedProblem } from './problems.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** What the caller's role must allow; every /v1 route sets it. */
    permission?: Permission;
    /** The body may also come as NDJSON; the text documents it in OpenAPI. */
    ndjsonBody?: string;
  }
  interface FastifyRequest {
    /** The authenticated key (never its secret); null outside /v1. */
    apiKey: ApiKeyRecord | null;
  }
}

/**
 * Log paths that could hold a secret (credentials, cookies, CSRF tokens, passwords, key and webhook
 * secrets); pino replaces them wherever they appear at these depths.
 */
export const REDACTED_LOG_PATHS = [
  'req.headers.authorization',
  'req.headers["x-api-key"]',
  'req.headers.cookie',
  'req.headers["x-csrf-token"]',
  'res.headers["set-cookie"]',
  'request.headers.authorization',
  'request.headers["x-api-key"]',
  'request.headers.cookie',
  'headers.authorization',
  'headers["x-api-key"]',
  'headers.cookie',
  'headers["set-cookie"]',
  'authorization',
  'cookie',
  '["x-api-key"]',
  '["x-csrf-token"]',
  'password',
  'secret',
  'csrfToken',
  'sessionId',
  'body.password',
  'body.secret',
  '*.password',
  '*.secret',
  '*.csrfToken',
  '*.sessionId',
];

function headerValue(value: string | string[] | undefined): string | undefined {
  if (Array.isArray(value)) {
    if (value.length > 1) throw unauthenticatedProblem('Send one API key, not several.');
    return value[0];
  }
  return value;
}

/** The secret from `Authorization: Bearer <key>` or `X-API-Key: <key>`; undefined when neither is sent. */
export function credentialsFrom(headers: FastifyRequest['headers']): string | undefined {
  const authorization = headerValue(headers.authorization)?.trim();
  const apiKeyHeader = headerValue(headers['x-api-key'])?.trim();
  let bearer: string | undefined;
  if (authorization !== undefined && authorization !== '') {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization);
    if (!match) throw unauthenticatedProblem('The Authorization header must be "Bearer <API key>".');
    bearer = match[1];
  }
  const fromHeader = apiKeyHeader === '' ? undefined : apiKeyHeader;
  if (bearer !== undefined && fromHeader !== undefined && bearer !== fromHeader) {
    throw unauthenticatedProblem('Authorization and X-API-Key name different keys; send one.');
  }
  return bearer ?? fromHeader;
}

/** The onRequest hook for /v1: runs before the body is read, so an anonymous upload is refused early. */
export function apiKeyGuard(store: Store, clock: Clock) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const secret = credentialsFrom(request.headers);
    if (secret === undefined) {
      throw unauthenticatedProblem('Send an API key as "Authorization: Bearer <key>" or "X-API-Key: <key>".');
    }
    const key = await authenticateApiKey(store, secret, clock);
    if (key === undefined) throw unauthenticatedProblem('The API key is unknown or revoked.');
    request.apiKey = key;
    request.log = request.log.child({ apiKeyId: key.id, role: key.role });
    reply.log = request.log;

    const permission = request.routeOptions.config.permission;
    if (permission === undefined) {
      throw new HttpProblem(500, 'about:blank', 'Internal Server Error', 'This route states no permission.');
    }
    if (!hasPermission(key.role, permission)) {
      throw forbiddenProblem(`The role "${key.role}" does not allow ${permission}.`);
    }
  };
}
