// Small schema parts every area of the API shares: times on the wire and numbers from query strings.
import { z } from 'zod';

/** Times travel as RFC 3339 strings; epoch milliseconds stay inside the server. */
export const isoTime = z.string().describe('RFC 3339');

/** A whole number read from a query string (which carries only text). */
export const wholeNumber = (min: number, max: number) =>
  z.coerce
    .number({ error: 'must be a whole number' })
    .int('must be a whole number')
    .min(min, `must be at least ${min}`)
    .max(max, `must be at most ${max}`);
