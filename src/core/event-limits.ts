// Bounds on what one event may carry, checked before the contract's schemas: every string of an
// event is stored, indexed and read by detectors, and unknown fields inside `data` are kept as
// they are. Without bounds, one event nesting a field 10,000 levels deep overflowed the stack of
// JSON.stringify when stored, a NUL failed PostgreSQL's text type, and an id past 2,704 bytes its
// btree index: each failed its whole batch. These limits make any event the contract accepts
// storable and applicable on every store, so a bad one is refused on its own, naming the field.
import type { FieldProblem } from './event-vocabulary.ts';

export const EVENT_LIMITS = {
  /** Levels of objects and arrays, `data` itself the first. */
  depth: 32,
  /** The whole event, in characters of its strings and keys (numbers count 8): about its JSON size. */
  eventChars: 4 * 1024 * 1024,
  /** UTF-8 bytes of the event id and of every id field in `data` (`…Id`, `sku`). */
  idBytes: 256,
  /** Characters of a free text: `intel.post` text, a contact message's text, a label's note. */
  textChars: 64 * 1024,
  /** Characters of all the free texts of one event together (each is read by the text detectors). */
  textTotalChars: 256 * 1024,
  /** Characters of an inline image (`intel.post` images[].base64). */
  base64Chars: 3 * 1024 * 1024,
  /** Characters of any other string the contract names (email, name, url, ip, userAgent…). */
  stringChars: 4 * 1024,
  /** Keys and array items inside unknown fields of `data`, all counted together. */
  unknownFields: 1_000,
  /** Characters of the unknown fields of `data` (keys and strings), all counted together. */
  unknownChars: 64 * 1024,
} as const;

/**
 * What the contract says about a field: its kind of string, or the fields of an object, or the
 * items of an array. Derived from the zod schemas by events.ts.
 */
export type FieldShape = StringKind | ObjectShape | ArrayShape;
export type StringKind = 'id' | 'text' | 'base64' | 'string';
export interface ObjectShape {
  fields: Record<string, FieldShape>;
}
export interface ArrayShape {
  items: FieldShape;
}

/** The kind of string a contract field holds, by its name. */
export function stringKindOf(key: string): StringKind {
  if (key.endsWith('Id') || key === 'sku') return 'id';
  if (key === 'text' || key === 'note') return 'text';
  if (key === 'base64') return 'base64';
  return 'string';
}

/** Keys refused anywhere in a body: assigned to an object, they replace its prototype. */
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

export function forbiddenKeyReason(key: string): string {
  return `is a refused key: "${key}" can rewrite an object's prototype (prototype poisoning)`;
}

export const NUL_REASON = 'contains a NUL character (\\u0000), which no store keeps';
export const LONE_SURROGATE_REASON = 'is not well-formed Unicode (a lone surrogate)';

const STRING_LIMITS: Record<StringKind, number> = {
  id: EVENT_LIMITS.stringChars,
  text: EVENT_LIMITS.textChars,
  base64: EVENT_LIMITS.base64Chars,
  string: EVENT_LIMITS.stringChars,
};

interface Tally {
  chars: number;
  textChars: number;
  unknownFields: number;
  unknownChars: number;
  path: (string | number)[];
  problem: FieldProblem | undefined;
}

function fail(tally: Tally, reason: string): false {
  tally.problem = { field: tally.path.map(String).join('.') || '(root)', reason };
  return false;
}

/** UTF-8 length, counted only when it could pass the limit. */
function utf8Bytes(text: string): number {
  let bytes = 0;
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code <= 0xdbff) {
      bytes += 4;
      index += 1;
    } else bytes += 3;
  }
  return bytes;
}

function isWellFormed(text: string): boolean {
  return (text as string & { isWellFormed(): boolean }).isWellFormed();
}

/** A problem with one string, or undefined (NUL, lone surrogates, its kind's length). */
export function stringProblem(
  text: string,
  kind: StringKind,
  maxChars: number = STRING_LIMITS[kind],
): string | undefined {
  // Length first: an 8 MB string is refused without being read.
  if (text.length > maxChars) return `is longer than ${maxChars} characters`;
  if (text.indexOf('\u0000') !== -1) return NUL_REASON;
  if (!isWellFormed(text)) return LONE_SURROGATE_REASON;
  if (kind === 'id' && text.length * 3 > EVENT_LIMITS.idBytes && utf8Bytes(text) > EVENT_LIMITS.idBytes)
    return `is longer than ${EVENT_LIMITS.idBytes} bytes (UTF-8)`;
  return undefined;
}

function checkString(text: string, kind: StringKind, unknown: boolean, tally: Tally): boolean {
  // An unknown field's strings are bounded by the unknown fields' size in all, checked as they count.
  const problem = unknown
    ? stringProblem(text, 'string', EVENT_LIMITS.unknownChars)
    : stringProblem(text, kind);
  // Past its length, an unknown string is refused by the count below, as making them too large.
  if (problem !== undefined && !(unknown && problem.startsWith('is longer'))) return fail(tally, problem);
  if (kind === 'text' && !unknown) {
    tally.textChars += text.length;
    if (tally.textChars > EVENT_LIMITS.textTotalChars)
      return fail(
        tally,
        `makes the event's free texts longer than ${EVENT_LIMITS.textTotalChars} characters in all`,
      );
  }
  return count(text.length, unknown, tally);
}

function count(chars: number, unknown: boolean, tally: Tally): boolean {
  tally.chars += chars;
  if (tally.chars > EVENT_LIMITS.eventChars)
    return fail(tally, `makes the event larger than ${EVENT_LIMITS.eventChars} characters`);
  if (!unknown) return true;
  tally.unknownChars += chars;
  if (tally.unknownChars > EVENT_LIMITS.unknownChars)
    return fail(
      tally,
      `makes the unknown fields of data larger than ${EVENT_LIMITS.unknownChars} characters in all`,
    );
  return true;
}

/** One more key or item inside unknown fields. */
function countUnknownField(tally: Tally): boolean {
  tally.unknownFields += 1;
  if (tally.unknownFields > EVENT_LIMITS.unknownFields)
    return fail(tally, `makes more than ${EVENT_LIMITS.unknownFields} unknown fields and items in data`);
  return true;
}

/**
 * Walks a value against its shape. Recursion is safe: it stops one level past the depth limit.
 * `shape` undefined: an unknown field (or a known one given the wrong type, which its schema
 * then names), counted against the unknown fields' limits.
 */
function walk(value: unknown, shape: FieldShape | undefined, depth: number, tally: Tally): boolean {
  const unknown = shape === undefined;
  if (typeof value === 'string')
    return checkString(value, typeof shape === 'string' ? shape : 'string', unknown, tally);
  if (typeof value !== 'object' || value === null) return count(8, unknown, tally);
  if (depth > EVENT_LIMITS.depth) return fail(tally, `nests deeper than ${EVENT_LIMITS.depth} levels`);
  const { path } = tally;
  if (Array.isArray(value)) {
    const items = typeof shape === 'object' && 'items' in shape ? shape.items : undefined;
    for (let index = 0; index < value.length; index += 1) {
      path.push(index);
      if (items === undefined && !countUnknownField(tally)) return false;
      if (!walk(value[index], items, depth + 1, tally)) return false;
      path.pop();
    }
    return true;
  }
  const fields = typeof shape === 'object' && 'fields' in shape ? shape.fields : undefined;
  for (const key in value) {
    path.push(key);
    if (FORBIDDEN_KEYS.has(key)) return fail(tally, forbiddenKeyReason(key));
    const field = fields !== undefined && Object.hasOwn(fields, key) ? fields[key] : undefined;
    if (field === undefined) {
      if (!countUnknownField(tally)) return false;
      if (key.indexOf('\u0000') !== -1) return fail(tally, `(the key) ${NUL_REASON}`);
      if (!isWellFormed(key)) return fail(tally, `(the key) ${LONE_SURROGATE_REASON}`);
      if (!count(key.length, true, tally)) return false;
    }
    if (!walk((value as Record<string, unknown>)[key], field, depth + 1, tally)) return false;
    path.pop();
  }
  return true;
}

/**
 * The first bound an event's envelope or `data` passes, as a problem naming the field, or
 * undefined. Anything that is not an object with string id, type and time is left to the
 * envelope's schema to name.
 */
export function eventLimitProblem(
  input: unknown,
  dataShape: ObjectShape | undefined,
): FieldProblem | undefined {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return undefined;
  for (const key in input)
    if (FORBIDDEN_KEYS.has(key)) return { field: key, reason: forbiddenKeyReason(key) };
  const { id, type, time, data } = input as Record<string, unknown>;
  const tally: Tally = {
    chars: 0,
    textChars: 0,
    unknownFields: 0,
    unknownChars: 0,
    path: [],
    problem: undefined,
  };
  for (const [name, value, kind] of [
    ['id', id, 'id'],
    ['type', type, 'string'],
    ['time', time, 'string'],
  ] as const) {
    if (typeof value !== 'string') continue;
    const problem = stringProblem(value, kind);
    if (problem !== undefined) return { field: name, reason: problem };
    tally.chars += value.length;
  }
  if (typeof data !== 'object' || data === null) return undefined;
  return payloadLimitProblem(data, dataShape, 'data', tally);
}

/** The first bound a payload passes (the `data` of an event, or an API assessment's body). */
export function payloadLimitProblem(
  data: object,
  shape: ObjectShape | undefined,
  prefix: string,
  tally: Tally = { chars: 0, textChars: 0, unknownFields: 0, unknownChars: 0, path: [], problem: undefined },
): FieldProblem | undefined {
  if (prefix !== '') tally.path.push(prefix);
  // Without a shape (a type the contract lacks, refused by its schema) every field counts as unknown.
  walk(data, shape ?? { fields: {} }, 1, tally);
  return tally.problem;
}
