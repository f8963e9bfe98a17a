// A pack is refused when it loads, with the line of each problem: the schema, and conditions or
// reason texts that name a signal that does not exist (a misspelt signal would otherwise load and
// then send every refund to review).
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { FUZZ_SEED } from '../core/testing/event-arbitraries.ts';
import { DEFAULT_RULE_PACK_PATH, parseRulePack, RulePackError } from './rule-pack-file.ts';

const DEFAULT_YAML = readFileSync(DEFAULT_RULE_PACK_PATH, 'utf8');

function problemsOf(yaml: string): string {
  try {
    parseRulePack(yaml, 'pack.yaml');
  } catch (error) {
    expect(error).toBeInstanceOf(RulePackError);
    return (error as Error).message;
  }
  throw new Error('the pack loaded');
}

function lineOf(yaml: string, needle: string): number {
  return yaml.split('\n').findIndex((line) => line.includes(needle)) + 1;
}

describe('loading a rule pack', () => {
  it('loads the default pack, every signal it names known', () => {
    expect(parseRulePack(DEFAULT_YAML, 'default').pack.evidence.length).toBeGreaterThan(10);
  });

  it('refuses a condition naming a misspelt signal, and a reason text quoting one, each with its line', () => {
    const yaml = DEFAULT_YAML.replace('when: contact.thirdParty\n', 'when: contact.thirdPary\n').replace(
      'A {{refund.amountUsd}} USD refund of ordinary goods.',
      'A {{refund.amountUS}} USD refund of ordinary goods.',
    );
    const message = problemsOf(yaml);
    expect(message).toContain(`line ${lineOf(yaml, 'when: contact.thirdPary')} `);
    expect(message).toContain('no signal "contact.thirdPary"');
    expect(message).toContain(`line ${lineOf(yaml, '{{refund.amountUS}}')} `);
    expect(message).toContain('{{refund.amountUS}} names no signal');
  });

  it('does not take a quoted string or a method call for a signal', () => {
    const yaml = DEFAULT_YAML.replace(
      'when: contact.thirdParty\n',
      'when: contact.thirdParty && contact.language != "contact.nothing" && contact.tactics.exists(t, t == "x")\n',
    );
    expect(parseRulePack(yaml, 'pack.yaml').pack.version).toBeTruthy();
  });

  it('names the line of a schema error', () => {
    const yaml = DEFAULT_YAML.replace('denyPrecision: 0.95', 'denyPrecision: 1.5');
    expect(problemsOf(yaml)).toMatch(
      new RegExp(`line ${lineOf(yaml, 'denyPrecision: 1.5')} \\(policy\\.denyPrecision\\)`),
    );
  });
});

describe('rule packs under fuzzing', () => {
  const DEFAULT_PACK = parseYaml(DEFAULT_YAML) as unknown;

  /** Every path to a value in the default pack, to replace one of them. */
  function pathsOf(value: unknown, path: (string | number)[] = []): (string | number)[][] {
    if (typeof value !== 'object' || value === null) return [path];
    const entries = Array.isArray(value)
      ? value.map((item, index) => [index, item] as const)
      : Object.entries(value);
    return [path, ...entries.flatMap(([key, item]) => pathsOf(item, [...path, key]))];
  }
  const PATHS = pathsOf(DEFAULT_PACK).filter((path) => path.length > 0);

  function replaced(pack: unknown, path: (string | number)[], value: unknown): unknown {
    const copy = structuredClone(pack) as Record<string | number, unknown>;
    let node = copy;
    for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
    node[path[path.length - 1] as string | number] = value;
    return copy;
  }

  /** Loads or refuses with a RulePackError naming the origin; any other throw is a crash. */
  function loadsOrExplains(text: string): void {
    try {
      parseRulePack(text, 'fuzz.yaml');
    } catch (error) {
      expect(error, String(error)).toBeInstanceOf(RulePackError);
      expect((error as Error).message.startsWith('fuzz.yaml:')).toBe(true);
      expect((error as Error).message.length).toBeGreaterThan('fuzz.yaml:'.length + 5);
    }
  }

  it('refuses arbitrary YAML and JSON with a RulePackError, never a crash', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ maxLength: 200 }),
          fc.jsonValue({ maxDepth: 4 }).map((value) => JSON.stringify(value) ?? 'null'),
          fc.jsonValue({ maxDepth: 4 }).map((value) => stringifyYaml(value)),
        ),
        loadsOrExplains,
      ),
      { seed: FUZZ_SEED, numRuns: 300 },
    );
  });

  it('refuses the default pack with one value replaced by anything, naming where (fuzz)', () => {
    const value = fc.oneof(
      fc.jsonValue({ maxDepth: 2 }),
      fc.constantFrom('', 'refund.amountUsd >', 'contact.thirdPary', -1, 1e308, null, [], {}),
    );
    fc.assert(
      fc.property(fc.constantFrom(...PATHS), value, (path, replacement) => {
        const text = stringifyYaml(replaced(DEFAULT_PACK, path, replacement));
        try {
          parseRulePack(text, 'fuzz.yaml');
        } catch (error) {
          expect(error, `${path.join('.')}: ${String(error)}`).toBeInstanceOf(RulePackError);
          // A schema refusal names the line and the path of the field.
          const message = (error as Error).message;
          expect(message).toMatch(/line \d+|not valid YAML|fuzz\.yaml: /);
        }
      }),
      // Each load compiles a whole pack (~40 ms): few runs, to keep the property to a second or two.
      { seed: FUZZ_SEED, numRuns: 40 },
    );
  });
});
