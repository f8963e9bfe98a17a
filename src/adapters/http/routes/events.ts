// POST /v1/events: a JSON array of events, one event object, or NDJSON. Invalid events are reported
// and the valid ones still go in; re-sent ids are no-ops.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { IngestResult } from '../../../app/engine.ts';
import type { RejectedEvent } from '../../../app/ingest-batch.ts';
import { eventSchema, eventsRejectedProblemSchema, ingestResponseSchema } from '../../../contract/events.ts';
import { problemSchema } from '../../../contract/problems.ts';
import { NDJSON_CONTENT_TYPES, parseNdjson } from '../ndjson.ts';
import { HttpProblem, PROBLEM_CONTENT_TYPE, PROBLEM_TYPES, validationProblem } from '../problems.ts';
import type { RouteDependencies } from './dependencies.ts';

function mediaType(request: FastifyRequest): string | undefined {
  return request.headers['content-type']?.split(';')[0]?.trim().toLowerCase();
}

function isNdjson(request: FastifyRequest): boolean {
  const type = mediaType(request);
  return type !== undefined && NDJSON_CONTENT_TYPES.includes(type);
}

async function ingestBody(request: FastifyRequest, { engine }: RouteDependencies): Promise<IngestResult> {
  const body = request.body;
  if (isNdjson(request)) {
    const records = parseNdjson(Buffer.isBuffer(body) ? body : '');
    const result = await engine.ingest(records.items, records.lineNumbers);
    // The engine numbers rejections within what it was given; report positions in the whole body.
    const rejected: RejectedEvent[] = [
      ...records.unreadable,
      ...result.rejected.map((rejection) => ({
        ...rejection,
        index: records.recordIndexes[rejection.index] ?? rejection.index,
      })),
    ].sort((left, right) => left.index - right.index);
    return { ...result, received: records.received, rejected };
  }
  if (Array.isArray(body)) return engine.ingest(body);
  if (typeof body === 'object' && body !== null) return engine.ingest([body]);
  if (mediaType(request) === 'application/json')
    throw validationProblem([
      {
        field: '(root)',
        reason: `the body must be an event object or an array of events, not ${body === null ? 'null' : `a ${typeof body}`}`,
      },
    ]);
  if (typeof body === 'string' || body === undefined) {
    throw new HttpProblem(
      415,
      PROBLEM_TYPES.unsupportedMediaType,
      'Unsupported media type',
      `Send application/json (an event or an array of events) or ${NDJSON_CONTENT_TYPES[0]} (one event per line).`,
    );
  }
  throw validationProblem([{ field: '(root)', reason: 'must be an event object or an array of events' }]);
}

const eventsBodySchema = z
  .union([eventSchema, z.array(eventSchema)])
  .describe('An event or an array of events.');

export function registerEventRoutes(app: FastifyInstance, dependencies: RouteDependencies): void {
  for (const contentType of NDJSON_CONTENT_TYPES) {
    // Bytes: each line is decoded on its own, so that one line of bad UTF-8 is refused alone.
    app.addContentTypeParser(contentType, { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
  }

  app.post(
    '/events',
    {
      bodyLimit: dependencies.eventsBodyLimit,
      config: { permission: 'events:write', ndjsonBody: 'One event (JSON) per line.' },
      schema: {
        summary: 'Send events',
        description:
          'A JSON array of events, a single event, or NDJSON (one event per line). Each event is validated on its own: the invalid ones are listed in `rejected` and the rest are stored. An id already stored is a no-op (idempotent). Refund requests and sign-ups are assessed at their own moment. 400 only when every event was rejected.',
        tags: ['events'],
        body: eventsBodySchema,
        response: {
          200: ingestResponseSchema,
          400: { content: { [PROBLEM_CONTENT_TYPE]: { schema: eventsRejectedProblemSchema } } },
          413: { content: { [PROBLEM_CONTENT_TYPE]: { schema: problemSchema } } },
          415: { content: { [PROBLEM_CONTENT_TYPE]: { schema: problemSchema } } },
        },
      },
      // Each event is checked on its own by the engine, so that one bad event is reported and the
      // rest still go in: the edge passes the body through unchecked.
      validatorCompiler: () => (data) => ({ value: data }),
    },
    async (request) => {
      const result = await ingestBody(request, dependencies);
      const { received, inserted, duplicates, assessed, rejected } = result;
      if (rejected.length > 0 && rejected.length === received) {
        throw new HttpProblem(
          400,
          PROBLEM_TYPES.eventsRejected,
          'No event was accepted',
          `All ${received} event${received === 1 ? ' was' : 's were'} rejected; see \`rejected\`.`,
          { received, rejected },
        );
      }
      return { received, inserted, duplicates, assessed, rejected };
    },
  );
}
