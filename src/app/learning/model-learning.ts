// Retraining as event time moves on: every `retrainEveryDays` of event time (at the first event
// past it, as replay feeds history, wherever its batches end; on a timer for a live server), a candidate is fitted
// on the labels dated before that moment and replaces the live model only if it beats it on the
// later period held out from its training. Every candidate is stored, promoted or not.
import { DAY_MS } from '../../core/time.ts';
import type { EventTimeLearner, RiskEngine } from '../engine.ts';
import type { Clock, Store } from '../ports.ts';
import { type TrainingResult, trainCandidate } from './model-training.ts';

export interface RetrainReport {
  /** The moment (event time) the labels were read as of. */
  at: number;
  result: TrainingResult;
  promoted: boolean;
}

export class ModelLearning implements EventTimeLearner {
  private lastTrainedAt = Number.NEGATIVE_INFINITY;
  /** Labels seen at the last training: a live server does not retrain on the same labels. */
  private labelsAtLastTraining = -1;
  readonly reports: RetrainReport[] = [];

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly onReport?: (report: RetrainReport) => void,
  ) {}

  isDue(engine: RiskEngine, at: number): boolean {
    const settings = engine.rules.pack.model;
    return settings.enabled && at - this.lastTrainedAt >= settings.retrainEveryDays * DAY_MS;
  }

  /** Trains on labels before `at`; promotes the candidate if it beats the live scorer on the held-out period. */
  async retrain(engine: RiskEngine, at: number): Promise<RetrainReport> {
    this.lastTrainedAt = at;
    this.labelsAtLastTraining = engine.riskState.labelCount;
    const { pack } = engine.rules;
    const result = await trainCandidate({
      state: engine.riskState,
      families: pack.evidence,
      settings: pack.model,
      rulePackVersion: pack.version,
      before: at,
      live: engine.model,
      clock: this.clock,
    });
    let promoted = false;
    if (result.kind === 'trained') {
      promoted = result.beatsLive;
      await this.store.saveModel(result.model, promoted ? 'candidate' : 'rejected');
      if (promoted) {
        await this.store.setModelStatus(result.model.version, 'promoted', this.clock());
        engine.decideWithModel(result.model);
      }
    }
    const report = { at, result, promoted };
    this.reports.push(report);
    this.onReport?.(report);
    return report;
  }

  /** Whether labels came in since the last training (a live server's timer asks before retraining). */
  hasNewLabels(engine: RiskEngine): boolean {
    return engine.riskState.labelCount !== this.labelsAtLastTraining;
  }
}
