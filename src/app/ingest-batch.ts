// One batch on its way in: the raw items as received, their validation against the contract (the
// invalid ones reported by position and line), and the engine's write results as values.
import { type FieldProblem, parseEvent, type RefundguardEvent } from '../core/events.ts';

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
}

export type WriteOutcome = { inserted: number } | { error: unknown };
export const NOTHING_TO_WRITE: Promise<WriteOutcome> = Promise.resolve({ inserted: 0 });

/** The events by time, arrival order kept among equal times (the order the store reloads them in). */
export function inTimeOrder(events: RefundguardEvent[]): RefundguardEvent[] {
  for (let index = 1; index < events.length; index += 1)
    if ((events[index] as RefundguardEvent).at < (events[index - 1] as RefundguardEvent).at)
      return [...events].sort((left, right) => left.at - right.at);
  return events;
}

/** Parses each item against the contract; the invalid ones are reported by position (and line). */
export function validate({ items, lineNumbers, texts }: RawBatch): {
  valid: RefundguardEvent[];
  sources: (string | undefined)[] | undefined;
  rejected: RejectedEvent[];
} {
  const valid: RefundguardEvent[] = [];
  const sources: (string | undefined)[] | undefined = texts && [];
  const rejected: RejectedEvent[] = [];
  items.forEach((item, index) => {
    const result = parseEvent(item);
    if (result.ok) {
      valid.push(result.event);
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
  return { valid, sources, rejected };
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
