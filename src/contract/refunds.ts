// Refund decisions asked in real time, stored assessments, and the assessments list.
import { z } from 'zod';
import { ASSESSMENT_KINDS, DECISIONS, SIGNUP_DECISIONS } from '../core/decisions.ts';
import { refundRequestedSchema, timestampSchema } from '../core/events.ts';
import { isoTime, wholeNumber } from './query.ts';

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

export type AssessmentView = z.infer<typeof assessmentSchema>;
