// CEL conditions over named signals, compiled once, and the `{{path}}` texts that quote them.
// Nothing in a pack is ever eval'd as JavaScript.
import { Environment } from '@marcbachmann/cel-js';

export type CompiledCondition = (context: Record<string, unknown>) => unknown;

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

/** Compiles every condition; throws RuleCompilationError listing each one that does not. */
export function compileConditions(
  conditions: readonly { id: string; when: string }[],
  variables: readonly string[],
): CompiledCondition[] {
  const environment = environmentFor(variables);
  const problems: { ruleId: string; message: string }[] = [];
  const compiled: CompiledCondition[] = [];
  for (const { id, when } of conditions) {
    try {
      const checked = environment.check(when);
      if (!checked.valid) throw checked.error;
      const parsed = environment.parse(when);
      compiled.push((context) => parsed(context));
    } catch (error) {
      problems.push({ ruleId: id, message: firstLine(error) });
    }
  }
  if (problems.length > 0) throw new RuleCompilationError(problems);
  return compiled;
}

export function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? 'unknown error';
}

export function lookup(context: Record<string, unknown>, path: string): unknown {
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
