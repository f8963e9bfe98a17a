// The retailer's say over its decisions (/v1/decisions): the policy, what a policy would have done
// on history, the models learned from its outcomes and a candidate tried in shadow.
import { z } from 'zod';
import { DECISIONS, type Decision } from '../core/decisions.ts';
import { timestampSchema } from '../core/events.ts';
import { decisionPolicySchema } from '../core/evidence/evidence-pack.ts';
import { MODEL_STATUSES, refundModelSchema } from '../core/evidence/refund-model.ts';
import { isoTime } from './query.ts';
import { reasonSchema } from './refunds.ts';

export { decisionPolicySchema };

/** What a policy's fields mean (the rule pack's `policy`), for the documents. */
const POLICY_FIELDS =
  'Review capacity as a `share` of refunds (0–1] or a number `perDay` (exactly one); deny where at least `denyPrecision` of the denied would be fraud; review from `reviewFrom`, return first from `returnFirstFrom` (below it); bands read over `windowDays`, once `minWindowRefunds` refunds are in the window.';

/**
 * Epoch milliseconds: unlike every other time in the API, the simulation's moments and a model's
 * held-out period have always travelled so, and clients read them so.
 */
const epochMs = z.number().int().describe('Epoch milliseconds.');
const count = z.number().int();

// ---- requests ----

// The policy in a body stays `unknown` here: the service validates it, so that its problems name
// fields inside the policy (`reviewFrom`, `reviewCapacity.share`) rather than `policy.reviewFrom`.
export const policyChangeBodySchema = z.object({
  policy: z.unknown().describe('The whole decision policy (see GET; validated as the rule pack’s `policy`).'),
  note: z.string().trim().max(2000).optional(),
});

export const simulationBodySchema = z.object({
  policy: z.unknown().optional().describe('A proposed policy to run beside the one in force.'),
  from: timestampSchema.optional().describe('Refunds requested from this moment.'),
  to: timestampSchema.optional().describe('Refunds requested before this moment.'),
});

export const shadowStartBodySchema = z.object({
  pack: z.string().min(1).max(1_000_000).optional().describe('A candidate rule pack, as YAML text.'),
  modelVersion: z.string().min(1).optional().describe('A stored model to try.'),
});

export const modelVersionParamsSchema = z.object({ version: z.string().min(1) });

// ---- the policy ----

export const policyRecordSchema = z.object({
  version: count.describe('Numbered in the order the policies were set, from 1.'),
  policy: decisionPolicySchema.describe(POLICY_FIELDS),
  createdAt: isoTime,
  createdBy: z.string().describe('An actor id: `user:<id>` or `key:<id>`.'),
  note: z.string().nullable(),
});

export const policyViewSchema = z.object({
  effective: decisionPolicySchema.describe(`The policy in force. ${POLICY_FIELDS}`),
  packDefault: decisionPolicySchema.describe('The rule pack’s, in force until the retailer sets one.'),
  history: z.array(policyRecordSchema).describe('Every change, newest first.'),
});

// ---- the simulation ----

export const thresholdRowSchema = z.object({
  threshold: z.number(),
  flagged: count.describe('Refunds at or above the threshold (sent to review or denied).'),
  flaggedShare: z.number(),
  flaggedPerDay: z.number(),
  fraudValueStoppedUsd: z.number().describe('Labelled fraud value among the flagged.'),
  honestBothered: count.describe('Labelled honest refunds among the flagged.'),
  expectedFraudValueUsd: z.number().describe('Expected from the probabilities, over every flagged refund.'),
  expectedHonestBothered: z.number(),
  labelledFraudValueUsd: z.number().describe('Labelled fraud value in all refunds: the denominator.'),
  labelledHonest: count.describe('Labelled honest refunds: the denominator.'),
});

export const policyDaySchema = z.object({
  day: epochMs.describe('The day’s first moment, in epoch milliseconds.'),
  refunds: count,
  reviewed: count,
  denied: count,
  returnFirst: count,
  capacity: z.number().describe('The day’s review capacity, in refunds.'),
  reviewFrom: z.number(),
  denyFrom: z.number(),
});

// Every decision is a property (a record would leave OpenAPI without `properties` to require).
const decisionCounts = Object.fromEntries(DECISIONS.map((decision) => [decision, count])) as Record<
  Decision,
  typeof count
>;

export const policyRunSchema = z.object({
  decisions: z.object(decisionCounts).describe('Decision → refunds.'),
  fraudValueStoppedUsd: z.number(),
  labelledFraudValueUsd: z.number(),
  honestBothered: count,
  honestNotApproved: count,
  labelledHonest: count,
  expectedFraudValueUsd: z.number(),
  expectedHonestBothered: z.number(),
  days: z.array(policyDaySchema),
});

export const policySimulationSchema = z.object({
  refunds: count.describe('Assessed refunds simulated.'),
  labelled: count.describe('Of them, with a known outcome.'),
  from: epochMs.nullable().describe('The first refund simulated, in epoch milliseconds; null on none.'),
  to: epochMs.nullable().describe('The last refund simulated, in epoch milliseconds; null on none.'),
  thresholds: z.array(thresholdRowSchema).describe('Each candidate threshold, 0.1 … 0.98.'),
  current: policyRunSchema.describe('The policy in force, run on the history.'),
  proposed: policyRunSchema.optional().describe('The proposed policy, when one was sent.'),
});

// ---- models ----

const { shape: model } = refundModelSchema;

export const decisionModelSchema = refundModelSchema.extend({
  labelsBefore: isoTime.describe('Labels dated before this moment (event time) were used.'),
  trainedAt: isoTime.describe('Wall-clock time of training.'),
  features: model.features.describe('`family` (in its population) and `family/level` (shows that level).'),
  weights: model.weights.describe('One per feature.'),
  evidenceWeight: model.evidenceWeight.describe('The weight of the evidence score’s log odds.'),
  holdout: model.holdout
    .extend({
      from: epochMs.describe('Where the held-out period starts, in epoch milliseconds.'),
      liveVersion: model.holdout.shape.liveVersion.describe(
        'The scorer it was judged against: the model in force, or `evidence` when none was.',
      ),
    })
    .describe('The later period held out from training: this model’s figures and the live scorer’s.'),
  status: z.enum(MODEL_STATUSES),
  promotedAt: isoTime.nullable().describe('When it was last promoted; null if never.'),
});

export const modelListSchema = z.object({
  items: z.array(decisionModelSchema).describe('Newest first.'),
});

const fraudHonest = z.object({ fraud: count, honest: count });

export const trainResultSchema = z.discriminatedUnion('outcome', [
  z.object({
    at: isoTime.describe('The moment (event time) the labels were read as of.'),
    promoted: z.boolean().describe('Only if it beats the live scorer on the held-out period.'),
    outcome: z.literal('trained'),
    model: decisionModelSchema.describe(
      'As stored: status `promoted` or `rejected`; `promotedAt` is null here even when promoted.',
    ),
  }),
  z.object({
    at: isoTime,
    promoted: z.boolean().describe('Always false: nothing was trained.'),
    outcome: z.literal('too-few-labels'),
    message: z.string().describe('How many labels there are and how many a model needs.'),
    labels: fraudHonest,
  }),
]);

// ---- shadow ----

export const shadowDifferenceSchema = z.object({
  subjectId: z.string().describe('The refund.'),
  candidate: z.string(),
  at: isoTime,
  liveDecision: z.string(),
  liveScore: z.number(),
  decision: z.string().describe('The candidate’s.'),
  score: z.number(),
  amountUsdMinor: z.number().int().nullable(),
  reasons: z.array(reasonSchema.pick({ code: true, text: true })).describe('The candidate’s.'),
});

export const shadowReportSchema = z.object({
  candidate: z.string().nullable().describe('`model:<version>`, `pack:<version>` or both joined by `+`.'),
  since: isoTime.nullable().describe('When the candidate was started.'),
  decisions: count,
  agreement: z
    .record(z.string(), z.record(z.string(), count))
    .describe('Live decision → candidate decision → refunds.'),
  onlyCandidateFlags: count.describe(
    'Refunds the candidate flags (review, deny) and the live decider does not.',
  ),
  onlyLiveFlags: count,
  labelled: z
    .object({ refunds: count, live: fraudHonest, candidate: fraudHonest })
    .describe('Among labelled refunds: what each one flags, fraud and honest.'),
  differences: z.array(shadowDifferenceSchema).describe('The latest 50 refunds the two decide differently.'),
  error: z.string().nullable().describe('Set when storing shadow decisions failed.'),
});

export const shadowStartedSchema = z.object({ candidate: z.string() });
export const shadowStoppedSchema = z.object({ stopped: z.literal(true) });

/** The retailer's decision policy (rule pack `policy`): review capacity is a share or a number per day. */
export type DecisionPolicyView = z.infer<typeof decisionPolicySchema>;
export type PolicyRecordView = z.infer<typeof policyRecordSchema>;
export type PolicyViewReply = z.infer<typeof policyViewSchema>;
/** One candidate threshold on history: what sending every refund at or above it to people does. */
export type ThresholdRowView = z.infer<typeof thresholdRowSchema>;
export type PolicyDayView = z.infer<typeof policyDaySchema>;
/** A whole policy run on history, its bands read day by day. */
export type PolicyRunView = z.infer<typeof policyRunSchema>;
export type PolicySimulationView = z.infer<typeof policySimulationSchema>;
export type DecisionModelView = z.infer<typeof decisionModelSchema>;
export type TrainResultView = z.infer<typeof trainResultSchema>;
/** A refund the shadow candidate decides differently from the live decider. */
export type ShadowDifferenceView = z.infer<typeof shadowDifferenceSchema>;
export type ShadowReportView = z.infer<typeof shadowReportSchema>;
