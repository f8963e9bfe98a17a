// Compiles a rule pack's CEL conditions once and evaluates them over signals.
// A rule that fails to evaluate never crashes a decision: it forces at least `review`, with the failure as a reason.
import { Environment } from '@marcbachmann/cel-js';
import { DECISIONS, type Reason, SIGNUP_DECISIONS } from '../decisions.ts';
import type { Rule, RulePack } from './rule-pack.ts';

export type Stage = 'request' | 'final';

interface CompiledRule {
  rule: Rule;
  condition: (context: Record<string, unknown>) => unknown;
}

export interface RuleOutcome<D extends string> {
  decision: D;
  score: number;
  reasons: Reason[];
  /** Ids of the rules that matched, for back-testing and explanations. */
  matchedRules: string[];
  failedRules: string[];
}

export class RuleCompilationError extends Error {
  constructor(readonly problems: { ruleId: string; message: string }[]) {
    super(
      `rule pack does not compile: ${problems.map((problem) => `${problem.ruleId}: ${problem.message}`).join('; ')}`,
    );
  }
}

function environmentFor(variables: readonly string[]): Environment {
  const environment = new Environment({
    unlistedVariablesAreDyn: false,
    homogeneousAggregateLiterals: false,
  });
  for (const variable of variables) environment.registerVariable(variable, 'map');
  return environment;
}

function compile(rules: Rule[], variables: readonly string[]): CompiledRule[] {
  const environment = environmentFor(variables);
  const problems: { ruleId: string; message: string }[] = [];
  const compiled: CompiledRule[] = [];
  for (const rule of rules) {
    if (!rule.enabled) continue;
    try {
      const checked = environment.check(rule.when);
      if (!checked.valid) throw checked.error;
      const parsed = environment.parse(rule.when);
      compiled.push({ rule, condition: (context) => parsed(context) });
    } catch (error) {
      problems.push({ ruleId: rule.id, message: firstLine(error) });
    }
  }
  if (problems.length > 0) throw new RuleCompilationError(problems);
  return compiled;
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? 'unknown error';
}

function lookup(context: Record<string, unknown>, path: string): unknown {
  let value: unknown = context;
  for (const part of path.split('.')) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

function formatValue(value: unknown): string {
  if (typeof value === 'number')
    return Number.isInteger(value) ? String(value) : value.toFixed(value < 10 ? 1 : 0);
  if (Array.isArray(value)) return value.join(', ');
  return String(value);
}

export function renderText(template: string, context: Record<string, unknown>): string {
  return template.replace(/\{\{\s*([a-zA-Z0-9_.]+)\s*\}\}/g, (_, path: string) =>
    formatValue(lookup(context, path)),
  );
}

class RuleSet<D extends string> {
  private readonly compiled: CompiledRule[];

  constructor(
    rules: Rule[],
    private readonly bands: { decision: D; below?: number | undefined }[],
    variables: readonly string[],
    /** The decision a failing rule forces, at least. */
    private readonly failureDecision: D,
    /** Decisions from least to most severe, whatever bands a pack uses. */
    private readonly severity: readonly D[],
  ) {
    this.compiled = compile(rules, variables);
  }

  evaluate(context: Record<string, unknown>, stage: Stage): RuleOutcome<D> {
    let miss = 1;
    const reasons: Reason[] = [];
    const matchedRules: string[] = [];
    const failedRules: string[] = [];
    for (const { rule, condition } of this.compiled) {
      if (rule.stage !== 'both' && rule.stage !== stage) continue;
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

/** Both rule sets of a pack, compiled. Throws RuleCompilationError listing every rule that does not parse. */
export class CompiledRulePack {
  readonly refunds: RuleSet<RulePack['bands'][number]['decision']>;
  readonly signups: RuleSet<RulePack['signupBands'][number]['decision']>;

  constructor(readonly pack: RulePack) {
    this.refunds = new RuleSet(
      pack.rules,
      pack.bands,
      ['account', 'order', 'refund', 'contact', 'session', 'ring', 'agent', 'intel', 'evidence'],
      'review',
      DECISIONS,
    );
    this.signups = new RuleSet(pack.signupRules, pack.signupBands, ['signup'], 'review', SIGNUP_DECISIONS);
  }
}
