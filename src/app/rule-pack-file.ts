// Loads a rule pack from its YAML file, validates it and compiles its conditions.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { CompiledRulePack } from '../core/rules/rule-engine.ts';
import { rulePackSchema } from '../core/rules/rule-pack.ts';

export const DEFAULT_RULE_PACK_PATH = fileURLToPath(new URL('../../rules/default.yaml', import.meta.url));

export class RulePackError extends Error {}

export function parseRulePack(text: string, origin: string): CompiledRulePack {
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (error) {
    throw new RulePackError(`${origin}: not valid YAML: ${(error as Error).message}`);
  }
  const parsed = rulePackSchema.safeParse(raw);
  if (!parsed.success) throw new RulePackError(`${origin}: ${z.prettifyError(parsed.error)}`);
  try {
    return new CompiledRulePack(parsed.data);
  } catch (error) {
    throw new RulePackError(`${origin}: ${(error as Error).message}`);
  }
}

export function loadRulePack(
  path: string = process.env.REFUNDGUARD_RULES ?? DEFAULT_RULE_PACK_PATH,
): CompiledRulePack {
  return parseRulePack(readFileSync(path, 'utf8'), path);
}
