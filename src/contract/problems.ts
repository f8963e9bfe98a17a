// RFC 9457 problem details as the API sends them: the media type, the problem types this API
// defines, and the body's schema. Server and console read the same definitions.
import { z } from 'zod';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** Problem types this API defines; anything else is `about:blank` with the HTTP status as title. */
export const PROBLEM_TYPES = {
  validation: 'urn:refundguard:problem:validation',
  eventsRejected: 'urn:refundguard:problem:events-rejected',
  unauthenticated: 'urn:refundguard:problem:unauthenticated',
  forbidden: 'urn:refundguard:problem:forbidden',
  notFound: 'urn:refundguard:problem:not-found',
  conflict: 'urn:refundguard:problem:conflict',
  tooManyAttempts: 'urn:refundguard:problem:too-many-attempts',
  unsupportedMediaType: 'urn:refundguard:problem:unsupported-media-type',
} as const;

export const fieldProblemSchema = z.object({
  field: z
    .string()
    .describe('Dotted path of the field, e.g. `data.items.0.priceMinor`; `(root)` for the whole value.'),
  reason: z.string(),
});

export const problemSchema = z
  .looseObject({
    type: z.string().describe('A URI naming the kind of problem; `about:blank` for plain HTTP errors.'),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().optional(),
    errors: z
      .array(fieldProblemSchema)
      .optional()
      .describe('For validation problems: every field that failed.'),
    requestId: z
      .string()
      .optional()
      .describe('Quote it when reporting a problem: it names the request in our logs.'),
  })
  .describe('RFC 9457 problem details (application/problem+json).');

export type FieldProblemView = z.infer<typeof fieldProblemSchema>;
export type ProblemView = z.infer<typeof problemSchema>;
