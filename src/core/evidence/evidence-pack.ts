// The evidence section of a rule pack: what a refund can show, grouped in families, and how much
// each showing is worth at *this* retailer. A family is one question with exclusive answers (its
// levels, the first that holds wins, or `none`); its population says which refunds it is asked of.
// A level's weight is log(fraudShare / honestShare): `fraudShare` describes the fraud pattern (how
// often a refund service's refunds show it) and is written here; `honestShare` is measured on the
// retailer's own refunds as they come in, starting from the guess written here. So a behaviour a
// quarter of honest contacts show weighs little there and a lot where it is rare, and `none` (a
// contact from the customer's own device, an old account, a cheap item) weighs against fraud.
import { z } from 'zod';
import { DECISIONS } from '../decisions.ts';

const celExpression = z.string().min(1, 'must be a CEL expression');
const id = z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'must be kebab-case');
const reasonCode = z.string().regex(/^[A-Z][A-Z0-9_]*$/, 'must be an UPPER_SNAKE reason code');
const share = z.number().gt(0).lt(1);

export const evidenceLevelSchema = z.object({
  id,
  /** CEL condition over the signals. */
  when: celExpression,
  /** Share of refund-service refunds in the family's population that show this level (the fraud pattern). */
  fraudShare: share,
  /** First guess of the share of honest refunds in the population that show it, until the retailer's own count takes over. */
  honestShare: share,
  /** An analyst's pinned weight (log odds): used as it is instead of the measured one. */
  weight: z.number().min(-10).max(10).optional(),
  reason: reasonCode,
  /** Text an agent can read; `{{signal.path}}` is replaced by the signal's value. */
  text: z.string().min(1),
});
export type EvidenceLevel = z.infer<typeof evidenceLevelSchema>;

export const evidenceFamilySchema = z
  .object({
    family: id,
    description: z.string().optional(),
    /** CEL condition: the refunds this question is asked of (default: every refund). */
    among: celExpression.default('true'),
    /** `request`: asked at request time and again for final decisions (`both`); `final`: only with later evidence in view. */
    stage: z.enum(['both', 'final']).default('both'),
    levels: z.array(evidenceLevelSchema).min(1),
    /** What `none` (no level holds) says when it weighs against fraud, for the reasons an agent reads. */
    none: z
      .object({
        reason: reasonCode,
        text: z.string().min(1),
        weight: z.number().min(-10).max(10).optional(),
      })
      .optional(),
  })
  .refine((family) => family.levels.reduce((sum, level) => sum + level.fraudShare, 0) < 1, {
    message: 'the levels’ fraudShare must sum to less than 1 (the rest is `none`)',
    path: ['levels'],
  })
  .refine((family) => family.levels.reduce((sum, level) => sum + level.honestShare, 0) < 1, {
    message: 'the levels’ honestShare must sum to less than 1 (the rest is `none`)',
    path: ['levels'],
  });
export type EvidenceFamily = z.infer<typeof evidenceFamilySchema>;

/** Hard policy: when it holds, the decision is at least `decision`, whatever the score says. */
export const hardPolicySchema = z.object({
  id,
  when: celExpression,
  decision: z.enum(DECISIONS),
  /** `request` and `final` (`both`), or only one of them. */
  stage: z.enum(['request', 'final', 'both']).default('both'),
  /** The score reported with it (at least): a fact such as a fake return is near certain. */
  score: z.number().min(0).max(1).default(0),
  reason: reasonCode,
  text: z.string().min(1),
});
export type HardPolicy = z.infer<typeof hardPolicySchema>;

/** How the retailer's own counts are kept. */
export const evidenceRatesSchema = z.object({
  /** Refunds counted are those of this many days before the decided day. */
  windowDays: z.number().int().min(7).max(730).default(120),
  /** Weight of the written guesses, in refunds: the guess counts as this many refunds until real ones come. */
  priorStrength: z.number().positive().default(20),
  /** No level weighs more than this (log odds), either way: one showing never decides alone. */
  maxWeight: z.number().positive().default(4.5),
  /** The share of refunds that are fraud before any is measured (the prior odds of every score). */
  fraudPrior: share.default(0.04),
  /**
   * Weight of that guess, in refunds, against the window's own expected share of fraud (the mean
   * of its refunds' probabilities). A very large weight keeps the written prior.
   */
  fraudPriorStrength: z.number().positive().default(500),
  /**
   * Each family's weight counts this much in the score. The families ask different questions, but
   * a refund service's signs come together (a stranger's device, another language, another time
   * zone): added up in full they would be overconfident. Models learned from labels rescale the
   * evidence themselves (their evidence weight); on worlds with labels they learned about 0.4–0.65.
   */
  evidenceScale: z.number().gt(0).max(1).default(0.6),
  /**
   * Weight of the written fraud shares, in refunds, against the window's refunds counted as fraud
   * as far as they were likely to be. Unset: the written shares stand.
   */
  fraudShareStrength: z.number().positive().optional(),
  /** The measured prior never leaves this range. */
  fraudPriorRange: z.tuple([share, share]).default([0.005, 0.3]),
});
export type EvidenceRatesSettings = z.infer<typeof evidenceRatesSchema>;

/**
 * The retailer's decision policy: how many refunds its people can review and how sure it wants to
 * be before it denies. Bands follow the score distribution over a rolling window.
 */
export const decisionPolicySchema = z
  .object({
    /** Review capacity: a share of refunds, or a number per day (one of them). */
    reviewCapacity: z
      .object({ share: z.number().gt(0).max(1).optional(), perDay: z.number().positive().optional() })
      .refine((capacity) => (capacity.share === undefined) !== (capacity.perDay === undefined), {
        message: 'give either share or perDay',
      })
      .default({ share: 0.1 }),
    /** Deny only where the refunds denied would be fraud at least this often (estimated from the scores). */
    denyPrecision: z.number().gt(0).max(1).default(0.95),
    /** Never send to review what is less likely than this to be fraud, however much capacity is free. */
    reviewFrom: z.number().gt(0).lt(1).default(0.5),
    /** Ask for the goods back first from this probability on. */
    returnFirstFrom: z.number().gt(0).lt(1).default(0.25),
    /** Days of past decisions the bands are read from. */
    windowDays: z.number().int().min(1).max(365).default(28),
    /** Below this many refunds in the window, the capacity is not applied (too few to read a quantile). */
    minWindowRefunds: z.number().int().min(1).default(200),
  })
  .refine((policy) => policy.returnFirstFrom < policy.reviewFrom, {
    message: 'returnFirstFrom must be below reviewFrom',
    path: ['returnFirstFrom'],
  });
export type DecisionPolicy = z.infer<typeof decisionPolicySchema>;
export type DecisionPolicyInput = z.input<typeof decisionPolicySchema>;

/** How a decision is explained: which terms of the score get a sentence. */
export const explanationSchema = z
  .object({
    /** Terms smaller than this (log odds, either way) are not worth a sentence. */
    minWeight: z.number().min(0).default(0.4),
    /** At most this many reasons against the refund, largest first. */
    riskReasons: z.number().int().min(1).max(20).default(6),
    /** At most this many for the customer (shown when approved, or when nothing speaks against). */
    trustReasons: z.number().int().min(0).max(20).default(3),
  })
  .strict();
export type ExplanationSettings = z.infer<typeof explanationSchema>;

/** How models are learned from the retailer's labelled outcomes. */
export const modelSettingsSchema = z.object({
  /** Train a model at all (otherwise the measured evidence alone decides). */
  enabled: z.boolean().default(true),
  /** Retrain when event time has moved on this many days since the last training. */
  retrainEveryDays: z.number().positive().default(7),
  /** Fewer labelled fraud or honest refunds than these: no model, the measured evidence decides. */
  minFraudLabels: z.number().int().min(1).default(25),
  minHonestLabels: z.number().int().min(1).default(100),
  /** The latest share of labelled refunds (by request time) held out to judge a candidate against the live model. */
  holdoutShare: z.number().gt(0).lt(1).default(0.25),
  /** L2 penalty on the corrections a model learns on top of the measured evidence. */
  l2: z.number().nonnegative().default(0.5),
  /** Optimiser steps (Adam, full batch). */
  steps: z.number().int().min(10).max(10_000).default(300),
  learningRate: z.number().positive().default(0.05),
  /** Refunds older than this many days before the training moment are not used. */
  maxAgeDays: z.number().positive().default(365),
  /** An account closed for fraud makes its refunds of this many days before the closure fraud labels. */
  closedAccountLookbackDays: z.number().positive().default(120),
  /**
   * `stated`: train on investigators' outcomes only (`label.set` on the refund or its account).
   * `all`: also on what the system sees for itself (faked returns and closures as fraud, returns
   * checked in intact as honest). Those are not a sample of the refunds (returns and closed
   * accounts only, fraud far more often than honest): on simulated worlds a model trained on them
   * alone lowered precision, so they are off by default.
   */
  trainOn: z.enum(['stated', 'all']).default('stated'),
});
export type ModelSettings = z.infer<typeof modelSettingsSchema>;
