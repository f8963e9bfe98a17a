// The HTTP edge: a Fastify app over the engine and the store. Every /v1 route needs an API key and a
// role that allows it. Requests are validated and responses serialised with the zod schemas of
// src/contract (the console parses with the same ones), the OpenAPI document is generated from them,
// and every error leaves through one handler as an RFC 9457 problem.
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, {
  type FastifyInstance,
  type FastifyServerOptions,
  LogController,
  type RouteOptions,
} from 'fastify';
import {
  jsonSchemaTransform,
  jsonSchemaTransformObject,
  serializerCompiler,
} from 'fastify-type-provider-zod';
import { type Logger, pino } from 'pino';
import type { ConsoleServices } from '../../app/console.ts';
import type { RiskEngine } from '../../app/engine.ts';
import type { Clock, Store } from '../../app/ports.ts';
import { problemSchema } from '../../contract/problems.ts';
import { healthSchema } from '../../contract/rules.ts';
import type { Permission } from '../../core/access.ts';
import { apiKeyGuard, REDACTED_LOG_PATHS } from './auth.ts';
import { parameterProblem, registerJsonBodies } from './bodies.ts';
import { registerConsoleAuth, registerConsoleRoutes } from './console.ts';
import {
  HttpProblem,
  isResponseSchemaViolation,
  notFoundProblem,
  PROBLEM_CONTENT_TYPE,
  toProblem,
  validationProblem,
  zodValidatorCompiler,
} from './problems.ts';
import { DEFAULT_RATE_LIMITS, type RateLimitOptions, registerRateLimit } from './rate-limit.ts';
import { registerEventRoutes } from './routes/events.ts';
import { registerReadRoutes } from './routes/reads.ts';
import { registerRefundRoutes } from './routes/refunds.ts';
import { webConsole } from './web-console.ts';

/** POST /v1/events accepts bodies up to this size by default (64 MiB). */
export const DEFAULT_EVENTS_BODY_LIMIT = 64 * 1024 * 1024;

export interface HttpLoggerOptions {
  level?: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Where log lines go (default: stdout). */
  stream?: { write(line: string): void };
}

/** A pino logger for the server (JSON lines, secrets redacted): `serve` and `start` make one. */
export function createLogger(options: HttpLoggerOptions = {}): Logger {
  return pino(
    {
      level: options.level ?? 'info',
      redact: { paths: REDACTED_LOG_PATHS, censor: '[redacted]' },
      base: { service: 'refundguard' },
    },
    options.stream ?? pino.destination({ dest: 1, sync: false }),
  );
}

export interface ServerOptions {
  /** Reverse proxies (addresses, CIDR ranges) whose X-Forwarded-For names the caller; default none. */
  trustProxy?: string[];
  engine: RiskEngine;
  store: Store;
  /** The wall clock (API keys trusted for a while, the console's "cases opened in the last n days"). */
  clock: Clock;
  /** Pino logging with secrets redacted (options, or a logger from createLogger); off when omitted or false. */
  logger?: HttpLoggerOptions | Logger | boolean;
  /** Largest POST /v1/events body in bytes; default 64 MiB. */
  eventsBodyLimit?: number;
  /** The investigator console's API (sessions, cases, actions, audit); API keys only when omitted. */
  console?: ConsoleServices;
  /** Calls per minute per credential and per anonymous IP, counted in the console's database; default DEFAULT_RATE_LIMITS with the console, false for none. */
  rateLimit?: RateLimitOptions | false;
}

/** A /v1 route as registered: what its caller must be (a permission, or public / any signed-in person). */
export interface RouteAccess {
  method: string;
  /** Fastify's form: `/v1/cases/:id`. */
  url: string;
  permission?: Permission;
  auth?: 'public' | 'session';
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Every /v1 route with the access it declares (deny by default: each must declare one). */
    routeTable: readonly RouteAccess[];
  }
}

/**
 * The onRoute hook of /v1: records each route's declared access in `table`, and refuses a route
 * that declares none, so the server does not start (the guard would refuse every call to it).
 */
export function recordDeclaredAccess(table: RouteAccess[]) {
  return (route: RouteOptions): void => {
    const { permission, auth } = route.config ?? {};
    if (permission === undefined && auth === undefined)
      throw new Error(
        `${[route.method].flat().join(',')} ${route.url} declares no permission (config.permission or config.auth)`,
      );
    for (const method of [route.method].flat())
      if (method !== 'HEAD')
        table.push({
          method,
          url: route.url,
          ...(permission !== undefined ? { permission } : {}),
          ...(auth !== undefined ? { auth } : {}),
        });
  };
}

function loggerOptions(logger: ServerOptions['logger']): FastifyServerOptions {
  if (logger === undefined || logger === false) return { logger: false };
  const instance = isLogger(logger) ? logger : createLogger(logger === true ? {} : logger);
  // One line per request (below) instead of Fastify's two, with the route and the latency.
  return { loggerInstance: instance, logController: new LogController({ disableRequestLogging: true }) };
}

function isLogger(value: HttpLoggerOptions | Logger | true): value is Logger {
  return typeof value === 'object' && typeof (value as Logger).child === 'function';
}

/** The OpenAPI document's tags, by name: what each group of routes is for. */
const API_TAGS: Record<string, string> = {
  events: 'The event contract (v1).',
  refunds: 'Real-time refund decisions.',
  assessments: 'Stored decisions.',
  rules: 'The active rule pack.',
  session: 'Sign-in for people (the console).',
  cases: 'The investigators\u2019 queue, case pages and timelines.',
  actions: 'Enforcement actions, four-eyes approval and evidence exports.',
  dashboard: 'Refund search and the decisions summary.',
  decisions: 'The decision policy, its simulation on history, models and the shadow candidate.',
  admin: 'Users, API keys, webhooks, templates and the audit log (admin role).',
  health: 'Liveness, without credentials.',
};

const SECURITY: Record<string, string[]>[] = [{ bearerAuth: [] }, { apiKeyHeader: [] }];
const problemResponse = { content: { [PROBLEM_CONTENT_TYPE]: { schema: problemSchema } } };

type RouteDocument = Parameters<typeof jsonSchemaTransform>[0];

/** `GET /v1/cases/:id/timeline` → `getCasesIdTimeline`: stable, unique per route. */
function operationId(method: string | string[], url: string): string {
  const verb = (Array.isArray(method) ? (method[0] ?? 'get') : method).toLowerCase();
  const words = url
    .replace(/^\/v1\//, '/')
    .split(/[/.:_-]+/)
    .filter((word) => word !== '')
    .map((word) => `${word[0]?.toUpperCase() ?? ''}${word.slice(1)}`);
  return `${verb}${words.join('')}`;
}

/**
 * A route's zod schemas as OpenAPI. Bodies that may also come as NDJSON (config `ndjsonBody`)
 * get that media type beside JSON: zod cannot say "or one of these per line".
 */
function documentRoute(route: RouteDocument): ReturnType<typeof jsonSchemaTransform> {
  const transformed = jsonSchemaTransform(route);
  const permission = route.route.config?.permission;
  const auth = route.route.config?.auth;
  const documented = transformed.schema.hide
    ? transformed
    : {
        ...transformed,
        schema: {
          operationId: operationId(route.route.method, route.url),
          ...transformed.schema,
          ...(permission === undefined ? {} : { 'x-permission': permission }),
          ...(auth === undefined ? {} : { 'x-auth': auth }),
        },
      };
  const ndjson = route.route.config?.ndjsonBody;
  const schema = documented.schema as Record<string, unknown>;
  if (ndjson === undefined || schema.body === undefined)
    return documented as ReturnType<typeof jsonSchemaTransform>;
  return {
    ...documented,
    schema: {
      ...schema,
      body: {
        content: {
          'application/json': { schema: schema.body },
          'application/x-ndjson': { schema: { type: 'string', description: ndjson } },
        },
      },
    },
  } as ReturnType<typeof jsonSchemaTransform>;
}

/** Builds the app without listening; `app.inject` works on it, `startServer` listens. */
export function buildServer(options: ServerOptions): FastifyInstance {
  const { engine, store, clock } = options;
  const eventsBodyLimit = options.eventsBodyLimit ?? DEFAULT_EVENTS_BODY_LIMIT;
  const app = Fastify({
    ...loggerOptions(options.logger),
    // Only the proxies named may say who the caller is (X-Forwarded-For): anyone else could forge it.
    ...(options.trustProxy !== undefined && options.trustProxy.length > 0
      ? { trustProxy: options.trustProxy }
      : {}),
  });
  app.addHook('onResponse', async (request, reply) => {
    request.log.info(
      {
        method: request.method,
        route: request.routeOptions.url ?? null,
        path: request.url.split('?')[0],
        status: reply.statusCode,
        ms: Math.round(reply.elapsedTime * 100) / 100,
      },
      'request',
    );
  });

  app.decorate('routeTable', [] as RouteAccess[]);
  app.setValidatorCompiler(zodValidatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.decorateRequest('apiKey', null);
  registerJsonBodies(app);
  // Before credentials are looked at: a NUL in a parameter reaches no store (PostgreSQL refused it with a 500).
  app.addHook('onRequest', async (request) => {
    const problem = parameterProblem(request);
    if (problem !== undefined) throw validationProblem([problem]);
  });

  app.setErrorHandler((error, request, reply) => {
    const problem = toProblem(error);
    if (isResponseSchemaViolation(error)) {
      request.log.error(
        { err: error, issues: (error as { cause?: unknown }).cause },
        'response off its schema',
      );
    } else if (problem.status >= 500) request.log.error({ err: error }, 'request failed');
    else if (!(error instanceof HttpProblem)) request.log.info({ err: error }, 'request refused');
    return reply
      .code(problem.status)
      .headers(problem.headers)
      .type(PROBLEM_CONTENT_TYPE)
      .send(problem.body(request.id));
  });
  app.setNotFoundHandler((request, reply) => {
    const problem = notFoundProblem(`No route ${request.method} ${request.url.split('?')[0]}.`);
    return reply.code(404).type(PROBLEM_CONTENT_TYPE).send(problem.body(request.id));
  });

  void app.register(swagger, {
    transform: documentRoute,
    transformObject: jsonSchemaTransformObject,
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'refundguard',
        version: '1',
        license: { name: 'Apache-2.0', identifier: 'Apache-2.0' },
        description:
          'Detects and stops organised refund fraud. Send events, ask for refund decisions, read assessments. Every /v1 route needs an API key; errors are RFC 9457 problem details.',
      },
      servers: [{ url: '/', description: 'The server that serves this document.' }],
      tags: Object.entries(API_TAGS).map(([name, description]) => ({ name, description })),
      components: {
        securitySchemes: {
          bearerAuth: { type: 'http', scheme: 'bearer', description: 'Authorization: Bearer <API key>' },
          apiKeyHeader: { type: 'apiKey', in: 'header', name: 'X-API-Key' },
        },
      },
    },
  });
  void app.register(swaggerUi, { routePrefix: '/docs' });

  void app.register(async (root) => {
    root.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
    root.get(
      '/health',
      {
        schema: {
          summary: 'Liveness and stored event count (no API key needed)',
          tags: ['health'],
          security: [],
          response: { 200: healthSchema },
        },
      },
      async () => ({ status: 'ok' as const, events: await store.countEvents() }),
    );
  });

  void app.register(
    async (v1) => {
      if (options.console && options.rateLimit !== false)
        await registerRateLimit(
          v1,
          options.console.consoleStore,
          clock,
          options.rateLimit ?? DEFAULT_RATE_LIMITS,
        );
      if (options.console) registerConsoleAuth(v1, store, options.console, clock);
      else v1.addHook('onRequest', apiKeyGuard(store, clock));
      v1.addHook('onRoute', recordDeclaredAccess(app.routeTable as RouteAccess[]));
      v1.addHook('onRoute', (route) => {
        route.schema = {
          ...route.schema,
          security: SECURITY,
          response: {
            401: problemResponse,
            403: problemResponse,
            ...(route.schema?.response as Record<string, unknown> | undefined),
          },
        };
      });
      const dependencies = { engine, store, eventsBodyLimit };
      registerEventRoutes(v1, dependencies);
      registerRefundRoutes(v1, dependencies);
      registerReadRoutes(v1, dependencies);
      if (options.console) registerConsoleRoutes(v1, options.console, clock);
    },
    { prefix: '/v1' },
  );
  void app.register(webConsole);

  return app;
}

export interface StartServerOptions extends ServerOptions {
  port: number;
  host?: string;
}

export interface RunningServer {
  app: FastifyInstance;
  /** e.g. `http://127.0.0.1:8080` */
  address: string;
  port: number;
}

/** Builds the app and listens; `app.close()` stops it (the store stays open: its owner closes it). */
export async function startServer(options: StartServerOptions): Promise<RunningServer> {
  const app = buildServer(options);
  const address = await app.listen({ port: options.port, host: options.host ?? '127.0.0.1' });
  const bound = app.server.address();
  const port = typeof bound === 'object' && bound !== null ? bound.port : options.port;
  return { app, address, port };
}
