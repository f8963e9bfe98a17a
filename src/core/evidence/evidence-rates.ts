// The retailer's own counts: for each evidence family, how often its refunds show each level,
// counted online as refunds are assessed and read as of the decided day (never a later one).
// Each refund counts as honest in proportion to how unlikely it was to be fraud when it was
// decided, so a gang's hundred refunds from one device do not make that device look ordinary.
import { DAY_MS } from '../time.ts';
import { type Observation, OUTSIDE } from './compiled-evidence.ts';
import type { EvidenceFamily, EvidenceRatesSettings } from './evidence-pack.ts';

/** Per family: the weight (log odds) of each level, `none` last, and the honest share it came from. */
export interface EvidenceWeights {
  /** The day (epoch days) these were read as of: counts of earlier days only. */
  day: number;
  weights: Float64Array[];
  honestShares: Float64Array[];
  /** Honest-weighted refunds counted in each family's population. */
  counted: Float64Array;
  /** The share of refunds that are fraud, as the decisions of the window put it (the prior odds of every score). */
  fraudPrior: number;
}

export class EvidenceRates {
  /** Per epoch day: per family, honest-weighted counts of each level (none last). */
  private readonly days = new Map<number, Float64Array[]>();
  /** The same, fraud-weighted (weight: the refund's fraud probability). */
  private readonly fraudDays = new Map<number, Float64Array[]>();
  /** Per epoch day: refunds decided, and the sum of their fraud probabilities. */
  private readonly totals = new Map<number, { refunds: number; fraud: number }>();
  private readonly fraudShares: Float64Array[];
  private readonly priorShares: Float64Array[];
  private cached: EvidenceWeights | undefined;

  constructor(
    private readonly families: readonly EvidenceFamily[],
    private readonly settings: EvidenceRatesSettings,
  ) {
    this.fraudShares = families.map((family) => withNone(family.levels.map((level) => level.fraudShare)));
    this.priorShares = families.map((family) => withNone(family.levels.map((level) => level.honestShare)));
  }

  /** Counts a decided refund's observation on its day, as honest with weight 1 − its fraud probability. */
  observe(at: number, observation: Observation, fraudProbability: number): void {
    const day = Math.floor(at / DAY_MS);
    const counts = this.countsOf(this.days, day);
    const fraudCounts = this.countsOf(this.fraudDays, day);
    const probability = Math.min(1, Math.max(0, fraudProbability));
    const honest = 1 - probability;
    const total = this.totals.get(day);
    if (total) {
      total.refunds += 1;
      total.fraud += probability;
    } else this.totals.set(day, { refunds: 1, fraud: probability });
    for (let index = 0; index < this.families.length; index += 1) {
      const shown = observation[index] as number;
      if (shown === OUTSIDE) continue;
      const familyCounts = counts[index] as Float64Array;
      familyCounts[shown] = (familyCounts[shown] as number) + honest;
      const familyFraud = fraudCounts[index] as Float64Array;
      familyFraud[shown] = (familyFraud[shown] as number) + probability;
    }
    // A late refund of an earlier day changes what later days read.
    if (this.cached !== undefined && day < this.cached.day) this.cached = undefined;
  }

  private countsOf(store: Map<number, Float64Array[]>, day: number): Float64Array[] {
    let counts = store.get(day);
    if (!counts) {
      counts = this.families.map((family) => new Float64Array(family.levels.length + 1));
      store.set(day, counts);
    }
    return counts;
  }

  private sumsOf(store: Map<number, Float64Array[]>, from: number, day: number): Float64Array[] {
    const sums = this.families.map((family) => new Float64Array(family.levels.length + 1));
    for (const [countedDay, counts] of store) {
      if (countedDay < from || countedDay >= day) continue;
      counts.forEach((familyCounts, index) => {
        const familySums = sums[index] as Float64Array;
        for (let level = 0; level < familyCounts.length; level += 1)
          familySums[level] = (familySums[level] as number) + (familyCounts[level] as number);
      });
    }
    return sums;
  }

  /** The weights as of `at`: counts of the window's days before `at`'s day, smoothed by the written guesses. */
  weightsAsOf(at: number): EvidenceWeights {
    const day = Math.floor(at / DAY_MS);
    if (this.cached?.day === day) return this.cached;
    const from = day - this.settings.windowDays;
    const sums = this.sumsOf(this.days, from, day);
    const fraudSums = this.sumsOf(this.fraudDays, from, day);
    const { priorStrength, maxWeight } = this.settings;
    let refunds = 0;
    let fraudSum = 0;
    for (const [countedDay, total] of this.totals) {
      if (countedDay < from || countedDay >= day) continue;
      refunds += total.refunds;
      fraudSum += total.fraud;
    }
    // The expected share of fraud among the window's refunds, starting from the written prior.
    const priorWeight = this.settings.fraudPriorStrength;
    const fraudPrior = clamp(
      (fraudSum + priorWeight * this.settings.fraudPrior) / (refunds + priorWeight),
      this.settings.fraudPriorRange[0],
      this.settings.fraudPriorRange[1],
    );
    const counted = new Float64Array(this.families.length);
    const honestShares: Float64Array[] = [];
    const weights: Float64Array[] = [];
    this.families.forEach((family, index) => {
      const familySums = sums[index] as Float64Array;
      let total = 0;
      for (const count of familySums) total += count;
      counted[index] = total;
      const prior = this.priorShares[index] as Float64Array;
      const fraud = this.measuredFraudShares(index, fraudSums[index] as Float64Array);
      const shares = new Float64Array(familySums.length);
      const familyWeights = new Float64Array(familySums.length);
      for (let level = 0; level < familySums.length; level += 1) {
        const share =
          ((familySums[level] as number) + priorStrength * (prior[level] as number)) /
          (total + priorStrength);
        shares[level] = share;
        const isNone = level === family.levels.length;
        const pinned = isNone ? family.none?.weight : family.levels[level]?.weight;
        // Showing none of a family's levels speaks for the customer only where the pack says so
        // (`none:`): the customer's own device, an old account, a cheap item. Elsewhere (no
        // foreign language, no script, no ring) absence is no evidence: many small "nones" added
        // up would drown a refund service's few strong signs.
        familyWeights[level] =
          pinned ??
          (isNone && !family.none
            ? 0
            : clamp(Math.log((fraud[level] as number) / share), -maxWeight, maxWeight));
      }
      honestShares.push(shares);
      weights.push(familyWeights);
    });
    this.cached = { day, weights, honestShares, counted, fraudPrior };
    return this.cached;
  }

  /**
   * How often fraud shows each level: the pack's pattern, or, with `fraudShareStrength`, that
   * pattern worth so many refunds plus the window's refunds counted as fraud as far as they were
   * likely to be (an EM step): a pattern the pack wrote for one kind of gang gives way to what this
   * retailer's likely fraud shows.
   */
  private measuredFraudShares(index: number, fraudSums: Float64Array): Float64Array {
    const written = this.fraudShares[index] as Float64Array;
    const strength = this.settings.fraudShareStrength;
    if (strength === undefined) return written;
    let total = 0;
    for (const count of fraudSums) total += count;
    const shares = new Float64Array(written.length);
    for (let level = 0; level < written.length; level += 1)
      shares[level] =
        ((fraudSums[level] as number) + strength * (written[level] as number)) / (total + strength);
    return shares;
  }

  /** Drops every count (the state is being rebuilt). */
  clear(): void {
    this.days.clear();
    this.fraudDays.clear();
    this.totals.clear();
    this.cached = undefined;
  }
}

function withNone(shares: number[]): Float64Array {
  const total = shares.reduce((sum, value) => sum + value, 0);
  return Float64Array.from([...shares, 1 - total]);
}

function clamp(value: number, low: number, high: number): number {
  return Math.min(high, Math.max(low, value));
}
