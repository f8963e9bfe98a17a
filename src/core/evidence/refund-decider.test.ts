import { describe, expect, it } from 'vitest';
import { CompiledRulePack } from '../rules/rule-engine.ts';
import { rulePackSchema } from '../rules/rule-pack.ts';
import { DAY_MS } from '../time.ts';
import { RefundDecider } from './refund-decider.ts';
import { BoundModel, featureNames, modelFitsPack } from './refund-model.ts';

const packInput = {
  name: 'test',
  version: 't1',
  referenceRatesToUsd: { USD: 1 },
  hotGoods: {},
  // Each weight in full and the written prior kept, so the arithmetic below is plain.
  evidenceRates: { fraudPrior: 0.05, priorStrength: 10, evidenceScale: 1, fraudPriorStrength: 1e9 },
  evidence: [
    {
      family: 'value',
      levels: [
        {
          id: 'expensive',
          when: 'refund.amountUsd >= 500.0',
          fraudShare: 0.6,
          honestShare: 0.05,
          reason: 'EXPENSIVE',
          text: '{{refund.amountUsd}} USD',
        },
      ],
      none: { reason: 'CHEAP', text: 'a small refund' },
    },
    {
      family: 'origin',
      among: 'contact.present',
      levels: [
        {
          id: 'refunder',
          when: 'contact.foreignAccounts >= 2',
          fraudShare: 0.4,
          honestShare: 0.002,
          reason: 'REFUNDER',
          text: 'refunder device',
        },
        {
          id: 'new',
          when: 'contact.thirdParty',
          fraudShare: 0.4,
          honestShare: 0.1,
          reason: 'NEW_ORIGIN',
          text: 'new device',
        },
      ],
      none: { reason: 'OWN_DEVICE', text: 'own device' },
    },
  ],
  policies: [
    {
      id: 'intel',
      when: 'intel.orderNamed',
      decision: 'deny',
      score: 0.97,
      reason: 'ORDER_IN_INTEL',
      text: 'named in a post',
    },
    {
      id: 'fake-return',
      stage: 'final',
      when: 'evidence.fake',
      decision: 'deny',
      score: 0.97,
      reason: 'FAKE_RETURN',
      text: 'fake tracking',
    },
  ],
  policy: { reviewFrom: 0.5, returnFirstFrom: 0.25, denyPrecision: 0.99 },
  signupBands: [{ decision: 'allow' as const }],
};
const rules = new CompiledRulePack(rulePackSchema.parse(packInput));

const at = Date.parse('2026-10-10T12:00:00Z');
function signals(
  overrides: { amountUsd?: number; contact?: object; orderNamed?: boolean; fake?: boolean } = {},
) {
  return {
    refund: { amountUsd: overrides.amountUsd ?? 40 },
    contact: { present: false, thirdParty: false, foreignAccounts: 0, ...overrides.contact },
    intel: { orderNamed: overrides.orderNamed ?? false },
    evidence: { fake: overrides.fake ?? false },
  };
}

describe('refund decider', () => {
  it('adds each family’s weight to the prior log odds, and explains the decision by those terms', () => {
    const decider = new RefundDecider(rules);
    const refunder = decider.decide(
      signals({ amountUsd: 900, contact: { present: true, thirdParty: true, foreignAccounts: 3 } }),
      at,
      'request',
    );
    const expected = Math.log(0.05 / 0.95) + Math.log(0.6 / 0.05) + 4.5; // the most one level may weigh
    expect(refunder.trace.evidenceLogit).toBeCloseTo(expected, 6);
    expect(refunder.score).toBeCloseTo(1 / (1 + Math.exp(-expected)), 3);
    expect(refunder.decision).toBe('review');
    expect(refunder.reasons.map((reason) => reason.code).slice(0, 2)).toEqual(['REFUNDER', 'EXPENSIVE']);
    expect(refunder.trace.levels).toEqual({ value: 'expensive', origin: 'refunder' });
  });

  it('lets trust lower a score: a cheap refund from the customer’s own device is approved, saying why', () => {
    const decider = new RefundDecider(rules);
    const own = decider.decide(signals({ contact: { present: true } }), at, 'request');
    expect(own.decision).toBe('approve');
    expect(own.trace.evidenceLogit).toBeLessThan(Math.log(0.05 / 0.95));
    expect(own.reasons.map((reason) => reason.code)).toEqual(expect.arrayContaining(['CHEAP', 'OWN_DEVICE']));
  });

  it('weighs what is common among this retailer’s honest refunds less once it has counted them', () => {
    const decider = new RefundDecider(rules);
    const newDevice = signals({ amountUsd: 900, contact: { present: true, thirdParty: true } });
    const before = decider.decide(newDevice, at, 'request');
    // Thirty days at a retailer where a third of honest contacts come from a new device.
    for (let day = 1; day <= 30; day += 1)
      for (let index = 0; index < 30; index += 1) {
        const honest = signals({ contact: { present: true, thirdParty: index % 3 === 0 } });
        const decided = decider.decide(honest, at + day * DAY_MS, 'request');
        decider.observe(at + day * DAY_MS, decided.observation, decided.score);
      }
    const after = decider.decide(newDevice, at + 31 * DAY_MS, 'request');
    const weight = (decision: typeof before) =>
      decision.trace.contributions.find((term) => term.family === 'origin')?.weight ?? 0;
    expect(weight(after)).toBeLessThan(weight(before) - 1);
    // And what none of them shows weighs more: none of these honest refunds was expensive.
    const value = (decision: typeof before) =>
      decision.trace.contributions.find((term) => term.family === 'value')?.weight ?? 0;
    expect(value(after)).toBeGreaterThan(value(before));
  });

  it('counts each family at the pack’s evidence scale (signs of one refund service come together)', () => {
    const scaled = new CompiledRulePack(
      rulePackSchema.parse({
        ...packInput,
        evidenceRates: { ...packInput.evidenceRates, evidenceScale: 0.5 },
      }),
    );
    const input = signals({ amountUsd: 900, contact: { present: true, thirdParty: true } });
    const full = new RefundDecider(rules).decide(input, at, 'request');
    const half = new RefundDecider(scaled).decide(input, at, 'request');
    const prior = Math.log(0.05 / 0.95);
    expect(half.trace.evidenceLogit - prior).toBeCloseTo((full.trace.evidenceLogit - prior) / 2, 6);
  });

  it('scores with a model on its own base rate: the window’s moving prior does not shift it', () => {
    const model = {
      version: 'm-test',
      rulePackVersion: 't1',
      labelsBefore: at,
      trainedAt: at,
      trainingMs: 1,
      features: featureNames(rules.pack.evidence),
      weights: featureNames(rules.pack.evidence).map(() => 0),
      intercept: -2,
      evidenceWeight: 0.5,
      priorFree: true as const,
      training: { refunds: 1, fraud: 1, logLoss: 0, brier: 0, auc: null },
      holdout: {
        from: at,
        model: { refunds: 1, fraud: 1, logLoss: 0, brier: 0, auc: null },
        live: { refunds: 1, fraud: 1, logLoss: 0, brier: 0, auc: null },
        liveVersion: 'evidence',
      },
      labels: { fraud: 1, honest: 1 },
    };
    expect(modelFitsPack(model, rules.pack.evidence)).toBe(true);
    expect(modelFitsPack({ ...model, priorFree: undefined }, rules.pack.evidence)).toBe(false);
    const input = signals({ amountUsd: 900, contact: { present: true, thirdParty: true } });
    const lowPrior = new RefundDecider(rules);
    lowPrior.model = new BoundModel(model, rules.pack.evidence);
    const decided = lowPrior.decide(input, at, 'request');
    const evidenceOnly = decided.trace.evidenceLogit - decided.trace.priorLogit;
    expect(decided.trace.logit).toBeCloseTo(-2 + 0.5 * evidenceOnly, 6);
    // A retailer whose window reads 30 % fraud: the evidence's score moves, the model's does not.
    const heavy = new CompiledRulePack(
      rulePackSchema.parse({ ...packInput, evidenceRates: { ...packInput.evidenceRates, fraudPrior: 0.3 } }),
    );
    const heavyDecider = new RefundDecider(heavy);
    heavyDecider.model = new BoundModel(model, heavy.pack.evidence);
    expect(heavyDecider.decide(input, at, 'request').trace.logit).toBeCloseTo(decided.trace.logit, 6);
    expect(new RefundDecider(heavy).decide(input, at, 'request').score).toBeGreaterThan(
      new RefundDecider(rules).decide(input, at, 'request').score,
    );
  });

  it('applies hard policies whatever the score, final-stage ones only with later evidence in view', () => {
    const decider = new RefundDecider(rules);
    const named = decider.decide(signals({ orderNamed: true }), at, 'request');
    expect(named.decision).toBe('deny');
    expect(named.score).toBe(0.97);
    expect(named.reasons[0]?.code).toBe('ORDER_IN_INTEL');
    expect(decider.decide(signals({ fake: true }), at, 'request').decision).toBe('approve');
    expect(decider.decide(signals({ fake: true }), at, 'final').decision).toBe('deny');
  });

  it('sends a refund to review, with the failure as a reason, when a condition fails at run time', () => {
    const withTypo = rulePackSchema.parse({
      ...packInput,
      evidence: [
        ...packInput.evidence,
        {
          family: 'broken',
          levels: [
            {
              id: 'typo',
              when: 'contact.missingField > 1',
              fraudShare: 0.1,
              honestShare: 0.01,
              reason: 'TYPO',
              text: 'x',
            },
          ],
        },
      ],
    });
    const decider = new RefundDecider(new CompiledRulePack(withTypo));
    const broken = decider.decide(
      { ...signals(), contact: { present: true, thirdParty: false, foreignAccounts: 0, missingField: 'x' } },
      at,
      'request',
    );
    expect(broken.decision).toBe('review');
    expect(broken.reasons.some((reason) => reason.code === 'RULE_FAILED')).toBe(true);
  });
});
