// The simulator's plumbing: time constants, neutral identifiers, the event sink and the
// label collector that every part of the world writes to.
import type { EventType, PayloadOf } from '../core/events.ts';
import type { LabelRecord } from '../app/labels.ts';
import type { Random } from './random.ts';

export const SECOND = 1000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

/** Where generated events go. Times are epoch milliseconds; the sink orders them later. */
export interface EventSink {
  emit<T extends EventType>(type: T, at: number, data: PayloadOf<T>): void;
}

/** Contract field order per type; unknown fields follow in alphabetical order. */
const FIELD_ORDER: Record<EventType, readonly string[]> = {
  'account.created': ['accountId', 'email', 'name', 'phone', 'address', 'deviceId', 'ip', 'marketplace'],
  'account.updated': ['accountId', 'email', 'name', 'phone', 'address'],
  'account.login': ['accountId', 'deviceId', 'ip', 'userAgent'],
  'account.closed': ['accountId', 'reason', 'agentId'],
  'order.placed': ['orderId', 'accountId', 'currency', 'items', 'shipTo', 'paymentFingerprint', 'deviceId', 'ip', 'marketplace'],
  'order.delivered': ['orderId', 'carrier', 'trackingId', 'signature', 'photo', 'weightGrams'],
  'contact.created': ['contactId', 'accountId', 'channel', 'agentId', 'deviceId', 'ip', 'language', 'orderId', 'identityVerified', 'messages'],
  'refund.requested': ['refundId', 'orderId', 'accountId', 'amountMinor', 'currency', 'reason', 'channel', 'contactId', 'agentId', 'returnRequired'],
  'refund.decided': ['refundId', 'outcome', 'agentId', 'policyOverride'],
  'return.updated': ['refundId', 'status', 'carrier', 'trackingId', 'destinationPostalCode', 'weightGrams', 'condition'],
  'agent.action': ['agentId', 'action', 'accountId', 'orderId', 'refundId', 'contactId', 'deviceId', 'ip'],
  'intel.post': ['postId', 'source', 'channel', 'author', 'url', 'text', 'images'],
  'label.set': ['subject', 'subjectId', 'label', 'note'],
};
const ADDRESS_ORDER = ['line1', 'line2', 'city', 'region', 'postalCode', 'country'];

function ordered(value: Record<string, unknown>, order: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  let copied = 0;
  for (const key of order) {
    const field = value[key];
    if (field !== undefined) {
      out[key] = field;
      copied++;
    }
  }
  let present = 0;
  for (const key in value) if (value[key] !== undefined) present++;
  if (present === copied) return out;
  const extras = Object.keys(value)
    .filter((key) => !order.includes(key) && value[key] !== undefined)
    .sort();
  for (const key of extras) out[key] = value[key];
  return out;
}

/**
 * Gives every payload one canonical key order, whatever code path built it, so that nothing
 * as incidental as field order tells one kind of story from another.
 */
export function canonicalPayload<T extends EventType>(type: T, data: PayloadOf<T>): PayloadOf<T> {
  const out = ordered(data as Record<string, unknown>, FIELD_ORDER[type]);
  for (const key of ['address', 'shipTo']) {
    const address = out[key];
    if (address && typeof address === 'object') out[key] = ordered(address as Record<string, unknown>, ADDRESS_ORDER);
  }
  return out as PayloadOf<T>;
}

/** Keeps only events inside the simulated window (and the past before it), in canonical form. */
export class WindowedSink implements EventSink {
  emitted = 0;
  dropped = 0;

  constructor(
    private readonly inner: EventSink,
    readonly endMs: number,
  ) {}

  emit<T extends EventType>(type: T, at: number, data: PayloadOf<T>): void {
    if (at >= this.endMs || !Number.isFinite(at)) {
      this.dropped++;
      return;
    }
    this.emitted++;
    this.inner.emit(type, Math.floor(at / SECOND) * SECOND, canonicalPayload(type, data));
  }

  /** Whether an event at `at` would be kept. */
  inWindow(at: number): boolean {
    return at < this.endMs;
  }
}

/** Neutral, unique identifiers. Nothing in an id tells fraud from honest. */
export class Ids {
  private readonly seen = new Set<string>();

  constructor(private readonly random: Random) {}

  private unique(make: () => string): string {
    for (;;) {
      const id = make();
      if (!this.seen.has(id)) {
        this.seen.add(id);
        return id;
      }
    }
  }

  account(): string {
    return this.unique(() => `acc-${this.random.base36(10)}`);
  }

  device(): string {
    return this.unique(() => `dev-${this.random.hex(12)}`);
  }

  order(): string {
    return this.unique(() => `ord-${this.random.int(101, 999)}-${this.random.digits(7)}-${this.random.digits(7)}`);
  }

  refund(): string {
    return this.unique(() => `rf-${this.random.base36(10)}`);
  }

  contact(): string {
    return this.unique(() => `ct-${this.random.base36(10)}`);
  }

  card(): string {
    return this.unique(() => `pm-${this.random.hex(14)}`);
  }

  agent(): string {
    return this.unique(() => `agent-${this.random.int(1000, 9999)}`);
  }
}

/** Collects labels; refund labels are kept in request order. */
export class LabelCollector {
  readonly refunds: { at: number; label: LabelRecord }[] = [];
  readonly accounts: LabelRecord[] = [];
  readonly agents: LabelRecord[] = [];

  refund(at: number, label: LabelRecord): void {
    this.refunds.push({ at, label });
  }

  account(label: LabelRecord): void {
    this.accounts.push(label);
  }

  agent(label: LabelRecord): void {
    this.agents.push(label);
  }

  /** All labels: refunds by request time, then accounts, then agents. */
  all(): LabelRecord[] {
    const refunds = [...this.refunds].sort((left, right) => left.at - right.at).map((entry) => entry.label);
    return [...refunds, ...this.accounts, ...this.agents];
  }
}

/** Local hour-of-day activity of ordinary shoppers (index = local hour). */
export const SHOPPER_HOURS: readonly number[] = [
  1, 0.5, 0.3, 0.2, 0.2, 0.4, 1, 2, 3, 3.5, 4, 4, 5, 4.5, 4, 4, 4, 4.5, 5.5, 6.5, 7, 6.5, 4.5, 2.5,
];

/** A moment on day `day` (0 = window start) at a local hour drawn from `profile`. */
export function localMoment(
  random: Random,
  startMs: number,
  day: number,
  tz: number,
  profile: readonly number[] = SHOPPER_HOURS,
): number {
  let total = 0;
  for (const weight of profile) total += weight;
  let roll = random.next() * total;
  let hour = 0;
  for (; hour < 23; hour++) {
    roll -= profile[hour]!;
    if (roll < 0) break;
  }
  return startMs + day * DAY + (hour - tz) * HOUR + random.int(0, 3599) * SECOND;
}

/** A moment between local hours [from, to) on day `day`. */
export function momentBetween(random: Random, startMs: number, day: number, tz: number, from: number, to: number): number {
  return startMs + day * DAY + (from - tz) * HOUR + random.float(0, (to - from) * HOUR);
}

/** The window day of `at` in local time `tz`. */
export function localDay(startMs: number, at: number, tz: number): number {
  return Math.floor((at - startMs + tz * HOUR) / DAY);
}
