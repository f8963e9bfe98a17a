import { describe, expect, it } from 'vitest';
import { DAY_MS } from '../time.ts';
import { OUTSIDE } from './compiled-evidence.ts';
import type { EvidenceFamily } from './evidence-pack.ts';
import { evidenceRatesSchema } from './evidence-pack.ts';
import { EvidenceRates } from './evidence-rates.ts';

const family: EvidenceFamily = {
  family: 'contact-origin',
  among: 'contact.present',
  stage: 'both',
  levels: [
    {
      id: 'new-origin',
      when: 'contact.thirdParty',
      fraudShare: 0.5,
      honestShare: 0.05,
      reason: 'THIRD_PARTY_CONTACT',
      text: 'x',
    },
  ],
  none: { reason: 'OWN_DEVICE', text: 'own device' },
};
const settings = evidenceRatesSchema.parse({ priorStrength: 20, windowDays: 30, maxWeight: 4.5 });
const day = (n: number) => Date.parse('2026-10-01T12:00:00Z') + n * DAY_MS;
const shown = Int16Array.of(0);
const none = Int16Array.of(1);

function countHonest(rates: EvidenceRates, dayNumber: number, shareShowing: number, refunds = 100): void {
  for (let index = 0; index < refunds; index += 1)
    rates.observe(day(dayNumber), index < shareShowing * refunds ? shown : none, 0);
}

describe('evidence measured on the retailer’s own refunds', () => {
  it('starts from the written guess, then weighs a level by how often this retailer’s honest refunds show it', () => {
    const rates = new EvidenceRates([family], settings);
    const before = rates.weightsAsOf(day(0));
    expect(before.weights[0]?.[0]).toBeCloseTo(Math.log(0.5 / 0.05), 5);

    // A retailer where a quarter of honest contacts come from a new phone or from work.
    countHonest(rates, 0, 0.25, 400);
    const after = rates.weightsAsOf(day(1));
    const share = (0.25 * 400 + 20 * 0.05) / (400 + 20);
    expect(after.honestShares[0]?.[0]).toBeCloseTo(share, 6);
    expect(after.weights[0]?.[0]).toBeCloseTo(Math.log(0.5 / share), 6);
    // The same behaviour weighs less here than where it is rare, and `none` weighs for the customer.
    expect(after.weights[0]?.[0]).toBeLessThan(before.weights[0]?.[0] as number);
    expect(after.weights[0]?.[1]).toBeLessThan(0);
  });

  it('weighs the absence of a family without a `none` wording as no evidence either way', () => {
    const { none: _, ...withoutNone } = family;
    const rates = new EvidenceRates([withoutNone], settings);
    countHonest(rates, 0, 0.25, 400);
    expect(rates.weightsAsOf(day(1)).weights[0]?.[1]).toBe(0);
  });

  it('reads the prior share of fraud from the window’s own decisions, starting from the written one', () => {
    const rates = new EvidenceRates([family], { ...settings, fraudPrior: 0.04, fraudPriorStrength: 500 });
    expect(rates.weightsAsOf(day(0)).fraudPrior).toBeCloseTo(0.04, 9);
    // 1,000 refunds decided with a mean fraud probability of 0.16 (a retailer under heavy attack).
    for (let index = 0; index < 1_000; index += 1) rates.observe(day(0), none, index % 5 === 0 ? 0.8 : 0);
    expect(rates.weightsAsOf(day(1)).fraudPrior).toBeCloseTo((160 + 500 * 0.04) / 1_500, 9);
    // Never past its range, however the decisions lean.
    for (let index = 0; index < 50_000; index += 1) rates.observe(day(1), none, 1);
    expect(rates.weightsAsOf(day(2)).fraudPrior).toBe(0.3);
  });

  it('measures the fraud shares too when asked: the written pattern gives way to the likely fraud of the window', () => {
    const written = new EvidenceRates([family], settings);
    const measured = new EvidenceRates([family], { ...settings, fraudShareStrength: 10 });
    // Refunds likely to be fraud (0.9) that mostly show no new origin: this retailer's gangs call from clients' phones.
    for (const rates of [written, measured])
      for (let index = 0; index < 100; index += 1) rates.observe(day(0), index < 10 ? shown : none, 0.9);
    const fraudShare = (0.1 * 90 + 10 * 0.5) / (90 + 10);
    const honestShare = (0.1 * 10 + 20 * 0.05) / (10 + 20);
    expect(written.weightsAsOf(day(1)).weights[0]?.[0]).toBeCloseTo(Math.log(0.5 / honestShare), 6);
    expect(measured.weightsAsOf(day(1)).weights[0]?.[0]).toBeCloseTo(Math.log(fraudShare / honestShare), 6);
  });

  it('reads counts as of the decided day: nothing of that day or later, nothing older than the window', () => {
    const rates = new EvidenceRates([family], settings);
    countHonest(rates, 10, 1, 50);
    expect(rates.weightsAsOf(day(10)).counted[0]).toBe(0);
    expect(rates.weightsAsOf(day(11)).counted[0]).toBe(50);
    expect(rates.weightsAsOf(day(40)).counted[0]).toBe(50);
    expect(rates.weightsAsOf(day(41)).counted[0]).toBe(0);
  });

  it('counts a refund as honest only as far as it was unlikely to be fraud, so a gang cannot make its device look ordinary', () => {
    const rates = new EvidenceRates([family], settings);
    for (let index = 0; index < 100; index += 1) rates.observe(day(0), shown, 0.99);
    countHonest(rates, 0, 0, 100);
    const weights = rates.weightsAsOf(day(1));
    expect(weights.counted[0]).toBeCloseTo(101, 6);
    expect(weights.honestShares[0]?.[0]).toBeCloseTo((1 + 20 * 0.05) / (101 + 20), 6);
  });

  it('takes back a day’s counts when a late refund of an earlier day arrives', () => {
    const rates = new EvidenceRates([family], settings);
    countHonest(rates, 5, 0, 10);
    expect(rates.weightsAsOf(day(6)).counted[0]).toBe(10);
    rates.observe(day(3), shown, 0);
    expect(rates.weightsAsOf(day(6)).counted[0]).toBe(11);
  });

  it('skips refunds outside the family’s population and keeps a pinned weight as written', () => {
    const pinned = {
      ...family,
      levels: [{ ...(family.levels[0] as EvidenceFamily['levels'][number]), weight: 1.25 }],
    };
    const rates = new EvidenceRates([pinned], settings);
    rates.observe(day(0), Int16Array.of(OUTSIDE), 0);
    countHonest(rates, 0, 0.9, 100);
    const weights = rates.weightsAsOf(day(1));
    expect(weights.counted[0]).toBe(100);
    expect(weights.weights[0]?.[0]).toBe(1.25);
  });

  it('never lets one level weigh more than maxWeight either way', () => {
    const rates = new EvidenceRates([family], settings);
    countHonest(rates, 0, 0, 100_000);
    expect(rates.weightsAsOf(day(1)).weights[0]?.[0]).toBe(4.5);
  });
});
