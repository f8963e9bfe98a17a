// Shadow mode: a candidate (another rule pack's evidence and policies, or another model) decides
// every refund beside the live decider, on the same signals at the same moment, with counts of its
// own, and its decisions are stored for comparison. It changes nothing a customer sees.
import { RefundDecider } from '../../core/evidence/refund-decider.ts';
import { BoundModel, modelFitsPack, type RefundModel } from '../../core/evidence/refund-model.ts';
import type { CompiledRulePack } from '../../core/rules/rule-engine.ts';
import type { AssessmentRecord, ShadowRecord } from '../ports.ts';

export interface ShadowCandidate {
  /** `pack:<version>` or `model:<version>`: what is being tried. */
  name: string;
  rules: CompiledRulePack;
  model?: RefundModel | undefined;
}

export class ShadowRun {
  readonly name: string;
  readonly decider: RefundDecider;

  constructor(candidate: ShadowCandidate) {
    this.name = candidate.name;
    this.decider = new RefundDecider(candidate.rules);
    if (candidate.model) {
      if (!modelFitsPack(candidate.model, candidate.rules.pack.evidence))
        throw new Error(
          `model ${candidate.model.version} names evidence that rule pack ${candidate.rules.pack.version} does not have`,
        );
      this.decider.model = new BoundModel(candidate.model, candidate.rules.pack.evidence);
    }
  }

  /**
   * Decides the refund the live decider just decided. `learn`: count it (request-time decisions
   * of ingested refunds, as the live decider does; not an API question).
   */
  decide(signals: object, live: AssessmentRecord, learn: boolean): ShadowRecord {
    const decided = this.decider.decide(signals, live.at, 'request');
    if (learn) this.decider.observe(live.at, decided.observation, decided.score);
    return {
      subjectId: live.subjectId,
      candidate: this.name,
      at: live.at,
      liveDecision: live.decision,
      liveScore: live.score,
      decision: decided.decision,
      score: decided.score,
      amountUsdMinor: live.amountUsdMinor,
      reasons: decided.reasons.map(({ code, text }) => ({ code, text })),
    };
  }
}
