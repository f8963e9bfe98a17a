// Assessment: signals in, a decision with reasons out. Pure: the same state, request and
// rule pack always give the same answer, which is what makes a stored decision reproducible.
import type { Decision, Reason, SignupDecision } from './decisions.ts';
import type { EventOf, RefundRequested } from './events.ts';
import { type RefundSignals, refundSignals } from './refund-signals.ts';
import type { RiskState } from './risk-state.ts';
import type { CompiledRulePack, Stage } from './rules/rule-engine.ts';
import { type SignupMatch, signupMatches, signupSignals } from './signup-signals.ts';

export interface RefundAssessment {
  decision: Decision;
  score: number;
  reasons: Reason[];
  signals: RefundSignals;
  matchedRules: string[];
  rulePackVersion: string;
}

export interface SignupAssessment {
  decision: SignupDecision;
  score: number;
  reasons: Reason[];
  matches: SignupMatch[];
  signals: Record<string, unknown>;
  rulePackVersion: string;
}

/** Assesses a refund request at moment `at`; with `evidenceAsOf`, later evidence is in view too (final stage). */
export function assessRefund(
  state: RiskState,
  rules: CompiledRulePack,
  request: RefundRequested,
  at: number,
  evidenceAsOf?: number,
): RefundAssessment {
  const signals = refundSignals(state, request, {
    at,
    evidenceAsOf,
    marketplaceLanguages: rules.pack.marketplaceLanguages,
    commonValueAccountLimit: rules.pack.commonValueAccountLimit,
  });
  const stage: Stage = evidenceAsOf === undefined ? 'request' : 'final';
  const outcome = rules.refunds.evaluate(signals as unknown as Record<string, unknown>, stage);
  const reasons =
    outcome.reasons.length > 0 ? outcome.reasons : [{ code: 'NO_RISK_FOUND', text: 'No risk rule matched.' }];
  return {
    decision: outcome.decision,
    score: outcome.score,
    reasons,
    signals,
    matchedRules: outcome.matchedRules,
    rulePackVersion: rules.pack.version,
  };
}

export function assessSignup(
  state: RiskState,
  rules: CompiledRulePack,
  event: EventOf<'account.created'>,
): SignupAssessment {
  const matches = signupMatches(state, event, rules.pack.commonValueAccountLimit);
  const signals = signupSignals(matches);
  const outcome = rules.signups.evaluate(signals as unknown as Record<string, unknown>, 'request');
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
