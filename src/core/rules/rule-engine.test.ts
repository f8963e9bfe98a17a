import { describe, expect, it } from 'vitest';
import { CompiledRulePack, RuleCompilationError, renderText } from './rule-engine.ts';
import { type RulePackInput, rulePackSchema } from './rule-pack.ts';

function pack(rules: RulePackInput['rules']): CompiledRulePack {
  return new CompiledRulePack(
    rulePackSchema.parse({
      name: 'test',
      version: 't1',
      referenceRatesToUsd: { USD: 1 },
      hotGoods: {},
      bands: [
        { decision: 'approve', below: 0.35 },
        { decision: 'return_first', below: 0.55 },
        { decision: 'review', below: 0.8 },
        { decision: 'deny' },
      ],
      rules,
      signupBands: [{ decision: 'allow', below: 0.5 }, { decision: 'block' }],
    }),
  );
}

const signals = {
  account: { ageDays: 3 },
  order: {},
  refund: { amountUsd: 899, reason: 'empty_box' },
  contact: {},
  agent: {},
  intel: {},
  evidence: {},
};

describe('rule engine', () => {
  it('combines matching rules as a noisy OR and maps the score to a band', () => {
    const rules = pack([
      {
        id: 'young',
        when: 'account.ageDays < 7',
        score: 0.5,
        reason: 'YOUNG',
        text: '{{account.ageDays}} days old',
      },
      {
        id: 'big',
        when: 'refund.amountUsd > 500.0',
        score: 0.5,
        reason: 'BIG',
        text: '{{refund.amountUsd}} USD',
      },
      { id: 'never', when: 'refund.reason == "changed_mind"', score: 0.9, reason: 'NEVER', text: 'x' },
    ]);
    const outcome = rules.refunds.evaluate(signals, 'request');
    expect(outcome.score).toBeCloseTo(0.75);
    expect(outcome.decision).toBe('review');
    expect(outcome.reasons).toEqual([
      { code: 'YOUNG', text: '3 days old' },
      { code: 'BIG', text: '899 USD' },
    ]);
  });

  it('turns a rule that fails at run time into review with the failure as a reason, not an exception', () => {
    const rules = pack([
      { id: 'typo', when: 'refund.amountUsdd > 1.0', score: 0.1, reason: 'TYPO', text: 'x' },
    ]);
    const outcome = rules.refunds.evaluate(signals, 'request');
    expect(outcome.decision).toBe('review');
    expect(outcome.failedRules).toEqual(['typo']);
    expect(outcome.reasons[0]?.code).toBe('RULE_FAILED');
  });

  it('refuses a pack whose condition does not parse, naming the rule', () => {
    expect(() =>
      pack([{ id: 'broken', when: 'refund.amountUsd >>> 3', score: 0.1, reason: 'X', text: 'x' }]),
    ).toThrow(RuleCompilationError);
    expect(() =>
      pack([{ id: 'unknown-variable', when: 'process.exit == 1', score: 0.1, reason: 'X', text: 'x' }]),
    ).toThrow(/unknown-variable/);
  });

  it('runs final-stage rules only when later evidence is in view', () => {
    const rules = pack([{ id: 'ftid', stage: 'final', when: 'true', score: 0.9, reason: 'FTID', text: 'x' }]);
    expect(rules.refunds.evaluate(signals, 'request').decision).toBe('approve');
    expect(rules.refunds.evaluate(signals, 'final').decision).toBe('deny');
  });

  it('renders signal values into reason texts', () => {
    expect(renderText('{{a.b}} and {{a.list}}', { a: { b: 2.25, list: ['x', 'y'] } })).toBe('2.3 and x, y');
  });
});
