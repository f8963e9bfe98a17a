// The HTTP edge: a Fastify app over the engine and the store. Every /v1 route needs an API key and a
// role that allows it; every error is an RFC 9457 problem; OpenAPI docs are generated from the zod
// schemas the handlers validate with.
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import type { ConsoleServices } from '../../app/console.ts';
import type { RiskEngine } from '../../app/engine.ts';
import type { Clock, Store } from '../../app/ports.ts';
import { apiKeyGuard, REDACTED_LOG_PATHS } from './auth.ts';
import { registerConsoleAuth, registerConsoleRoutes } from './console.ts';
import { HttpProblem, notFoundProblem, PROBLEM_CONTENT_TYPE, toProblem } from './problems.ts';
import { registerEventRoutes } from './routes/events.ts';
import { registerReadRoutes } from './routes/reads.ts';
import { registerRefundRoutes } from './routes/refunds.ts';
import { healthSchema, jsonSchema, problemSchema } from './schemas.ts';
import { webConsole } from './web-console.ts';

/** POST /v1/events accepts bodies up to this size by default (64 MiB). */
export const DEFAULT_EVENTS_BODY_LIMIT = 64 * 1024 * 1024;

export interface HttpLoggerOptions {
  level?: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Where log lines go (default: stdout). */
  stream?: { write(line: string): void };
}

export interface ServerOptions {
  engine: RiskEngine;
  store: Store;
  /** The wall clock (API keys trusted for a while, the console's "cases opened in the last n days"). */
  clock: Clock;
  /** Pino logging with secrets redacted; off when omitted or false. */
  logger?: HttpLoggerOptions | boolean;
  /** Largest POST /v1/events body in bytes; default 64 MiB. */
  eventsBodyLimit?: number;
  /** The investigator console's API (sessions, cases, actions, audit); API keys only when omitted. */
  console?: ConsoleServices;
}

function loggerOption(logger: ServerOptions['logger']): FastifyServerOptions['logger'] {
  if (logger === undefined || logger === false) return false;
  const options = logger === true ? {} : logger;
  return {
    level: options.level ?? 'info',
    ...(options.stream !== undefined ? { stream: options.stream } : {}),
    redact: { paths: REDACTED_LOG_PATHS, censor: '[redacted]' },
  };
}

const SECURITY: Record<string, string[]>[] = [{ bearerAuth: [] }, { apiKeyHeader: [] }];

/** Builds the app without listening; `app.inject` works on it, `startServer` listens. */
export function buildServer(options: ServerOptions): FastifyInstance {
  const { engine, store, clock } = options;
  const eventsBodyLimit = options.eventsBodyLimit ?? DEFAULT_EVENTS_BODY_LIMIT;
  const app = Fastify({ logger: loggerOption(options.logger) });

  // Handlers validate with zod (our {field, reason} errors); route schemas are documentation only.
  app.setValidatorCompiler(() => () => true);
  app.setSerializerCompiler(() => (data) => JSON.stringify(data));
  app.decorateRequest('apiKey', null);

  app.setErrorHandler((error, request, reply) => {
    const problem = toProblem(error);
    if (problem.status >= 500) request.log.error({ err: error }, 'request failed');
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
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'refundguard',
        version: '1',
        description:
          'Detects and stops organised refund fraud. Send events, ask for refund decisions, read assessments. Every /v1 route needs an API key; errors are RFC 9457 problem details.',
      },
      tags: [
        { name: 'events', description: 'The event contract (v1).' },
        { name: 'refunds', description: 'Real-time refund decisions.' },
        { name: 'assessments', description: 'Stored decisions.' },
        { name: 'rules', description: 'The active rule pack.' },
        { name: 'health' },
      ],
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
          response: { 200: jsonSchema(healthSchema) },
        },
      },
      async () => ({ status: 'ok' as const, events: await store.countEvents() }),
    );
  });

  void app.register(
    async (v1) => {
      if (options.console) registerConsoleAuth(v1, store, options.console, clock);
      else v1.addHook('onRequest', apiKeyGuard(store, clock));
      v1.addHook('onRoute', (route) => {
        route.schema = {
          ...route.schema,
          security: SECURITY,
          response: {
            401: { content: { [PROBLEM_CONTENT_TYPE]: { schema: jsonSchema(problemSchema) } } },
            403: { content: { [PROBLEM_CONTENT_TYPE]: { schema: jsonSchema(problemSchema) } } },
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
