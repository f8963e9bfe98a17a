// Detection quality on simulated worlds the rules were NOT written against (the rules were tuned
// on seed 1, default mix). Floors are below the figures the README reports, so the test catches a
// regression without flapping; the evaluation table is printed for the record.
import { describe, expect, it } from 'vitest';
import { evaluateSimulatedWorld } from '../src/adapters/cli/simulated-evaluation.ts';
import { formatEvaluation } from '../src/app/evaluation.ts';
import { formatRingEvaluation } from '../src/app/ring-evaluation.ts';
import { loadRulePack } from '../src/app/rule-pack-file.ts';

const evaluateWorld = (seed: number, mix: 'default' | 'stealthy' | 'heavy-gangs' | 'insider-heavy') =>
  evaluateSimulatedWorld({ seed, mix, customers: 4_000, days: 45 }, loadRulePack());

describe('detection quality on unseen simulated worlds', () => {
  for (const [seed, mix] of [
    [101, 'default'],
    [202, 'heavy-gangs'],
    [303, 'stealthy'],
  ] as const) {
    it(`seed ${seed}, ${mix} mix: catches most fraud with few honest customers bothered`, async () => {
      const { refunds: evaluation, rings } = await evaluateWorld(seed, mix);
      console.log(
        `\n=== seed ${seed}, mix ${mix}\n${formatEvaluation(evaluation)}\n\n${formatRingEvaluation(rings)}`,
      );
      expect(evaluation.fraudRefunds).toBeGreaterThan(20);
      const { atRequest, final } = evaluation;
      expect(atRequest.precision).toBeGreaterThanOrEqual(0.75);
      expect(atRequest.honestNotApprovedShare).toBeLessThanOrEqual(0.07);
      expect(final.precision).toBeGreaterThanOrEqual(0.75);
      expect(final.recall).toBeGreaterThanOrEqual(0.7);
      expect(final.stoppedValueShare).toBeGreaterThanOrEqual(0.7);
      // Rings: found for the gangs, and made of fraud accounts.
      expect(rings.rings).toBeGreaterThan(0);
      expect(rings.memberPrecision ?? 0).toBeGreaterThanOrEqual(0.85);
      expect(rings.recoveredGangs).toBeGreaterThanOrEqual(Math.ceil(rings.eligibleGangs / 2));
    });
  }
});
