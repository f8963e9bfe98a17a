// Ring cases: the ring page (graph, members, activity) and actions on every member at once.
import { z } from 'zod';
import { actionSchema } from './cases.ts';
import { isoTime } from './query.ts';
import { reasonSchema } from './refunds.ts';
import { ACTION_TYPES } from './vocabulary.ts';

/** The actions a ring case can take on all its members in one go. */
export const BULK_ACTION_TYPES = ['warn_customer', 'close_account'] as const;

export const bulkActionBodySchema = z.object({
  type: z.enum(BULK_ACTION_TYPES).describe('close_account needs a supervisor (four-eyes).'),
  note: z.string().max(5000).optional(),
});

export const actionBatchSchema = z.object({
  batchId: z.string(),
  caseId: z.string(),
  type: z.enum(ACTION_TYPES),
  counts: z.record(z.string(), z.number().int()).describe('Actions per status.'),
  actions: z.array(actionSchema).describe("Every member's action."),
});

export const ringSnapshotSchema = z.object({
  ringId: z.string(),
  accountIds: z.array(z.string()),
  associatedAccountIds: z
    .array(z.string())
    .describe('Accounts in the same community that show nothing suspicious themselves (relatives).'),
  agentIds: z.array(z.string()).describe("Agents who handled two or more of the ring's refunds."),
  fingerprints: z
    .object({
      origins: z.array(z.string()),
      ranges: z.array(z.string()),
      scripts: z.array(z.string()),
      returns: z.array(z.string()),
    })
    .describe('The values two or more members share as a third party.'),
  refundIds: z.array(z.string()),
  valueUsd: z.number(),
  firstAt: isoTime,
  lastAt: isoTime,
  score: z.number(),
  reasons: z.array(reasonSchema),
});

export const ringGraphSchema = z
  .object({
    attributes: z.record(z.string(), z.unknown()),
    options: z.object({
      type: z.string().optional(),
      multi: z.boolean().optional(),
      allowSelfLoops: z.boolean().optional(),
    }),
    nodes: z.array(
      z.object({
        key: z.string(),
        attributes: z
          .object({
            kind: z.string().describe('account, or the kind of value shared (device, card, range, agent…).'),
            label: z.string(),
            role: z.enum(['member', 'associate']).optional(),
            refunds: z.number().int().optional(),
            valueUsd: z.number().optional(),
          })
          .optional(),
      }),
    ),
    edges: z.array(
      z.object({
        key: z.string().optional(),
        source: z.string(),
        target: z.string(),
        attributes: z
          .object({
            firstAt: z.number().describe('Epoch milliseconds of the first use.'),
            lastAt: z.number().describe('Epoch milliseconds of the last use.'),
            count: z.number().int(),
            suspectFirstAt: z
              .number()
              .nullable()
              .optional()
              .describe('Epoch milliseconds of the first suspect (third-party) use; null: none.'),
            suspectCount: z.number().int().optional(),
            roles: z
              .number()
              .int()
              .optional()
              .describe('Bit flags: order 1, contact 2, refund 4, decision 8, return 16.'),
          })
          .optional(),
        undirected: z.boolean().optional(),
      }),
    ),
  })
  .describe('Serialised graphology, ready for sigma: the accounts and the values they share.');

export const ringMemberSchema = z.object({
  accountId: z.string(),
  role: z.enum(['member', 'associate']),
  email: z.string().nullable(),
  marketplace: z.string().nullable(),
  closed: z.object({ at: isoTime, reason: z.string() }).nullable(),
  refunds: z.array(
    z.object({
      refundId: z.string(),
      orderId: z.string(),
      at: isoTime,
      amountMinor: z.number().int(),
      currency: z.string(),
      usd: z.number(),
      reason: z.string().describe("The customer's stated reason."),
      decision: z.string().nullable(),
      outcome: z.string().nullable().describe('The label set on it, if any.'),
      agentId: z.string().nullable(),
      inRing: z.boolean().describe("Whether the refund is one of the ring's."),
    }),
  ),
});

export const ringPageSchema = z.object({
  ring: ringSnapshotSchema,
  live: z
    .boolean()
    .describe("Whether the detector still knows this ring (else the case's last snapshot is shown)."),
  graph: ringGraphSchema,
  members: z.array(ringMemberSchema),
  activity: z
    .array(
      z.object({
        day: z.string().describe('YYYY-MM-DD (UTC).'),
        refunds: z.number().int(),
        contacts: z.number().int(),
        refundUsd: z.number(),
      }),
    )
    .describe("The members' refunds, contacts and refunded USD per day."),
  batches: z.array(actionBatchSchema).describe('Actions taken on all members.'),
});

export type ActionBatchView = z.infer<typeof actionBatchSchema>;
export type RingGraphView = z.infer<typeof ringGraphSchema>;
export type RingPageView = z.infer<typeof ringPageSchema>;
