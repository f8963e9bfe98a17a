// The console's API end to end on real stores (each dialect): sessions, CSRF, throttling, cases from
// risky refunds, role limits (403 + an audit line only), the self-subject rule, four-eyes closures
// that ban the identity, idempotent actions, signed webhooks with retries, and the audit chain.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { unzipSync } from 'fflate';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifySignature } from '../../app/webhooks.ts';
import { EventBuilder } from '../../core/testing/event-builder.ts';
import type { KyselyConsoleStore } from '../db/console-store.ts';
import { dropAuditGuard } from '../db/testing/audit-tamper.ts';
import { dialectsToTest } from '../db/testing/test-locations.ts';
import {
  type ConsoleTestServer,
  createConsoleTestServer,
  type SignedIn,
  signIn,
} from './testing/console-server.ts';

function ring(clients: number): EventBuilder {
  const world = new EventBuilder();
  for (let index = 1; index <= clients; index += 1) {
    const account = `client-${index}`;
    world.customer(account, { ip: `98.${index}.1.7` });
    world.order(`order-${index}`, account, 10 + index, 89_900, {
      hot: true,
      deliveredDay: 12 + index,
      photo: true,
      ip: `98.${index}.1.7`,
    });
    world.contact(`contact-${index}`, account, 13 + index, {
      deviceId: 'dev-refunder',
      ip: `45.134.22.${index}`,
      text: 'The box arrived empty, I want a supervisor now.',
    });
    world.refund(`refund-${index}`, `order-${index}`, account, 13.01 + index, 89_900, {
      reason: 'empty_box',
      contactId: `contact-${index}`,
    });
  }
  return world;
}

interface Receiver {
  server: Server;
  url: string;
  received: { body: string; signature: string | undefined }[];
  failFirst: number;
}

async function startReceiver(failFirst: number): Promise<Receiver> {
  const receiver: Receiver = { server: createServer(), url: '', received: [], failFirst };
  // Each delivery fails `failFirst` times (503) before it is taken.
  const calls = new Map<string, number>();
  receiver.server.on('request', (request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const delivery = String(request.headers['x-refundguard-delivery']);
      const count = (calls.get(delivery) ?? 0) + 1;
      calls.set(delivery, count);
      const header = request.headers['x-refundguard-signature'];
      receiver.received.push({
        body: Buffer.concat(chunks).toString('utf8'),
        signature: Array.isArray(header) ? header[0] : header,
      });
      response.statusCode = count <= receiver.failFirst ? 503 : 204;
      response.end();
    });
  });
  await new Promise<void>((resolve) => receiver.server.listen(0, '127.0.0.1', resolve));
  receiver.url = `http://127.0.0.1:${(receiver.server.address() as AddressInfo).port}/hooks`;
  return receiver;
}

for (const dialect of dialectsToTest()) {
  describe(`console API on ${dialect}`, () => {
    let server: ConsoleTestServer;
    let admin: SignedIn;
    let supervisor: SignedIn;
    let supervisor2: SignedIn;
    let investigator: SignedIn;
    let analyst: SignedIn;
    let insider: SignedIn;
    let receiver: Receiver;
    let webhookSecret: string;
    let caseId: string;

    const inject = (
      who: SignedIn | undefined,
      method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
      url: string,
      payload?: unknown,
    ) =>
      server.app.inject({
        method,
        url,
        headers: who?.headers ?? {},
        ...(payload !== undefined ? { payload: payload as object } : {}),
      });
    const auditCount = async () => (await server.services.consoleStore.listAudit({ limit: 100_000 })).length;
    const lastAudit = async () => (await server.services.consoleStore.listAudit({ limit: 1 }))[0];

    beforeAll(async () => {
      server = await createConsoleTestServer(dialect);
      [admin, supervisor, supervisor2, investigator, analyst, insider] = await Promise.all([
        signIn(server.app, 'admin@test.local'),
        signIn(server.app, 'supervisor@test.local'),
        signIn(server.app, 'supervisor2@test.local'),
        signIn(server.app, 'investigator@test.local'),
        signIn(server.app, 'analyst@test.local'),
        signIn(server.app, 'insider@test.local'),
      ]);
      receiver = await startReceiver(2);
      const hook = await inject(admin, 'POST', '/v1/webhooks', { url: receiver.url });
      expect(hook.statusCode).toBe(201);
      webhookSecret = hook.json().secret;
      // Events arrive through the API like a retailer's would; the cases follow.
      const ingest = await server.app.inject({
        method: 'POST',
        url: '/v1/events',
        headers: { authorization: `Bearer ${server.adminKey}` },
        payload: ring(3).raw as unknown as object,
      });
      expect(ingest.statusCode).toBeLessThan(300);
      await server.services.cases.idle();
    }, 60_000);

    afterAll(async () => {
      await server?.close();
      await new Promise((resolve) => receiver?.server.close(resolve));
    });

    it('signs people in with a Secure HttpOnly SameSite=Strict cookie and answers 401 to a wrong password', async () => {
      const response = await server.app.inject({
        method: 'POST',
        url: '/v1/session',
        payload: { email: 'analyst@test.local', password: 'correct horse battery' },
      });
      expect(response.statusCode).toBe(200);
      const cookie = String(response.headers['set-cookie']);
      expect(cookie).toMatch(/rg_session=/);
      expect(cookie).toMatch(/HttpOnly/i);
      expect(cookie).toMatch(/Secure/i);
      expect(cookie).toMatch(/SameSite=Strict/i);
      expect(response.json().user).toMatchObject({ email: 'analyst@test.local', role: 'analyst' });
      const session = await inject(analyst, 'GET', '/v1/session');
      expect(session.statusCode).toBe(200);
      expect(session.json().csrfToken).toBe(analyst.csrf);
      const wrong = await server.app.inject({
        method: 'POST',
        url: '/v1/session',
        payload: { email: 'analyst@test.local', password: 'nope' },
      });
      expect(wrong.statusCode).toBe(401);
      expect((await server.app.inject({ method: 'GET', url: '/v1/cases' })).statusCode).toBe(401);
    });

    it('throttles sign-in after 5 failures per e-mail and IP (429), even with the right password', async () => {
      for (let attempt = 0; attempt < 5; attempt += 1) {
        const response = await server.app.inject({
          method: 'POST',
          url: '/v1/session',
          payload: { email: 'supervisor2@test.local', password: `wrong-${attempt}` },
        });
        expect(response.statusCode).toBe(401);
      }
      const blocked = await server.app.inject({
        method: 'POST',
        url: '/v1/session',
        payload: { email: 'supervisor2@test.local', password: 'correct horse battery' },
      });
      expect(blocked.statusCode).toBe(429);
      expect(blocked.headers['retry-after']).toBeDefined();
    });

    it('opens one case per risky account, by money at risk, idempotently', async () => {
      const first = await inject(analyst, 'GET', '/v1/cases?status=open,investigating');
      expect(first.statusCode).toBe(200);
      const body = first.json();
      expect(body.total).toBe(3);
      expect(body.items[0]).toMatchObject({
        type: 'refund',
        subjectType: 'account',
        status: 'open',
        refundCount: 1,
        priorityUsd: 899,
      });
      expect(body.counts.status.open).toBe(3);
      expect(body.counts.type.refund).toBe(3);
      // Syncing again (a restart) and an API assessment of the same refund join, never duplicate.
      await server.services.cases.syncCases();
      const assess = await server.app.inject({
        method: 'POST',
        url: '/v1/refunds/assess',
        headers: { authorization: `Bearer ${server.adminKey}` },
        payload: {
          refundId: 'refund-1',
          orderId: 'order-1',
          accountId: 'client-1',
          amountMinor: 89_900,
          currency: 'USD',
          reason: 'empty_box',
          channel: 'chat',
          contactId: 'contact-1',
        },
      });
      expect(assess.statusCode).toBe(200);
      await server.services.cases.idle();
      const again = (await inject(analyst, 'GET', '/v1/cases')).json();
      expect(again.total).toBe(3);
      caseId = again.items.find((item: { subjectId: string }) => item.subjectId === 'client-1').id;
      expect(again.items.find((item: { id: string }) => item.id === caseId).priorityUsd).toBe(899);
    });

    it('shows a case page and timeline (audited), with decisions, reasons and linked accounts', async () => {
      const before = await auditCount();
      const page = await inject(analyst, 'GET', `/v1/cases/${caseId}`);
      expect(page.statusCode).toBe(200);
      expect(page.json()).toMatchObject({ id: caseId, allowedTransitions: [], availableActions: [] });
      expect(page.json().evidence[0]).toMatchObject({ kind: 'assessment', refId: 'refund-1' });
      const timeline = await inject(analyst, 'GET', `/v1/cases/${caseId}/timeline`);
      expect(timeline.statusCode).toBe(200);
      const items = timeline.json().items as { type: string; assessment?: { decision: string } }[];
      expect(items.map((item) => item.type)).toEqual(
        expect.arrayContaining(['account.created', 'order.placed', 'contact.created', 'refund.requested']),
      );
      expect(['review', 'deny']).toContain(
        items.find((item) => item.type === 'refund.requested')?.assessment?.decision,
      );
      expect(timeline.json().account).toMatchObject({ accountId: 'client-1', email: 'client-1@example.com' });
      expect(await auditCount()).toBe(before + 2);
      expect((await lastAudit())?.action).toBe('case.timeline.view');
      const page2 = await inject(investigator, 'GET', `/v1/cases/${caseId}`);
      expect(page2.json().allowedTransitions).toEqual(['investigating']);
    });

    it('refuses each call a role does not allow with 403 and leaves only an audit line', async () => {
      const forbiddenCalls: [SignedIn, 'GET' | 'POST' | 'PUT' | 'PATCH', string, unknown?][] = [
        [analyst, 'POST', `/v1/cases/${caseId}/transition`, { to: 'investigating' }],
        [analyst, 'POST', `/v1/cases/${caseId}/notes`, { text: 'hello' }],
        [analyst, 'POST', `/v1/cases/${caseId}/outcome`, { label: 'fraud' }],
        [analyst, 'POST', `/v1/cases/${caseId}/actions`, { type: 'warn_customer' }],
        [investigator, 'GET', '/v1/audit'],
        [investigator, 'GET', '/v1/users'],
        [
          investigator,
          'POST',
          '/v1/users',
          { email: 'x@test.local', name: 'X', role: 'admin', password: 'long enough pw' },
        ],
        [supervisor, 'POST', '/v1/webhooks', { url: 'http://127.0.0.1:9/x' }],
        [supervisor, 'PUT', '/v1/templates/warn_customer', { body: 'Hi' }],
        [investigator, 'POST', `/v1/cases/${caseId}/assign`, { userId: server.users.analyst.id }],
      ];
      for (const [who, method, url, payload] of forbiddenCalls) {
        const casesBefore = JSON.stringify(await server.services.consoleStore.getCase(caseId));
        const before = await auditCount();
        const response = await inject(who, method, url, payload);
        expect(response.statusCode, `${method} ${url}`).toBe(403);
        expect(await auditCount(), `${method} ${url}`).toBe(before + 1);
        const line = await lastAudit();
        expect(line?.action).toBe('forbidden');
        // One tally per caller, route pattern and minute: the subject is the route, the path in the detail.
        expect(line?.subject).toBe(`${method} ${url.replace(caseId, ':id')}`);
        expect(line?.detail).toMatchObject({ status: 403, path: url });
        expect(JSON.stringify(await server.services.consoleStore.getCase(caseId))).toBe(casesBefore);
      }
      expect(
        (await server.services.consoleStore.listUsers()).some((user) => user.email === 'x@test.local'),
      ).toBe(false);
      expect(await server.services.consoleStore.listWebhooks()).toHaveLength(1);
    });

    it('requires the CSRF header on state-changing session calls', async () => {
      const before = await auditCount();
      const noHeader = await server.app.inject({
        method: 'POST',
        url: `/v1/cases/${caseId}/notes`,
        headers: { cookie: investigator.cookie },
        payload: { text: 'x' },
      });
      expect(noHeader.statusCode).toBe(403);
      const wrong = await server.app.inject({
        method: 'POST',
        url: `/v1/cases/${caseId}/notes`,
        headers: { cookie: investigator.cookie, 'x-csrf-token': analyst.csrf },
        payload: { text: 'x' },
      });
      expect(wrong.statusCode).toBe(403);
      // Refusals are tallied per caller, route and minute: one row for both (two if a minute ended between them).
      const added = (await auditCount()) - before;
      expect(added).toBeGreaterThanOrEqual(1);
      expect(added).toBeLessThanOrEqual(2);
      expect(await server.services.consoleStore.listNotes(caseId)).toHaveLength(0);
      const ok = await inject(investigator, 'POST', `/v1/cases/${caseId}/notes`, {
        text: 'Same refunder device as two other clients.',
      });
      expect(ok.statusCode).toBe(201);
    });

    it('never shows a case about the person asking (their own agent id)', async () => {
      const now = Date.now();
      await server.services.consoleStore.createCase({
        id: 'case-agent-7',
        type: 'insider',
        subjectType: 'agent',
        subjectId: 'agent-7',
        title: 'Agent agent-7 approves flagged refunds',
        status: 'open',
        priorityUsdMinor: 10_000_000,
        marketplace: null,
        assigneeId: null,
        openedAt: now,
        updatedAt: now,
        refundCount: 0,
        topReasons: [],
        agentIds: ['agent-7'],
        outcome: null,
      });
      const list = (await inject(insider, 'GET', '/v1/cases')).json();
      expect(list.items.map((item: { id: string }) => item.id)).not.toContain('case-agent-7');
      expect((await inject(investigator, 'GET', '/v1/cases')).json().items[0].id).toBe('case-agent-7');
      for (const [method, url, payload] of [
        ['GET', '/v1/cases/case-agent-7'],
        ['GET', '/v1/cases/case-agent-7/timeline'],
        ['POST', '/v1/cases/case-agent-7/transition', { to: 'investigating' }],
        ['POST', '/v1/cases/case-agent-7/actions', { type: 'export_evidence' }],
      ] as const) {
        const before = await auditCount();
        const response = await inject(insider, method, url, payload);
        expect(response.statusCode, url).toBe(403);
        expect(await auditCount()).toBe(before + 1);
        expect((await lastAudit())?.action).toBe('forbidden');
      }
      expect(await server.services.consoleStore.listActions('case-agent-7')).toHaveLength(0);
    });

    it('works a case through its life-cycle and rejects a transition the machine does not allow (409)', async () => {
      expect(
        (
          await inject(investigator, 'POST', `/v1/cases/${caseId}/assign`, {
            userId: server.users.investigator.id,
          })
        ).statusCode,
      ).toBe(200);
      expect(
        (await inject(investigator, 'POST', `/v1/cases/${caseId}/transition`, { to: 'closed' })).statusCode,
      ).toBe(409);
      const moved = await inject(investigator, 'POST', `/v1/cases/${caseId}/transition`, {
        to: 'investigating',
        note: 'on it',
      });
      expect(moved.statusCode).toBe(200);
      expect(moved.json()).toMatchObject({
        status: 'investigating',
        assignee: { id: server.users.investigator.id },
      });
      const page = (await inject(investigator, 'GET', `/v1/cases/${caseId}`)).json();
      expect(page.history.map((entry: { to: string }) => entry.to)).toEqual(['open', 'investigating']);
      expect(page.history[1].by).toEqual({ id: server.users.investigator.id, name: 'investigator' });
      expect(page.allowedTransitions).toEqual(['open', 'actioned', 'dismissed']);
      const outcome = await inject(investigator, 'POST', `/v1/cases/${caseId}/outcome`, { label: 'fraud' });
      expect(outcome.statusCode).toBe(200);
      const labels = (await server.store.eventsForAccount('client-1')).filter(
        (event) => event.type === 'label.set',
      );
      expect(labels).toHaveLength(1);
    });

    it('closes an account with four eyes, bans the identity, and sends a signed webhook with retries', async () => {
      const proposed = await inject(investigator, 'POST', `/v1/cases/${caseId}/actions`, {
        type: 'close_account',
        note: 'refund service client',
      });
      expect(proposed.statusCode).toBe(201);
      const action = proposed.json();
      expect(action).toMatchObject({
        type: 'close_account',
        status: 'proposed',
        target: { accountId: 'client-1' },
      });
      // Idempotent: the same proposal returns the same action.
      const repeat = await inject(investigator, 'POST', `/v1/cases/${caseId}/actions`, {
        type: 'close_account',
      });
      expect(repeat.statusCode).toBe(200);
      expect(repeat.json().id).toBe(action.id);
      // An investigator cannot approve; a supervisor cannot approve their own proposal.
      expect((await inject(investigator, 'POST', `/v1/actions/${action.id}/approve`, {})).statusCode).toBe(
        403,
      );
      const own = await inject(supervisor, 'POST', `/v1/cases/${caseId}/actions`, {
        type: 'reverse_refund',
        refundId: 'refund-1',
      });
      expect(own.json().status).toBe('proposed');
      const before = await auditCount();
      expect((await inject(supervisor, 'POST', `/v1/actions/${own.json().id}/approve`, {})).statusCode).toBe(
        403,
      );
      expect(await auditCount()).toBe(before + 1);
      expect((await server.services.consoleStore.getAction(own.json().id))?.status).toBe('proposed');
      expect(server.engine.riskState.accounts.get('client-1')?.closed).toBeUndefined();
      // Another supervisor may approve it.
      const reversed = await inject(supervisor2, 'POST', `/v1/actions/${own.json().id}/approve`, {});
      expect(reversed.json()).toMatchObject({
        status: 'executed',
        decidedBy: { id: server.users.supervisor2.id },
      });

      const approved = await inject(supervisor, 'POST', `/v1/actions/${action.id}/approve`, {
        note: 'agreed',
      });
      expect(approved.statusCode).toBe(200);
      expect(approved.json()).toMatchObject({
        status: 'executed',
        decidedBy: { id: server.users.supervisor.id },
      });
      expect((await inject(supervisor, 'POST', `/v1/actions/${action.id}/approve`, {})).json().status).toBe(
        'executed',
      );
      expect(server.engine.riskState.accounts.get('client-1')?.closed).toMatchObject({ reason: 'fraud' });

      // The same person signs up again with the same e-mail (dots and a +tag) and device: caught.
      const later = new Date(Date.now() + 60_000).toISOString();
      const signup = await server.app.inject({
        method: 'POST',
        url: '/v1/events',
        headers: { authorization: `Bearer ${server.adminKey}` },
        payload: [
          {
            id: 'signup-again',
            type: 'account.created',
            time: later,
            data: {
              accountId: 'client-1-again',
              email: 'client-1+new@example.com',
              name: 'C. One',
              deviceId: 'dev-client-1',
            },
          },
        ],
      });
      expect(signup.statusCode).toBeLessThan(300);
      const decision = await server.store.getAssessment('signup', 'client-1-again');
      expect(decision?.decision).toBe('block');

      // The retailer's endpoint failed twice (503), then took it; every attempt is logged.
      await server.services.webhooks.idle();
      const closeDeliveries = receiver.received.filter((delivery) => delivery.body.includes(action.id));
      expect(closeDeliveries.length).toBe(3);
      for (const delivery of receiver.received)
        expect(verifySignature(webhookSecret, delivery.body, delivery.signature)).toBe(true);
      expect(
        verifySignature('wrong secret', receiver.received[0]?.body ?? '', receiver.received[0]?.signature),
      ).toBe(false);
      expect(JSON.parse(closeDeliveries[2]?.body ?? '{}')).toMatchObject({
        type: 'action.executed',
        data: { action: { id: action.id, type: 'close_account' } },
      });
      const log = (await inject(admin, 'GET', '/v1/webhooks/deliveries')).json().items;
      expect(log.find((delivery: { actionId: string }) => delivery.actionId === action.id)).toMatchObject({
        actionId: action.id,
        status: 'delivered',
        attempts: 3,
        lastStatusCode: 204,
      });
      const shown = (await inject(investigator, 'GET', `/v1/actions/${action.id}`)).json();
      expect(shown.deliveries[0]).toMatchObject({ status: 'delivered', attempts: 3 });
    });

    it('executes warn_customer from the edited template and exports an evidence zip', async () => {
      expect(
        (
          await inject(admin, 'PUT', '/v1/templates/warn_customer', {
            body: 'Hello {{name}}, account {{accountId}}.',
          })
        ).statusCode,
      ).toBe(200);
      const warn = await inject(investigator, 'POST', `/v1/cases/${caseId}/actions`, {
        type: 'warn_customer',
      });
      expect(warn.statusCode).toBe(201);
      expect(warn.json()).toMatchObject({
        status: 'executed',
        result: { notice: 'Hello Customer client-1, account client-1.' },
      });
      const exportAction = (
        await inject(investigator, 'POST', `/v1/cases/${caseId}/actions`, { type: 'export_evidence' })
      ).json();
      const zip = await inject(investigator, 'GET', `/v1/actions/${exportAction.id}/evidence.zip`);
      expect(zip.statusCode).toBe(200);
      expect(zip.headers['content-type']).toBe('application/zip');
      const files = unzipSync(new Uint8Array(zip.rawPayload));
      expect(Object.keys(files).sort()).toEqual(['assessments.jsonl', 'events.jsonl', 'report.html']);
      const events = new TextDecoder()
        .decode(files['events.jsonl'])
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line));
      expect(events.find((event: { type: string }) => event.type === 'refund.requested')?.data.refundId).toBe(
        'refund-1',
      );
      expect(events.some((event: { type: string }) => event.type === 'account.closed')).toBe(true);
      expect(new TextDecoder().decode(files['report.html'])).toContain('client-1');
    });

    it('searches refunds (audited) and summarises decisions on the dashboard', async () => {
      const found = await inject(analyst, 'GET', '/v1/refunds?q=order-2');
      expect(found.statusCode).toBe(200);
      expect(found.json().items).toHaveLength(1);
      expect(found.json().items[0]).toMatchObject({
        refundId: 'refund-2',
        accountId: 'client-2',
        orderId: 'order-2',
        usd: 899,
      });
      expect(found.json().items[0].caseId).toBeDefined();
      expect((await lastAudit())?.action).toBe('refunds.search');
      const dashboard = (await inject(analyst, 'GET', '/v1/dashboard?days=90')).json();
      expect(dashboard.totals).toMatchObject({ assessed: 3, flagged: 3, fraudValueStoppedUsd: 2697 });
      expect(dashboard.topReasons.length).toBeGreaterThan(0);
    });

    it('keeps API keys working for systems and lets admins read the audit log, which verifies until a row is tampered with', async () => {
      const keyed = await server.app.inject({
        method: 'GET',
        url: '/v1/cases',
        headers: { authorization: `Bearer ${server.adminKey}` },
      });
      expect(keyed.statusCode).toBe(200);
      const audit = await inject(admin, 'GET', '/v1/audit?limit=5');
      expect(audit.statusCode).toBe(200);
      expect(audit.json().items[0].prevHash).toBe(audit.json().items[1].hash);
      expect(await server.services.audit.verify()).toMatchObject({ ok: true });
      const db = (server.services.consoleStore as KyselyConsoleStore).db;
      await dropAuditGuard(db, dialect);
      await sql`UPDATE audit_log SET detail = ${'{"tampered":true}'} WHERE seq = 3`.execute(db);
      expect(await server.services.audit.verify()).toMatchObject({ ok: false, brokenSeq: 3, kind: 'edited' });
    });
  });
}
