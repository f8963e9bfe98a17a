// Decisions: the policy, what it would have done on history, models and the shadow candidate.
import { arr, call, counts, ignore, items, num, obj, optStr, optTime, str, time } from './client.ts';
import { type Reason, toReason } from './common.ts';

/** The retailer's decision policy (rule pack `policy`): review capacity is a share or a number per day. */
export interface DecisionPolicy {
  reviewCapacity: { share?: number; perDay?: number };
  denyPrecision: number;
  reviewFrom: number;
  returnFirstFrom: number;
  windowDays: number;
  minWindowRefunds: number;
}

export interface PolicyRecord {
  version: number;
  policy: DecisionPolicy;
  createdAt: number;
  /** An actor id: `user:<id>` or `key:<id>`. */
  createdBy: string;
  note?: string;
}

export interface PolicyView {
  /** The policy in force. */
  effective: DecisionPolicy;
  /** The rule pack's, in force until the retailer sets one. */
  packDefault: DecisionPolicy;
  /** Every change, newest first. */
  history: PolicyRecord[];
}

/** One candidate threshold on history: what sending every refund at or above it to people does. */
export interface ThresholdRow {
  threshold: number;
  flagged: number;
  flaggedShare: number;
  flaggedPerDay: number;
  /** Labelled outcomes: fraud value stopped and honest refunds bothered among the flagged. */
  fraudValueStoppedUsd: number;
  honestBothered: number;
  /** Expected from the probabilities, over every flagged refund. */
  expectedFraudValueUsd: number;
  expectedHonestBothered: number;
  /** The denominators: labelled fraud value in all refunds, and labelled honest refunds. */
  labelledFraudValueUsd: number;
  labelledHonest: number;
}

export interface PolicyDay {
  /** The day's first moment (epoch ms). */
  day: number;
  refunds: number;
  reviewed: number;
  denied: number;
  returnFirst: number;
  /** The day's review capacity, in refunds. */
  capacity: number;
  reviewFrom: number;
  denyFrom: number;
}

/** A whole policy run on history, its bands read day by day. */
export interface PolicyRun {
  /** Decision → count. */
  decisions: Record<string, number>;
  fraudValueStoppedUsd: number;
  labelledFraudValueUsd: number;
  honestBothered: number;
  honestNotApproved: number;
  labelledHonest: number;
  expectedFraudValueUsd: number;
  expectedHonestBothered: number;
  days: PolicyDay[];
}

export interface PolicySimulation {
  refunds: number;
  labelled: number;
  /** The first and last refund simulated (epoch ms), absent on an empty history. */
  from?: number;
  to?: number;
  thresholds: ThresholdRow[];
  /** The policy in force. */
  current: PolicyRun;
  /** The proposed policy, when one was sent. */
  proposed?: PolicyRun;
}

export interface ModelMetrics {
  refunds: number;
  fraud: number;
  logLoss: number;
  brier: number;
  /** Null when the period holds one class only. */
  auc: number | null;
}

export interface DecisionModel {
  version: string;
  /** candidate, promoted, rejected, retired or shadow. */
  status: string;
  rulePackVersion: string;
  trainedAt: number;
  trainingMs: number;
  /** Labels dated before this moment (event time) were used. */
  labelsBefore: number;
  promotedAt?: number;
  featureCount: number;
  training: ModelMetrics;
  /** The later period held out from training: the candidate's figures and the live scorer's. */
  holdout: { from: number; model: ModelMetrics; live: ModelMetrics; liveVersion: string };
  labels: { fraud: number; honest: number };
}

export interface TrainResult {
  at: number;
  promoted: boolean;
  /** `trained` or `too-few-labels`. */
  outcome: string;
  model?: DecisionModel;
  message?: string;
  labels?: { fraud: number; honest: number };
}

/** A refund the shadow candidate decides differently from the live decider. */
export interface ShadowDifference {
  subjectId: string;
  at: number;
  liveDecision: string;
  liveScore: number;
  decision: string;
  score: number;
  amountUsd?: number;
  reasons: Reason[];
}

export interface ShadowReport {
  candidate?: string;
  since?: number;
  decisions: number;
  /** Live decision → candidate decision → count. */
  agreement: Record<string, Record<string, number>>;
  onlyCandidateFlags: number;
  onlyLiveFlags: number;
  /** Among labelled refunds: how many each flags (review, deny), fraud and honest. */
  labelled: {
    refunds: number;
    live: { fraud: number; honest: number };
    candidate: { fraud: number; honest: number };
  };
  differences: ShadowDifference[];
  error?: string;
}

export function toPolicy(value: unknown): DecisionPolicy {
  const policy = obj(value);
  const capacity = obj(policy.reviewCapacity);
  return {
    reviewCapacity: {
      ...(typeof capacity.share === 'number' ? { share: capacity.share } : {}),
      ...(typeof capacity.perDay === 'number' ? { perDay: capacity.perDay } : {}),
    },
    denyPrecision: num(policy.denyPrecision),
    reviewFrom: num(policy.reviewFrom),
    returnFirstFrom: num(policy.returnFirstFrom),
    windowDays: num(policy.windowDays),
    minWindowRefunds: num(policy.minWindowRefunds),
  };
}

export function toPolicyRecord(value: unknown): PolicyRecord {
  const record = obj(value);
  const note = optStr(record.note);
  return {
    version: num(record.version),
    policy: toPolicy(record.policy),
    createdAt: time(record.createdAt),
    createdBy: str(record.createdBy),
    ...(note ? { note } : {}),
  };
}

export function toPolicyView(value: unknown): PolicyView {
  const body = obj(value);
  return {
    effective: toPolicy(body.effective),
    packDefault: toPolicy(body.packDefault),
    history: arr(body.history).map(toPolicyRecord),
  };
}

export function toThresholdRow(value: unknown): ThresholdRow {
  const row = obj(value);
  return {
    threshold: num(row.threshold),
    flagged: num(row.flagged),
    flaggedShare: num(row.flaggedShare),
    flaggedPerDay: num(row.flaggedPerDay),
    fraudValueStoppedUsd: num(row.fraudValueStoppedUsd),
    honestBothered: num(row.honestBothered),
    expectedFraudValueUsd: num(row.expectedFraudValueUsd),
    expectedHonestBothered: num(row.expectedHonestBothered),
    labelledFraudValueUsd: num(row.labelledFraudValueUsd),
    labelledHonest: num(row.labelledHonest),
  };
}

export function toPolicyRun(value: unknown): PolicyRun {
  const run = obj(value);
  return {
    decisions: counts(run.decisions),
    fraudValueStoppedUsd: num(run.fraudValueStoppedUsd),
    labelledFraudValueUsd: num(run.labelledFraudValueUsd),
    honestBothered: num(run.honestBothered),
    honestNotApproved: num(run.honestNotApproved),
    labelledHonest: num(run.labelledHonest),
    expectedFraudValueUsd: num(run.expectedFraudValueUsd),
    expectedHonestBothered: num(run.expectedHonestBothered),
    days: arr(run.days).map((entry) => {
      const day = obj(entry);
      return {
        day: time(day.day),
        refunds: num(day.refunds),
        reviewed: num(day.reviewed),
        denied: num(day.denied),
        returnFirst: num(day.returnFirst),
        capacity: num(day.capacity),
        reviewFrom: num(day.reviewFrom),
        denyFrom: num(day.denyFrom),
      };
    }),
  };
}

export function toPolicySimulation(value: unknown): PolicySimulation {
  const body = obj(value);
  const from = optTime(body.from);
  const to = optTime(body.to);
  return {
    refunds: num(body.refunds),
    labelled: num(body.labelled),
    ...(from !== undefined ? { from } : {}),
    ...(to !== undefined ? { to } : {}),
    thresholds: arr(body.thresholds).map(toThresholdRow),
    current: toPolicyRun(body.current),
    ...(body.proposed ? { proposed: toPolicyRun(body.proposed) } : {}),
  };
}

export function toModelMetrics(value: unknown): ModelMetrics {
  const metrics = obj(value);
  return {
    refunds: num(metrics.refunds),
    fraud: num(metrics.fraud),
    logLoss: num(metrics.logLoss),
    brier: num(metrics.brier),
    auc: typeof metrics.auc === 'number' ? metrics.auc : null,
  };
}

export function toFraudHonest(value: unknown): { fraud: number; honest: number } {
  const pair = obj(value);
  return { fraud: num(pair.fraud), honest: num(pair.honest) };
}

export function toDecisionModel(value: unknown): DecisionModel {
  const model = obj(value);
  const holdout = obj(model.holdout);
  const promotedAt = optTime(model.promotedAt);
  return {
    version: str(model.version),
    status: str(model.status),
    rulePackVersion: str(model.rulePackVersion),
    trainedAt: time(model.trainedAt),
    trainingMs: num(model.trainingMs),
    labelsBefore: time(model.labelsBefore),
    ...(promotedAt !== undefined ? { promotedAt } : {}),
    featureCount: arr(model.features).length,
    training: toModelMetrics(model.training),
    holdout: {
      from: time(holdout.from),
      model: toModelMetrics(holdout.model),
      live: toModelMetrics(holdout.live),
      liveVersion: str(holdout.liveVersion),
    },
    labels: toFraudHonest(model.labels),
  };
}

export function toTrainResult(value: unknown): TrainResult {
  const body = obj(value);
  const message = optStr(body.message);
  return {
    at: time(body.at),
    promoted: body.promoted === true,
    outcome: str(body.outcome),
    ...(body.model ? { model: toDecisionModel(body.model) } : {}),
    ...(message ? { message } : {}),
    ...(body.labels ? { labels: toFraudHonest(body.labels) } : {}),
  };
}

export function toShadowReport(value: unknown): ShadowReport {
  const body = obj(value);
  const candidate = optStr(body.candidate);
  const since = optTime(body.since);
  const error = optStr(body.error);
  const labelled = obj(body.labelled);
  return {
    ...(candidate ? { candidate } : {}),
    ...(since !== undefined ? { since } : {}),
    decisions: num(body.decisions),
    agreement: Object.fromEntries(
      Object.entries(obj(body.agreement)).map(([live, row]) => [live, counts(row)]),
    ),
    onlyCandidateFlags: num(body.onlyCandidateFlags),
    onlyLiveFlags: num(body.onlyLiveFlags),
    labelled: {
      refunds: num(labelled.refunds),
      live: toFraudHonest(labelled.live),
      candidate: toFraudHonest(labelled.candidate),
    },
    differences: arr(body.differences).map((entry) => {
      const record = obj(entry);
      return {
        subjectId: str(record.subjectId),
        at: time(record.at),
        liveDecision: str(record.liveDecision),
        liveScore: num(record.liveScore),
        decision: str(record.decision),
        score: num(record.score),
        ...(typeof record.amountUsdMinor === 'number' ? { amountUsd: record.amountUsdMinor / 100 } : {}),
        reasons: arr(record.reasons).map(toReason),
      };
    }),
    ...(error ? { error } : {}),
  };
}

export const decisionsApi = {
  policy: (signal?: AbortSignal) => call('GET', '/decisions/policy', toPolicyView, signal ? { signal } : {}),
  setPolicy: (policy: DecisionPolicy, note?: string) =>
    call('PUT', '/decisions/policy', toPolicyRecord, { body: { policy, ...(note ? { note } : {}) } }),
  /** What each threshold, the policy in force and (when given) a proposed one would have done on history. */
  simulate: (proposal?: DecisionPolicy, signal?: AbortSignal) =>
    call('POST', '/decisions/policy/simulate', toPolicySimulation, {
      body: proposal ? { policy: proposal } : {},
      ...(signal ? { signal } : {}),
    }),
  models: (signal?: AbortSignal) =>
    call('GET', '/decisions/models', items(toDecisionModel), signal ? { signal } : {}),
  train: () => call('POST', '/decisions/models/train', toTrainResult),
  promote: (version: string) =>
    call('POST', `/decisions/models/${encodeURIComponent(version)}/promote`, toDecisionModel),
  retire: (version: string) =>
    call('POST', `/decisions/models/${encodeURIComponent(version)}/retire`, toDecisionModel),
  shadow: (signal?: AbortSignal) =>
    call('GET', '/decisions/shadow', toShadowReport, signal ? { signal } : {}),
  startShadow: (modelVersion: string) =>
    call('POST', '/decisions/shadow', (body) => str(obj(body).candidate), { body: { modelVersion } }),
  stopShadow: () => call('DELETE', '/decisions/shadow', ignore),
};
