// The console's transport to the /v1 API (docs/console-api.md): fetch with the session cookie and
// the CSRF header, RFC 9457 problems as ApiError, and the small readers the converters share.
import type { z } from 'zod';
import { problemSchema } from '../../../src/contract/problems.ts';
import { type SessionView as Session, sessionSchema } from '../../../src/contract/session.ts';

/** A failed call, from an RFC 9457 problem body when the server sent one. */
export class ApiError extends Error {
  readonly status: number;
  readonly title: string;
  readonly detail?: string;
  readonly fieldErrors: { field: string; reason: string }[];

  constructor(status: number, title: string, detail?: string, fieldErrors: ApiError['fieldErrors'] = []) {
    super(detail ? `${title}: ${detail}` : title);
    this.name = 'ApiError';
    this.status = status;
    this.title = title;
    if (detail !== undefined) this.detail = detail;
    this.fieldErrors = fieldErrors;
  }

  /** What to show a person. */
  get userMessage(): string {
    const fields = this.fieldErrors.map((entry) => `${entry.field}: ${entry.reason}`).join('; ');
    return [this.detail ?? this.title, fields].filter(Boolean).join(' — ');
  }
}

export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) return error.userMessage;
  if (error instanceof Error) return error.message;
  return String(error);
}

export type Json = Record<string, unknown>;

export function obj(value: unknown): Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : {};
}
export function arr(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}
export function str(value: unknown, fallback = ''): string {
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : fallback;
}
export function optStr(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}
export function num(value: unknown, fallback = 0): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : fallback;
}
/** RFC 3339 string (or epoch ms) → epoch ms; NaN when absent. */
export function time(value: unknown): number {
  if (typeof value === 'number') return value;
  return typeof value === 'string' ? Date.parse(value) : Number.NaN;
}
export function optTime(value: unknown): number | undefined {
  const parsed = time(value);
  return Number.isNaN(parsed) ? undefined : parsed;
}
export function counts(value: unknown): Record<string, number> {
  return Object.fromEntries(Object.entries(obj(value)).map(([key, n]) => [key, num(n)]));
}
/** Money is `usd` (number), or `{amountMinor, currency}` with `usd` beside it. */
export function usd(value: unknown): number {
  if (typeof value === 'number') return value;
  const money = obj(value);
  if (typeof money.usd === 'number') return money.usd;
  return num(money.amountMinor) / 100;
}

export const items =
  <T>(convert: (value: unknown) => T) =>
  (body: unknown): T[] =>
    arr(obj(body).items).map(convert);

export let csrfToken = '';
export let onUnauthorized: (() => void) | undefined;

/** Called when a call answers 401 (the session ended): the app shows the login page. */
export function setUnauthorizedHandler(handler: (() => void) | undefined): void {
  onUnauthorized = handler;
}

export type Query = Record<string, string | number | readonly string[] | undefined>;

export function queryString(query: Query = {}): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === '') continue;
    if (Array.isArray(value)) {
      if (value.length > 0) params.set(key, value.join(','));
    } else params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

export async function problemFrom(response: Response): Promise<ApiError> {
  const text = await response.text().catch(() => '');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    // not JSON: a proxy or a crash page
  }
  const problem = problemSchema.safeParse(json);
  if (!problem.success) {
    const detail = text.trim() === '' ? undefined : text.slice(0, 200);
    return new ApiError(response.status, response.statusText || `HTTP ${response.status}`, detail);
  }
  const { title, detail, errors = [] } = problem.data;
  return new ApiError(response.status, title, detail, errors);
}

/**
 * How a reply is read: a schema from src/contract (the server serialises with the same one, so a
 * mismatch is a version skew, reported as such) or, for the areas not yet moved onto the
 * contract, a converter function.
 */
type Reader<T> = z.ZodType<T> | ((body: unknown) => T);

function read<T>(reader: Reader<T>, body: unknown, path: string): T {
  if (typeof reader === 'function') return reader(body);
  const parsed = reader.safeParse(body);
  if (parsed.success) return parsed.data;
  const fieldErrors = parsed.error.issues.map((issue) => ({
    field: issue.path.join('.') || '(root)',
    reason: issue.message,
  }));
  throw new ApiError(
    0,
    'Unexpected reply',
    `The server's reply to ${path} is not what this console expects; reload the page.`,
    fieldErrors,
  );
}

export async function call<T>(
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
  path: string,
  reader: Reader<T>,
  options: { query?: Query; body?: unknown; signal?: AbortSignal; quiet401?: boolean } = {},
): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
  let response: Response;
  try {
    response = await fetch(`/v1${path}${queryString(options.query)}`, {
      method,
      headers,
      credentials: 'same-origin',
      ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new ApiError(0, 'Network error', 'The server could not be reached.');
  }
  if (!response.ok) {
    const problem = await problemFrom(response);
    if (response.status === 401 && !options.quiet401) onUnauthorized?.();
    throw problem;
  }
  if (response.status === 204) return read(reader, undefined, path);
  const text = await response.text();
  return read(reader, text ? JSON.parse(text) : undefined, path);
}

export const ignore = (): void => undefined;

export const sessionApi = {
  async login(email: string, password: string): Promise<Session> {
    const session = await call('POST', '/session', sessionSchema, {
      body: { email, password },
      quiet401: true,
    });
    csrfToken = session.csrfToken;
    return session;
  },
  async currentSession(): Promise<Session | undefined> {
    try {
      const session = await call('GET', '/session', sessionSchema, { quiet401: true });
      csrfToken = session.csrfToken;
      return session;
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) return undefined;
      throw error;
    }
  },
  async logout(): Promise<void> {
    try {
      await call('DELETE', '/session', ignore, { quiet401: true });
    } finally {
      csrfToken = '';
    }
  },
};
