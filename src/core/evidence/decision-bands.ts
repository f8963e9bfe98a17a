// Decision bands set by the retailer's policy, not by constants: review what its people have room
// for (the top of the score distribution over a rolling window, never what is more likely honest
// than not), deny where the refunds denied would be fraud as often as it asks (estimated from the
// probabilities themselves), and ask for the goods back first in between.
import type { Decision } from '../decisions.ts';
import { DAY_MS } from '../time.ts';
import type { DecisionPolicy } from './evidence-pack.ts';

export interface DecisionBands {
  /** The day (epoch days) the bands were read as of: scores of earlier days only. */
  day: number;
  returnFirstFrom: number;
  reviewFrom: number;
  denyFrom: number;
  /** Refunds in the window the bands were read from. */
  windowRefunds: number;
  /** Whether review capacity, not `reviewFrom`, set the review band. */
  capacityBound: boolean;
}

export class ScoreWindow {
  /** Per epoch day, the request-time probabilities of the refunds decided that day. */
  private readonly days = new Map<number, number[]>();
  private cached: { key: string; bands: DecisionBands } | undefined;

  observe(at: number, probability: number): void {
    const day = Math.floor(at / DAY_MS);
    const scores = this.days.get(day);
    if (scores) scores.push(probability);
    else this.days.set(day, [probability]);
    if (this.cached !== undefined && day < this.cached.bands.day) this.cached = undefined;
  }

  /** The scores of the `windowDays` before `at`'s day, highest first. */
  scoresBefore(at: number, windowDays: number): number[] {
    const day = Math.floor(at / DAY_MS);
    const scores: number[] = [];
    for (const [scoredDay, dayScores] of this.days) {
      if (scoredDay >= day - windowDays && scoredDay < day) for (const score of dayScores) scores.push(score);
    }
    return scores.sort((left, right) => right - left);
  }

  bandsAsOf(at: number, policy: DecisionPolicy): DecisionBands {
    const day = Math.floor(at / DAY_MS);
    const key = `${day}|${JSON.stringify(policy)}`;
    if (this.cached?.key === key) return this.cached.bands;
    const scores = this.scoresBefore(at, policy.windowDays);
    const observedDays = new Set<number>();
    for (const scoredDay of this.days.keys())
      if (scoredDay >= day - policy.windowDays && scoredDay < day) observedDays.add(scoredDay);
    const bands = bandsFor(scores, policy, observedDays.size);
    const dated = { ...bands, day };
    this.cached = { key, bands: dated };
    return dated;
  }

  clear(): void {
    this.days.clear();
    this.cached = undefined;
  }
}

/** Bands from a window's scores (highest first) spanning `days` days of decisions. */
export function bandsFor(
  scores: readonly number[],
  policy: DecisionPolicy,
  days: number,
): Omit<DecisionBands, 'day'> {
  const count = scores.length;
  let denyFrom = Math.max(policy.denyPrecision, policy.reviewFrom);
  let denied = 0;
  if (count >= policy.minWindowRefunds) {
    // The largest top slice whose mean probability (its expected precision) reaches the target,
    // cut between two different scores (a threshold takes every refund at its score).
    let sum = 0;
    for (let index = 0; index < count; index += 1) {
      sum += scores[index] as number;
      const boundary = index + 1 === count || (scores[index + 1] as number) < (scores[index] as number);
      if (boundary && sum / (index + 1) >= policy.denyPrecision) denied = index + 1;
    }
    if (denied > 0) denyFrom = Math.max(policy.reviewFrom, scores[denied - 1] as number);
  }
  let reviewFrom = policy.reviewFrom;
  let capacityBound = false;
  if (count >= policy.minWindowRefunds) {
    const share =
      policy.reviewCapacity.share ??
      Math.min(1, (policy.reviewCapacity.perDay ?? 0) / (count / Math.max(1, days)));
    const deniedNow = scores.filter((score) => score >= denyFrom).length;
    const room = Math.floor(share * count);
    const lowest = scores[deniedNow + room];
    // Capacity binds when more refunds than there is room for reach reviewFrom.
    if (lowest !== undefined && lowest >= reviewFrom) {
      reviewFrom = Math.min(denyFrom, nextAbove(lowest));
      capacityBound = true;
    }
  }
  return {
    returnFirstFrom: Math.min(policy.returnFirstFrom, reviewFrom),
    reviewFrom,
    denyFrom,
    windowRefunds: count,
    capacityBound,
  };
}

/** The smallest double above `value`: a refund scoring exactly the last one with no room is not reviewed. */
function nextAbove(value: number): number {
  return value + Math.max(Number.EPSILON, Math.abs(value) * Number.EPSILON);
}

/**
 * `return_first` pays a refund once its goods are back and checked. A claim where nothing comes
 * back (not received, empty box, missing item, without a return) has nothing to wait for: below
 * the review band it is approved. Hard policies may still hold it.
 */
export function bandDecision(
  probability: number,
  bands: Omit<DecisionBands, 'day'>,
  nothingComesBack: boolean,
): Decision {
  const decision = decisionFor(probability, bands);
  return decision === 'return_first' && nothingComesBack ? 'approve' : decision;
}

export function decisionFor(probability: number, bands: Omit<DecisionBands, 'day'>): Decision {
  if (probability >= bands.denyFrom) return 'deny';
  if (probability >= bands.reviewFrom) return 'review';
  if (probability >= bands.returnFirstFrom) return 'return_first';
  return 'approve';
}
