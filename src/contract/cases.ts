// Cases and enforcement actions: the queue, a case page, its timeline, working a case (transitions,
// assignment, notes, outcome) and the actions proposed on it.
import { z } from 'zod';
import { isoTime } from './query.ts';
import { reasonSchema } from './refunds.ts';
import {
  ACTION_STATUSES,
  ACTION_TYPES,
  CASE_STATUSES,
  CASE_SUBJECT_TYPES,
  CASE_TYPES,
  OUTCOME_LABELS,
} from './vocabulary.ts';

/** A comma-separated query parameter whose parts are each one of `values`. */
const list = <T extends string>(values: readonly [T, ...T[]]) =>
  z
    .string()
    .transform((text) =>
      text
        .split(',')
        .map((item) => item.trim())
        .filter((item) => item !== ''),
    )
    .pipe(z.array(z.enum(values)));

// ---- requests ----

export const caseQuerySchema = z.object({
  status: list(CASE_STATUSES)
    .optional()
    .describe(`Comma-separated statuses: ${CASE_STATUSES.join(', ')}.`),
  type: list(CASE_TYPES)
    .optional()
    .describe(`Comma-separated case types: ${CASE_TYPES.join(', ')}.`),
  marketplace: z.string().min(1).optional(),
  minUsd: z.coerce.number().nonnegative().optional().describe('Least money at risk, in USD.'),
  maxAgeDays: z.coerce.number().positive().optional().describe('Opened at most this many days ago.'),
  assignee: z.string().min(1).optional().describe('A user id, `me` (the caller) or `none` (unassigned).'),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});
export const idParamsSchema = z.object({ id: z.string().min(1) });
export const transitionBodySchema = z.object({
  to: z.enum(CASE_STATUSES),
  note: z.string().max(5000).optional(),
});
export const assignBodySchema = z.object({
  userId: z.string().min(1).nullable().describe('null: unassign.'),
});
export const noteBodySchema = z.object({ text: z.string().trim().min(1).max(20_000) });
export const outcomeBodySchema = z.object({
  label: z.enum(OUTCOME_LABELS),
  note: z.string().max(5000).optional(),
});
export const proposeActionBodySchema = z.object({
  type: z.enum(ACTION_TYPES),
  accountId: z.string().min(1).optional().describe("Defaults to the case's account."),
  refundId: z
    .string()
    .min(1)
    .optional()
    .describe('For refund actions (require_return, deny_refund, reverse_refund).'),
  note: z.string().max(5000).optional(),
});
export const decideBodySchema = z.object({ note: z.string().max(5000).optional() }).default({});

// ---- replies ----

export const personRefSchema = z
  .object({ id: z.string(), name: z.string() })
  .describe('A person (or an API key, or the system) by id and display name.');

export const caseSummarySchema = z.object({
  id: z.string(),
  type: z.enum(CASE_TYPES),
  subjectType: z.enum(CASE_SUBJECT_TYPES),
  subjectId: z.string(),
  title: z.string(),
  status: z.enum(CASE_STATUSES),
  priorityUsd: z.number().describe('Money at risk, in USD: what orders the queue.'),
  marketplace: z.string().optional(),
  assignee: personRefSchema.optional(),
  openedAt: isoTime,
  updatedAt: isoTime,
  refundCount: z.number().int(),
  topReasons: z.array(z.string()).describe('Reason codes of the evidence, most frequent first.'),
});

export const caseListSchema = z.object({
  items: z.array(caseSummarySchema).describe('Most money at risk first.'),
  total: z.number().int().describe('Cases matching the filters, over all pages.'),
  counts: z
    .object({
      status: z.record(z.string(), z.number().int()),
      type: z.record(z.string(), z.number().int()),
    })
    .describe('Cases per status and per type, for the filter chips.'),
});

export const caseHistoryEntrySchema = z.object({
  from: z.enum(CASE_STATUSES).nullable().describe('null: the case was opened.'),
  to: z.enum(CASE_STATUSES),
  by: personRefSchema,
  at: isoTime,
  note: z.string().optional(),
});

export const caseNoteSchema = z.object({
  id: z.string(),
  by: personRefSchema,
  at: isoTime,
  text: z.string(),
});

export const caseEvidenceSchema = z.object({
  kind: z.string().describe('assessment, event, ring or intel.'),
  refId: z.string().describe('The assessed refund, the event, the ring or the intel record.'),
  summary: z.string(),
  at: isoTime,
});

export const caseOutcomeSchema = z.object({
  label: z.string().describe(`The label set: ${OUTCOME_LABELS.join(', ')}.`),
  by: personRefSchema,
  at: isoTime,
  note: z.string().optional(),
});

export const deliverySchema = z.object({
  webhookId: z.string(),
  status: z.string().describe('pending, delivered or failed.'),
  attempts: z.number().int(),
  lastAttemptAt: isoTime.nullable(),
  lastStatusCode: z.number().int().nullable(),
});

export const actionSchema = z.object({
  id: z.string(),
  caseId: z.string(),
  type: z.enum(ACTION_TYPES),
  target: z.object({ accountId: z.string().optional(), refundId: z.string().optional() }),
  status: z.enum(ACTION_STATUSES),
  proposedBy: personRefSchema,
  proposedAt: isoTime,
  decidedBy: personRefSchema.optional(),
  decidedAt: isoTime.optional(),
  note: z.string().optional(),
  result: z
    .record(z.string(), z.unknown())
    .optional()
    .describe('What executing produced: the notice sent, the event ingested, or the error.'),
  deliveries: z.array(deliverySchema).describe('Webhook deliveries of the executed action.'),
});

export const caseDetailSchema = caseSummarySchema.extend({
  history: z.array(caseHistoryEntrySchema),
  notes: z.array(caseNoteSchema),
  evidence: z.array(caseEvidenceSchema),
  outcome: caseOutcomeSchema.optional(),
  actions: z.array(actionSchema),
  allowedTransitions: z
    .array(z.enum(CASE_STATUSES))
    .describe('The statuses the caller may move the case to (none without cases:work).'),
  availableActions: z
    .array(z.enum(ACTION_TYPES))
    .describe('The actions the caller may propose (none on a closed case or without actions:propose).'),
});

export const timelineItemSchema = z.object({
  at: isoTime,
  type: z.string().describe('The event type, e.g. `order.placed`.'),
  id: z.string(),
  summary: z.string(),
  data: z.record(z.string(), z.unknown()).describe("The event's payload."),
  assessment: z
    .object({ decision: z.string(), score: z.number(), reasons: z.array(reasonSchema) })
    .optional()
    .describe('For refund requests: the decision made at the time.'),
});

export const timelineSchema = z.object({
  account: z
    .object({
      accountId: z.string(),
      email: z.string().optional(),
      name: z.string().optional(),
      marketplace: z.string().optional(),
      createdAt: isoTime.optional(),
      closed: z.object({ at: isoTime, reason: z.string() }).optional(),
    })
    .optional()
    .describe("The case's account, when the case is about one."),
  items: z.array(timelineItemSchema),
  linkedAccounts: z
    .array(z.object({ accountId: z.string(), via: z.array(z.string()), closed: z.boolean() }))
    .describe('Accounts sharing a device, card, address or network with it; `via`: what they share.'),
});

export type CaseSummaryView = z.infer<typeof caseSummarySchema>;
export type ActionView = z.infer<typeof actionSchema>;
export type TimelineView = z.infer<typeof timelineSchema>;
