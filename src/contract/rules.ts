// GET /v1/rules (the active pack and policy) and GET /health.
import { z } from 'zod';
import { decisionPolicySchema } from '../core/evidence/evidence-pack.ts';
import { rulePackFieldsSchema } from '../core/rules/rule-pack.ts';

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
