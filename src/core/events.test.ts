import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { EVENT_TYPES, type EventType, PAYLOAD_SCHEMAS, parseEvent } from './events.ts';
import { PAYLOAD_CHECKS } from './payload-checks.ts';

const EXAMPLES = new URL('../../../shared/contract/examples.jsonl', import.meta.url);

describe('parseEvent', () => {
  it.runIf(existsSync(EXAMPLES))('accepts every example of the contract', () => {
    const lines = readFileSync(EXAMPLES, 'utf8').split('\n').filter(Boolean);
    const types = new Set<string>();
    for (const line of lines) {
      const result = parseEvent(JSON.parse(line));
      expect(result.ok, line).toBe(true);
      if (result.ok) types.add(result.event.type);
    }
    expect(types.size).toBe(EVENT_TYPES.length);
  });

  it('keeps unknown fields inside data', () => {
    const result = parseEvent({
      id: 'e1',
      type: 'account.login',
      time: '2026-05-03T08:15:00Z',
      data: { accountId: 'a1', browserLanguage: 'fr-CA' },
    });
    expect(result.ok && result.event.data).toMatchObject({ browserLanguage: 'fr-CA' });
  });

  it('names the field and the reason of a bad event', () => {
    const result = parseEvent({
      id: 'e2',
      type: 'refund.requested',
      time: '2026-05-03T08:15:00Z',
      data: {
        refundId: 'r',
        orderId: 'o',
        accountId: 'a',
        amountMinor: 12.5,
        currency: 'usd',
        reason: 'bored',
        channel: 'chat',
      },
    });
    expect(result.ok).toBe(false);
    const fields = result.ok ? [] : result.problems.map((problem) => problem.field);
    expect(fields).toEqual(expect.arrayContaining(['data.amountMinor', 'data.currency', 'data.reason']));
  });

  it('rejects an unknown type and a time without a timezone', () => {
    const unknownType = parseEvent({
      id: 'e3',
      type: 'order.teleported',
      time: '2026-05-03T08:15:00Z',
      data: {},
    });
    expect(unknownType.ok ? [] : unknownType.problems.map((problem) => problem.field)).toEqual(['type']);
    const noZone = parseEvent({
      id: 'e4',
      type: 'account.login',
      time: '2026-05-03T08:15:00',
      data: { accountId: 'a' },
    });
    expect(noZone.ok ? [] : noZone.problems.map((problem) => problem.field)).toEqual(['time']);
  });
});

/** A payload per type with every field of the contract filled in. */
const FULL_PAYLOADS: Record<EventType, Record<string, unknown>> = {
  'account.created': {
    accountId: 'a1',
    email: 'a@b.c',
    name: 'A B',
    phone: '+1 555 0100',
    address: { line1: '1 Main St', line2: '#2', city: 'X', region: 'CA', postalCode: '90000', country: 'US' },
    deviceId: 'd1',
    ip: '1.2.3.4',
    marketplace: 'US',
  },
  'account.updated': {
    accountId: 'a1',
    email: 'a@b.c',
    name: 'A B',
    phone: '+1 555 0100',
    address: { line1: '1 Main St', city: 'X', postalCode: '90000', country: 'us' },
  },
  'account.login': { accountId: 'a1', deviceId: 'd1', ip: '1.2.3.4', userAgent: 'UA' },
  'account.closed': { accountId: 'a1', reason: 'fraud', agentId: 'ag1' },
  'order.placed': {
    orderId: 'o1',
    accountId: 'a1',
    currency: 'USD',
    items: [
      { sku: 's1', title: 'T', category: 'c', brand: 'b', priceMinor: 100, quantity: 2 },
      { sku: 's2', title: 'U', priceMinor: 0 },
    ],
    shipTo: { line1: '1 Main St', city: 'X', postalCode: '90000', country: 'US' },
    paymentFingerprint: 'card1',
    deviceId: 'd1',
    ip: '1.2.3.4',
    marketplace: 'US',
  },
  'order.delivered': {
    orderId: 'o1',
    carrier: 'UPS',
    trackingId: '1Z',
    signature: true,
    photo: false,
    weightGrams: 12.5,
  },
  'contact.created': {
    contactId: 'c1',
    accountId: 'a1',
    channel: 'chat',
    agentId: 'ag1',
    deviceId: 'd1',
    ip: '1.2.3.4',
    language: 'en',
    orderId: 'o1',
    identityVerified: false,
    messages: [
      { from: 'customer', text: 'hi', time: '2026-05-03T08:15:00.5+02:00' },
      { from: 'agent', text: 'hello' },
    ],
  },
  'refund.requested': {
    refundId: 'r1',
    orderId: 'o1',
    accountId: 'a1',
    amountMinor: 100,
    currency: 'EUR',
    reason: 'not_received',
    channel: 'self_service',
    contactId: 'c1',
    agentId: 'ag1',
    returnRequired: true,
  },
  'refund.decided': { refundId: 'r1', outcome: 'approved', agentId: 'ag1', policyOverride: false },
  'return.updated': {
    refundId: 'r1',
    status: 'delivered',
    carrier: 'UPS',
    trackingId: '1Z',
    destinationPostalCode: '90000',
    weightGrams: 0,
    condition: 'empty',
  },
  'agent.action': {
    agentId: 'ag1',
    action: 'refund.approved',
    accountId: 'a1',
    orderId: 'o1',
    refundId: 'r1',
    contactId: 'c1',
    deviceId: 'd1',
    ip: '1.2.3.4',
  },
  'intel.post': {
    postId: 'p1',
    source: 'telegram',
    channel: '@x',
    author: 'y',
    url: 'https://t.me/x',
    text: 'order 123',
    images: [{ file: 'a.png', base64: 'AA==', mime: 'image/png' }, {}],
  },
  'label.set': { subject: 'refund', subjectId: 'r1', label: 'fraud', note: 'n' },
};

/** Values of every kind a field might wrongly (or rightly) hold. */
const ODD_VALUES: unknown[] = [
  undefined,
  null,
  '',
  'x',
  'USD',
  'us',
  'chat',
  'fraud',
  '2026-05-03T08:15:00Z',
  '2026-02-30T08:15:00Z',
  0,
  -1,
  1.5,
  2 ** 60,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  true,
  [],
  [{}],
  {},
];

/** The payload with one field (at any depth) replaced or removed, for every field and odd value. */
function* variants(value: unknown): Generator<unknown> {
  yield value;
  if (Array.isArray(value)) {
    for (let index = 0; index < value.length; index += 1) {
      for (const inner of variants(value[index])) {
        if (inner !== value[index]) yield value.map((item, at) => (at === index ? inner : item));
      }
    }
    yield [];
    return;
  }
  if (typeof value !== 'object' || value === null) {
    yield* ODD_VALUES;
    return;
  }
  const object = value as Record<string, unknown>;
  for (const key of Object.keys(object)) {
    const { [key]: _removed, ...without } = object;
    yield without;
    for (const inner of variants(object[key])) {
      if (inner !== object[key]) yield { ...object, [key]: inner };
    }
  }
  yield { ...object, extra: 1 };
}

describe('the hand-written payload checks', () => {
  it('accept exactly what the zod schemas accept', () => {
    let compared = 0;
    let accepted = 0;
    for (const type of EVENT_TYPES) {
      for (const data of variants(FULL_PAYLOADS[type])) {
        if (typeof data !== 'object' || data === null || Array.isArray(data)) continue;
        const payload = data as Record<string, unknown>;
        const byZod = PAYLOAD_SCHEMAS[type].safeParse(payload).success;
        expect(PAYLOAD_CHECKS[type](payload), `${type} ${JSON.stringify(payload)}`).toBe(byZod);
        compared += 1;
        if (byZod) accepted += 1;
      }
    }
    // Both sides of the comparison were exercised.
    expect(accepted).toBeGreaterThan(100);
    expect(compared - accepted).toBeGreaterThan(1000);
  });

  it.runIf(existsSync(EXAMPLES))('accept every example of the contract, as zod does', () => {
    const lines = readFileSync(EXAMPLES, 'utf8').split('\n').filter(Boolean);
    for (const line of lines) {
      const { type, data } = JSON.parse(line) as { type: EventType; data: Record<string, unknown> };
      expect(PAYLOAD_CHECKS[type](data), line).toBe(true);
    }
  });

  it('leaves a valid payload as it came, and reports a bad one as zod names it', () => {
    const data = { accountId: 'a1', deviceId: 'd1', note: 'kept' };
    const result = parseEvent({ id: 'e5', type: 'account.login', time: '2026-05-03T08:15:00Z', data });
    expect(result.ok && result.event.data).toBe(data);
    const bad = parseEvent({
      id: 'e6',
      type: 'order.placed',
      time: '2026-05-03T08:15:00Z',
      data: { ...FULL_PAYLOADS['order.placed'], items: [] },
    });
    expect(bad).toEqual({
      ok: false,
      problems: [{ field: 'data.items', reason: 'an order needs at least one item' }],
    });
  });
});
