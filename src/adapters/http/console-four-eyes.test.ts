// Four-eyes under concurrency, on each database: two supervisors decide one proposed action at the
// same moment over real HTTP on loopback (on PostgreSQL through a pool of several connections), and
// two console stores on one location race the same compare-and-set. Exactly one decision wins, the
// action executes once, and it leaves one webhook delivery; the loser gets a 409 problem.
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ActionRecord, CaseRecord } from '../../app/console-ports.ts';
import { actionKey } from '../../core/cases/actions.ts';
import { openConsoleStore } from '../db/console-store.ts';
import { dialectsToTest } from '../db/testing/test-locations.ts';
import {
  type ConsoleTestServer,
  createConsoleTestServer,
  type SignedIn,
  signIn,
} from './testing/console-server.ts';

/** Races per kind; each race is its own proposed action. */
const RACES = 200;
/** Races run side by side (each still two requests on one action). */
const AT_ONCE = 8;

function caseRecord(): CaseRecord {
  return {
    id: randomUUID(),
    type: 'refund',
    subjectType: 'account',
    subjectId: 'race-account',
    title: 'Races',
    status: 'open',
    priorityUsdMinor: 0,
    marketplace: null,
    assigneeId: null,
    openedAt: 1,
    updatedAt: 1,
    refundCount: 0,
    topReasons: [],
    agentIds: [],
    outcome: null,
  };
}

function proposal(
  caseId: string,
  proposedBy: string,
  type: 'close_account' | 'reverse_refund',
  n: string,
): ActionRecord {
  const target = type === 'close_account' ? { accountId: `race-${n}` } : { refundId: `race-${n}` };
  return {
    id: randomUUID(),
    caseId,
    type,
    key: actionKey(caseId, type, target),
    accountId: target.accountId ?? 'race-account',
    refundId: target.refundId ?? null,
    status: 'proposed',
    proposedBy,
    proposedAt: 1,
    decidedBy: null,
    decidedAt: null,
    note: null,
    result: null,
    batchId: null,
  };
}

async function inBatches<T>(items: T[], size: number, run: (item: T) => Promise<void>): Promise<void> {
  for (let start = 0; start < items.length; start += size)
    await Promise.all(items.slice(start, start + size).map(run));
}

for (const dialect of dialectsToTest()) {
  describe(`four-eyes races on ${dialect}`, () => {
    let server: ConsoleTestServer;
    let base: string;
    let supervisor: SignedIn;
    let supervisor2: SignedIn;
    let receiver: Server;
    /** Deliveries received, by action id. */
    const received = new Map<string, number>();
    let caseId: string;

    beforeAll(async () => {
      server = await createConsoleTestServer(dialect);
      base = await server.app.listen({ port: 0, host: '127.0.0.1' });
      [supervisor, supervisor2] = await Promise.all([
        signIn(server.app, 'supervisor@test.local'),
        signIn(server.app, 'supervisor2@test.local'),
      ]);
      receiver = createServer((request, response) => {
        const chunks: Buffer[] = [];
        request.on('data', (chunk: Buffer) => chunks.push(chunk));
        request.on('end', () => {
          const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
          const actionId = String(body.data.action.id);
          received.set(actionId, (received.get(actionId) ?? 0) + 1);
          response.statusCode = 204;
          response.end();
        });
      });
      await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
      const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`;
      await server.services.webhooks.register({ url }, 'system');
      const record = caseRecord();
      await server.services.consoleStore.createCase(record);
      caseId = record.id;
    }, 60_000);

    afterAll(async () => {
      await server?.close();
      await new Promise((resolve) => receiver?.close(resolve));
    });

    const decide = async (who: SignedIn, actionId: string, decision: 'approve' | 'reject') => {
      const response = await fetch(`${base}/v1/actions/${actionId}/${decision}`, {
        method: 'POST',
        headers: { ...who.headers, 'content-type': 'application/json' },
        body: '{}',
      });
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    };

    async function race(type: 'close_account' | 'reverse_refund', second: 'approve' | 'reject') {
      const actions: ActionRecord[] = [];
      for (let index = 0; index < RACES; index += 1) {
        const action = proposal(caseId, `user:${server.users.investigator.id}`, type, `${second}-${index}`);
        await server.services.consoleStore.insertActionOnce(action);
        actions.push(action);
      }
      const outcomes = new Map<string, { status: number; body: Record<string, unknown> }[]>();
      await inBatches(actions, AT_ONCE, async (action) => {
        outcomes.set(
          action.id,
          await Promise.all([
            decide(supervisor, action.id, 'approve'),
            decide(supervisor2, action.id, second),
          ]),
        );
      });
      await server.services.webhooks.idle();
      let approvedWins = 0;
      for (const action of actions) {
        const answers = outcomes.get(action.id) ?? [];
        // Exactly one winner: one 200, one 409 problem that says why.
        expect(answers.map((answer) => answer.status).sort()).toEqual([200, 409]);
        const loser = answers.find((answer) => answer.status === 409);
        // The loser read it proposed and lost the compare-and-set, or read it decided already.
        expect(loser?.body.detail).toMatch(
          /^(Someone else decided this action at the same moment|Someone else already approved this action|The action is (approved|executed|rejected); it can no longer be)/,
        );
        const stored = await server.services.consoleStore.getAction(action.id);
        const winner = answers.find((answer) => answer.status === 200)?.body;
        expect(stored?.status).toBe(winner?.status);
        const executed = stored?.status === 'executed';
        if (executed) approvedWins += 1;
        else expect(stored?.status).toBe('rejected');
        // One execution (audited once), one delivery row, one delivery received; none when rejected.
        const audit = await server.services.consoleStore.listAudit({
          subject: `action:${action.id}`,
          limit: 10,
        });
        expect(audit.filter((row) => row.action === 'action.execute')).toHaveLength(executed ? 1 : 0);
        expect(audit.filter((row) => /^action\.(approve|reject)$/.test(row.action))).toHaveLength(1);
        expect(
          await server.services.consoleStore.listDeliveries({ actionId: action.id, limit: 10 }),
        ).toHaveLength(executed ? 1 : 0);
        expect(received.get(action.id) ?? 0).toBe(executed ? 1 : 0);
        if (type === 'close_account') {
          const closed = (await server.store.eventsForAccount(action.accountId ?? '')).filter(
            (event) => event.type === 'account.closed',
          );
          expect(closed).toHaveLength(executed ? 1 : 0);
          expect(server.engine.riskState.accounts.get(action.accountId ?? '')?.closed !== undefined).toBe(
            executed,
          );
        }
      }
      return approvedWins;
    }

    it(`approve against approve, ${RACES} times: one approval, one execution, one delivery each`, async () => {
      expect(await race('reverse_refund', 'approve')).toBe(RACES);
    }, 120_000);

    it(`approve against reject, ${RACES} times: one decision wins; a rejected closure closes nothing`, async () => {
      // Either request may win a race; every race was checked in full inside race().
      const approved = await race('close_account', 'reject');
      console.info(`approve won ${approved} of ${RACES} approve/reject races on ${dialect}`);
    }, 120_000);

    it('two console stores on one location (two processes): one compare-and-set wins each race', async () => {
      const other = await openConsoleStore(server.location.location);
      try {
        const stores = [server.services.consoleStore, other];
        for (let index = 0; index < RACES; index += 1) {
          const action = proposal(caseId, 'user:someone', 'reverse_refund', `cas-${index}`);
          await other.insertActionOnce(action);
          const wins = await Promise.all(
            stores.map((store, which) =>
              store.updateActionFrom('proposed', {
                ...action,
                status: which === 0 ? 'approved' : 'rejected',
                decidedBy: `user:${which}`,
              }),
            ),
          );
          expect(wins.filter(Boolean)).toHaveLength(1);
          const stored = await other.getAction(action.id);
          expect(stored?.status).toBe(wins[0] ? 'approved' : 'rejected');
        }
      } finally {
        await other.close();
      }
    }, 60_000);
  });
}
