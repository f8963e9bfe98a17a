// One batch on its way in: the raw items as received, their validation against the contract (the
// invalid ones reported by position and line), and the engine's write results as values.
import { type FieldProblem, type ParseResult, parseEvent, type RefundguardEvent } from '../core/events.ts';

export interface RejectedEvent {
  /** Position in the submitted batch (0-based), or the file's line number when known. */
  index: number;
  line?: number;
  eventId?: string;
  problems: FieldProblem[];
}

/** Raw items as received (e.g. a chunk of a file), with their line numbers and JSON text when known. */
export interface RawBatch {
  items: unknown[];
  lineNumbers?: number[];
  /** The JSON text each item was parsed from (a file's lines): the store may keep it as it is. */
  texts?: string[];
}

/**
 * Valid events and, where known, the JSON text each was read from exactly as it is used (an
 * envelope of id, type, time and data, nothing else, data unchanged by validation).
 */
export interface EventBatch {
  events: RefundguardEvent[];
  sources?: (string | undefined)[];
  /** Where each event was in what was received (to name one that cannot be applied). */
  origins?: EventOrigin[];
}

export interface EventOrigin {
  index: number;
  line?: number;
}

export type WriteOutcome = { inserted: number } | { error: unknown };
export const NOTHING_TO_WRITE: Promise<WriteOutcome> = Promise.resolve({ inserted: 0 });

/** The positions of the events by time, arrival order kept among equal times (as the store reloads them). */
export function timeOrder(events: readonly RefundguardEvent[]): number[] {
  const order = events.map((_, index) => index);
  for (let index = 1; index < events.length; index += 1)
    if ((events[index] as RefundguardEvent).at < (events[index - 1] as RefundguardEvent).at)
      return order.sort(
        (left, right) => (events[left] as RefundguardEvent).at - (events[right] as RefundguardEvent).at,
      );
  return order;
}

/**
 * The moments an ingested event may have: a far-future event would move "the latest event" that
 * final decisions and time windows go by, and a year-0001 one is no retailer's history.
 */
export interface TimeWindow {
  /** How far past the clock an event may be (clocks drift, time zones are misdeclared). */
  maxFutureMs: number;
  /** The earliest moment accepted, in epoch ms. */
  earliestMs: number;
}

export const DEFAULT_TIME_WINDOW: TimeWindow = {
  maxFutureMs: 86_400_000,
  earliestMs: Date.parse('2000-01-01T00:00:00Z'),
};

/** Why a moment is outside the window as of `now`, or undefined when it is inside. */
export function outsideWindow(at: number, window: TimeWindow, now: number): string | undefined {
  if (at > now + window.maxFutureMs)
    return `is more than ${hours(window.maxFutureMs)} after the server's clock (${new Date(now).toISOString()}): refused as in the future`;
  if (at < window.earliestMs)
    return `is before ${new Date(window.earliestMs).toISOString()}, the earliest moment accepted`;
  return undefined;
}

function hours(ms: number): string {
  return ms % 3_600_000 === 0 ? `${ms / 3_600_000} h` : `${ms / 1000} s`;
}

/**
 * Parses each item against the contract, and its time against the window as of `now` when one is
 * given; the invalid ones are reported by position (and line).
 */
export function validate(
  { items, lineNumbers, texts }: RawBatch,
  window?: { window: TimeWindow; now: number },
): {
  valid: RefundguardEvent[];
  sources: (string | undefined)[] | undefined;
  positions: EventOrigin[];
  rejected: RejectedEvent[];
} {
  const valid: RefundguardEvent[] = [];
  const positions: EventOrigin[] = [];
  const sources: (string | undefined)[] | undefined = texts && [];
  const rejected: RejectedEvent[] = [];
  items.forEach((item, index) => {
    let result: ParseResult = parseEvent(item);
    if (result.ok && window !== undefined) {
      const reason = outsideWindow(result.event.at, window.window, window.now);
      if (reason !== undefined) result = { ok: false, problems: [{ field: 'time', reason }] };
    }
    if (result.ok) {
      valid.push(result.event);
      const line = lineNumbers?.[index];
      positions.push(line === undefined ? { index } : { index, line });
      sources?.push(isUsedAsRead(item, result.event) ? texts?.[index] : undefined);
    } else {
      const eventId = typeof item === 'object' && item !== null ? (item as { id?: unknown }).id : undefined;
      rejected.push({
        index,
        ...(lineNumbers?.[index] !== undefined ? { line: lineNumbers[index] } : {}),
        ...(typeof eventId === 'string' ? { eventId } : {}),
        problems: result.problems,
      });
    }
  });
  return { valid, sources, positions, rejected };
}

/** Whether the event is its item as read: the same data object, and no envelope field but the contract's four. */
function isUsedAsRead(item: unknown, event: RefundguardEvent): boolean {
  if ((item as { data?: unknown }).data !== event.data) return false;
  let keys = 0;
  for (const _key in item as object) keys += 1;
  return keys === 4;
}

/** Starts a write and turns its result into a value, so that it is never an unhandled rejection. */
export function startWrite(write: () => Promise<{ inserted: number }>): Promise<WriteOutcome> {
  try {
    return write().then(
      ({ inserted }) => ({ inserted }),
      (error: unknown) => ({ error }),
    );
  } catch (error) {
    return Promise.resolve({ error });
  }
}
