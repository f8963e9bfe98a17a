// The signals a pack may name, read off the signals' schemas (`refundSignalsSchema`,
// `signupSignalsSchema`: every field the builders fill, always present), so that a condition or a
// reason text naming a signal that does not exist is refused when the pack loads, not discovered
// as a run-time failure that sends every refund to review.
import type { z } from 'zod';
import { refundSignalsSchema } from '../refund-signal-schema.ts';
import { signupSignalsSchema } from '../signup-signals.ts';
import type { RulePack } from './rule-pack.ts';

/** What a leaf signal holds: CEL compares numbers with numbers, calls `.exists()` on lists, and so on. */
export type SignalType = 'boolean' | 'number' | 'string' | 'list';

export interface SignalCatalogue {
  /** Every leaf path (`contact.thirdParty`) and every object path (`contact`). */
  readonly paths: ReadonlySet<string>;
  readonly namespaces: readonly string[];
  /** Each leaf path's type (`contact.tactics` → `list`); object paths are not in it. */
  readonly types: ReadonlyMap<string, SignalType>;
}

/** The leaf type of a schema, looking through optional / nullable / default wrappers. */
function leafType(schema: z.core.$ZodType): SignalType | 'object' | undefined {
  const def = schema._zod.def;
  switch (def.type) {
    case 'boolean':
      return 'boolean';
    case 'number':
    case 'int':
      return 'number';
    case 'string':
    case 'enum':
      return 'string';
    case 'array':
      return 'list';
    case 'object':
      return 'object';
    case 'optional':
    case 'nullable':
    case 'default':
    case 'readonly':
      return leafType((def as unknown as { innerType: z.core.$ZodType }).innerType);
    default:
      return undefined;
  }
}

function unwrapObject(schema: z.core.$ZodType): z.core.$ZodObject | undefined {
  const def = schema._zod.def;
  if (def.type === 'object') return schema as z.core.$ZodObject;
  if (def.type === 'optional' || def.type === 'nullable' || def.type === 'default' || def.type === 'readonly')
    return unwrapObject((def as unknown as { innerType: z.core.$ZodType }).innerType);
  return undefined;
}

function walk(
  schema: z.core.$ZodType,
  prefix: string,
  paths: Set<string>,
  types: Map<string, SignalType>,
): void {
  if (prefix) paths.add(prefix);
  const object = unwrapObject(schema);
  if (!object) {
    const type = leafType(schema);
    if (!type || type === 'object')
      throw new Error(`signal ${prefix}: unsupported schema ${schema._zod.def.type}`);
    types.set(prefix, type);
    return;
  }
  for (const [key, child] of Object.entries(object._zod.def.shape))
    walk(child, prefix ? `${prefix}.${key}` : key, paths, types);
}

function catalogueOf(schema: z.core.$ZodObject): SignalCatalogue {
  const paths = new Set<string>();
  const types = new Map<string, SignalType>();
  walk(schema, '', paths, types);
  return { paths, namespaces: Object.keys(schema._zod.def.shape), types };
}

let refundCatalogue: SignalCatalogue | undefined;
let signupCatalogue: SignalCatalogue | undefined;

/** The refund signals' catalogue; the same for every pack (the parameter is kept for callers). */
export function refundSignalCatalogue(_pack?: RulePack): SignalCatalogue {
  refundCatalogue ??= catalogueOf(refundSignalsSchema);
  return refundCatalogue;
}

export function signupSignalCatalogue(): SignalCatalogue {
  signupCatalogue ??= catalogueOf(signupSignalsSchema);
  return signupCatalogue;
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
