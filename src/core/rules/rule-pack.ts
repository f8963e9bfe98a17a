// The rule pack: a versioned, declarative file a fraud analyst reads and edits.
// Conditions are CEL expressions over the signals; nothing in it is ever eval'd as JavaScript.

import { z } from 'zod';
import { SIGNUP_DECISIONS } from '../decisions.ts';
import {
  decisionPolicySchema,
  evidenceFamilySchema,
  evidenceRatesSchema,
  explanationSchema,
  hardPolicySchema,
  modelSettingsSchema,
} from '../evidence/evidence-pack.ts';
import { ringSettingsSchema } from '../rings/ring-settings.ts';

const celExpression = z.string().min(1, 'must be a CEL expression');

export const ruleSchema = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'must be kebab-case'),
  /** CEL condition over the signals. */
  when: celExpression,
  /** Contribution to the score when the condition holds; contributions combine as a noisy OR (sign-ups). */
  score: z.number().min(0).max(1),
  reason: z.string().regex(/^[A-Z][A-Z0-9_]*$/, 'must be an UPPER_SNAKE reason code'),
  /** Text an agent can read; `{{signal.path}}` is replaced by the signal's value. */
  text: z.string().min(1),
  /** `request`: only at request time; `final`: only when later evidence is in view; default both. */
  stage: z.enum(['request', 'final', 'both']).default('both'),
  enabled: z.boolean().default(true),
});
export type Rule = z.infer<typeof ruleSchema>;

function bandsSchema<const D extends readonly [string, ...string[]]>(decisions: D) {
  return z
    .array(z.object({ decision: z.enum(decisions), below: z.number().min(0).max(1.000001).optional() }))
    .min(1)
    .refine(
      (bands) => bands.at(-1)?.below === undefined,
      'the last band must have no `below` (it catches the rest)',
    )
    .refine(
      (bands) =>
        bands
          .slice(0, -1)
          .every(
            (band, index) =>
              band.below !== undefined && (index === 0 || band.below > (bands[index - 1]?.below ?? 0)),
          ),
      'bands must have increasing `below` thresholds',
    );
}

export const hotGoodsSchema = z.object({
  categories: z.array(z.string()).default([]),
  brands: z.array(z.string()).default([]),
  keywords: z.array(z.string()).default([]),
  /** An item counts as hot only from this price (USD), so an Apple cable is not an iPad. */
  minItemPriceUsd: z.number().nonnegative().default(100),
});
export type HotGoods = z.infer<typeof hotGoodsSchema>;

/** The pack's fields; `rulePackSchema` adds the checks across them. */
export const rulePackFieldsSchema = z.object({
  name: z.string(),
  version: z.string().min(1),
  description: z.string().optional(),
  /** Reference rates to convert every currency to USD for thresholds and reports. */
  referenceRatesToUsd: z.record(z.string().regex(/^[A-Z]{3}$/), z.number().positive()),
  hotGoods: hotGoodsSchema,
  /** Languages a marketplace's (or country's) customers are expected to write in. */
  marketplaceLanguages: z.record(z.string(), z.array(z.string())).default({}),
  /** Known return-warehouse postal codes; more are learned from returns that were received. */
  warehousePostalCodes: z.array(z.string()).default([]),
  /** A shared value (IP range, address...) linking more accounts than this is too common to mean anything. */
  commonValueAccountLimit: z.number().int().positive().default(25),
  /** How the retailer's own counts of each evidence level are kept. */
  evidenceRates: evidenceRatesSchema.default(evidenceRatesSchema.parse({})),
  /** What refunds can show, by family; each level's weight is measured on the retailer's data. */
  evidence: z.array(evidenceFamilySchema).min(1),
  /** Facts that decide whatever the score says. */
  policies: z.array(hardPolicySchema).default([]),
  /** The retailer's decision policy by default (the console can change it). */
  policy: decisionPolicySchema.default(decisionPolicySchema.parse({})),
  /** How models are learned from outcomes. */
  model: modelSettingsSchema.default(modelSettingsSchema.parse({})),
  /** Which terms of a refund's score are told as reasons. */
  explanations: explanationSchema.default(explanationSchema.parse({})),
  /** Ring detection's tunables (link weights, limits, ring scoring). */
  rings: ringSettingsSchema.default(ringSettingsSchema.parse({})),
  signupBands: bandsSchema(SIGNUP_DECISIONS),
  signupRules: z.array(ruleSchema).default([]),
});

export const rulePackSchema = rulePackFieldsSchema.superRefine((pack, context) => {
  const seen = new Set<string>();
  pack.evidence.forEach((family, index) => {
    if (seen.has(family.family))
      context.addIssue({
        code: 'custom',
        path: ['evidence', index, 'family'],
        message: `family "${family.family}" is listed twice`,
      });
    seen.add(family.family);
    const levels = new Set<string>();
    family.levels.forEach((level, levelIndex) => {
      if (levels.has(level.id) || level.id === 'none')
        context.addIssue({
          code: 'custom',
          path: ['evidence', index, 'levels', levelIndex, 'id'],
          message: `level "${level.id}" is listed twice or is the reserved name none`,
        });
      levels.add(level.id);
    });
  });
});
export type RulePack = z.infer<typeof rulePackSchema>;
export type RulePackInput = z.input<typeof rulePackSchema>;

export function toUsdMinor(amountMinor: number, currency: string, rates: Record<string, number>): number {
  return Math.round(amountMinor * (rates[currency.toUpperCase()] ?? 1));
}
