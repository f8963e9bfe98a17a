// Scoring: how unlike honest customers a ring looks, as a noisy OR of its features, each part
// with the reason it gives (`rings.score` in the rule pack weighs the parts).
import type { Reason } from '../decisions.ts';
import type { RingFeatures } from './ring.ts';
import { DEFAULT_RING_SCORE_WEIGHTS, type RingScoreWeights } from './ring-options.ts';

/** What the reasons' texts name beside the features. */
export interface RingScoreContext {
  origins: number;
  ranges: number;
  topAgent: string | undefined;
  topAgentCount: number;
  refunds: number;
  valueUsd: number;
}

const percent = (share: number) => `${Math.round(share * 100)} %`;

/**
 * How unlike honest customers a ring is, as a noisy OR of its features: honest customers who
 * share things (a family, a campus) share values they use themselves, not refunders' devices, scripts or
 * fake return patterns, and their contacts come from their own devices.
 */
export function scoreRing(
  features: RingFeatures,
  context: RingScoreContext,
  weights: RingScoreWeights = DEFAULT_RING_SCORE_WEIGHTS,
): { score: number; reasons: Reason[] } {
  const parts: { weight: number; reason?: Reason }[] = [];
  const size = features.members;
  const add = (weight: number, reason: Reason | undefined) =>
    parts.push({ weight, ...(reason ? { reason } : {}) });
  if (features.sharedOriginShare > 0)
    add(weights.sharedOrigin * features.sharedOriginShare, {
      code: 'RING_SHARED_REFUNDER_DEVICE',
      text: `${Math.round(features.sharedOriginShare * size)} of ${size} accounts were contacted from ${context.origins} device(s) or caller id(s) shared with other members, none of which they had used themselves.`,
    });
  if (features.sharedRangeShare > 0)
    add(weights.sharedRange * features.sharedRangeShare, {
      code: 'RING_SHARED_REFUNDER_NETWORK',
      text: `${Math.round(features.sharedRangeShare * size)} of ${size} accounts were contacted from ${context.ranges} IP range(s) shared with other members and foreign to them.`,
    });
  if (features.sharedScriptShare > 0)
    add(weights.sharedScript * features.sharedScriptShare, {
      code: 'RING_SHARED_SCRIPT',
      text: `${Math.round(features.sharedScriptShare * size)} of ${size} accounts' support messages are near-copies of the same script.`,
    });
  if (features.sharedReturnShare > 0)
    add(weights.sharedReturns * features.sharedReturnShare, {
      code: 'RING_FAKE_RETURN_PATTERN',
      text: `${Math.round(features.sharedReturnShare * size)} of ${size} accounts' returns share a non-warehouse destination, a tracking-number prefix or a tracking number.`,
    });
  if (features.thirdPartyShare > 0)
    add(weights.thirdParty * features.thirdPartyShare, {
      code: 'RING_THIRD_PARTY_CONTACTS',
      text: `${percent(features.thirdPartyShare)} of the members' support contacts came from devices or phone numbers the account had never used.`,
    });
  if (features.refundsPerAccount > 1)
    add(weights.repeatRefunds * Math.min(1, (features.refundsPerAccount - 1) / 2), {
      code: 'RING_REPEAT_REFUNDS',
      text: `${context.refunds} refunds on ${size} accounts (${features.refundsPerAccount.toFixed(1)} each).`,
    });
  if (size >= 4 && features.timingShare >= 0.5)
    add(weights.clusteredTiming * features.timingShare, {
      code: 'RING_CLUSTERED_TIMING',
      text: `${percent(features.timingShare)} of the members started asking for refunds within the same week.`,
    });
  if (features.meanRefundUsd > 0)
    add(weights.value * Math.min(1, features.meanRefundUsd / 1000), {
      code: 'RING_VALUE',
      text: `${context.valueUsd.toFixed(2)} USD asked for in ${context.refunds} refunds (${features.meanRefundUsd.toFixed(0)} USD on average).`,
    });
  if (context.topAgent && context.topAgentCount >= 3 && features.topAgentShare >= 0.3)
    add(weights.agentConcentration, {
      code: 'RING_AGENT_CONCENTRATION',
      text: `Agent ${context.topAgent} handled ${context.topAgentCount} of the ring's ${context.refunds} refunds.`,
    });
  if (features.sharedIdentityShare > 0)
    add(0, {
      code: 'RING_SHARED_IDENTITY',
      text: `${Math.round(features.sharedIdentityShare * size)} of ${size} accounts share a payment card or shipping address with another member.`,
    });
  let keep = 1;
  for (const part of parts) keep *= 1 - Math.min(0.99, part.weight);
  const score = Math.round((1 - keep) * 1000) / 1000;
  const reasons = parts
    .filter((part) => part.reason)
    .sort((left, right) => right.weight - left.weight)
    .map((part) => part.reason as Reason);
  return { score, reasons };
}
