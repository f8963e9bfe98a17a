// What a policy would have done on history: for each candidate threshold, the refunds it sends to
// people, the fraud value it stops and the honest customers it bothers; and for a whole policy
// (capacity, precision before denying), its decisions day by day, its bands read from the rolling
// window as they would have been. A refund's probability does not depend on the policy, so this is
// exact on the scores stored. Where the outcome is known (labels), figures are counted; where it is
// not, they are expected from the probabilities.
import type { Decision } from '../decisions.ts';
import { DAY_MS } from '../time.ts';
import { bandDecision, ScoreWindow } from './decision-bands.ts';
import type { DecisionPolicy } from './evidence-pack.ts';

export interface HistoricalRefund {
  at: number;
  /** The request-time probability of fraud. */
  score: number;
  amountUsd: number;
  /** A decision a hard policy forced at least, if one did. */
  floor?: Decision | undefined;
  /** The known outcome, if any. */
  fraud?: boolean | undefined;
  /** A claim where nothing comes back (see bandDecision). */
  nothingComesBack?: boolean | undefined;
}

export interface ThresholdRow {
  threshold: number;
  /** Refunds at or above the threshold (sent to review or denied). */
  flagged: number;
  flaggedShare: number;
  flaggedPerDay: number;
  /** Labelled: fraud value stopped and honest refunds bothered among the flagged. */
  fraudValueStoppedUsd: number;
  honestBothered: number;
  /** Expected from the probabilities, over every flagged refund. */
  expectedFraudValueUsd: number;
  expectedHonestBothered: number;
  /** Labelled fraud value in all refunds, and labelled honest refunds: the denominators. */
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
  /** The review capacity of the day, in refunds. */
  capacity: number;
  reviewFrom: number;
  denyFrom: number;
}

export interface PolicyRun {
  decisions: Record<Decision, number>;
  fraudValueStoppedUsd: number;
  labelledFraudValueUsd: number;
  honestBothered: number;
  honestNotApproved: number;
  labelledHonest: number;
  expectedFraudValueUsd: number;
  expectedHonestBothered: number;
  days: PolicyDay[];
}

export const DEFAULT_THRESHOLDS = [0.1, 0.2, 0.25, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.98];

export function thresholdTable(
  history: readonly HistoricalRefund[],
  thresholds = DEFAULT_THRESHOLDS,
): ThresholdRow[] {
  const days = dayCount(history);
  let labelledFraudValueUsd = 0;
  let labelledHonest = 0;
  for (const refund of history) {
    if (refund.fraud === true) labelledFraudValueUsd += refund.amountUsd;
    if (refund.fraud === false) labelledHonest += 1;
  }
  return thresholds.map((threshold) => {
    const row: ThresholdRow = {
      threshold,
      flagged: 0,
      flaggedShare: 0,
      flaggedPerDay: 0,
      fraudValueStoppedUsd: 0,
      honestBothered: 0,
      expectedFraudValueUsd: 0,
      expectedHonestBothered: 0,
      labelledFraudValueUsd,
      labelledHonest,
    };
    for (const refund of history) {
      if (refund.score < threshold) continue;
      row.flagged += 1;
      row.expectedFraudValueUsd += refund.score * refund.amountUsd;
      row.expectedHonestBothered += 1 - refund.score;
      if (refund.fraud === true) row.fraudValueStoppedUsd += refund.amountUsd;
      if (refund.fraud === false) row.honestBothered += 1;
    }
    row.flaggedShare = history.length > 0 ? row.flagged / history.length : 0;
    row.flaggedPerDay = row.flagged / days;
    return row;
  });
}

/** The policy's decisions on history in time order, its bands read as of each day from the decisions before. */
export function runPolicy(history: readonly HistoricalRefund[], policy: DecisionPolicy): PolicyRun {
  const ordered = [...history].sort((left, right) => left.at - right.at);
  const window = new ScoreWindow();
  const run: PolicyRun = {
    decisions: { approve: 0, return_first: 0, review: 0, deny: 0 },
    fraudValueStoppedUsd: 0,
    labelledFraudValueUsd: 0,
    honestBothered: 0,
    honestNotApproved: 0,
    labelledHonest: 0,
    expectedFraudValueUsd: 0,
    expectedHonestBothered: 0,
    days: [],
  };
  let today: PolicyDay | undefined;
  for (const refund of ordered) {
    const bands = window.bandsAsOf(refund.at, policy);
    const day = Math.floor(refund.at / DAY_MS) * DAY_MS;
    if (today?.day !== day) {
      today = {
        day,
        refunds: 0,
        reviewed: 0,
        denied: 0,
        returnFirst: 0,
        capacity: 0,
        reviewFrom: bands.reviewFrom,
        denyFrom: bands.denyFrom,
      };
      run.days.push(today);
    }
    let decision = bandDecision(refund.score, bands, refund.nothingComesBack === true);
    if (refund.floor && SEVERITY.indexOf(refund.floor) > SEVERITY.indexOf(decision)) decision = refund.floor;
    run.decisions[decision] += 1;
    today.refunds += 1;
    if (decision === 'review') today.reviewed += 1;
    if (decision === 'deny') today.denied += 1;
    if (decision === 'return_first') today.returnFirst += 1;
    const flagged = decision === 'review' || decision === 'deny';
    if (refund.fraud === true) {
      run.labelledFraudValueUsd += refund.amountUsd;
      if (flagged) run.fraudValueStoppedUsd += refund.amountUsd;
    }
    if (refund.fraud === false) {
      run.labelledHonest += 1;
      if (flagged) run.honestBothered += 1;
      if (decision !== 'approve') run.honestNotApproved += 1;
    }
    if (flagged) {
      run.expectedFraudValueUsd += refund.score * refund.amountUsd;
      run.expectedHonestBothered += 1 - refund.score;
    }
    window.observe(refund.at, refund.score);
  }
  for (const entry of run.days)
    entry.capacity =
      policy.reviewCapacity.perDay ?? Math.round((policy.reviewCapacity.share ?? 0) * entry.refunds);
  return run;
}

const SEVERITY: readonly Decision[] = ['approve', 'return_first', 'review', 'deny'];

function dayCount(history: readonly HistoricalRefund[]): number {
  const days = new Set<number>();
  for (const refund of history) days.add(Math.floor(refund.at / DAY_MS));
  return Math.max(1, days.size);
}
