import { describe, expect, it } from 'vitest';
import { CompiledRulePack, RuleCompilationError, renderText } from './rule-engine.ts';
import { type RulePackInput, rulePackSchema } from './rule-pack.ts';

function pack(signupRules: RulePackInput['signupRules'], when = 'refund.amountUsd > 1.0'): CompiledRulePack {
  return new CompiledRulePack(
    rulePackSchema.parse({
      name: 'test',
      version: 't1',
      referenceRatesToUsd: { USD: 1 },
      hotGoods: {},
      evidence: [
        {
          family: 'value',
          levels: [{ id: 'big', when, fraudShare: 0.5, honestShare: 0.1, reason: 'BIG', text: 'x' }],
        },
      ],
      signupBands: [
        { decision: 'allow', below: 0.5 },
        { decision: 'review', below: 0.8 },
        { decision: 'block' },
      ],
      signupRules,
    }),
  );
}

const signals = { signup: { emailMatch: true, deviceMatch: true, phoneMatch: false } };

describe('rule engine (sign-up rules)', () => {
  it('combines matching sign-up rules as a noisy OR and maps the score to a band', () => {
    const rules = pack([
      { id: 'email', when: 'signup.emailMatch', score: 0.5, reason: 'EMAIL', text: 'e-mail' },
      { id: 'device', when: 'signup.deviceMatch', score: 0.5, reason: 'DEVICE', text: 'device' },
      { id: 'phone', when: 'signup.phoneMatch', score: 0.9, reason: 'PHONE', text: 'phone' },
    ]);
    const outcome = rules.signups.evaluate(signals);
    expect(outcome.score).toBeCloseTo(0.75);
    expect(outcome.decision).toBe('review');
    expect(outcome.reasons.map((reason) => reason.code)).toEqual(['EMAIL', 'DEVICE']);
  });

  it('turns a rule that fails at run time into review with the failure as a reason, not an exception', () => {
    const rules = pack([{ id: 'typo', when: 'signup.emailMatchh', score: 0.1, reason: 'TYPO', text: 'x' }]);
    const outcome = rules.signups.evaluate(signals);
    expect(outcome.decision).toBe('review');
    expect(outcome.failedRules).toEqual(['typo']);
    expect(outcome.reasons[0]?.code).toBe('RULE_FAILED');
  });

  it('refuses a pack whose condition does not parse, naming the rule or evidence level', () => {
    expect(() =>
      pack([{ id: 'broken', when: 'signup.emailMatch >>> 3', score: 0.1, reason: 'X', text: 'x' }]),
    ).toThrow(RuleCompilationError);
    expect(() => pack([], 'process.exit == 1')).toThrow(/value\/big/);
  });

  it('renders signal values into reason texts', () => {
    expect(renderText('{{a.b}} and {{a.list}}', { a: { b: 2.25, list: ['x', 'y'] } })).toBe('2.3 and x, y');
  });
});
