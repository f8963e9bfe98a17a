// The console's read models: refund search and the dashboard.
import { z } from 'zod';
import { isoTime } from './query.ts';
import { reasonSchema } from './refunds.ts';
import { DECISIONS } from './vocabulary.ts';

export const refundSearchQuerySchema = z.object({
  q: z.string().trim().min(1).max(200).optional().describe('A refund, order or account id.'),
  decision: z
    .string()
    .transform((text) =>
      text
        .split(',')
        .map((item) => item.trim())
        .filter((item) => item !== ''),
    )
    .pipe(z.array(z.enum(DECISIONS)))
    .optional()
    .describe(`Comma-separated decisions: ${DECISIONS.join(', ')}.`),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});

export const dashboardQuerySchema = z.object({ days: z.coerce.number().int().min(1).max(366).default(30) });

export const refundRowSchema = z.object({
  refundId: z.string(),
  accountId: z.string(),
  orderId: z.string().nullable(),
  at: isoTime,
  amountMinor: z.number().int().nullable(),
  currency: z.string().nullable(),
  usd: z.number().nullable().describe('The amount in USD, when its rate is known.'),
  decision: z.string(),
  score: z.number(),
  reasons: z.array(reasonSchema),
  caseId: z.string().optional().describe("The account's case, if it has one."),
});

export const refundSearchSchema = z.object({
  total: z.number().int(),
  items: z.array(refundRowSchema).describe('Newest first.'),
});

export const dashboardSchema = z.object({
  totals: z.object({
    assessed: z.number().int(),
    flagged: z.number().int().describe('Decided deny or review.'),
    fraudValueStoppedUsd: z.number(),
    openCases: z.number().int().describe('Cases open or being investigated (now, not in the window).'),
  }),
  perDay: z.array(
    z.object({
      day: z.string().describe('YYYY-MM-DD (UTC).'),
      approve: z.number().int(),
      return_first: z.number().int(),
      review: z.number().int(),
      deny: z.number().int(),
      stoppedUsd: z.number(),
    }),
  ),
  topReasons: z
    .array(z.object({ code: z.string(), count: z.number().int() }))
    .describe('The ten reasons most often given for deny or review.'),
});

export type DashboardView = z.infer<typeof dashboardSchema>;
