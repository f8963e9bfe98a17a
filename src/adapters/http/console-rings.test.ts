// Ring cases on each store: a detected ring opens a `ring` case (priority: its value) and a later
// run whose ring id changed with its membership joins it; the ring page shows the graph, members,
// refunds and activity; actions on all members go through four-eyes (never one's own proposal),
// each member's action idempotent and audited; the queue filters by type.
import { unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RingGraph, RingSource } from '../../app/ring-cases.ts';
import type { LinkAttributes } from '../../core/rings/link-graph.ts';
import type { Ring } from '../../core/rings/ring.ts';
import { EventBuilder } from '../../core/testing/event-builder.ts';
import { dialectsToTest } from '../db/testing/test-locations.ts';
import {
  type ConsoleTestServer,
  createConsoleTestServer,
  type SignedIn,
  signIn,
} from './testing/console-server.ts';

type Run = { asOf: number; rings: readonly Ring[] };

/** A stand-in for the engine's ring detector: the test decides what each run finds. */
class FakeRings implements RingSource {
  readonly known = new Map<string, Ring>();
  readonly listeners = new Set<(run: Run) => void>();
  latest: Run | undefined;
  ring(ringId: string) {
    return this.known.get(ringId);
  }
  graph(ringId: string): RingGraph | undefined {
    const ring = this.known.get(ringId);
    if (!ring) return undefined;
    const link = { firstAt: ring.firstAt, lastAt: ring.lastAt, count: 1 } as LinkAttributes;
    return {
      attributes: {},
      options: { type: 'undirected', multi: false, allowSelfLoops: false },
      nodes: [
        ...ring.accountIds.map((id) => ({
          key: `account:${id}`,
          attributes: {
            kind: 'account' as const,
            label: id,
            role: 'member' as const,
            refunds: 1,
            valueUsd: 899,
          },
        })),
        { key: 'device:dev-refunder', attributes: { kind: 'device' as const, label: 'dev-refunder' } },
      ],
      edges: ring.accountIds.map((id) => ({
        source: `account:${id}`,
        target: 'device:dev-refunder',
        attributes: link,
      })),
    };
  }
  current() {
    return this.latest;
  }
  onRings(listener: (run: Run) => void) {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  emit(rings: Ring[]) {
    this.latest = { asOf: Date.now(), rings };
    for (const ring of rings) this.known.set(ring.ringId, ring);
    for (const listener of this.listeners) listener(this.latest);
  }
}

function ring(ringId: string, members: number[], valueUsd: number, agentIds = ['agent-1']): Ring {
  const accountIds = members.map((index) => `client-${index}`);
  return {
    ringId,
    accountIds,
    associatedAccountIds: [],
    agentIds,
    fingerprints: { origins: ['device:dev-refunder'], ranges: ['range:45.134.22'], scripts: [], returns: [] },
    refundIds: members.map((index) => `refund-${index}`),
    valueUsd,
    firstAt: Date.parse('2026-10-14T00:00:00Z'),
    lastAt: Date.parse('2026-10-18T00:00:00Z'),
    score: 0.93,
    reasons: [{ code: 'RING_SHARED_REFUNDER', text: 'Refund contacts from one refunder device' }],
    features: {} as Ring['features'],
  };
}

for (const dialect of dialectsToTest()) {
  describe(`ring cases on ${dialect}`, () => {
    const rings = new FakeRings();
    let server: ConsoleTestServer;
    let investigator: SignedIn;
    let supervisor: SignedIn;
    let supervisor2: SignedIn;
    let analyst: SignedIn;
    let insider: SignedIn;
    let caseId: string;

    const inject = (who: SignedIn, method: 'GET' | 'POST', url: string, payload?: unknown) =>
      server.app.inject({
        method,
        url,
        headers: who.headers,
        ...(payload !== undefined ? { payload: payload as object } : {}),
      });
    const auditRows = () => server.services.consoleStore.listAudit({ limit: 100_000 });

    beforeAll(async () => {
      server = await createConsoleTestServer(dialect, { rings });
      [investigator, supervisor, supervisor2, analyst, insider] = await Promise.all([
        signIn(server.app, 'investigator@test.local'),
        signIn(server.app, 'supervisor@test.local'),
        signIn(server.app, 'supervisor2@test.local'),
        signIn(server.app, 'analyst@test.local'),
        signIn(server.app, 'insider@test.local'),
      ]);
      const world = new EventBuilder().refunderWorking(6, 'The box arrived empty, I want a supervisor now.');
      await server.engine.ingest(world.raw);
      await server.services.cases.idle();
    }, 60_000);

    afterAll(async () => {
      await server?.close();
    });

    it('opens a ring case from a detection, and a later run with a changed membership joins it', async () => {
      rings.emit([ring('ring-a', [1, 2, 3, 4], 3596)]);
      await server.services.cases.idle();
      const first = (await inject(analyst, 'GET', '/v1/cases?type=ring')).json();
      expect(first.items).toHaveLength(1);
      expect(first.items[0]).toMatchObject({
        type: 'ring',
        subjectType: 'ring',
        subjectId: 'ring-a',
        priorityUsd: 3596,
        refundCount: 4,
      });
      caseId = first.items[0].id;

      // The gang took on a fifth client: a new ring id, most members shared → the same case.
      // A separate small ring with no shared member opens its own.
      rings.emit([ring('ring-b', [1, 2, 3, 4, 5], 4495), ring('ring-c', [6], 899, ['agent-7'])]);
      await server.services.cases.idle();
      const second = (await inject(analyst, 'GET', '/v1/cases?type=ring')).json();
      expect(second.items).toHaveLength(2);
      expect(second.items[0]).toMatchObject({
        id: caseId,
        subjectId: 'ring-b',
        priorityUsd: 4495,
        refundCount: 5,
      });
      expect(second.counts.type.ring).toBe(2);
      // The same run again changes nothing.
      rings.emit([ring('ring-b', [1, 2, 3, 4, 5], 4495), ring('ring-c', [6], 899, ['agent-7'])]);
      await server.services.cases.idle();
      expect((await inject(analyst, 'GET', '/v1/cases?type=ring')).json().items).toHaveLength(2);
      expect(
        (await server.services.consoleStore.listEvidence(caseId)).filter((item) => item.kind === 'ring'),
      ).toHaveLength(2);
    });

    it('shows the ring page: graph, members with refunds and decisions, activity; audited', async () => {
      const response = await inject(analyst, 'GET', `/v1/cases/${caseId}/ring`);
      expect(response.statusCode).toBe(200);
      const page = response.json();
      expect(page.live).toBe(true);
      expect(page.ring).toMatchObject({ ringId: 'ring-b', valueUsd: 4495, agentIds: ['agent-1'] });
      expect(page.graph.nodes.length).toBe(6);
      expect(page.members.map((member: { accountId: string }) => member.accountId)).toEqual([
        'client-1',
        'client-2',
        'client-3',
        'client-4',
        'client-5',
      ]);
      expect(page.members[0].refunds[0]).toMatchObject({ refundId: 'refund-1', inRing: true });
      expect(page.members[0].refunds[0].decision).not.toBeNull();
      expect(page.activity.reduce((sum: number, day: { refunds: number }) => sum + day.refunds, 0)).toBe(5);
      expect(page.activity.reduce((sum: number, day: { contacts: number }) => sum + day.contacts, 0)).toBe(5);
      expect((await auditRows())[0]).toMatchObject({ action: 'case.ring.view', subject: `case:${caseId}` });
      // A person who handled a ring's refunds as its agent (agent-7 handled ring-c's) neither sees nor lists it.
      expect((await inject(insider, 'GET', `/v1/cases/${caseId}/ring`)).statusCode).toBe(200);
      const theirs = (await inject(insider, 'GET', '/v1/cases?type=ring')).json();
      expect(theirs.items.map((item: { id: string }) => item.id)).toEqual([caseId]);
      const other = (await inject(analyst, 'GET', '/v1/cases?type=ring'))
        .json()
        .items.find((item: { id: string }) => item.id !== caseId);
      expect((await inject(insider, 'GET', `/v1/cases/${other.id}/ring`)).statusCode).toBe(403);
      expect((await auditRows())[0]?.action).toBe('forbidden');
    });

    it('closes all members with four eyes: proposed once per member, approved by a supervisor, each audited and idempotent', async () => {
      const proposed = await inject(investigator, 'POST', `/v1/cases/${caseId}/bulk-actions`, {
        type: 'close_account',
        note: 'refund service ring',
      });
      expect(proposed.statusCode).toBe(201);
      const batch = proposed.json();
      expect(batch.actions).toHaveLength(5);
      expect(batch.counts).toEqual({ proposed: 5 });
      expect(
        new Set(batch.actions.map((action: { target: { accountId: string } }) => action.target.accountId))
          .size,
      ).toBe(5);
      const again = await inject(investigator, 'POST', `/v1/cases/${caseId}/bulk-actions`, {
        type: 'close_account',
      });
      expect(again.statusCode).toBe(200);
      expect(again.json().batchId).toBe(batch.batchId);
      expect(server.engine.riskState.accounts.get('client-1')?.closed).toBeUndefined();

      // Roles: an investigator or analyst cannot approve (403 + one audit line, nothing else).
      for (const who of [investigator, analyst]) {
        const before = (await auditRows()).length;
        expect(
          (await inject(who, 'POST', `/v1/action-batches/${batch.batchId}/approve`, {})).statusCode,
        ).toBe(403);
        const rows = await auditRows();
        expect(rows.length).toBe(before + 1);
        expect(rows[0]?.action).toBe('forbidden');
      }
      expect(server.engine.riskState.accounts.get('client-1')?.closed).toBeUndefined();

      const approved = await inject(supervisor, 'POST', `/v1/action-batches/${batch.batchId}/approve`, {
        note: 'agreed',
      });
      expect(approved.statusCode).toBe(200);
      expect(approved.json().counts).toEqual({ executed: 5 });
      for (let index = 1; index <= 5; index += 1)
        expect(server.engine.riskState.accounts.get(`client-${index}`)?.closed).toMatchObject({
          reason: 'fraud',
        });
      expect(server.engine.riskState.accounts.get('client-6')?.closed).toBeUndefined();
      const executed = (await auditRows()).filter(
        (row) => row.action === 'action.execute' && row.detail.caseId === caseId,
      );
      expect(executed).toHaveLength(5);
      // Approving again changes nothing.
      const before = (await auditRows()).length;
      expect(
        (await inject(supervisor, 'POST', `/v1/action-batches/${batch.batchId}/approve`, {})).json().counts,
      ).toEqual({ executed: 5 });
      expect((await auditRows()).length).toBe(before);
      const page = (await inject(analyst, 'GET', `/v1/cases/${caseId}/ring`)).json();
      expect(page.members.every((member: { closed: unknown }) => member.closed !== null)).toBe(true);
      expect(page.batches[0]).toMatchObject({
        batchId: batch.batchId,
        type: 'close_account',
        counts: { executed: 5 },
      });
    });

    it('never lets a supervisor approve their own bulk proposal; warning all members needs no approval', async () => {
      const other = (await inject(analyst, 'GET', '/v1/cases?type=ring'))
        .json()
        .items.find((item: { id: string }) => item.id !== caseId);
      const own = (
        await inject(supervisor, 'POST', `/v1/cases/${other.id}/bulk-actions`, { type: 'close_account' })
      ).json();
      const before = (await auditRows()).length;
      expect(
        (await inject(supervisor, 'POST', `/v1/action-batches/${own.batchId}/approve`, {})).statusCode,
      ).toBe(403);
      expect((await auditRows()).length).toBe(before + 1);
      expect(server.engine.riskState.accounts.get('client-6')?.closed).toBeUndefined();
      expect(
        (await inject(supervisor2, 'POST', `/v1/action-batches/${own.batchId}/approve`, {})).json().counts,
      ).toEqual({ executed: 1 });
      expect(server.engine.riskState.accounts.get('client-6')?.closed).toMatchObject({ reason: 'fraud' });

      // The ring's evidence package holds every member's events.
      const exported = (
        await inject(investigator, 'POST', `/v1/cases/${caseId}/actions`, { type: 'export_evidence' })
      ).json();
      const zip = await inject(investigator, 'GET', `/v1/actions/${exported.id}/evidence.zip`);
      expect(zip.statusCode).toBe(200);
      const files = unzipSync(new Uint8Array(zip.rawPayload));
      const events = new TextDecoder()
        .decode(files['events.jsonl'])
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line));
      const accounts = new Set(events.map((event: { data: { accountId?: string } }) => event.data.accountId));
      for (let index = 1; index <= 5; index += 1) expect(accounts.has(`client-${index}`)).toBe(true);

      const warned = await inject(investigator, 'POST', `/v1/cases/${caseId}/bulk-actions`, {
        type: 'warn_customer',
      });
      expect(warned.statusCode).toBe(201);
      expect(warned.json().counts).toEqual({ executed: 5 });
      expect(warned.json().actions[0].result.notice).toContain('client-1');
      // Bulk actions are for ring cases; the body is checked.
      const refundCase = (await inject(analyst, 'GET', '/v1/cases?type=refund')).json().items[0];
      expect(
        (
          await inject(investigator, 'POST', `/v1/cases/${refundCase.id}/bulk-actions`, {
            type: 'close_account',
          })
        ).statusCode,
      ).toBe(400);
      const bad = await inject(investigator, 'POST', `/v1/cases/${caseId}/bulk-actions`, {
        type: 'reverse_refund',
      });
      expect(bad.statusCode).toBe(400);
      expect(bad.json().errors[0]).toMatchObject({ field: 'type' });
    });
  });
}
