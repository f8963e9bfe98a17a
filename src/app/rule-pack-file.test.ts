// A pack is refused when it loads, with the line of each problem: the schema, and conditions or
// reason texts that name a signal that does not exist (a misspelt signal would otherwise load and
// then send every refund to review).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
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
