// The signals a pack may name, read off the signal builders themselves (every field of a refund's
// and a sign-up's signals is always present), so that a condition or a reason text naming a
// signal that does not exist is refused when the pack loads, not discovered as a run-time
// failure that sends every refund to review.
import { refundSignals } from '../refund-signals.ts';
import { RiskState } from '../risk-state.ts';
import { signupSignals } from '../signup-signals.ts';
import type { RulePack } from './rule-pack.ts';

export interface SignalCatalogue {
  /** Every leaf path (`contact.thirdParty`) and every object path (`contact`). */
  readonly paths: ReadonlySet<string>;
  readonly namespaces: readonly string[];
}

function collect(value: unknown, prefix: string, into: Set<string>): void {
  if (prefix) into.add(prefix);
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return;
  for (const [key, child] of Object.entries(value)) collect(child, prefix ? `${prefix}.${key}` : key, into);
}

export function refundSignalCatalogue(pack: RulePack): SignalCatalogue {
  const state = new RiskState(pack);
  const sample = refundSignals(
    state,
    {
      refundId: 'catalogue',
      orderId: 'catalogue',
      accountId: 'catalogue',
      amountMinor: 0,
      currency: 'USD',
      reason: 'not_received',
      channel: 'chat',
    },
    {
      at: 0,
      evidenceAsOf: 0,
      marketplaceLanguages: pack.marketplaceLanguages,
      commonValueAccountLimit: pack.commonValueAccountLimit,
    },
  );
  const paths = new Set<string>();
  collect(sample, '', paths);
  return { paths, namespaces: Object.keys(sample) };
}

export function signupSignalCatalogue(): SignalCatalogue {
  const sample = signupSignals([]);
  const paths = new Set<string>();
  collect(sample, '', paths);
  return { paths, namespaces: Object.keys(sample) };
}

/** Signal paths a CEL condition names that the catalogue does not have (`contact.thirdPary`). */
export function unknownSignalsInCondition(condition: string, catalogue: SignalCatalogue): string[] {
  // String literals are not signal names ("contact.x" inside quotes).
  const code = condition.replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'/g, '""');
  const unknown = new Set<string>();
  const pattern = /(?<![\w.])([a-zA-Z_]\w*)((?:\.[a-zA-Z_]\w*)+)/g;
  for (const match of code.matchAll(pattern)) {
    const [, head, rest] = match;
    if (!head || !rest || !catalogue.namespaces.includes(head)) continue;
    // A call such as `contact.tactics.exists(...)` or `x.size()`: the path stops before it.
    const after = code.slice((match.index ?? 0) + match[0].length);
    const parts = `${head}${rest}`.split('.');
    if (after.startsWith('(')) parts.pop();
    const path = parts.join('.');
    if (!catalogue.paths.has(path)) unknown.add(path);
  }
  return [...unknown];
}

/** `{{path}}` placeholders of a reason text that name no signal. */
export function unknownSignalsInText(text: string, catalogue: SignalCatalogue): string[] {
  const unknown: string[] = [];
  for (const match of text.matchAll(/\{\{\s*([a-zA-Z0-9_.]+)\s*\}\}/g))
    if (match[1] && !catalogue.paths.has(match[1])) unknown.push(match[1]);
  return unknown;
}
