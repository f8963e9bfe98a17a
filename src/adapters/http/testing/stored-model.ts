// A stored model for tests of the routes that list, promote, retire and shadow models, where
// training on enough labels would only slow the test down.
import type { RefundModel } from '../../../core/evidence/refund-model.ts';

/** A model over no evidence (it fits any pack): only its intercept and the evidence weight. */
export function storedModel(version: string, features: string[] = []): RefundModel {
  const metrics = { refunds: 40, fraud: 8, logLoss: 0.4, brier: 0.12, auc: 0.8 };
  return {
    version,
    rulePackVersion: 'test',
    labelsBefore: Date.parse('2026-03-01T00:00:00Z'),
    trainedAt: Date.parse('2026-03-02T00:00:00Z'),
    trainingMs: 12,
    features,
    weights: features.map(() => 0.5),
    intercept: -2,
    evidenceWeight: 1,
    priorFree: true,
    training: metrics,
    holdout: {
      from: Date.parse('2026-02-15T00:00:00Z'),
      model: metrics,
      live: metrics,
      liveVersion: 'evidence',
    },
    labels: { fraud: 30, honest: 120 },
  };
}
