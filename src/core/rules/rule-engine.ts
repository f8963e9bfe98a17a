// Compiles a rule pack once: the refund evidence families and hard policies, and the sign-up rules
// (CEL conditions with score contributions combined as a noisy OR, mapped to bands).
// A rule that fails to evaluate never crashes a decision: it forces at least `review`, with the failure as a reason.
import { type Reason, SIGNUP_DECISIONS } from '../decisions.ts';
import { CompiledEvidence } from '../evidence/compiled-evidence.ts';
import { type CompiledCondition, compileConditions, firstLine, renderText } from './conditions.ts';
import type { Rule, RulePack } from './rule-pack.ts';

export { RuleCompilationError, renderText } from './conditions.ts';

/** The namespaces of a refund's signals, the variables its conditions may name. */
export const REFUND_SIGNAL_NAMESPACES = [
  'account',
  'order',
  'refund',
  'contact',
  'session',
  'ring',
  'agent',
  'intel',
  'evidence',
] as const;

export interface RuleOutcome<D extends string> {
  decision: D;
  score: number;
  reasons: Reason[];
  /** Ids of the rules that matched, for back-testing and explanations. */
  matchedRules: string[];
  failedRules: string[];
}

class RuleSet<D extends string> {
  private readonly compiled: { rule: Rule; condition: CompiledCondition }[];

  constructor(
    rules: Rule[],
    private readonly bands: { decision: D; below?: number | undefined }[],
    variables: readonly string[],
    /** The decision a failing rule forces, at least. */
    private readonly failureDecision: D,
    /** Decisions from least to most severe, whatever bands a pack uses. */
    private readonly severity: readonly D[],
  ) {
    const enabled = rules.filter((rule) => rule.enabled);
    const conditions = compileConditions(
      enabled.map((rule) => ({ id: rule.id, when: rule.when })),
      variables,
    );
    this.compiled = enabled.map((rule, index) => ({
      rule,
      condition: conditions[index] as CompiledCondition,
    }));
  }

  evaluate(context: Record<string, unknown>): RuleOutcome<D> {
    let miss = 1;
    const reasons: Reason[] = [];
    const matchedRules: string[] = [];
    const failedRules: string[] = [];
    for (const { rule, condition } of this.compiled) {
      let result: unknown;
      try {
        result = condition(context);
      } catch (error) {
        failedRules.push(rule.id);
        reasons.push({
          code: 'RULE_FAILED',
          text: `Rule ${rule.id} could not be evaluated: ${firstLine(error)}`,
        });
        continue;
      }
      if (result !== true) continue;
      miss *= 1 - rule.score;
      matchedRules.push(rule.id);
      reasons.push({ code: rule.reason, text: renderText(rule.text, context) });
    }
    const score = Math.round((1 - miss) * 10_000) / 10_000;
    let decision = this.decisionFor(score);
    if (failedRules.length > 0 && this.rank(decision) < this.rank(this.failureDecision))
      decision = this.failureDecision;
    return { decision, score, reasons, matchedRules, failedRules };
  }

  private decisionFor(score: number): D {
    for (const band of this.bands) if (band.below === undefined || score < band.below) return band.decision;
    return (this.bands.at(-1) as { decision: D }).decision;
  }

  private rank(decision: D): number {
    return this.severity.indexOf(decision);
  }
}

/** A pack, compiled. Throws RuleCompilationError listing every condition that does not parse. */
export class CompiledRulePack {
  readonly evidence: CompiledEvidence;
  readonly signups: RuleSet<RulePack['signupBands'][number]['decision']>;

  constructor(readonly pack: RulePack) {
    this.evidence = new CompiledEvidence(pack.evidence, pack.policies, REFUND_SIGNAL_NAMESPACES);
    this.signups = new RuleSet(pack.signupRules, pack.signupBands, ['signup'], 'review', SIGNUP_DECISIONS);
  }
}
