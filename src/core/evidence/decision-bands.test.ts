import { describe, expect, it } from 'vitest';
import { DAY_MS } from '../time.ts';
import { bandsFor, decisionFor, ScoreWindow } from './decision-bands.ts';
import { type DecisionPolicyInput, decisionPolicySchema } from './evidence-pack.ts';

const policy = (input: DecisionPolicyInput = {}) =>
  decisionPolicySchema.parse({ minWindowRefunds: 10, ...input });
const descending = (scores: number[]) => [...scores].sort((left, right) => right - left);

describe('decision bands set by the retailer’s policy', () => {
  it('reviews from reviewFrom when there is room, and never below it however much room is free', () => {
    const scores = descending([...Array(95).fill(0.01), 0.6, 0.7, 0.8, 0.55, 0.52]);
    const bands = bandsFor(scores, policy({ reviewCapacity: { share: 0.5 } }), 10);
    expect(bands.reviewFrom).toBe(0.5);
    expect(bands.capacityBound).toBe(false);
    expect(decisionFor(0.49, bands)).toBe('return_first');
    expect(decisionFor(0.51, bands)).toBe('review');
    expect(decisionFor(0.2, bands)).toBe('approve');
  });

  it('raises the review band to what the people can take when more refunds reach reviewFrom', () => {
    // 40 of 100 refunds score 0.6..0.99; capacity is 10 % of refunds.
    const high = Array.from({ length: 40 }, (_, index) => 0.6 + index * 0.0099);
    const scores = descending([...Array(60).fill(0.05), ...high]);
    const bands = bandsFor(scores, policy({ reviewCapacity: { share: 0.1 }, denyPrecision: 0.999 }), 10);
    expect(bands.capacityBound).toBe(true);
    expect(scores.filter((score) => score >= bands.reviewFrom && score < bands.denyFrom)).toHaveLength(10);
  });

  it('reads a per-day capacity against the refunds per day of the window', () => {
    const high = Array.from({ length: 40 }, (_, index) => 0.6 + index * 0.0099);
    const scores = descending([...Array(60).fill(0.05), ...high]);
    // 100 refunds over 10 days: 10 a day; 2 reviews a day is a fifth of them.
    const bands = bandsFor(scores, policy({ reviewCapacity: { perDay: 2 }, denyPrecision: 0.999 }), 10);
    expect(scores.filter((score) => score >= bands.reviewFrom && score < bands.denyFrom)).toHaveLength(20);
  });

  it('denies the top slice whose mean probability reaches the precision asked for', () => {
    const scores = descending([...Array(80).fill(0.01), ...Array(10).fill(0.99), ...Array(10).fill(0.85)]);
    const bands = bandsFor(scores, policy({ denyPrecision: 0.95, reviewCapacity: { share: 0.5 } }), 10);
    // The ten at 0.99 average 0.99; a threshold at 0.85 takes all ten at 0.85 too, a mean of 0.92.
    const denied = scores.filter((score) => score >= bands.denyFrom).length;
    expect(denied).toBe(10);
    expect(decisionFor(0.86, bands)).toBe('review');
  });

  it('uses the plain thresholds while the window is too thin to read', () => {
    const bands = bandsFor([0.9, 0.8], policy({ minWindowRefunds: 200 }), 1);
    expect(bands).toMatchObject({ reviewFrom: 0.5, denyFrom: 0.95, capacityBound: false });
  });

  it('reads the window as of the decided day, from the days before it only', () => {
    const window = new ScoreWindow();
    const day = Date.parse('2026-10-10T08:00:00Z');
    for (let index = 0; index < 50; index += 1) window.observe(day - DAY_MS, index < 25 ? 0.9 : 0.01);
    for (let index = 0; index < 50; index += 1) window.observe(day, 0.99);
    const p = policy({ reviewCapacity: { share: 0.1 }, denyPrecision: 0.999 });
    const bands = window.bandsAsOf(day, p);
    expect(bands.windowRefunds).toBe(50);
    expect(window.bandsAsOf(day + DAY_MS, p).windowRefunds).toBe(100);
    expect(window.bandsAsOf(day + 28 * DAY_MS, p).windowRefunds).toBe(50);
    expect(window.bandsAsOf(day + 29 * DAY_MS, p).windowRefunds).toBe(0);
  });
});
