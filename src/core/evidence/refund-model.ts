// A model learned from the retailer's labelled outcomes: a logistic regression on top of the
// measured evidence. Its inputs are the evidence score (the log odds the retailer's own counts
// give) and, per family, whether the refund is in its population and which level it shows; so with
// few labels it only rescales the evidence (calibration), and with many it corrects what the
// written fraud pattern got wrong at this retailer. Scoring is a dot product: microseconds.
import { z } from 'zod';
import { type Observation, OUTSIDE } from './compiled-evidence.ts';
import type { EvidenceFamily } from './evidence-pack.ts';

export const MODEL_STATUSES = ['candidate', 'promoted', 'retired', 'shadow', 'rejected'] as const;
export type ModelStatus = (typeof MODEL_STATUSES)[number];

const metricsSchema = z.object({
  refunds: z.number().int().nonnegative(),
  fraud: z.number().int().nonnegative(),
  logLoss: z.number().nonnegative(),
  brier: z.number().nonnegative(),
  /** Area under the ROC curve; null when one class is missing. */
  auc: z.number().min(0).max(1).nullable(),
});
export type ModelMetrics = z.infer<typeof metricsSchema>;

export const refundModelSchema = z.object({
  version: z.string().min(1),
  /** The rule pack version whose evidence families the features name. */
  rulePackVersion: z.string().min(1),
  /** Event time up to which labels were used (exclusive): a back-test never sees a later one. */
  labelsBefore: z.number().int(),
  /** Wall-clock time of training. */
  trainedAt: z.number().int(),
  trainingMs: z.number().nonnegative(),
  /** `family` (in the population) and `family/level` (shows that level) feature names. */
  features: z.array(z.string().min(1)),
  weights: z.array(z.number()),
  intercept: z.number(),
  /** Weight of the evidence score's log odds (without its prior: the intercept is the model's own base rate). */
  evidenceWeight: z.number(),
  /** Models before the prior was left out of the evidence they rescale are not used any more. */
  priorFree: z.literal(true).optional(),
  training: metricsSchema,
  /** The later period held out from training: this model's figures and the live scorer's. */
  holdout: z.object({
    from: z.number().int(),
    model: metricsSchema,
    live: metricsSchema,
    liveVersion: z.string(),
  }),
  labels: z.object({ fraud: z.number().int().nonnegative(), honest: z.number().int().nonnegative() }),
});
export type RefundModel = z.infer<typeof refundModelSchema>;

export function featureNames(families: readonly EvidenceFamily[]): string[] {
  const names: string[] = [];
  for (const family of families) {
    names.push(family.family);
    for (const level of family.levels) names.push(`${family.family}/${level.id}`);
  }
  return names;
}

/** Fills `into` with the observation's features in `featureNames` order (1 or 0). */
export function featuresOf(
  families: readonly EvidenceFamily[],
  observation: Observation,
  into: Float64Array,
): Float64Array {
  into.fill(0);
  let offset = 0;
  families.forEach((family, index) => {
    const shown = observation[index] as number;
    if (shown !== OUTSIDE) {
      into[offset] = 1;
      if (shown < family.levels.length) into[offset + 1 + shown] = 1;
    }
    offset += 1 + family.levels.length;
  });
  return into;
}

/** A model bound to a pack's families: its weights per family and level, ready to score. */
export class BoundModel {
  /** Per family: [population weight, level weights..., 0 for none]. */
  private readonly familyWeights: Float64Array[];

  constructor(
    readonly model: RefundModel,
    families: readonly EvidenceFamily[],
  ) {
    const byName = new Map(model.features.map((name, index) => [name, model.weights[index] ?? 0]));
    this.familyWeights = families.map((family) =>
      Float64Array.from([
        byName.get(family.family) ?? 0,
        ...family.levels.map((level) => byName.get(`${family.family}/${level.id}`) ?? 0),
        0,
      ]),
    );
  }

  get version(): string {
    return this.model.version;
  }

  /** What the model adds to a family's evidence weight for the level shown (0 outside the population). */
  correction(familyIndex: number, shown: number): number {
    if (shown === OUTSIDE) return 0;
    const weights = this.familyWeights[familyIndex] as Float64Array;
    return (weights[0] as number) + (weights[1 + shown] as number);
  }
}

/** Whether a stored model can be used with a pack: it must name only families and levels the pack has. */
export function modelFitsPack(model: RefundModel, families: readonly EvidenceFamily[]): boolean {
  const names = new Set(featureNames(families));
  return (
    model.priorFree === true &&
    model.features.every((name) => names.has(name)) &&
    model.features.length === model.weights.length
  );
}
