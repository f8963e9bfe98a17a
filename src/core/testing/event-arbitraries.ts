// fast-check arbitraries of contract events for the fuzz tests: good events of several types, and
// mutations of them that the edge must refuse per event (each naming the field) without failing
// the rest. Good events get unique ids so that "stored exactly once" can be checked.
import fc from 'fast-check';
import { EVENT_LIMITS } from '../event-limits.ts';

/** Fixed seeds: a failure prints its seed and path, and reruns the same way. */
export const FUZZ_SEED = 18_2026;

const id = fc.stringMatching(/^[a-z0-9-]{1,24}$/);
const safeText = fc.string({ maxLength: 60 }).map((text) => text.replaceAll('\u0000', ' '));
const time = fc
  .integer({ min: Date.parse('2026-01-01T00:00:00Z'), max: Date.parse('2026-06-30T00:00:00Z') })
  .map((at) => new Date(at).toISOString());
const address = fc.record({
  line1: safeText,
  city: safeText,
  postalCode: fc.stringMatching(/^[0-9]{5}$/),
  country: fc.constantFrom('US', 'DE', 'FR', 'gb'),
});

/** Payloads of a few types, with unknown fields now and then. */
const payload = fc.oneof(
  fc.record({ type: fc.constant('account.login'), data: fc.record({ accountId: id, ip: fc.ipV4() }) }),
  fc.record({
    type: fc.constant('order.placed'),
    data: fc.record({
      orderId: id,
      accountId: id,
      currency: fc.constantFrom('USD', 'EUR'),
      items: fc.array(
        fc.record({ sku: id, title: safeText, priceMinor: fc.integer({ min: 0, max: 1_000_000 }) }),
        { minLength: 1, maxLength: 3 },
      ),
      shipTo: address,
    }),
  }),
  fc.record({
    type: fc.constant('refund.requested'),
    data: fc.record({
      refundId: id,
      orderId: id,
      accountId: id,
      amountMinor: fc.integer({ min: 0, max: 100_000 }),
      currency: fc.constant('USD'),
      reason: fc.constantFrom('not_received', 'empty_box', 'damaged'),
      channel: fc.constantFrom('chat', 'self_service'),
    }),
  }),
  fc.record({
    type: fc.constant('intel.post'),
    data: fc.record({
      postId: id,
      source: fc.constantFrom('telegram', 'reddit'),
      channel: safeText,
      text: safeText,
      extra: fc.option(fc.jsonValue({ maxDepth: 3 }).map(withoutNul), { nil: undefined }),
    }),
  }),
);

/** Unknown fields as a good event may carry them: no NUL, no key that poisons prototypes. */
function withoutNul(value: unknown): unknown {
  const text = JSON.stringify(value)
    .replaceAll('\\u0000', ' ')
    .replaceAll(/"(__proto__|constructor|prototype)"/g, '"key"');
  return JSON.parse(text);
}

export interface FuzzEvent {
  id: string;
  type: string;
  time: string;
  data: Record<string, unknown>;
}

/** A good event; its id is made unique by the caller (`good-<n>`). */
export const goodEvent: fc.Arbitrary<Omit<FuzzEvent, 'id'>> = fc
  .tuple(payload, time)
  .map(([{ type, data }, at]) => ({ type, time: at, data: dropUndefined(data) }));

function dropUndefined(data: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(data).filter(([, value]) => value !== undefined));
}

function nested(depth: number): unknown {
  let value: unknown = 'bottom';
  for (let level = 0; level < depth; level += 1) value = { x: value };
  return value;
}

/** Ways of breaking a good event that the edge must refuse, naming a field. */
export const mutation: fc.Arbitrary<(event: FuzzEvent) => unknown> = fc.oneof(
  fc.constant((event: FuzzEvent) => ({ ...event, data: { ...event.data, deep: nested(40) } })),
  fc.constant((event: FuzzEvent) => ({ ...event, data: { ...event.data, note: 'a\u0000b' } })),
  fc.constant((event: FuzzEvent) => ({ ...event, id: `${event.id}${'x'.repeat(EVENT_LIMITS.idBytes)}` })),
  fc.constant((event: FuzzEvent) => ({ ...event, time: '2026-02-30T10:00:00Z' })),
  fc.constant((event: FuzzEvent) => ({ ...event, time: '9999-12-31T00:00:00Z' })),
  fc.constant((event: FuzzEvent) => ({ ...event, time: '0001-01-01T00:00:00Z' })),
  fc.constant((event: FuzzEvent) => ({ ...event, time: 'yesterday' })),
  fc.constant((event: FuzzEvent) => ({ ...event, type: 'order.teleported' })),
  fc.constant((event: FuzzEvent) => ({ ...event, data: { ...event.data, x: '\ud800' } })),
  fc.constant((event: FuzzEvent) =>
    JSON.parse(
      `{"id":${JSON.stringify(event.id)},"type":${JSON.stringify(event.type)},"time":"${event.time}","data":{"__proto__":{"admin":true}}}`,
    ),
  ),
  fc.constant((event: FuzzEvent) => ({
    ...event,
    data: { ...event.data, blob: 'y'.repeat(EVENT_LIMITS.unknownChars + 1) },
  })),
  fc.constant((event: FuzzEvent) => ({ ...event, data: 'not an object' })),
  fc
    .jsonValue({ maxDepth: 2 })
    .filter((value) => typeof value !== 'string')
    .map((value) => (event: FuzzEvent) => ({
      ...event,
      data: { ...event.data, accountId: value, orderId: value, postId: value },
    })),
  fc.jsonValue({ maxDepth: 2 }).map((value) => () => value),
);

/** A batch of good and mutated events in any order; `good` holds the ids that must be stored. */
export const mixedBatch = fc
  .array(fc.tuple(goodEvent, fc.option(mutation, { freq: 3, nil: undefined })), {
    minLength: 1,
    maxLength: 12,
  })
  .map((entries) => {
    const good: string[] = [];
    const items: unknown[] = [];
    const bad: number[] = [];
    entries.forEach(([event, mutate], index) => {
      const whole = { id: `fz-${index}-${Math.abs(hash(JSON.stringify(event)))}`, ...event };
      if (mutate === undefined) {
        good.push(whole.id);
        items.push(whole);
      } else {
        bad.push(index);
        items.push(mutate(whole));
      }
    });
    return { items, good, bad };
  });

function hash(text: string): number {
  let value = 0;
  for (let index = 0; index < text.length; index += 1) value = (value * 31 + text.charCodeAt(index)) | 0;
  return value;
}
