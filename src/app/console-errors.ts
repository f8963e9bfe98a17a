// The console's expected failures as one small coded error; the HTTP edge maps each code to a status.
export const CONSOLE_ERROR_CODES = ['not_found', 'forbidden', 'conflict', 'invalid'] as const;
export type ConsoleErrorCode = (typeof CONSOLE_ERROR_CODES)[number];

export class ConsoleError extends Error {
  override readonly name = 'ConsoleError';
  constructor(
    readonly code: ConsoleErrorCode,
    message: string,
    /** For `invalid`: the request field at fault (`(root)`: the request as a whole) and why. */
    readonly problem?: { field: string; reason: string },
  ) {
    super(message);
  }
}

export const notFound = (message: string) => new ConsoleError('not_found', message);
export const forbidden = (message: string) => new ConsoleError('forbidden', message);
export const conflict = (message: string) => new ConsoleError('conflict', message);
/** A request the use case refuses, naming the field and the reason (the HTTP edge sends both). */
export const invalid = (field: string, reason: string) =>
  new ConsoleError('invalid', field === '(root)' ? reason : `${field}: ${reason}`, { field, reason });
