// Figures the Decisions page derives from a policy simulation, shared by its tables and charts.
import type { DecisionPolicy, PolicyRun, ThresholdRow } from '../../api/index.ts';

/** A share (0..1) as `12.5 %`; `—` when there is nothing to divide by. */
export function percent(part: number, whole = 1, digits = 1): string {
  if (!(whole > 0) || !Number.isFinite(part)) return '—';
  return `${((100 * part) / whole).toFixed(digits)} %`;
}

/** A probability or ratio in a table: `0.950`. */
export function decimal(value: number | null | undefined, digits = 3): string {
  return typeof value === 'number' && Number.isFinite(value) ? value.toFixed(digits) : '—';
}

export function capacityText(policy: DecisionPolicy): string {
  const { share, perDay } = policy.reviewCapacity;
  if (perDay !== undefined) return `${perDay} refunds per day`;
  if (share !== undefined) return `${Number((share * 100).toFixed(2))} % of refunds`;
  return '—';
}

/** Refunds the run sent to people (review or deny). */
export function flaggedOf(run: PolicyRun): number {
  return run.decisions.review + run.decisions.deny;
}

export function refundsOf(run: PolicyRun): number {
  return Object.values(run.decisions).reduce((sum, count) => sum + count, 0);
}

/**
 * The threshold a policy worked at on average: its review band of each day, weighted by the day's
 * refunds (the band moves with the score distribution and the capacity). Undefined on no refunds.
 */
export function effectiveThreshold(run: PolicyRun): number | undefined {
  let refunds = 0;
  let sum = 0;
  for (const day of run.days) {
    refunds += day.refunds;
    sum += day.reviewFrom * day.refunds;
  }
  return refunds > 0 ? sum / refunds : undefined;
}

/** The three figures the threshold chart plots, as shares (0..1); undefined without labels to count on. */
export interface TradeOff {
  flaggedShare: number | undefined;
  fraudStoppedShare: number | undefined;
  honestBotheredShare: number | undefined;
}

export function rowTradeOff(row: ThresholdRow): TradeOff {
  return {
    flaggedShare: row.flaggedShare,
    fraudStoppedShare:
      row.labelledFraudValueUsd > 0 ? row.fraudValueStoppedUsd / row.labelledFraudValueUsd : undefined,
    honestBotheredShare: row.labelledHonest > 0 ? row.honestBothered / row.labelledHonest : undefined,
  };
}

export function runTradeOff(run: PolicyRun): TradeOff {
  const refunds = refundsOf(run);
  return {
    flaggedShare: refunds > 0 ? flaggedOf(run) / refunds : undefined,
    fraudStoppedShare:
      run.labelledFraudValueUsd > 0 ? run.fraudValueStoppedUsd / run.labelledFraudValueUsd : undefined,
    honestBotheredShare: run.labelledHonest > 0 ? run.honestBothered / run.labelledHonest : undefined,
  };
}

/** The index of the threshold row nearest a policy's effective threshold. */
export function nearestRow(rows: readonly ThresholdRow[], threshold: number | undefined): number {
  if (threshold === undefined) return -1;
  let best = -1;
  rows.forEach((row, index) => {
    const current = rows[best];
    if (
      current === undefined ||
      Math.abs(row.threshold - threshold) < Math.abs(current.threshold - threshold)
    )
      best = index;
  });
  return best;
}
