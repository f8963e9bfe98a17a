// RFC 9457 problem details: one error type for every HTTP failure and one function that turns any
// thrown value into a problem body, as the one error handler sends it. Internals (stack traces,
// driver messages) never reach a client.
import { STATUS_CODES } from 'node:http';
import { isResponseSerializationError } from 'fastify-type-provider-zod';
import type { z } from 'zod';
import { ConsoleError } from '../../app/console-errors.ts';
import { PROBLEM_CONTENT_TYPE, PROBLEM_TYPES } from '../../contract/problems.ts';
import type { FieldProblem } from '../../core/events.ts';

export { PROBLEM_CONTENT_TYPE, PROBLEM_TYPES };

export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail?: string;
  errors?: FieldProblem[];
  requestId?: string;
  [extension: string]: unknown;
}

export class HttpProblem extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    readonly title: string,
    readonly detail?: string,
    /** Extension members added to the body (`errors`, `rejected`...). */
    readonly extensions: Record<string, unknown> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(detail ?? title);
    this.name = 'HttpProblem';
  }

  body(requestId?: string): ProblemBody {
    return {
      type: this.type,
      title: this.title,
      status: this.status,
      ...(this.detail !== undefined ? { detail: this.detail } : {}),
      ...this.extensions,
      ...(requestId !== undefined ? { requestId } : {}),
    };
  }
}

export function validationProblem(errors: FieldProblem[], detail?: string): HttpProblem {
  return new HttpProblem(
    400,
    PROBLEM_TYPES.validation,
    'The request is not valid',
    detail ?? errors.map((error) => `${error.field}: ${error.reason}`).join('; '),
    { errors },
  );
}

export function notFoundProblem(detail: string): HttpProblem {
  return new HttpProblem(404, PROBLEM_TYPES.notFound, 'Not found', detail);
}

export function unauthenticatedProblem(detail: string): HttpProblem {
  return new HttpProblem(
    401,
    PROBLEM_TYPES.unauthenticated,
    'Authentication required',
    detail,
    {},
    { 'www-authenticate': 'Bearer realm="refundguard"' },
  );
}

export function forbiddenProblem(detail: string): HttpProblem {
  return new HttpProblem(403, PROBLEM_TYPES.forbidden, 'Forbidden', detail);
}

/**
 * Fastify's validator for zod route schemas: a failure is our validation problem, every field
 * named. A request without a body is checked as `{}`, so required fields are listed one by one.
 */
export function zodValidatorCompiler({ schema }: { schema: unknown }) {
  const zodSchema = schema as z.ZodType;
  return (data: unknown) => {
    const parsed = zodSchema.safeParse(data ?? {});
    return parsed.success ? { value: parsed.data } : { error: validationProblem(zodProblems(parsed.error)) };
  };
}

/** zod issues as `{field, reason}`, one per unknown key for strict objects. */
export function zodProblems(error: z.ZodError, prefix: readonly (string | number)[] = []): FieldProblem[] {
  return error.issues.flatMap((issue) => {
    const path = [...prefix, ...issue.path.map(String)];
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ field: [...path, key].join('.'), reason: 'is not a known field' }));
    }
    if (path.length === 0 && issue.code === 'invalid_type' && issue.expected === 'object') {
      return [{ field: '(root)', reason: 'must be a JSON object' }];
    }
    return [{ field: path.join('.') || '(root)', reason: issue.message }];
  });
}

interface ErrorWithStatus {
  statusCode?: unknown;
  code?: unknown;
  message?: unknown;
}

/**
 * Any thrown value as a problem. Our own problems pass through; client errors raised by Fastify
 * (bad JSON, body too large, unsupported media type) keep their status and message; everything
 * else is a 500 whose body says nothing about the cause.
 */
export function toProblem(error: unknown): HttpProblem {
  if (error instanceof HttpProblem) return error;
  if (error instanceof ConsoleError) return fromConsoleError(error);
  const { statusCode, code, message } = (
    typeof error === 'object' && error !== null ? error : {}
  ) as ErrorWithStatus;
  if (typeof statusCode === 'number' && statusCode >= 400 && statusCode < 500) {
    const detail =
      typeof code === 'string' && code.startsWith('FST_') && typeof message === 'string'
        ? message
        : undefined;
    if (statusCode === 415) {
      return new HttpProblem(
        415,
        PROBLEM_TYPES.unsupportedMediaType,
        'Unsupported media type',
        detail ?? 'This content type is not accepted here.',
      );
    }
    return new HttpProblem(statusCode, 'about:blank', STATUS_CODES[statusCode] ?? 'Client error', detail);
  }
  return new HttpProblem(500, 'about:blank', 'Internal Server Error', 'The request could not be completed.');
}

/** A response that does not match its declared schema is our bug: logged in full, a plain 500 outside. */
export function isResponseSchemaViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && isResponseSerializationError(error);
}

/** The console's coded domain errors as problems: one mapping, used by the one error handler. */
export function fromConsoleError(error: ConsoleError): HttpProblem {
  switch (error.code) {
    case 'not_found':
      return notFoundProblem(error.message);
    case 'forbidden':
      return forbiddenProblem(error.message);
    case 'conflict':
      return new HttpProblem(409, PROBLEM_TYPES.conflict, 'Conflict', error.message);
    case 'invalid':
      return new HttpProblem(400, PROBLEM_TYPES.validation, 'The request is not valid', error.message, {
        errors: [error.problem ?? { field: '(root)', reason: error.message }],
      });
  }
}
