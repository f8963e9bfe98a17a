// Decides a refund from its signals: the evidence families the pack asks, weighed by what the
// retailer's own refunds show (its counts, kept here), rescaled and corrected by the promoted
// model when there is one, banded by the retailer's policy over the recent score distribution,
// with hard policies on top. The live engine has one; a shadow candidate has its own, with its own
// counts, so that it can be compared on the same traffic before it is promoted.
import { DECISIONS, type Decision, type Reason } from '../decisions.ts';
import { renderText } from '../rules/conditions.ts';
import type { CompiledRulePack } from '../rules/rule-engine.ts';
import { type Observation, type Stage, severest } from './compiled-evidence.ts';
import { bandDecision, type DecisionBands, ScoreWindow } from './decision-bands.ts';
import type { DecisionPolicy } from './evidence-pack.ts';
import { EvidenceRates } from './evidence-rates.ts';
import type { BoundModel } from './refund-model.ts';
import { type FamilyContribution, reasonsOf, scoreObservation } from './scoring.ts';

export interface RefundDecision {
  decision: Decision;
  /** The probability that the refund is fraud (a hard policy may raise it). */
  score: number;
  reasons: Reason[];
  /** What the decision is explained and reproduced by (stored with it). */
  trace: DecisionTrace;
  /** The observation, for the counts (not stored as such: `trace.levels` is). */
  observation: Observation;
}

export interface DecisionTrace {
  /** The level each evidence family showed (`none` when none held); families the refund is not in are left out. */
  levels: Record<string, string>;
  /** Each family's term in the log odds. */
  contributions: FamilyContribution[];
  /** The log odds from the measured evidence alone, and after the model. */
  evidenceLogit: number;
  /** The prior log odds of the evidence (the window's share of fraud then). */
  priorLogit: number;
  logit: number;
  bands: DecisionBands;
  /** Hard policies that held. */
  policies: string[];
  modelVersion: string | null;
}

export class RefundDecider {
  readonly rates: EvidenceRates;
  readonly scores = new ScoreWindow();
  model: BoundModel | undefined;
  policy: DecisionPolicy;

  constructor(readonly rules: CompiledRulePack) {
    this.rates = new EvidenceRates(rules.pack.evidence, rules.pack.evidenceRates);
    this.policy = rules.pack.policy;
  }

  /** Decides from a refund's signals as of `at` (the request's moment): counts and bands of the days before it. */
  decide(
    signals: object,
    at: number,
    stage: Stage,
    model: BoundModel | undefined = this.model,
  ): RefundDecision {
    const { pack, evidence } = this.rules;
    const context = signals as Record<string, unknown>;
    const evaluated = evidence.evaluate(context, stage);
    const weights = this.rates.weightsAsOf(at);
    const score = scoreObservation(
      evidence,
      evaluated.observation,
      weights,
      weights.fraudPrior,
      model,
      pack.evidenceRates.evidenceScale,
    );
    const bands = this.scores.bandsAsOf(at, this.policy);
    const refund = context.refund as { dnrLike?: boolean; returnRequired?: boolean } | undefined;
    let decision = bandDecision(
      score.probability,
      bands,
      refund?.dnrLike === true && refund.returnRequired !== true,
    );
    let probability = score.probability;
    const reasons: Reason[] = [];
    for (const hard of evaluated.policies) {
      decision = severest(decision, hard.decision, DECISIONS);
      probability = Math.max(probability, hard.score);
      reasons.push({ code: hard.reason, text: renderText(hard.text, context) });
    }
    if (evaluated.failures.length > 0) {
      decision = severest(decision, 'review', DECISIONS);
      reasons.push(...evaluated.failures);
    }
    const told = pack.explanations;
    const { risk, trust } = reasonsOf(evidence, score, context, told.minWeight);
    reasons.push(...risk.slice(0, told.riskReasons));
    if (decision === 'approve' || risk.length === 0) reasons.push(...trust.slice(0, told.trustReasons));
    if (reasons.length === 0)
      reasons.push({ code: 'NO_RISK_FOUND', text: 'Nothing in this refund weighs for or against fraud.' });
    return {
      decision,
      score: Math.round(probability * 10_000) / 10_000,
      reasons,
      observation: evaluated.observation,
      trace: {
        levels: evidence.describe(evaluated.observation),
        contributions: score.contributions,
        evidenceLogit: score.evidenceLogit,
        priorLogit: score.priorLogit,
        logit: score.logit,
        bands,
        policies: evaluated.policies.map((hard) => hard.id),
        modelVersion: score.modelVersion,
      },
    };
  }

  /** Counts a request-time decision: its levels (as honest as it was unlikely to be fraud) and its score. */
  observe(at: number, observation: Observation, score: number): void {
    this.rates.observe(at, observation, score);
    this.scores.observe(at, score);
  }

  /** Forgets every count (the engine is rebuilding its state). */
  clear(): void {
    this.rates.clear();
    this.scores.clear();
  }
}
