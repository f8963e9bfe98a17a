// The simulator's plumbing: time constants, neutral identifiers, the event sink and the
// label collector that every part of the world writes to.

import type { LabelRecord } from '../app/labels.ts';
import type { EventType, PayloadOf } from '../core/events.ts';
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
  'order.placed': [
    'orderId',
    'accountId',
    'currency',
    'items',
    'shipTo',
    'paymentFingerprint',
    'deviceId',
    'ip',
    'marketplace',
  ],
  'order.delivered': ['orderId', 'carrier', 'trackingId', 'signature', 'photo', 'weightGrams'],
  'contact.created': [
    'contactId',
    'accountId',
    'channel',
    'agentId',
    'deviceId',
    'ip',
    'language',
    'orderId',
    'identityVerified',
    'messages',
  ],
  'refund.requested': [
    'refundId',
    'orderId',
    'accountId',
    'amountMinor',
    'currency',
    'reason',
    'channel',
    'contactId',
    'agentId',
    'returnRequired',
  ],
  'refund.decided': ['refundId', 'outcome', 'agentId', 'policyOverride'],
  'return.updated': [
    'refundId',
    'status',
    'carrier',
    'trackingId',
    'destinationPostalCode',
    'weightGrams',
    'condition',
  ],
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
    if (address && typeof address === 'object')
      out[key] = ordered(address as Record<string, unknown>, ADDRESS_ORDER);
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

/** Murmur3's finalizer: a fast 32-bit mix. */
function mix32(value: number): number {
  let h = value | 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * A keyed pseudo-random permutation of [0, half²) (a four-round Feistel network): counting
 * 0, 1, 2… through it gives ids that look random yet can never collide, with no lookup set.
 */
class ScrambledCounter {
  private counter = 0;
  private readonly keys: number[];

  constructor(
    random: Random,
    private readonly half: number,
  ) {
    this.keys = [random.uint32(), random.uint32(), random.uint32(), random.uint32()];
  }

  /** The next value as two halves, each in [0, half). */
  next(): [number, number] {
    const value = this.counter++;
    let left = Math.floor(value / this.half);
    let right = value % this.half;
    for (const key of this.keys) {
      const mixed = (left + (mix32(right ^ key) % this.half)) % this.half;
      left = right;
      right = mixed;
    }
    return [left, right];
  }
}

function encode(value: number, radix: number, width: number): string {
  return value.toString(radix).padStart(width, '0');
}

/** Neutral, unique identifiers. Nothing in an id tells fraud from honest, or when it was made. */
export class Ids {
  private readonly accounts: ScrambledCounter;
  private readonly devices: ScrambledCounter;
  private readonly orders: ScrambledCounter;
  private readonly refunds: ScrambledCounter;
  private readonly contacts: ScrambledCounter;
  private readonly cards: ScrambledCounter;
  private readonly agentNumbers: number[];

  constructor(random: Random) {
    this.accounts = new ScrambledCounter(random, 36 ** 5);
    this.devices = new ScrambledCounter(random, 16 ** 6);
    this.orders = new ScrambledCounter(random, 10 ** 9);
    this.refunds = new ScrambledCounter(random, 36 ** 5);
    this.contacts = new ScrambledCounter(random, 36 ** 5);
    this.cards = new ScrambledCounter(random, 16 ** 7);
    this.agentNumbers = random.shuffle(Array.from({ length: 9000 }, (_, index) => 1000 + index));
  }

  account(): string {
    const [high, low] = this.accounts.next();
    return `acc-${encode(high, 36, 5)}${encode(low, 36, 5)}`;
  }

  device(): string {
    const [high, low] = this.devices.next();
    return `dev-${encode(high, 16, 6)}${encode(low, 16, 6)}`;
  }

  order(): string {
    const [high, low] = this.orders.next();
    const digits = `${encode(high, 10, 9)}${encode(low, 10, 9)}`;
    return `ord-${digits.slice(0, 4)}-${digits.slice(4, 11)}-${digits.slice(11)}`;
  }

  refund(): string {
    const [high, low] = this.refunds.next();
    return `rf-${encode(high, 36, 5)}${encode(low, 36, 5)}`;
  }

  contact(): string {
    const [high, low] = this.contacts.next();
    return `ct-${encode(high, 36, 5)}${encode(low, 36, 5)}`;
  }

  card(): string {
    const [high, low] = this.cards.next();
    return `pm-${encode(high, 16, 7)}${encode(low, 16, 7)}`;
  }

  agent(): string {
    const number = this.agentNumbers.pop();
    if (number === undefined) throw new Error('more than 9000 agents');
    return `agent-${number}`;
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
export function momentBetween(
  random: Random,
  startMs: number,
  day: number,
  tz: number,
  from: number,
  to: number,
): number {
  return startMs + day * DAY + (from - tz) * HOUR + random.float(0, (to - from) * HOUR);
}

/** The window day of `at` in local time `tz`. */
export function localDay(startMs: number, at: number, tz: number): number {
  return Math.floor((at - startMs + tz * HOUR) / DAY);
}
