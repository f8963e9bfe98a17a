// One behaviour suite for every storage dialect. DIALECTS narrows a local run (default: all);
// postgres uses REFUNDGUARD_TEST_PG_URL (under vitest an embedded server when none is given).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AssessmentRecord, Store } from '../../app/ports.ts';
import type { RefundguardEvent } from '../../core/events.ts';
import { openStore } from './open-store.ts';
import {
  accountCreated,
  accountLogin,
  assessment,
  contractEvent,
  orderDelivered,
  orderPlaced,
  refundDecided,
  refundRequested,
  returnUpdated,
} from './testing/test-events.ts';
import { createTestLocation, dialectsToTest, type TestLocation } from './testing/test-locations.ts';

const DIALECTS = dialectsToTest();
const ids = (events: RefundguardEvent[]) => events.map((event) => event.id);

async function allEvents(store: Store, pageSize?: number): Promise<RefundguardEvent[][]> {
  const pages: RefundguardEvent[][] = [];
  for await (const page of store.streamEvents(pageSize)) pages.push(page);
  return pages;
}

describe.each(DIALECTS)('%s store', (dialect) => {
  let testLocation: TestLocation | undefined;
  let store: Store;

  beforeEach(async () => {
    testLocation = await createTestLocation(dialect);
    store = await openStore(testLocation.location);
  });

  afterEach(async () => {
    await store?.close();
    await testLocation?.dispose();
  });

  it('reports its dialect and starts empty', async () => {
    expect(store.dialect).toBe(dialect);
    expect(await store.countEvents()).toBe(0);
    expect(await allEvents(store)).toEqual([]);
  });

  it('migrates again safely and keeps data across reopening', async () => {
    await store.appendBatch([accountCreated('e1', 'a1', '2026-10-01T12:00:00Z')], []);
    await store.migrate();
    await store.migrate();
    await store.close();
    store = await openStore(testLocation!.location);
    expect(await store.countEvents()).toBe(1);
  });

  it('stores a re-sent id once and keeps the first version', async () => {
    const first = accountCreated('e1', 'a1', '2026-10-01T12:00:00Z');
    const resent = accountCreated('e1', 'a-other', '2026-10-02T12:00:00Z');
    expect(await store.appendBatch([first], [])).toEqual({ inserted: 1 });
    expect(await store.appendBatch([resent], [])).toEqual({ inserted: 0 });
    expect((await allEvents(store)).flat()).toEqual([first]);
  });

  it('counts an id repeated in a batch once, keeping its first occurrence and the batch order', async () => {
    const [a, b, c, d] = ['e1', 'e2', 'e3', 'e4'].map((id) =>
      accountLogin(id, 'a1', '2026-10-01T12:00:00Z'),
    ) as [RefundguardEvent, RefundguardEvent, RefundguardEvent, RefundguardEvent];
    const laterD = accountLogin('e4', 'a-other', '2026-10-01T12:00:00Z');
    await store.appendBatch([a, b], []);
    expect(await store.appendBatch([d, b, c, laterD, c], [])).toEqual({ inserted: 2 });
    expect((await allEvents(store)).flat()).toEqual([a, b, d, c]);
  });

  it('commits batches sent without waiting one after another, in call order', async () => {
    const [a, b, c] = ['e1', 'e2', 'e3'].map((id) => accountLogin(id, 'a1', '2026-10-01T12:00:00Z')) as [
      RefundguardEvent,
      RefundguardEvent,
      RefundguardEvent,
    ];
    const results = await Promise.all([
      store.appendBatch([a, b], []),
      store.appendBatch([c, b, a], [assessment({ subjectId: 'r1', decision: 'approve' })]),
      store.appendBatch([b, c], [assessment({ subjectId: 'r1', decision: 'deny' })]),
    ]);
    expect(results).toEqual([{ inserted: 2 }, { inserted: 1 }, { inserted: 0 }]);
    expect(ids((await allEvents(store)).flat())).toEqual(['e1', 'e2', 'e3']);
    expect((await store.getAssessment('refund', 'r1'))?.decision).toBe('deny');
  });

  it('stores the assessments with the events, the last of a repeated key winning', async () => {
    const request = refundRequested('e1', 'a1', 'r1', 'o1', '2026-10-01T12:00:00Z');
    const signup = assessment({ subjectType: 'signup', subjectId: 'a1', accountId: 'a1', amountMinor: null });
    const first = assessment({ subjectId: 'r1', accountId: 'a1', at: request.at, decision: 'approve' });
    const last = { ...first, decision: 'review', score: 0.5 };
    expect(await store.appendBatch([request], [signup, first, last])).toEqual({ inserted: 1 });
    expect(await store.getAssessment('refund', 'r1', 'request')).toEqual(last);
    expect(await store.getAssessment('signup', 'a1')).toEqual(signup);
    // Assessments alone, or an empty batch, are fine too.
    expect(await store.appendBatch([], [first])).toEqual({ inserted: 0 });
    expect(await store.getAssessment('refund', 'r1', 'request')).toEqual(first);
    expect(await store.appendBatch([], [])).toEqual({ inserted: 0 });
  });

  it('commits nothing, events included, when an assessment cannot be stored; the batch can be sent again', async () => {
    await store.appendBatch([accountCreated('e1', 'a1', '2026-10-01T12:00:00Z')], []);
    const batch = [
      refundRequested('e2', 'a1', 'r1', 'o1', '2026-10-01T12:01:00Z'),
      accountLogin('e3', 'a1', '2026-10-01T12:02:00Z'),
    ];
    const broken = { ...assessment({ subjectId: 'r1' }), accountId: null } as unknown as AssessmentRecord;
    await expect(store.appendBatch(batch, [assessment({ subjectId: 'r0' }), broken])).rejects.toThrow(
      /null/i,
    );
    expect(await store.countEvents()).toBe(1);
    expect(await store.getAssessment('refund', 'r0')).toBeUndefined();

    // The store is still usable, and the same batch goes in whole.
    const record = assessment({ subjectId: 'r1' });
    expect(await store.appendBatch(batch, [record])).toEqual({ inserted: 2 });
    expect(await store.getAssessment('refund', 'r1')).toEqual(record);
    expect(ids((await allEvents(store)).flat())).toEqual(['e1', 'e2', 'e3']);
  });

  it('rolls back a failed batch alone: the batches sent around it still commit', async () => {
    const broken = { ...assessment({ subjectId: 'r1' }), accountId: null } as unknown as AssessmentRecord;
    const [first, failed, last] = await Promise.allSettled([
      store.appendBatch([accountLogin('e1', 'a1', '2026-10-01T12:00:00Z')], []),
      store.appendBatch([accountLogin('e2', 'a1', '2026-10-01T12:00:00Z')], [broken]),
      store.appendBatch([accountLogin('e3', 'a1', '2026-10-01T12:00:00Z')], []),
    ]);
    expect(first).toEqual({ status: 'fulfilled', value: { inserted: 1 } });
    expect(failed?.status).toBe('rejected');
    expect(last).toEqual({ status: 'fulfilled', value: { inserted: 1 } });
    expect(ids((await allEvents(store)).flat())).toEqual(['e1', 'e3']);
  });

  it('lets writes already sent commit before it closes', async () => {
    const writes = [0, 1, 2].map((batch) =>
      store.appendBatch(
        Array.from({ length: 500 }, (_, index) =>
          accountLogin(`close-${batch}-${index}`, 'a1', '2026-10-01T12:00:00Z'),
        ),
        [],
      ),
    );
    await store.close();
    expect(await Promise.all(writes)).toEqual([{ inserted: 500 }, { inserted: 500 }, { inserted: 500 }]);
    await expect(
      store.appendBatch([accountLogin('late', 'a1', '2026-10-01T12:00:00Z')], []),
    ).rejects.toThrow();
    store = await openStore(testLocation!.location);
    expect(await store.countEvents()).toBe(1500);
  });

  it('appends a batch of 5,000 events in one call', async () => {
    const batch = Array.from({ length: 5000 }, (_, index) =>
      accountLogin(`bulk-${index}`, `a${index % 7}`, '2026-10-01T12:00:00Z'),
    );
    expect(await store.appendBatch(batch, [])).toEqual({ inserted: 5000 });
    expect(await store.appendBatch(batch, [])).toEqual({ inserted: 0 });
    const streamed = (await allEvents(store, 1200)).flat();
    expect(ids(streamed)).toEqual(ids(batch));
  });

  it('streams events by time, then arrival, across pages', async () => {
    await store.appendBatch(
      [
        accountLogin('late', 'a1', '2026-10-01T12:00:03Z'),
        accountLogin('tie-first', 'a1', '2026-10-01T12:00:01Z'),
      ],
      [],
    );
    await store.appendBatch(
      [
        accountLogin('tie-second', 'a1', '2026-10-01T12:00:01Z'),
        // The same instant as 12:00:00Z, written with an offset: ordered by instant, not text.
        accountLogin('earliest', 'a1', '2026-10-01T14:00:00+02:00'),
        accountLogin('middle', 'a1', '2026-10-01T12:00:02Z'),
        accountLogin('tie-third', 'a1', '2026-10-01T12:00:01.000Z'),
      ],
      [],
    );
    const expected = ['earliest', 'tie-first', 'tie-second', 'tie-third', 'middle', 'late'];
    const pages = await allEvents(store, 2);
    expect(pages.map((page) => page.length)).toEqual([2, 2, 2]);
    expect(ids(pages.flat())).toEqual(expected);
    expect(ids((await allEvents(store, 4)).flat())).toEqual(expected);
    expect(ids((await allEvents(store)).flat())).toEqual(expected);
    await expect(allEvents(store, 0)).rejects.toThrow(RangeError);
  });

  it('finds the events of an account, follow-ups of its orders and refunds included', async () => {
    // The delivery arrives before its order: it must still be found once the order is stored.
    await store.appendBatch([orderDelivered('delivered', 'o1', '2026-10-03T00:00:00Z')], []);
    await store.appendBatch(
      [
        accountCreated('created', 'a1', '2026-10-01T00:00:00Z'),
        accountCreated('other-created', 'a2', '2026-10-01T00:00:00Z'),
        orderPlaced('placed', 'a1', 'o1', '2026-10-02T00:00:00Z'),
        orderPlaced('other-placed', 'a2', 'o2', '2026-10-02T00:00:00Z'),
        orderDelivered('other-delivered', 'o2', '2026-10-03T00:00:00Z'),
        refundRequested('requested', 'a1', 'r1', 'o1', '2026-10-04T00:00:00Z'),
        returnUpdated('return', 'r1', '2026-10-05T00:00:00Z'),
        refundDecided('decided', 'r1', '2026-10-06T00:00:00Z'),
        refundDecided('other-decided', 'r2', '2026-10-06T00:00:00Z'),
        contractEvent({
          id: 'label',
          type: 'label.set',
          time: '2026-10-07T00:00:00Z',
          data: { subject: 'account', subjectId: 'a1', label: 'fraud' },
        }),
      ],
      [],
    );
    const expected = ['created', 'placed', 'delivered', 'requested', 'return', 'decided', 'label'];
    expect(ids(await store.eventsForAccount('a1'))).toEqual(expected);
    expect(ids(await store.eventsForAccount('a1', 3))).toEqual(expected.slice(0, 3));
    expect(ids(await store.eventsForAccount('a2'))).toEqual([
      'other-created',
      'other-placed',
      'other-delivered',
    ]);
    expect(await store.eventsForAccount('nobody')).toEqual([]);
  });

  it('keeps unknown fields, exact time text and awkward strings', async () => {
    const event = contractEvent({
      id: 'ev "quoted" \\ {braces} ünïcødé 🚚',
      type: 'order.placed',
      time: '2026-10-01T12:00:00.123+02:00',
      data: {
        orderId: 'o1',
        accountId: 'a1',
        currency: 'EUR',
        items: [
          { sku: 's', title: 'Title with "quotes", commas, {braces} and \\', priceMinor: 0, color: 'red' },
        ],
        shipTo: { line1: 'x', city: 'Paris', postalCode: '75001', country: 'FR', floor: 3 },
        retailerExtension: { nested: [1, 'two', null, true, { deep: 2 ** 53 - 1 }], empty: {} },
        note: 'line one\nline two\ttabbed',
      },
    });
    await store.appendBatch([event], []);
    expect((await allEvents(store)).flat()).toEqual([event]);
    expect(await store.eventsForAccount('a1')).toEqual([event]);
  });

  it('upserts, gets and lists assessments with filters', async () => {
    const first = assessment({ subjectId: 'r1', accountId: 'a1', at: 1000, decision: 'approve' });
    const apiCheck = assessment({ subjectId: 'r1', kind: 'api', accountId: 'a1', at: 900, createdAt: 9e12 });
    const denied = assessment({
      subjectId: 'r2',
      accountId: 'a2',
      at: 2000,
      decision: 'deny',
      amountUsdMinor: 5,
    });
    const signup = assessment({
      subjectType: 'signup',
      subjectId: 'a3',
      accountId: 'a3',
      at: 3000,
      decision: 'block',
      amountMinor: null,
      currency: null,
      amountUsdMinor: null,
    });
    for (const record of [first, apiCheck, denied, signup]) await store.saveAssessment(record);
    const updated = { ...first, decision: 'review', score: 0.875, reasons: [] };
    await store.saveAssessment(updated);

    expect(await store.getAssessment('refund', 'r1', 'request')).toEqual(updated);
    expect(await store.getAssessment('refund', 'r1')).toEqual(apiCheck); // made most recently
    expect(await store.getAssessment('signup', 'a3')).toEqual(signup);
    expect(await store.getAssessment('signup', 'r1')).toBeUndefined();

    expect(await store.listAssessments({})).toEqual([signup, denied, updated, apiCheck]);
    expect(await store.listAssessments({ subjectType: 'refund', kind: 'request' })).toEqual([
      denied,
      updated,
    ]);
    expect(await store.listAssessments({ accountId: 'a1' })).toEqual([updated, apiCheck]);
    expect(await store.listAssessments({ decisions: ['deny', 'block'] })).toEqual([signup, denied]);
    expect(await store.listAssessments({ decisions: [] })).toEqual([]);
    expect(await store.listAssessments({ limit: 2, offset: 1 })).toEqual([denied, updated]);
    expect(await store.listAssessments({ offset: 3 })).toEqual([apiCheck]);
  });

  it('creates, finds, lists and revokes api keys', async () => {
    const reader = {
      id: 'k1',
      name: 'reader',
      hash: 'a'.repeat(64),
      role: 'analyst',
      createdAt: 1,
      revokedAt: null,
      createdBy: null,
    };
    const admin = {
      id: 'k2',
      name: 'admin',
      hash: 'b'.repeat(64),
      role: 'admin',
      createdAt: 2,
      revokedAt: null,
      // Made in the console by a person: the key answers for them.
      createdBy: 'user:u1',
    };
    await store.createApiKey(admin);
    await store.createApiKey(reader);
    await expect(store.createApiKey({ ...reader, id: 'k3' })).rejects.toThrow();

    expect(await store.findApiKeyByHash(reader.hash)).toEqual(reader);
    expect(await store.findApiKeyByHash('c'.repeat(64))).toBeUndefined();
    expect(await store.listApiKeys()).toEqual([reader, admin]);

    expect(await store.revokeApiKey('k1', 500)).toBe(true);
    expect(await store.revokeApiKey('k1', 600)).toBe(true);
    expect(await store.revokeApiKey('missing', 600)).toBe(false);
    expect(await store.findApiKeyByHash(reader.hash)).toEqual({ ...reader, revokedAt: 500 });
    expect((await store.listApiKeys()).map((key) => key.revokedAt)).toEqual([500, null]);
  });

  it('gets and sets meta values', async () => {
    expect(await store.getMeta('rulePackVersion')).toBeUndefined();
    await store.setMeta('rulePackVersion', 'v1');
    await store.setMeta('rulePackVersion', 'v2');
    await store.setMeta('empty', '');
    expect(await store.getMeta('rulePackVersion')).toBe('v2');
    expect(await store.getMeta('empty')).toBe('');
  });
});

describe('store location', () => {
  it('opens an in-memory SQLite store', async () => {
    const store = await openStore(':memory:');
    await store.appendBatch([accountCreated('e1', 'a1', '2026-10-01T12:00:00Z')], []);
    expect(await store.countEvents()).toBe(1);
    await store.close();
  });
});
