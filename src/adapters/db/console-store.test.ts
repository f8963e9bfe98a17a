// The console's store on each database: the webhook outbox survives a restart (a delivery that
// failed before the process stopped is sent by the next one), and one joinable case per subject
// holds under concurrent joins from two connections (two processes), every piece of evidence in it.
import { afterEach, describe, expect, it } from 'vitest';
import { createConsoleServices } from '../../app/console.ts';
import type { CaseRecord, EvidenceRecord } from '../../app/console-ports.ts';
import { RiskEngine } from '../../app/engine.ts';
import { loadRulePack } from '../../app/rule-pack-file.ts';
import { verifySignature } from '../../app/webhooks.ts';
import { moneyAtRiskUsdMinor } from '../../core/cases/case-machine.ts';
import { EventBuilder } from '../../core/testing/event-builder.ts';
import { openConsoleStore } from './console-store.ts';
import { openStore } from './open-store.ts';
import { accountCase } from './testing/case-records.ts';
import { createTestLocation, dialectsToTest, type TestLocation } from './testing/test-locations.ts';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()?.();
});

async function location(dialect: 'sqlite' | 'postgres'): Promise<TestLocation> {
  const created = await createTestLocation(dialect);
  cleanups.push(() => created.dispose());
  return created;
}

function refundEvidence(caseId: string, refundId: string, usdMinor: number): EvidenceRecord {
  return {
    caseId,
    kind: 'assessment',
    refId: refundId,
    summary: `Refund ${refundId}`,
    at: 1,
    amountUsdMinor: usdMinor,
    data: { decision: 'review', reasons: ['r'] },
  };
}

for (const dialect of dialectsToTest()) {
  describe(`console store on ${dialect}`, () => {
    it('keeps a failed webhook delivery in the outbox across a restart and sends it from the next process', async () => {
      const where = await location(dialect);
      const store = await openStore(where.location);
      cleanups.push(() => store.close());
      const engine = new RiskEngine(store, loadRulePack(), Date.now);
      await engine.load();

      // First process: the retailer's endpoint is down.
      let failedAttempts = 0;
      let firstAttempt: () => void = () => undefined;
      const attempted = new Promise<void>((resolve) => {
        firstAttempt = resolve;
      });
      const first = createConsoleServices({
        engine,
        store,
        consoleStore: await openConsoleStore(where.location),
        clock: Date.now,
        webhooks: {
          baseDelayMs: 5,
          maxAttempts: 5,
          fetch: async () => {
            failedAttempts += 1;
            firstAttempt();
            throw new Error('connect ECONNREFUSED');
          },
        },
      });
      first.start();
      const hook = await first.webhooks.register({ url: 'https://hooks.retailer.test/in' }, 'system');
      const [queued] = await first.webhooks.dispatch('action.executed', null, { hello: 'world' });
      expect(queued).toBeDefined();
      await attempted;
      await first.close();
      const reader = await openConsoleStore(where.location);
      const [afterStop] = await reader.listDeliveries({ limit: 10 });
      await reader.close();
      expect(afterStop).toMatchObject({ id: queued?.id, status: 'pending' });
      expect(afterStop?.attempts).toBeGreaterThanOrEqual(1);
      expect(afterStop?.nextAttemptAt).not.toBeNull();
      const attemptsBefore = afterStop?.attempts ?? 0;
      expect(attemptsBefore).toBe(failedAttempts);

      // Second process, same database: the endpoint is back; the delivery goes out once, signed.
      const received: { body: string; signature: string | null; delivery: string | null }[] = [];
      const second = createConsoleServices({
        engine,
        store,
        consoleStore: await openConsoleStore(where.location),
        clock: Date.now,
        webhooks: {
          baseDelayMs: 5,
          maxAttempts: 5,
          fetch: async (_url, init) => {
            const headers = new Headers(init?.headers);
            received.push({
              body: String(init?.body),
              signature: headers.get('x-refundguard-signature'),
              delivery: headers.get('x-refundguard-delivery'),
            });
            return new Response(null, { status: 204 });
          },
        },
      });
      second.start();
      cleanups.push(() => second.close());
      await second.webhooks.idle();
      expect(received).toHaveLength(1);
      expect(received[0]?.delivery).toBe(queued?.id);
      expect(verifySignature(hook.secret, received[0]?.body ?? '', received[0]?.signature ?? undefined)).toBe(
        true,
      );
      const [delivered] = await second.consoleStore.listDeliveries({ limit: 10 });
      expect(delivered).toMatchObject({
        status: 'delivered',
        attempts: attemptsBefore + 1,
        lastStatusCode: 204,
        nextAttemptAt: null,
      });
      expect(await second.consoleStore.nextOutboxAt()).toBeUndefined();
    });

    it('gives up after the last attempt, and fails deliveries of a disabled webhook without sending them', async () => {
      const where = await location(dialect);
      const store = await openStore(where.location);
      cleanups.push(() => store.close());
      const engine = new RiskEngine(store, loadRulePack(), Date.now);
      let calls = 0;
      const services = createConsoleServices({
        engine,
        store,
        consoleStore: await openConsoleStore(where.location),
        clock: Date.now,
        webhooks: {
          baseDelayMs: 1,
          maxAttempts: 3,
          fetch: async () => {
            calls += 1;
            return new Response('no', { status: 500 });
          },
        },
      });
      services.start();
      cleanups.push(() => services.close());
      const hook = await services.webhooks.register({ url: 'https://hooks.retailer.test/down' }, 'system');
      await services.webhooks.dispatch('action.executed', null, { n: 1 });
      await services.webhooks.idle();
      expect(calls).toBe(3);
      expect((await services.consoleStore.listDeliveries({ limit: 10 }))[0]).toMatchObject({
        status: 'failed',
        attempts: 3,
        lastStatusCode: 500,
      });

      // Queued, then the endpoint is disabled before it is sent: it fails without a call.
      await services.webhooks.close();
      const paused = createConsoleServices({
        engine,
        store,
        consoleStore: await openConsoleStore(where.location),
        clock: Date.now,
        webhooks: {
          fetch: async () => {
            calls += 1;
            return new Response(null, { status: 204 });
          },
        },
      });
      // Not started: it queues, it does not send.
      cleanups.push(() => paused.close());
      const [queued] = await paused.webhooks.dispatch('action.executed', null, { n: 2 });
      await paused.webhooks.setActive(hook.id, false, 'system');
      const resumed = createConsoleServices({
        engine,
        store,
        consoleStore: await openConsoleStore(where.location),
        clock: Date.now,
        webhooks: {
          fetch: async () => {
            calls += 1;
            return new Response(null, { status: 204 });
          },
        },
      });
      resumed.start();
      cleanups.push(() => resumed.close());
      await resumed.webhooks.idle();
      expect(calls).toBe(3);
      const row = (await resumed.consoleStore.listDeliveries({ limit: 10 })).find(
        (delivery) => delivery.id === queued?.id,
      );
      expect(row).toMatchObject({ status: 'failed', lastError: 'the webhook is disabled' });
    });

    it('holds one joinable case per subject under concurrent joins from two connections, with all evidence', async () => {
      const where = await location(dialect);
      const store = await openStore(where.location);
      cleanups.push(() => store.close());
      const one = await openConsoleStore(where.location);
      const two = await openConsoleStore(where.location);
      cleanups.push(
        () => one.close(),
        () => two.close(),
      );
      const refunds = Array.from({ length: 24 }, (_, index) => ({
        id: `refund-${index}`,
        usdMinor: 1000 * (index + 1),
      }));
      await Promise.all(
        refunds.map(async (refund, index) => {
          const connection = index % 2 === 0 ? one : two;
          const { record } = await connection.createCaseOnce(accountCase('acct-race'));
          await connection.addEvidenceAndRefresh(
            refundEvidence(record.id, refund.id, refund.usdMinor),
            (all) => ({
              priorityUsdMinor: moneyAtRiskUsdMinor(
                all.map((item) => ({ refundId: item.refId, amountUsdMinor: item.amountUsdMinor })),
              ),
              refundCount: all.length,
              topReasons: ['r'],
              agentIds: [],
              updatedAt: 2,
            }),
          );
        }),
      );
      const listed = await one.listCases({ types: ['refund'], limit: 10, offset: 0 });
      expect(listed.items).toHaveLength(1);
      const [only] = listed.items;
      expect(only?.refundCount).toBe(24);
      expect(only?.priorityUsdMinor).toBe(refunds.reduce((sum, refund) => sum + refund.usdMinor, 0));
      expect(await one.listEvidence(only?.id ?? '')).toHaveLength(24);

      // A closed case no longer holds the subject: the next detection opens a new one.
      await one.updateCase({ ...(only as CaseRecord), status: 'closed' });
      const reopened = await two.createCaseOnce(accountCase('acct-race'));
      expect(reopened.created).toBe(true);
      expect((await two.createCaseOnce(accountCase('acct-race'))).record.id).toBe(reopened.record.id);
    });

    it('opens one case per account when two console processes see the same assessments at once', async () => {
      const where = await location(dialect);
      const store = await openStore(where.location);
      cleanups.push(() => store.close());
      const engine = new RiskEngine(store, loadRulePack(), Date.now);
      await engine.load();
      const first = createConsoleServices({
        engine,
        store,
        consoleStore: await openConsoleStore(where.location),
        clock: Date.now,
      });
      first.start();
      const second = createConsoleServices({
        engine,
        store,
        consoleStore: await openConsoleStore(where.location),
        clock: Date.now,
      });
      second.start();
      cleanups.push(
        () => first.close(),
        () => second.close(),
      );
      // Both listen to the engine; then both run the catch-up scan over the same rows.
      const world = new EventBuilder().refunderWorking(4, 'The box arrived empty, I want a supervisor now.');
      await engine.ingest(world.raw);
      await Promise.all([first.cases.idle(), second.cases.idle()]);
      await Promise.all([first.cases.syncCases(), second.cases.syncCases()]);
      const listed = await first.consoleStore.listCases({ limit: 50, offset: 0 });
      const subjects = listed.items.map((item) => item.subjectId).sort();
      expect(subjects).toEqual([...new Set(subjects)]);
      expect(subjects.length).toBeGreaterThan(0);
      for (const item of listed.items) {
        const evidence = await first.consoleStore.listEvidence(item.id);
        expect(item.refundCount).toBe(evidence.length);
      }
    });
  });
}
