// The engine end to end on a real store, once per database: events in, decisions out, nothing
// lost or duplicated, the same decisions after a restart.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore } from '../adapters/db/open-store.ts';
import {
  createTestLocation,
  dialectsToTest,
  type TestLocation,
} from '../adapters/db/testing/test-locations.ts';
import { EventBuilder } from '../core/testing/event-builder.ts';
import { RiskEngine } from './engine.ts';
import type { Store } from './ports.ts';
import { loadRulePack, parseRulePack } from './rule-pack-file.ts';

const rules = loadRulePack();

function ring(clients: number): EventBuilder {
  return new EventBuilder().refunderWorking(clients, 'The box arrived empty, I want a supervisor now.');
}

for (const dialect of dialectsToTest()) {
  describe(`engine on ${dialect}`, () => {
    let location: TestLocation;
    let store: Store;

    beforeEach(async () => {
      location = await createTestLocation(dialect);
      store = await openStore(location.location);
    });
    afterEach(async () => {
      await store.close();
      await location.dispose();
    });

    it('stores each event once, assesses every refund and sign-up, and reports bad events by position', async () => {
      const engine = new RiskEngine(store, rules, Date.now);
      const raw = ring(4).raw;
      const bad = {
        id: 'bad-1',
        type: 'refund.requested',
        time: '2026-10-20T00:00:00Z',
        data: { refundId: 'x' },
      };
      const first = await engine.ingest([...raw.slice(0, 10), bad, ...raw.slice(10)]);
      expect(first.inserted).toBe(raw.length);
      expect(first.assessed).toBe(4 + 4);
      expect(first.rejected).toHaveLength(1);
      expect(first.rejected[0]).toMatchObject({ index: 10, eventId: 'bad-1' });
      expect(first.rejected[0]?.problems.map((problem) => problem.field)).toContain('data.orderId');

      const again = await engine.ingest(raw);
      expect(again.inserted).toBe(0);
      expect(again.duplicates).toBe(raw.length);
      expect(await store.countEvents()).toBe(raw.length);

      const stored = await store.getAssessment('refund', 'refund-4', 'request');
      expect(['review', 'deny']).toContain(stored?.decision);
      expect(stored?.rulePackVersion).toBe(rules.pack.version);
      expect(stored?.reasons.map((reason) => reason.code)).toContain('REFUNDER_DEVICE');
      const signals = stored?.signals as { contact: { deviceForeignAccounts30d: number } } | undefined;
      expect(signals?.contact.deviceForeignAccounts30d).toBe(3);
    });

    it('decides on the past only, even when events arrive out of order', async () => {
      const inOrder = new RiskEngine(store, rules, Date.now);
      const events = ring(3).raw;
      await inOrder.ingest(events);
      const expected = await store.getAssessment('refund', 'refund-2', 'request');

      const otherLocation = await createTestLocation(dialect);
      const otherStore = await openStore(otherLocation.location);
      try {
        const shuffled = new RiskEngine(otherStore, rules, Date.now);
        await shuffled.ingest([...events].reverse());
        const actual = await otherStore.getAssessment('refund', 'refund-2', 'request');
        expect(actual?.signals).toEqual(expected?.signals);
        expect(actual?.decision).toBe(expected?.decision);
      } finally {
        await otherStore.close();
        await otherLocation.dispose();
      }
    });

    it('rebuilds the same state after a restart, so later decisions do not change', async () => {
      const world = ring(5);
      const engine = new RiskEngine(store, rules, Date.now);
      await engine.ingest(world.raw.filter((event) => event.data.refundId !== 'refund-5'));
      const restarted = new RiskEngine(store, rules, Date.now);
      await restarted.load();
      await restarted.ingest(world.raw);
      const fresh = await openStore(':memory:');
      try {
        const reference = new RiskEngine(fresh, rules, Date.now);
        await reference.ingest(world.raw);
        const expected = await fresh.getAssessment('refund', 'refund-5', 'request');
        const actual = await store.getAssessment('refund', 'refund-5', 'request');
        expect(actual?.signals).toEqual(expected?.signals);
        expect(actual?.decision).toBe(expected?.decision);
      } finally {
        await fresh.close();
      }
    });

    it('answers an API assessment with review, not an error, when a rule fails at run time', async () => {
      const yaml = `
name: broken
version: b1
referenceRatesToUsd: { USD: 1 }
hotGoods: {}
evidence:
  - family: value
    levels:
      - { id: zero, when: 'int(refund.amountUsd) / 0 > 1', fraudShare: 0.2, honestShare: 0.1, reason: ZERO, text: zero }
signupBands: [{ decision: allow }]
`;
      const engine = new RiskEngine(store, parseRulePack(yaml, 'inline'), Date.now);
      const result = await engine.assessRefundRequest(
        {
          refundId: 'r1',
          orderId: 'o1',
          accountId: 'a1',
          amountMinor: 100,
          currency: 'USD',
          reason: 'changed_mind',
          channel: 'self_service',
        },
        Date.parse('2026-10-01T00:00:00Z'),
      );
      expect(result.ok && result.assessment.decision).toBe('review');
      expect(result.ok && result.assessment.reasons[0]?.code).toBe('RULE_FAILED');
      expect((await store.getAssessment('refund', 'r1', 'api'))?.decision).toBe('review');
    });
  });
}
