// Assessment: signals in, a decision with reasons out. Pure: the same state (its counts included),
// request, rule pack, model and policy always give the same answer, which is what makes a stored
// decision reproducible.
import type { Reason, SignupDecision } from './decisions.ts';
import type { EventOf, RefundRequested } from './events.ts';
import { RefundDecider, type RefundDecision } from './evidence/refund-decider.ts';
import type { BoundModel } from './evidence/refund-model.ts';
import type { RefundSignals } from './refund-signal-schema.ts';
import { refundSignals } from './refund-signals.ts';
import type { RiskState } from './risk-state.ts';
import type { CompiledRulePack } from './rules/rule-engine.ts';
import { type SignupMatch, signupMatches, signupSignals } from './signup-signals.ts';

export interface RefundAssessment extends RefundDecision {
  signals: RefundSignals;
  rulePackVersion: string;
  modelVersion: string | null;
}

export interface SignupAssessment {
  decision: SignupDecision;
  score: number;
  reasons: Reason[];
  matches: SignupMatch[];
  signals: Record<string, unknown>;
  rulePackVersion: string;
}

/**
 * Assesses a refund request at moment `at`; with `evidenceAsOf`, later evidence is in view too
 * (final stage). The decider's counts and bands are read as of `at`. Without a decider, a fresh one
 * decides: the pack's written guesses, nothing measured yet.
 */
export function assessRefund(
  state: RiskState,
  rules: CompiledRulePack,
  request: RefundRequested,
  at: number,
  evidenceAsOf?: number,
  decider: RefundDecider = new RefundDecider(rules),
  model: BoundModel | undefined = decider.model,
): RefundAssessment {
  const signals = refundSignals(state, request, {
    at,
    evidenceAsOf,
    marketplaceLanguages: rules.pack.marketplaceLanguages,
    commonValueAccountLimit: rules.pack.commonValueAccountLimit,
  });
  const decided = decider.decide(signals, at, evidenceAsOf === undefined ? 'request' : 'final', model);
  return {
    ...decided,
    signals,
    rulePackVersion: rules.pack.version,
    modelVersion: decided.trace.modelVersion,
  };
}

export function assessSignup(
  state: RiskState,
  rules: CompiledRulePack,
  event: EventOf<'account.created'>,
): SignupAssessment {
  const matches = signupMatches(state, event, rules.pack.commonValueAccountLimit);
  const signals = signupSignals(matches);
  const outcome = rules.signups.evaluate(signals as unknown as Record<string, unknown>);
  const reasons =
    outcome.reasons.length > 0
      ? outcome.reasons
      : [{ code: 'NO_MATCH', text: 'No closed account matches this sign-up.' }];
  return {
    decision: outcome.decision,
    score: outcome.score,
    reasons,
    matches,
    signals: { ...signals, matches },
    rulePackVersion: rules.pack.version,
  };
}
