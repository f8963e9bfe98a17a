// The API's request and response shapes as zod schemas. Handlers validate with them; the OpenAPI
// document is generated from them (z.toJSONSchema), so the docs cannot drift from the checks.
import { z } from 'zod';
import { ASSESSMENT_KINDS } from '../../app/ports.ts';
import { DECISIONS, SIGNUP_DECISIONS } from '../../core/decisions.ts';
import {
  EVENT_TYPES,
  type EventType,
  PAYLOAD_SCHEMAS,
  refundRequestedSchema,
  timestampSchema,
} from '../../core/events.ts';
import { decisionPolicySchema } from '../../core/evidence/evidence-pack.ts';
import { rulePackFieldsSchema } from '../../core/rules/rule-pack.ts';

export const fieldProblemSchema = z.object({
  field: z
    .string()
    .describe('Dotted path of the field, e.g. `data.items.0.priceMinor`; `(root)` for the whole value.'),
  reason: z.string(),
});

export const problemSchema = z
  .looseObject({
    type: z.string().describe('A URI naming the kind of problem; `about:blank` for plain HTTP errors.'),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().optional(),
    errors: z
      .array(fieldProblemSchema)
      .optional()
      .describe('For validation problems: every field that failed.'),
    requestId: z
      .string()
      .optional()
      .describe('Quote it when reporting a problem: it names the request in our logs.'),
  })
  .describe('RFC 9457 problem details (application/problem+json).');

// ---- events ----

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

// ---- refunds ----

export const reasonSchema = z.object({
  code: z.string(),
  text: z.string(),
  weight: z
    .number()
    .optional()
    .describe('Its term in the log odds of the score: positive raises it, negative (trust) lowers it.'),
});

export const assessRefundBodySchema = refundRequestedSchema
  .extend({
    time: timestampSchema
      .optional()
      .describe('The decided moment (RFC 3339); by default, now. Only what happened before it is in view.'),
  })
  .describe('A refund.requested payload, asked about without being recorded as an event.');

export const refundDecisionSchema = z.object({
  refundId: z.string(),
  decision: z.enum(DECISIONS),
  score: z.number().min(0).max(1).describe('0..1, higher is riskier.'),
  reasons: z.array(reasonSchema),
  rulePackVersion: z.string(),
  modelVersion: z
    .string()
    .nullable()
    .describe('The promoted model that decided; null: the measured evidence alone.'),
  signals: z
    .record(z.string(), z.unknown())
    .describe(
      'The signal values the evidence was read from, and `trace`: the levels shown, each term, the bands.',
    ),
});

const isoTime = z.string().describe('RFC 3339');

export const assessmentSchema = z.object({
  subjectType: z.enum(['refund', 'signup']),
  subjectId: z.string().describe('refundId for refunds, accountId for sign-ups.'),
  kind: z
    .enum(ASSESSMENT_KINDS)
    .describe('`request`: assessed on ingestion at its own moment; `api`: asked through /v1/refunds/assess.'),
  accountId: z.string(),
  at: isoTime.describe('The decided moment.'),
  decision: z.string(),
  score: z.number(),
  reasons: z.array(reasonSchema),
  signals: z.record(z.string(), z.unknown()),
  rulePackVersion: z.string(),
  modelVersion: z
    .string()
    .nullable()
    .describe('The promoted model the decision used; null: the measured evidence alone.'),
  amountMinor: z.number().int().nullable(),
  currency: z.string().nullable(),
  amountUsdMinor: z.number().int().nullable(),
  createdAt: isoTime.describe('When the assessment was made.'),
});

export const refundAssessmentResponseSchema = assessmentSchema.extend({
  final: z
    .object({
      decision: z.enum(DECISIONS),
      score: z.number(),
      reasons: z.array(reasonSchema),
      rulePackVersion: z.string(),
      asOf: isoTime,
    })
    .optional()
    .describe(
      'The decision with later evidence (returns, closures, intel) in view, when the refund was ingested as an event.',
    ),
});

export const refundParamsSchema = z.object({ refundId: z.string().min(1) });

// ---- assessments ----

const ANY_DECISION = [...new Set<string>([...DECISIONS, ...SIGNUP_DECISIONS])] as [string, ...string[]];

const decisionList = z
  .union([z.string(), z.array(z.string())])
  .transform((value) =>
    (Array.isArray(value) ? value : [value])
      .flatMap((part) => part.split(','))
      .map((part) => part.trim())
      .filter((part) => part !== ''),
  )
  .pipe(z.array(z.enum(ANY_DECISION, { error: () => `must be one of ${ANY_DECISION.join(', ')}` })));

const wholeNumber = (min: number, max: number) =>
  z.coerce
    .number({ error: 'must be a whole number' })
    .int('must be a whole number')
    .min(min, `must be at least ${min}`)
    .max(max, `must be at most ${max}`);

export const MAX_PAGE_SIZE = 1000;

export const assessmentQuerySchema = z.strictObject({
  decision: decisionList.optional().describe(`Comma-separated decisions: ${ANY_DECISION.join(', ')}.`),
  accountId: z.string().min(1).optional(),
  subjectType: z.enum(['refund', 'signup']).optional(),
  kind: z.enum(ASSESSMENT_KINDS).optional(),
  limit: wholeNumber(1, MAX_PAGE_SIZE).default(100),
  offset: wholeNumber(0, Number.MAX_SAFE_INTEGER).default(0),
});

export const assessmentListSchema = z.object({
  items: z.array(assessmentSchema).describe('Newest decided moment first.'),
  limit: z.number().int(),
  offset: z.number().int(),
});

// ---- rules, health ----

/** The pack's fields `GET /v1/rules` shows (reference rates and goods lists stay out). */
export const SHOWN_RULE_FIELDS = {
  name: true,
  version: true,
  description: true,
  evidenceRates: true,
  evidence: true,
  policies: true,
  model: true,
  rings: true,
  explanations: true,
  signupBands: true,
  signupRules: true,
} as const;

export const rulesResponseSchema = rulePackFieldsSchema.pick(SHOWN_RULE_FIELDS).extend({
  policy: decisionPolicySchema.describe(
    'The decision policy in force (the retailer may have changed the pack’s).',
  ),
  modelVersion: z.string().nullable().describe('The promoted model, if any.'),
});

export const healthSchema = z.object({
  status: z.literal('ok'),
  events: z.number().int().describe('Events stored.'),
});

/** A zod schema as a JSON Schema (2020-12, as OpenAPI 3.1 uses) for the route's documentation. */
export function jsonSchema(schema: z.ZodType, io: 'input' | 'output' = 'output'): Record<string, unknown> {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as Record<
    string,
    unknown
  >;
  return rest;
}
