import { describe, expect, it } from 'vitest';
import { DAY_MS } from '../time.ts';
import { decisionPolicySchema } from './evidence-pack.ts';
import { type HistoricalRefund, runPolicy, thresholdTable } from './policy-simulation.ts';

const start = Date.parse('2026-10-01T10:00:00Z');

/** Ten days of 50 refunds: 45 honest at 0.02, 3 labelled fraud at 0.9, 2 unlabelled at 0.6. */
function history(): HistoricalRefund[] {
  const refunds: HistoricalRefund[] = [];
  for (let day = 0; day < 10; day += 1)
    for (let index = 0; index < 50; index += 1) {
      const at = start + day * DAY_MS + index * 60_000;
      if (index < 45) refunds.push({ at, score: 0.02, amountUsd: 40, fraud: false });
      else if (index < 48) refunds.push({ at, score: 0.9, amountUsd: 800, fraud: true });
      else refunds.push({ at, score: 0.6, amountUsd: 300 });
    }
  return refunds;
}

describe('policy simulation on history', () => {
  it('counts, for each threshold, the refunds sent to people, the fraud value stopped and the honest bothered', () => {
    const rows = thresholdTable(history(), [0.5, 0.95]);
    const [half, strict] = rows;
    expect(half).toMatchObject({
      flagged: 50,
      flaggedPerDay: 5,
      fraudValueStoppedUsd: 24_000,
      honestBothered: 0,
      labelledHonest: 450,
    });
    expect(half?.flaggedShare).toBeCloseTo(0.1, 6);
    expect(half?.expectedFraudValueUsd).toBeCloseTo(30 * 0.9 * 800 + 20 * 0.6 * 300, 6);
    expect(strict).toMatchObject({ flagged: 0, fraudValueStoppedUsd: 0 });
  });

  it('runs a whole policy day by day, its bands read from the days before, capacity binding', () => {
    const tight = decisionPolicySchema.parse({
      reviewCapacity: { perDay: 3 },
      minWindowRefunds: 40,
      denyPrecision: 0.99,
    });
    const run = runPolicy(history(), tight);
    // Day one has no window yet: everything from 0.5 is reviewed (5). After it, 3 a day fit.
    expect(run.days[0]).toMatchObject({ refunds: 50, reviewed: 5, capacity: 3 });
    for (const day of run.days.slice(1)) expect(day.reviewed).toBe(3);
    expect(run.decisions.review).toBe(5 + 9 * 3);
    expect(run.honestBothered).toBe(0);
    expect(run.fraudValueStoppedUsd).toBe(30 * 800);
  });

  it('keeps a decision a hard policy forced', () => {
    const refunds: HistoricalRefund[] = [
      { at: start, score: 0.01, amountUsd: 900, floor: 'deny', fraud: true },
    ];
    const run = runPolicy(refunds, decisionPolicySchema.parse({}));
    expect(run.decisions.deny).toBe(1);
    expect(run.fraudValueStoppedUsd).toBe(900);
  });
});
