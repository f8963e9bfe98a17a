// What the edge refuses before any route sees it, each refusal a 400 naming the field: bodies that
// are not UTF-8 (they were silently replaced), `__proto__` / `constructor` / `prototype` keys
// (Fastify refused them as "not valid JSON", without saying why), NUL characters and lone
// surrogates in any string, key or query / path parameter (PostgreSQL's text type refuses NUL: a
// 500), and bodies nested past a bound. POST /v1/events checks its events one by one instead
// (core/event-limits.ts), so that one bad event is refused and the rest go in.
import { isUtf8 } from 'node:buffer';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import {
  FORBIDDEN_KEYS,
  forbiddenKeyReason,
  LONE_SURROGATE_REASON,
  NUL_REASON,
} from '../../core/event-limits.ts';
import type { FieldProblem } from '../../core/events.ts';
import { validationProblem } from './problems.ts';

/** Levels of objects and arrays a body other than events may nest (none of ours needs more than a few). */
export const BODY_DEPTH_LIMIT = 64;

export const NOT_UTF8_REASON = 'the body is not valid UTF-8';

function isWellFormed(text: string): boolean {
  return (text as string & { isWellFormed(): boolean }).isWellFormed();
}

function stringReason(text: string): string | undefined {
  if (text.indexOf('\u0000') !== -1) return NUL_REASON;
  if (!isWellFormed(text)) return LONE_SURROGATE_REASON;
  return undefined;
}

/**
 * The first refused key, string or nesting in a parsed body, as a problem naming its path.
 * Walked with a stack of its own: a body nested 100,000 deep must not overflow this walk either.
 */
export function bodyProblem(body: unknown): FieldProblem | undefined {
  const stack: { value: unknown; path: string[] }[] = [{ value: body, path: [] }];
  const named = (path: string[]) => path.join('.') || '(root)';
  while (stack.length > 0) {
    const { value, path } = stack.pop() as { value: unknown; path: string[] };
    if (typeof value === 'string') {
      const reason = stringReason(value);
      if (reason !== undefined) return { field: named(path), reason };
      continue;
    }
    if (typeof value !== 'object' || value === null) continue;
    if (path.length >= BODY_DEPTH_LIMIT)
      return { field: named(path), reason: `nests deeper than ${BODY_DEPTH_LIMIT} levels` };
    if (Array.isArray(value)) {
      for (let index = value.length - 1; index >= 0; index -= 1)
        stack.push({ value: value[index], path: [...path, String(index)] });
      continue;
    }
    const keys = Object.keys(value);
    for (let index = keys.length - 1; index >= 0; index -= 1) {
      const key = keys[index] as string;
      const keyPath = [...path, key];
      if (FORBIDDEN_KEYS.has(key)) return { field: named(keyPath), reason: forbiddenKeyReason(key) };
      const reason = stringReason(key);
      if (reason !== undefined) return { field: named(keyPath), reason: `(the key) ${reason}` };
      stack.push({ value: (value as Record<string, unknown>)[key], path: keyPath });
    }
  }
  return undefined;
}

/** A UTF-8 buffer as text, or undefined when it is not UTF-8; a leading byte-order mark is dropped. */
export function utf8Text(body: Buffer): string | undefined {
  if (!isUtf8(body)) return undefined;
  const text = body.toString('utf8');
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** Whether the route checks its body's values itself (POST /v1/events: per event). */
function checksItsOwnBody(request: FastifyRequest): boolean {
  return request.routeOptions.config?.ndjsonBody !== undefined;
}

/** Replaces Fastify's JSON parser with one that refuses, naming the field, what it let through or misnamed. */
export function registerJsonBodies(app: FastifyInstance): void {
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, raw, done) => {
    const text = utf8Text(raw as Buffer);
    if (text === undefined)
      return done(validationProblem([{ field: '(root)', reason: NOT_UTF8_REASON }]), undefined);
    if (text.trim() === '')
      return done(
        validationProblem([
          { field: '(root)', reason: 'the body is empty, but its content-type is application/json' },
        ]),
        undefined,
      );
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch (error) {
      return done(
        validationProblem([
          { field: '(root)', reason: `the body is not valid JSON (${(error as Error).message})` },
        ]),
        undefined,
      );
    }
    if (!checksItsOwnBody(request)) {
      const problem = bodyProblem(body);
      if (problem !== undefined) return done(validationProblem([problem]), undefined);
    }
    done(null, body);
  });
}

/** Query and path parameters with a NUL (`%00`) or a key the body would not be allowed: 400 naming it. */
export function parameterProblem(request: FastifyRequest): FieldProblem | undefined {
  for (const [where, values] of [
    ['path', request.params],
    ['query', request.query],
  ] as const) {
    if (typeof values !== 'object' || values === null) continue;
    for (const [name, value] of Object.entries(values as Record<string, unknown>)) {
      const reason = stringReason(name);
      if (reason !== undefined) return { field: `${where}.${name}`, reason: `(the name) ${reason}` };
      for (const text of Array.isArray(value) ? value : [value]) {
        if (typeof text !== 'string') continue;
        const problem = stringReason(text);
        if (problem !== undefined) return { field: name, reason: `(${where} parameter) ${problem}` };
      }
    }
  }
  return undefined;
}
