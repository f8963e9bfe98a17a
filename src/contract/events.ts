// POST /v1/events: the event contract (v1) as documented, and what ingestion answers.
import { z } from 'zod';
import { EVENT_TYPES, type EventType, PAYLOAD_SCHEMAS, timestampSchema } from '../core/events.ts';
import { fieldProblemSchema, problemSchema } from './problems.ts';

/** One event per contract type, for the documentation (ingestion validates with core's parseEvent). */
export const eventSchema = z
  .discriminatedUnion(
    'type',
    EVENT_TYPES.map((type) =>
      z.object({
        id: z.string().min(1).describe('Unique per event; sending the same id again is a no-op.'),
        type: z.literal(type),
        time: timestampSchema.describe('RFC 3339: when it happened, not when it was sent.'),
        data: PAYLOAD_SCHEMAS[type],
      }),
    ) as unknown as [
      z.ZodObject<{ type: z.ZodLiteral<EventType> }>,
      ...z.ZodObject<{ type: z.ZodLiteral<EventType> }>[],
    ],
  )
  .describe('An event of the v1 contract (shared/contract/EVENTS.md).');

export const rejectedEventSchema = z.object({
  index: z.number().int().describe('0-based position in the batch (for NDJSON: among the non-blank lines).'),
  line: z.number().int().optional().describe('1-based line number, for NDJSON.'),
  eventId: z.string().optional(),
  problems: z.array(fieldProblemSchema),
});

export const ingestResponseSchema = z.object({
  received: z.number().int(),
  inserted: z.number().int(),
  duplicates: z.number().int().describe('Events whose id was already stored (re-sends are no-ops).'),
  assessed: z.number().int().describe('Refund requests and sign-ups assessed at their own moment.'),
  rejected: z.array(rejectedEventSchema),
});

export const eventsRejectedProblemSchema = problemSchema.extend({
  received: z.number().int().optional(),
  rejected: z
    .array(rejectedEventSchema)
    .optional()
    .describe(
      'When every event was rejected (type urn:refundguard:problem:events-rejected): why each one was.',
    ),
});
