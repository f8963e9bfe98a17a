// RFC 9457 problem details: one error type for every HTTP failure and one function that turns any
// thrown value into a problem body. Internals (stack traces, driver messages) never reach a client.
import { STATUS_CODES } from 'node:http';
import type { z } from 'zod';
import type { FieldProblem } from '../../core/events.ts';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** Problem types this API defines; anything else is `about:blank` with the HTTP status as title. */
export const PROBLEM_TYPES = {
  validation: 'urn:refundguard:problem:validation',
  eventsRejected: 'urn:refundguard:problem:events-rejected',
  unauthenticated: 'urn:refundguard:problem:unauthenticated',
  forbidden: 'urn:refundguard:problem:forbidden',
  notFound: 'urn:refundguard:problem:not-found',
  unsupportedMediaType: 'urn:refundguard:problem:unsupported-media-type',
} as const;

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

/** zod issues as `{field, reason}`, one per unknown key for strict objects. */
export function zodProblems(error: z.ZodError, prefix: readonly (string | number)[] = []): FieldProblem[] {
  return error.issues.flatMap((issue) => {
    const path = [...prefix, ...issue.path.map(String)];
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ field: [...path, key].join('.'), reason: 'is not a known field' }));
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
