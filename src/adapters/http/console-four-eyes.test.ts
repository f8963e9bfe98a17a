// Four-eyes on each database. Under concurrency: two supervisors decide one proposed action at the
// same moment over real HTTP on loopback (on PostgreSQL through a pool of several connections), and
// two console stores on one location race the same compare-and-set; exactly one decision wins, the
// action executes once and leaves one webhook delivery, the loser gets a 409 problem. And bound to
// the person: no approving one's own proposal from a second session, through a second key or a user
// one made; not twice; not after one's role was lowered; no case about oneself (one's refund cases
// as an agent included); no clearing one's own agent id.
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ActionRecord, CaseRecord } from '../../app/console-ports.ts';
import { actionKey } from '../../core/cases/actions.ts';
import { EventBuilder } from '../../core/testing/event-builder.ts';
import { openConsoleStore } from '../db/console-store.ts';
import { accountCase as refundCaseAbout } from '../db/testing/case-records.ts';
import { dialectsToTest } from '../db/testing/test-locations.ts';
import {
  type ConsoleTestServer,
  createConsoleTestServer,
  type SignedIn,
  signIn,
  TEST_PASSWORD,
} from './testing/console-server.ts';

/** Races per kind; each race is its own proposed action. */
const RACES = 200;
/** Races run side by side (each still two requests on one action). */
const AT_ONCE = 8;

/** The case the races hang their actions on. */
const caseRecord = (): CaseRecord => refundCaseAbout('race-account', 'Races');

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
    /**
     * Distinct deliveries received, by action id. A slow attempt may be retried (at least once, by
     * design), so what must be one is the delivery, not the number of attempts.
     */
    const received = new Map<string, Set<string>>();
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
          const deliveries = received.get(actionId) ?? new Set<string>();
          deliveries.add(String(body.id));
          received.set(actionId, deliveries);
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
        expect(received.get(action.id)?.size ?? 0).toBe(executed ? 1 : 0);
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

    it('runs an action a crash left approved but not run, once, when the services start again', async () => {
      // What a process that died between approving and running leaves: approved, nothing done.
      const action = proposal(caseId, `user:${server.users.investigator.id}`, 'close_account', 'stranded');
      await server.services.consoleStore.insertActionOnce(action);
      const approved = {
        ...action,
        status: 'approved' as const,
        decidedBy: 'user:someone-else',
        decidedAt: 2,
      };
      expect(await server.services.consoleStore.updateActionFrom('proposed', approved)).toBe(true);
      expect(await server.services.actions.resumeApproved()).toBe(1);
      await server.services.webhooks.idle();
      expect((await server.services.consoleStore.getAction(action.id))?.status).toBe('executed');
      expect(server.engine.riskState.accounts.get('race-stranded')?.closed?.reason).toBe('fraud');
      // Nothing is left to resume, and a second recovery runs nothing again.
      expect(await server.services.actions.resumeApproved()).toBe(0);
      const audit = await server.services.consoleStore.listAudit({
        subject: `action:${action.id}`,
        limit: 10,
      });
      expect(audit.filter((row) => row.action === 'action.execute').map((row) => row.actor)).toEqual([
        'system:recovery',
      ]);
      expect(received.get(action.id)?.size).toBe(1);
    });

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

type Caller = SignedIn | { key: string } | undefined;

for (const dialect of dialectsToTest()) {
  describe(`four-eyes binds to the person on ${dialect}`, () => {
    let server: ConsoleTestServer;
    let admin: SignedIn;
    let investigator: SignedIn;
    let supervisor2: SignedIn;
    let insider: SignedIn;
    const world = new EventBuilder();

    const api = (who: Caller, method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object) =>
      server.app.inject({
        method,
        url,
        headers: who === undefined ? {} : 'key' in who ? { authorization: `Bearer ${who.key}` } : who.headers,
        ...(payload !== undefined ? { payload } : {}),
      });

    /** A fresh case on its own account: a close_account proposal on it is a new action. */
    async function accountCase(accountId: string): Promise<string> {
      const record = { ...caseRecord(), subjectId: accountId, title: `Account ${accountId}` };
      await server.services.consoleStore.createCase(record);
      return record.id;
    }

    async function propose(who: Caller, accountId: string): Promise<string> {
      const response = await api(who, 'POST', `/v1/cases/${await accountCase(accountId)}/actions`, {
        type: 'close_account',
      });
      expect(response.statusCode).toBe(201);
      expect(response.json().status).toBe('proposed');
      return response.json().id as string;
    }

    async function person(email: string, role: 'admin' | 'supervisor', agentId: string | null = null) {
      await server.services.people.createUser({ email, name: email, role, password: TEST_PASSWORD, agentId });
      return signIn(server.app, email);
    }

    const status = async (actionId: string) =>
      (await server.services.consoleStore.getAction(actionId))?.status;

    beforeAll(async () => {
      server = await createConsoleTestServer(dialect);
      [admin, investigator, supervisor2, insider] = await Promise.all([
        signIn(server.app, 'admin@test.local'),
        signIn(server.app, 'investigator@test.local'),
        signIn(server.app, 'supervisor2@test.local'),
        signIn(server.app, 'insider@test.local'),
      ]);
      // Accounts the insider (agent-7) handled as a support agent, each in its own way.
      world
        .customer('handled-contact', { ip: '98.1.1.7' })
        .order('o-contact', 'handled-contact', 10, 49_900)
        .contact('c-contact', 'handled-contact', 12, { agentId: 'agent-7' })
        .refund('r-contact', 'o-contact', 'handled-contact', 12.1, 49_900, { contactId: 'c-other' })
        .customer('handled-decision', { ip: '98.1.2.7' })
        .order('o-decision', 'handled-decision', 10, 49_900)
        .refund('r-decision', 'o-decision', 'handled-decision', 12, 49_900)
        .add('refund.decided', 12.2, { refundId: 'r-decision', outcome: 'approved', agentId: 'agent-7' })
        .customer('handled-action', { ip: '98.1.3.7' })
        .order('o-action', 'handled-action', 10, 49_900)
        .refund('r-action', 'o-action', 'handled-action', 12, 49_900)
        .add('agent.action', 12.3, { agentId: 'agent-7', action: 'refund.approved', refundId: 'r-action' })
        .customer('not-handled', { ip: '98.1.4.7' });
      const ingest = await server.engine.ingest(world.raw);
      expect(ingest.rejected).toEqual([]);
    }, 60_000);

    afterAll(async () => {
      await server?.close();
    });

    it("refuses one's own proposal from a second session of the same person", async () => {
      const first = await person('twice@test.local', 'supervisor');
      const actionId = await propose(first, 'own-second-session');
      const second = await signIn(server.app, 'twice@test.local');
      expect(second.cookie).not.toBe(first.cookie);
      const response = await api(second, 'POST', `/v1/actions/${actionId}/approve`, {});
      expect(response.statusCode).toBe(403);
      expect(response.json().detail).toBe('No one approves or rejects their own proposal.');
      expect(await status(actionId)).toBe('proposed');
    });

    it("decides once: a repeat by the decider is the same decision, anyone else's is a 409", async () => {
      const actionId = await propose(investigator, 'approved-twice');
      const approved = await api(supervisor2, 'POST', `/v1/actions/${actionId}/approve`, {});
      expect(approved.json()).toMatchObject({ status: 'executed' });
      const again = await api(supervisor2, 'POST', `/v1/actions/${actionId}/approve`, {});
      expect(again.statusCode).toBe(200);
      expect(again.json()).toEqual(approved.json());
      const other = await api(admin, 'POST', `/v1/actions/${actionId}/approve`, {});
      expect(other.statusCode).toBe(409);
      expect(other.json().detail).toBe('Someone else already approved this action; it is executed.');
      expect((await api(admin, 'POST', `/v1/actions/${actionId}/reject`, {})).json().detail).toBe(
        'The action is executed; it can no longer be rejected.',
      );
      const executions = (
        await server.services.consoleStore.listAudit({ subject: `action:${actionId}`, limit: 10 })
      ).filter((row) => row.action === 'action.execute');
      expect(executions).toHaveLength(1);
    });

    it("refuses an approval after the approver's role was lowered between proposal and approval", async () => {
      const lowered = await person('lowered@test.local', 'supervisor');
      const actionId = await propose(investigator, 'role-lowered');
      const user = await server.services.consoleStore.findUserByEmail('lowered@test.local');
      const change = await api(admin, 'PATCH', `/v1/users/${user?.id}`, { role: 'investigator' });
      expect(change.statusCode).toBe(200);
      // The old session ended with the role; a new one carries the lower role.
      expect((await api(lowered, 'POST', `/v1/actions/${actionId}/approve`, {})).statusCode).toBe(401);
      const again = await signIn(server.app, 'lowered@test.local');
      const refused = await api(again, 'POST', `/v1/actions/${actionId}/approve`, {});
      expect(refused.statusCode).toBe(403);
      expect(refused.json().detail).toBe('The role "investigator" does not allow actions:approve.');
      expect(await status(actionId)).toBe('proposed');
    });

    it("refuses one's own proposal through a second API key one made", async () => {
      const actionId = await propose(admin, 'second-key');
      const made = await api(admin, 'POST', '/v1/keys', { name: 'my other me', role: 'admin' });
      expect(made.statusCode).toBe(201);
      expect(made.json().createdBy).toBe(`user:${server.users.admin.id}`);
      const refused = await api({ key: made.json().secret }, 'POST', `/v1/actions/${actionId}/approve`, {});
      expect(refused.statusCode).toBe(403);
      expect(await status(actionId)).toBe('proposed');
      // A key made at the shell (the operator's bootstrap key) is a person of its own.
      const approved = await api({ key: server.adminKey }, 'POST', `/v1/actions/${actionId}/approve`, {});
      expect(approved.json().status).toBe('executed');
    });

    it("refuses one's own proposal through a user one made, until a second admin confirms that user", async () => {
      const actionId = await propose(admin, 'made-user');
      const made = await api(admin, 'POST', '/v1/users', {
        email: 'puppet@test.local',
        name: 'Puppet',
        role: 'supervisor',
        password: TEST_PASSWORD,
      });
      expect(made.statusCode).toBe(201);
      const puppet = await signIn(server.app, 'puppet@test.local');
      expect((await api(puppet, 'POST', `/v1/actions/${actionId}/approve`, {})).statusCode).toBe(403);
      // Nor the other way round: the made user's proposal is the maker's own.
      const theirs = await propose(puppet, 'made-user-proposes');
      expect((await api(admin, 'POST', `/v1/actions/${theirs}/approve`, {})).statusCode).toBe(403);
      const listed = (await api(admin, 'GET', '/v1/users'))
        .json()
        .items.find((item: { id: string }) => item.id === made.json().id);
      expect(listed).toMatchObject({ createdBy: `user:${server.users.admin.id}`, confirmed: false });
      // The maker, the user, and a key or user the maker made cannot confirm; a second admin can.
      const makersKey = (await api(admin, 'POST', '/v1/keys', { name: 'k', role: 'admin' })).json().secret;
      for (const who of [admin, puppet, { key: makersKey }])
        expect((await api(who, 'POST', `/v1/users/${made.json().id}/confirm`)).statusCode).toBe(403);
      expect(await status(actionId)).toBe('proposed');
      const confirmed = await api({ key: server.adminKey }, 'POST', `/v1/users/${made.json().id}/confirm`);
      expect(confirmed.statusCode).toBe(200);
      const audit = await server.services.consoleStore.listAudit({ action: 'user.confirm', limit: 10 });
      expect(audit.map((row) => row.subject)).toEqual([`user:${made.json().id}`]);
      // Now a person of their own (new sessions and old alike).
      expect((await api(puppet, 'POST', `/v1/actions/${actionId}/approve`, {})).json().status).toBe(
        'executed',
      );
    });

    it("refuses cases about oneself: one's agent's contacts, refund decisions and actions, through a key too", async () => {
      const cases = {
        contact: await accountCase('handled-contact'),
        decision: await accountCase('handled-decision'),
        action: await accountCase('handled-action'),
        none: await accountCase('not-handled'),
      };
      for (const caseId of [cases.contact, cases.decision, cases.action]) {
        const refused = await api(insider, 'GET', `/v1/cases/${caseId}`);
        expect(refused.statusCode).toBe(403);
        expect(refused.json().detail).toBe('This case is about you: someone else must work it.');
        expect(
          (await api(insider, 'POST', `/v1/cases/${caseId}/actions`, { type: 'close_account' })).statusCode,
        ).toBe(403);
        // Someone else works it.
        expect((await api(investigator, 'GET', `/v1/cases/${caseId}`)).statusCode).toBe(200);
      }
      expect((await api(insider, 'GET', `/v1/cases/${cases.none}`)).statusCode).toBe(200);
      // An admin who is agent-9, and a key they made (it answers for them), on a case about agent-9.
      const agentAdmin = await person('agent9@test.local', 'admin', 'agent-9');
      const key = (await api(agentAdmin, 'POST', '/v1/keys', { name: 'mine', role: 'admin' })).json().secret;
      const aboutThem = {
        ...caseRecord(),
        type: 'insider' as const,
        subjectType: 'agent' as const,
        subjectId: 'agent-9',
      };
      await server.services.consoleStore.createCase(aboutThem);
      for (const who of [agentAdmin, { key }])
        expect((await api(who, 'GET', `/v1/cases/${aboutThem.id}`)).statusCode).toBe(403);
      expect((await api(admin, 'GET', `/v1/cases/${aboutThem.id}`)).statusCode).toBe(200);
    });

    it("refuses clearing one's own agent id, directly, through a key or a user one made; another admin may, audited", async () => {
      const agentAdmin = await person('agent5@test.local', 'admin', 'agent-5');
      const self = await server.services.consoleStore.findUserByEmail('agent5@test.local');
      const key = (await api(agentAdmin, 'POST', '/v1/keys', { name: 'mine', role: 'admin' })).json().secret;
      const made = await api(agentAdmin, 'POST', '/v1/users', {
        email: 'agent5-puppet@test.local',
        name: 'Puppet',
        role: 'admin',
        password: TEST_PASSWORD,
      });
      const puppet = await signIn(server.app, 'agent5-puppet@test.local');
      for (const who of [agentAdmin, { key }, puppet]) {
        const refused = await api(who, 'PATCH', `/v1/users/${self?.id}`, { agentId: null });
        expect(refused.statusCode).toBe(403);
        expect(refused.json().detail).toMatch(/^No one changes their own agent id/);
      }
      // Nor give the user one made an agent id (they answer for their maker).
      expect(
        (await api(agentAdmin, 'PATCH', `/v1/users/${made.json().id}`, { agentId: 'agent-6' })).statusCode,
      ).toBe(403);
      expect((await server.services.consoleStore.getUser(self?.id ?? ''))?.agentId).toBe('agent-5');
      const cleared = await api(admin, 'PATCH', `/v1/users/${self?.id}`, { agentId: null });
      expect(cleared.statusCode).toBe(200);
      const [row] = await server.services.consoleStore.listAudit({ subject: `user:${self?.id}`, limit: 1 });
      expect(row).toMatchObject({ actor: `user:${server.users.admin.id}`, action: 'user.update' });
      expect(row?.detail).toMatchObject({ agentId: null, fromAgentId: 'agent-5' });
    });
  });
}
