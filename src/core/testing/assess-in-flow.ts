// Assessing hand-built worlds the way the engine does: each refund at its own moment, on the state
// as it stood then (rings detected before it, nothing after), or finally, with everything in view.
import { assessRefund, type RefundAssessment } from '../assessment.ts';
import type { EventOf, RefundguardEvent } from '../events.ts';
import { RiskState } from '../risk-state.ts';
import type { CompiledRulePack } from '../rules/rule-engine.ts';

function requestOf(events: RefundguardEvent[], refundId: string): EventOf<'refund.requested'> {
  const request = events.find(
    (event): event is EventOf<'refund.requested'> =>
      event.type === 'refund.requested' && event.data.refundId === refundId,
  );
  if (!request) throw new Error(`no refund ${refundId}`);
  return request;
}

/** The state after every event, in time order (stable), as replay applies them. */
export function stateAfter(rules: CompiledRulePack, events: RefundguardEvent[]): RiskState {
  const state = new RiskState(rules.pack);
  for (const event of [...events].sort((left, right) => left.at - right.at)) state.apply(event);
  return state;
}

/** The request-time assessment, on the state holding the events up to and including the request. */
export function assessInFlow(
  rules: CompiledRulePack,
  events: RefundguardEvent[],
  refundId: string,
): RefundAssessment {
  const request = requestOf(events, refundId);
  const state = new RiskState(rules.pack);
  for (const event of [...events].sort((left, right) => left.at - right.at)) {
    state.apply(event);
    if (event === request) break;
  }
  return assessRefund(state, rules, request.data, request.at);
}

/** The final assessment: every event applied, later evidence in view up to the last event. */
export function assessFinal(
  rules: CompiledRulePack,
  events: RefundguardEvent[],
  refundId: string,
  state: RiskState = stateAfter(rules, events),
): RefundAssessment {
  const request = requestOf(events, refundId);
  return assessRefund(state, rules, request.data, request.at, state.lastEventAt);
}

export function codesOf(assessment: RefundAssessment): string[] {
  return assessment.reasons.map((reason) => reason.code);
}

/** Reason codes that come from the gang detectors (rings, refunders, scripts, third parties, shared sessions). */
export const GANG_REASON_CODES = [
  'ACCOUNT_IN_REFUND_RING',
  'CONTACT_FROM_RING_REFUNDER',
  'CONTACT_FROM_RING_NETWORK',
  'SCRIPT_SHARED_WITH_THIRD_PARTY_CONTACTS',
  'SESSION_FROM_SHARED_DEVICE',
  'CONTACT_DEVICE_ON_ANOTHER_ACCOUNT',
  'REFUNDER_DEVICE',
  'REFUNDER_NETWORK',
  'DEVICE_SHARED_BY_MANY_ACCOUNTS',
  'THIRD_PARTY_CONTACT',
  'THIRD_PARTY_PREMIUM_CLAIM',
  'THIRD_PARTY_HIGH_VALUE_CLAIM',
  'CONTACT_LANGUAGE_MISMATCH',
] as const;

function weightOf(reason: { code: string }): number | undefined {
  return (reason as { weight?: number }).weight;
}

/** The reasons that speak against the refund: hard policies, and evidence with a positive weight. */
export function riskCodesOf(assessment: RefundAssessment): string[] {
  return assessment.reasons
    .filter((reason) => reason.code !== 'NO_RISK_FOUND' && (weightOf(reason) ?? 1) > 0)
    .map((reason) => reason.code);
}

/** The reasons that speak for the customer (evidence with a negative weight). */
export function trustCodesOf(assessment: RefundAssessment): string[] {
  return assessment.reasons.filter((reason) => (weightOf(reason) ?? 0) < 0).map((reason) => reason.code);
}
