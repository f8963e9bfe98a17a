// Learning from the retailer's outcomes: which refunds are known fraud or honest as of a moment
// (investigators' `label.set`, the console's outcomes, fake or empty returns the warehouse saw, an
// account closed for fraud), a candidate model fitted on the earlier of them, and its judgement
// against the live scorer on the later ones it never saw. Only labels dated before the moment
// count, so a back-test never learns from the future.
import { createHash } from 'node:crypto';
import type { EvidenceFamily, ModelSettings } from '../../core/evidence/evidence-pack.ts';
import {
  BoundModel,
  featureNames,
  featuresOf,
  type ModelMetrics,
  type RefundModel,
} from '../../core/evidence/refund-model.ts';
import { sigmoid } from '../../core/evidence/scoring.ts';
import { returnEvidence } from '../../core/return-evidence.ts';
import type { AssessedRefund, RefundFacts } from '../../core/risk-facts.ts';
import type { RiskState } from '../../core/risk-state.ts';
import { DAY_MS } from '../../core/time.ts';
import type { Clock } from '../ports.ts';
import { fitLogistic } from './logistic-regression.ts';

export type LabelSource = 'label' | 'account-label' | 'fake-return' | 'closed-for-fraud' | 'return-intact';

const STATED: ReadonlySet<LabelSource> = new Set(['label', 'account-label']);

export interface LabelledRefund {
  refund: RefundFacts;
  assessed: AssessedRefund;
  fraud: boolean;
  source: LabelSource;
}

/**
 * Refunds whose outcome is known before `before`, with what their request-time assessment saw.
 * A refund's own label wins over its account's; an account label over what the system saw itself.
 *
 * What the system sees for itself is lopsided: a faked return or a closure names fraud, and only
 * a return checked in intact names an honest refund. Trained on, it would teach the model more
 * fraud than there is. So by default (`trainOn: stated`) only investigators' outcomes train; with
 * `all`, the system's own outcomes fill in until stated ones are enough to train on.
 */
export function labelledRefunds(state: RiskState, before: number, settings: ModelSettings): LabelledRefund[] {
  const all = allOutcomes(state, before, settings);
  const stated = all.filter((entry) => STATED.has(entry.source));
  if (settings.trainOn === 'stated') return stated;
  const fraud = stated.filter((entry) => entry.fraud).length;
  return fraud >= settings.minFraudLabels && stated.length - fraud >= settings.minHonestLabels ? stated : all;
}

function allOutcomes(state: RiskState, before: number, settings: ModelSettings): LabelledRefund[] {
  const labelled: LabelledRefund[] = [];
  const oldest = before - settings.maxAgeDays * DAY_MS;
  for (const refund of state.refunds.values()) {
    const assessed = refund.assessed;
    if (!assessed || refund.at >= before || refund.at < oldest) continue;
    const outcome = outcomeOf(state, refund, before, settings);
    if (outcome) labelled.push({ refund, assessed, ...outcome });
  }
  return labelled.sort(
    (left, right) => left.refund.at - right.refund.at || compare(left.refund.refundId, right.refund.refundId),
  );
}

function outcomeOf(
  state: RiskState,
  refund: RefundFacts,
  before: number,
  settings: ModelSettings,
): { fraud: boolean; source: LabelSource } | undefined {
  const own = latestBefore(state.labels.get(`refund:${refund.refundId}`), before);
  if (own) return { fraud: own.label !== 'legit', source: 'label' };
  const account = latestBefore(state.labels.get(`account:${refund.accountId}`), before);
  if (account && (account.label === 'legit' || account.at > refund.at))
    return { fraud: account.label !== 'legit', source: 'account-label' };
  const evidence = returnEvidence(state, refund, state.orders.get(refund.orderId), before - 1);
  if (
    evidence.returnDeliveredElsewhere ||
    evidence.returnEmpty ||
    evidence.returnLight ||
    evidence.returnWrongItem
  )
    return { fraud: true, source: 'fake-return' };
  if (evidence.returnReceivedIntact) return { fraud: false, source: 'return-intact' };
  const closed = state.accounts.get(refund.accountId)?.closed;
  if (
    closed?.reason === 'fraud' &&
    closed.at < before &&
    closed.at > refund.at &&
    closed.at - refund.at <= settings.closedAccountLookbackDays * DAY_MS
  )
    return { fraud: true, source: 'closed-for-fraud' };
  return undefined;
}

function latestBefore<T extends { at: number }>(list: T[] | undefined, before: number): T | undefined {
  return list?.findLast((entry) => entry.at < before);
}

function compare(left: string, right: string): number {
  return left < right ? -1 : left > right ? 1 : 0;
}

export interface TrainingRequest {
  state: RiskState;
  families: readonly EvidenceFamily[];
  settings: ModelSettings;
  rulePackVersion: string;
  /** Labels dated before this moment (event time) only. */
  before: number;
  /** The live scorer to beat: the promoted model, or the measured evidence alone. */
  live: BoundModel | undefined;
  /** Wall clock, for `trainedAt`. */
  clock: Clock;
}

export type TrainingResult =
  | { kind: 'too-few-labels'; fraud: number; honest: number; message: string }
  | { kind: 'trained'; model: RefundModel; beatsLive: boolean };

/** The smallest held-out period worth judging on. */
const MIN_HOLDOUT_FRAUD = 5;
const MIN_HOLDOUT_HONEST = 20;

/** Fits a candidate on the earlier labelled refunds and judges it, and the live scorer, on the later ones. */
export async function trainCandidate(request: TrainingRequest): Promise<TrainingResult> {
  const { settings, families } = request;
  const started = performance.now();
  const labelled = labelledRefunds(request.state, request.before, settings);
  const fraud = labelled.filter((entry) => entry.fraud).length;
  const honest = labelled.length - fraud;
  const split = Math.floor(labelled.length * (1 - settings.holdoutShare));
  const training = labelled.slice(0, split);
  const holdout = labelled.slice(split);
  const trainingFraud = training.filter((entry) => entry.fraud).length;
  const holdoutFraud = holdout.filter((entry) => entry.fraud).length;
  if (
    trainingFraud < settings.minFraudLabels ||
    training.length - trainingFraud < settings.minHonestLabels ||
    holdoutFraud < MIN_HOLDOUT_FRAUD ||
    holdout.length - holdoutFraud < MIN_HOLDOUT_HONEST
  ) {
    return {
      kind: 'too-few-labels',
      fraud,
      honest,
      message:
        `${fraud} fraud and ${honest} honest labelled refunds before ${new Date(request.before).toISOString()}: ` +
        `a model needs ${settings.minFraudLabels} fraud and ${settings.minHonestLabels} honest to learn from, ` +
        `and ${MIN_HOLDOUT_FRAUD} and ${MIN_HOLDOUT_HONEST} more, later, to be judged on`,
    };
  }
  const names = featureNames(families);
  const matrix = designMatrix(families, training);
  const fit = await fitLogistic(matrix.features, matrix.offsets, matrix.labels, names.length, {
    l2: settings.l2,
    steps: settings.steps,
    learningRate: settings.learningRate,
  });
  const body = {
    rulePackVersion: request.rulePackVersion,
    labelsBefore: request.before,
    features: names,
    weights: fit.weights.map(roundWeight),
    intercept: roundWeight(fit.intercept),
    evidenceWeight: roundWeight(fit.offsetWeight),
    priorFree: true as const,
  };
  const version = `m-${new Date(request.before).toISOString().slice(0, 10)}-${createHash('sha256').update(JSON.stringify(body)).digest('hex').slice(0, 8)}`;
  const draft: RefundModel = {
    version,
    ...body,
    trainedAt: request.clock(),
    trainingMs: 0,
    training: { refunds: 0, fraud: 0, logLoss: 0, brier: 0, auc: null },
    holdout: {
      from: holdout[0]?.refund.at ?? request.before,
      model: { refunds: 0, fraud: 0, logLoss: 0, brier: 0, auc: null },
      live: { refunds: 0, fraud: 0, logLoss: 0, brier: 0, auc: null },
      liveVersion: request.live?.version ?? 'evidence',
    },
    labels: { fraud, honest },
  };
  const candidate = new BoundModel(draft, families);
  const model: RefundModel = {
    ...draft,
    training: metrics(training, (entry) => probabilityOf(candidate, families, entry.assessed)),
    holdout: {
      ...draft.holdout,
      model: metrics(holdout, (entry) => probabilityOf(candidate, families, entry.assessed)),
      live: metrics(holdout, (entry) => probabilityOf(request.live, families, entry.assessed)),
    },
    trainingMs: Math.round(performance.now() - started),
  };
  return { kind: 'trained', model, beatsLive: model.holdout.model.logLoss < model.holdout.live.logLoss };
}

function designMatrix(families: readonly EvidenceFamily[], entries: readonly LabelledRefund[]) {
  const columns = featureNames(families).length;
  const features = new Float32Array(entries.length * columns);
  const offsets = new Float32Array(entries.length);
  const labels = new Float32Array(entries.length);
  const row = new Float64Array(columns);
  entries.forEach((entry, index) => {
    featuresOf(families, entry.assessed.observation, row);
    features.set(row, index * columns);
    offsets[index] = entry.assessed.evidenceLogit - entry.assessed.priorLogit;
    labels[index] = entry.fraud ? 1 : 0;
  });
  return { features, offsets, labels };
}

/** What a scorer says of a labelled refund: the model's probability, or the evidence's alone. */
export function probabilityOf(
  model: BoundModel | undefined,
  families: readonly EvidenceFamily[],
  assessed: AssessedRefund,
): number {
  if (!model) return sigmoid(assessed.evidenceLogit);
  let logit =
    model.model.intercept + model.model.evidenceWeight * (assessed.evidenceLogit - assessed.priorLogit);
  families.forEach((_, index) => {
    logit += model.correction(index, assessed.observation[index] as number);
  });
  return sigmoid(logit);
}

export function metrics(
  entries: readonly LabelledRefund[],
  score: (entry: LabelledRefund) => number,
): ModelMetrics {
  let logLoss = 0;
  let brier = 0;
  const scored = entries.map((entry) => {
    const probability = Math.min(1 - 1e-6, Math.max(1e-6, score(entry)));
    const truth = entry.fraud ? 1 : 0;
    logLoss -= truth * Math.log(probability) + (1 - truth) * Math.log(1 - probability);
    brier += (probability - truth) ** 2;
    return { probability, fraud: entry.fraud };
  });
  const count = Math.max(1, entries.length);
  return {
    refunds: entries.length,
    fraud: scored.filter((entry) => entry.fraud).length,
    logLoss: round(logLoss / count),
    brier: round(brier / count),
    auc: areaUnderCurve(scored),
  };
}

/** ROC AUC by ranks (ties share their average rank); null with one class only. */
export function areaUnderCurve(scored: readonly { probability: number; fraud: boolean }[]): number | null {
  const positives = scored.filter((entry) => entry.fraud).length;
  const negatives = scored.length - positives;
  if (positives === 0 || negatives === 0) return null;
  const sorted = [...scored].sort((left, right) => left.probability - right.probability);
  let rankSum = 0;
  for (let start = 0; start < sorted.length; ) {
    let end = start;
    while (end + 1 < sorted.length && sorted[end + 1]?.probability === sorted[start]?.probability) end += 1;
    const rank = (start + end) / 2 + 1;
    for (let index = start; index <= end; index += 1) if (sorted[index]?.fraud) rankSum += rank;
    start = end + 1;
  }
  return round((rankSum - (positives * (positives + 1)) / 2) / (positives * negatives));
}

function round(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}

function roundWeight(value: number): number {
  return Math.round(value * 1e5) / 1e5;
}
