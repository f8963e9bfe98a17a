// Loads a rule pack from its YAML file, validates it and compiles its conditions. Every problem
// is reported with the line it is on: schema errors, conditions or reason texts that name a
// signal that does not exist, conditions that do not compile.
import { readFileSync } from 'node:fs';
import { type Document, LineCounter, parseDocument } from 'yaml';
import { projectPath } from './project-root.ts';
import { CompiledRulePack } from '../core/rules/rule-engine.ts';
import { type RulePack, rulePackSchema } from '../core/rules/rule-pack.ts';
import {
  refundSignalCatalogue,
  type SignalCatalogue,
  signupSignalCatalogue,
  unknownSignalsInCondition,
  unknownSignalsInText,
} from '../core/rules/signal-catalogue.ts';

export const DEFAULT_RULE_PACK_PATH = projectPath('rules', 'default.yaml');

export class RulePackError extends Error {}

type Path = readonly (string | number)[];

/** `line N` of the node at `path` (or of its nearest parent that has a place). */
function lineOf(document: Document, lines: LineCounter, path: Path): string {
  for (let length = path.length; length >= 0; length -= 1) {
    const node = document.getIn(path.slice(0, length), true) as
      | { range?: [number, number, number] }
      | undefined;
    if (node?.range) return `line ${lines.linePos(node.range[0]).line}`;
  }
  return 'line ?';
}

interface Checked {
  path: Path;
  when?: string;
  texts: { path: Path; text: string }[];
  catalogue: SignalCatalogue;
}

function checkedParts(pack: RulePack): Checked[] {
  const refunds = refundSignalCatalogue(pack);
  const signups = signupSignalCatalogue();
  const parts: Checked[] = [];
  pack.evidence.forEach((family, familyIndex) => {
    const at: Path = ['evidence', familyIndex];
    if (family.among)
      parts.push({ path: [...at, 'among'], when: family.among, texts: [], catalogue: refunds });
    family.levels.forEach((level, levelIndex) => {
      const levelAt: Path = [...at, 'levels', levelIndex];
      parts.push({
        path: [...levelAt, 'when'],
        when: level.when,
        texts: [{ path: [...levelAt, 'text'], text: level.text }],
        catalogue: refunds,
      });
    });
    if (family.none)
      parts.push({
        path: [...at, 'none'],
        texts: [{ path: [...at, 'none', 'text'], text: family.none.text }],
        catalogue: refunds,
      });
  });
  pack.policies.forEach((policy, index) => {
    parts.push({
      path: ['policies', index, 'when'],
      when: policy.when,
      texts: [{ path: ['policies', index, 'text'], text: policy.text }],
      catalogue: refunds,
    });
  });
  pack.signupRules.forEach((rule, index) => {
    parts.push({
      path: ['signupRules', index, 'when'],
      when: rule.when,
      texts: [{ path: ['signupRules', index, 'text'], text: rule.text }],
      catalogue: signups,
    });
  });
  return parts;
}

function signalProblems(pack: RulePack, document: Document, lines: LineCounter): string[] {
  const problems: string[] = [];
  for (const part of checkedParts(pack)) {
    if (part.when)
      for (const path of unknownSignalsInCondition(part.when, part.catalogue))
        problems.push(`${lineOf(document, lines, part.path)} (${part.path.join('.')}): no signal "${path}"`);
    for (const text of part.texts)
      for (const path of unknownSignalsInText(text.text, part.catalogue))
        problems.push(
          `${lineOf(document, lines, text.path)} (${text.path.join('.')}): {{${path}}} names no signal`,
        );
  }
  return problems;
}

export function parseRulePack(text: string, origin: string): CompiledRulePack {
  const lines = new LineCounter();
  const document = parseDocument(text, { lineCounter: lines });
  if (document.errors.length > 0)
    throw new RulePackError(
      `${origin}: not valid YAML: ${document.errors.map((error) => error.message).join('; ')}`,
    );
  const parsed = rulePackSchema.safeParse(document.toJS());
  if (!parsed.success)
    throw new RulePackError(
      `${origin}:\n${parsed.error.issues
        .map(
          (issue) =>
            `  ${lineOf(document, lines, issue.path as Path)} (${issue.path.join('.') || 'pack'}): ${issue.message}`,
        )
        .join('\n')}`,
    );
  const problems = signalProblems(parsed.data, document, lines);
  if (problems.length > 0)
    throw new RulePackError(`${origin}:\n${problems.map((problem) => `  ${problem}`).join('\n')}`);
  try {
    return new CompiledRulePack(parsed.data);
  } catch (error) {
    throw new RulePackError(`${origin}: ${(error as Error).message}`);
  }
}

export function loadRulePack(path: string = DEFAULT_RULE_PACK_PATH): CompiledRulePack {
  return parseRulePack(readFileSync(path, 'utf8'), path);
}
