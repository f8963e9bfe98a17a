// The contract's vocabularies (shared/contract/EVENTS.md, v1), apart from the schemas so that
// the hand-written payload checks (payload-checks.ts) can use them too.

export interface FieldProblem {
  /** Dotted path of the field, e.g. `data.items.0.priceMinor`. */
  field: string;
  reason: string;
}

// RFC 3339 with a timezone (Z or ±hh:mm); fractional seconds allowed.
export const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

const RFC3339_PARTS =
  /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.\d+)?(?:[Zz]|[+-](\d{2}):(\d{2}))$/;

/**
 * An RFC 3339 timestamp in epoch milliseconds, or undefined when it is not one or names no real
 * moment. Date.parse alone rolls impossible dates over (2026-02-30 became 2 March, 24:00 the next
 * day): each part is checked against the calendar first. A leap second (:60) is not accepted,
 * as Date.parse does not accept it either.
 */
export function timestampMs(text: string): number | undefined {
  const parts = RFC3339_PARTS.exec(text);
  if (parts === null) return undefined;
  const year = Number(parts[1]);
  const month = Number(parts[2]);
  const day = Number(parts[3]);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  if (Number(parts[4]) > 23 || Number(parts[5]) > 59 || Number(parts[6]) > 59) return undefined;
  if (parts[7] !== undefined && (Number(parts[7]) > 23 || Number(parts[8]) > 59)) return undefined;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : at;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

export const REFUND_REASONS = [
  'not_received',
  'empty_box',
  'missing_item',
  'damaged',
  'defective',
  'wrong_item',
  'not_as_described',
  'changed_mind',
] as const;
export type RefundReason = (typeof REFUND_REASONS)[number];

export const REFUND_CHANNELS = ['self_service', 'chat', 'phone', 'email'] as const;
export const CONTACT_CHANNELS = ['chat', 'phone', 'email'] as const;
export const REFUND_OUTCOMES = ['approved', 'denied', 'return_required'] as const;
export const RETURN_STATUSES = ['label_created', 'in_transit', 'delivered', 'received'] as const;
export const RETURN_CONDITIONS = ['as_expected', 'empty', 'wrong_item', 'damaged'] as const;
export const CLOSE_REASONS = ['fraud', 'abuse', 'other'] as const;
export const AGENT_ACTIONS = [
  'login',
  'account.viewed',
  'order.viewed',
  'refund.approved',
  'refund.denied',
  'policy.override',
  'return.marked_received',
  'address.changed',
  'email.changed',
  'note.added',
] as const;
export const INTEL_SOURCES = ['telegram', 'reddit', 'discord', 'forum', 'other'] as const;
export const LABEL_SUBJECTS = ['refund', 'account', 'agent', 'order'] as const;
export const LABELS = ['fraud', 'legit', 'insider', 'ban_evasion'] as const;
