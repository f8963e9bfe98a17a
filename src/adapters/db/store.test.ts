// One behaviour suite for every storage dialect. DIALECTS narrows a local run (default: all);
// postgres needs REFUNDGUARD_TEST_PG_URL and fails loudly without it.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AssessmentRecord, Store } from '../../app/ports.ts';
import type { RefundguardEvent } from '../../core/events.ts';
import { defaultStoreLocation, openStore } from './open-store.ts';
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
const noAssessments = () => [];
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
    await store.commitBatch([accountCreated('e1', 'a1', '2026-10-01T12:00:00Z')], noAssessments);
    await store.migrate();
    await store.migrate();
    await store.close();
    store = await openStore(testLocation!.location);
    expect(await store.countEvents()).toBe(1);
  });

  it('stores a re-sent id once and keeps the first version', async () => {
    const first = accountCreated('e1', 'a1', '2026-10-01T12:00:00Z');
    const resent = accountCreated('e1', 'a-other', '2026-10-02T12:00:00Z');
    expect(await store.commitBatch([first], noAssessments)).toEqual({ inserted: 1, duplicates: 0 });
    expect(await store.commitBatch([resent], noAssessments)).toEqual({ inserted: 0, duplicates: 1 });
    expect((await allEvents(store)).flat()).toEqual([first]);
  });

  it('passes decide exactly the new events, in order, skipping ids repeated in the batch', async () => {
    const [a, b, c, d] = ['e1', 'e2', 'e3', 'e4'].map((id, index) =>
      accountLogin(id, 'a1', `2026-10-01T12:00:0${index}Z`),
    ) as [RefundguardEvent, RefundguardEvent, RefundguardEvent, RefundguardEvent];
    await store.commitBatch([a, b], noAssessments);
    const seen: RefundguardEvent[][] = [];
    const result = await store.commitBatch([d, b, c, d, c], (inserted) => {
      seen.push(inserted);
      return [];
    });
    expect(result).toEqual({ inserted: 2, duplicates: 3 });
    expect(seen).toEqual([[d, c]]);
    expect(await store.countEvents()).toBe(4);
  });

  it('commits concurrent batches with overlapping ids one after another', async () => {
    const [a, b, c] = ['e1', 'e2', 'e3'].map((id) => accountLogin(id, 'a1', '2026-10-01T12:00:00Z')) as [
      RefundguardEvent,
      RefundguardEvent,
      RefundguardEvent,
    ];
    const decided: string[][] = [];
    const decide = (inserted: RefundguardEvent[]) => {
      decided.push(ids(inserted));
      return [];
    };
    const results = await Promise.all([
      store.commitBatch([a, b], decide),
      store.commitBatch([c, b, a], decide),
      store.commitBatch([b, c], decide),
    ]);
    expect(results).toEqual([
      { inserted: 2, duplicates: 0 },
      { inserted: 1, duplicates: 2 },
      { inserted: 0, duplicates: 2 },
    ]);
    expect(decided).toEqual([['e1', 'e2'], ['e3'], []]);
  });

  it('stores the assessments decide returns', async () => {
    const request = refundRequested('e1', 'a1', 'r1', 'o1', '2026-10-01T12:00:00Z');
    const record = assessment({ subjectId: 'r1', accountId: 'a1', at: request.at });
    await store.commitBatch([request], () => [record]);
    expect(await store.getAssessment('refund', 'r1', 'request')).toEqual(record);
  });

  it('commits nothing when decide throws, and the same batch can be sent again', async () => {
    await store.commitBatch([accountCreated('e1', 'a1', '2026-10-01T12:00:00Z')], noAssessments);
    const batch = [
      refundRequested('e2', 'a1', 'r1', 'o1', '2026-10-01T12:01:00Z'),
      accountLogin('e3', 'a1', '2026-10-01T12:02:00Z'),
    ];
    const failing = store.commitBatch(batch, () => {
      throw new Error('detector exploded');
    });
    await expect(failing).rejects.toThrow('detector exploded');
    expect(await store.countEvents()).toBe(1);

    const record = assessment({ subjectId: 'r1' });
    expect(await store.commitBatch(batch, () => [record])).toEqual({ inserted: 2, duplicates: 0 });
    expect(await store.getAssessment('refund', 'r1')).toEqual(record);
  });

  it('commits nothing when an assessment cannot be stored', async () => {
    const broken = { ...assessment({ subjectId: 'r1' }), accountId: null } as unknown as AssessmentRecord;
    const batch = [refundRequested('e1', 'a1', 'r1', 'o1', '2026-10-01T12:00:00Z')];
    await expect(store.commitBatch(batch, () => [assessment({ subjectId: 'r0' }), broken])).rejects.toThrow();
    expect(await store.countEvents()).toBe(0);
    expect(await store.getAssessment('refund', 'r0')).toBeUndefined();
  });

  it('commits a batch of 5,000 events in one call', async () => {
    const batch = Array.from({ length: 5000 }, (_, index) =>
      accountLogin(`bulk-${index}`, `a${index % 7}`, '2026-10-01T12:00:00Z'),
    );
    expect(await store.commitBatch(batch, noAssessments)).toEqual({ inserted: 5000, duplicates: 0 });
    expect(await store.commitBatch(batch, noAssessments)).toEqual({ inserted: 0, duplicates: 5000 });
    const streamed = (await allEvents(store, 1200)).flat();
    expect(ids(streamed)).toEqual(ids(batch));
  });

  it('streams events by time, then arrival, across pages', async () => {
    await store.commitBatch(
      [
        accountLogin('late', 'a1', '2026-10-01T12:00:03Z'),
        accountLogin('tie-first', 'a1', '2026-10-01T12:00:01Z'),
      ],
      noAssessments,
    );
    await store.commitBatch(
      [
        accountLogin('tie-second', 'a1', '2026-10-01T12:00:01Z'),
        // The same instant as 12:00:00Z, written with an offset: ordered by instant, not text.
        accountLogin('earliest', 'a1', '2026-10-01T14:00:00+02:00'),
        accountLogin('middle', 'a1', '2026-10-01T12:00:02Z'),
        accountLogin('tie-third', 'a1', '2026-10-01T12:00:01.000Z'),
      ],
      noAssessments,
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
    await store.commitBatch([orderDelivered('delivered', 'o1', '2026-10-03T00:00:00Z')], noAssessments);
    await store.commitBatch(
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
      noAssessments,
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
    await store.commitBatch([event], noAssessments);
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
    };
    const admin = {
      id: 'k2',
      name: 'admin',
      hash: 'b'.repeat(64),
      role: 'admin',
      createdAt: 2,
      revokedAt: null,
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
  it('defaults to a SQLite file under ./data, or REFUNDGUARD_DB', () => {
    const saved = process.env.REFUNDGUARD_DB;
    try {
      delete process.env.REFUNDGUARD_DB;
      expect(defaultStoreLocation()).toBe('./data/refundguard.sqlite');
      process.env.REFUNDGUARD_DB = 'postgres://somewhere/db';
      expect(defaultStoreLocation()).toBe('postgres://somewhere/db');
    } finally {
      if (saved === undefined) delete process.env.REFUNDGUARD_DB;
      else process.env.REFUNDGUARD_DB = saved;
    }
  });

  it('opens an in-memory SQLite store', async () => {
    const store = await openStore(':memory:');
    await store.commitBatch([accountCreated('e1', 'a1', '2026-10-01T12:00:00Z')], noAssessments);
    expect(await store.countEvents()).toBe(1);
    await store.close();
  });
});
