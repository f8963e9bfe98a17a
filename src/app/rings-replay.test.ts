// Rings for the world outside the core: replay's rings.jsonl (the contract's fields), ring
// evaluation against gang labels, and RingWatch (rings by id, their graph, listeners).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore } from '../adapters/db/open-store.ts';
import { EMPTY_BOX_SCRIPT, EventBuilder } from '../core/testing/event-builder.ts';
import { RiskEngine } from './engine.ts';
import type { LabelRecord } from './labels.ts';
import type { Store } from './ports.ts';
import { type ReplayLine, replay } from './replay.ts';
import { evaluateRings, formatRingEvaluation, ringResultSchema } from './ring-evaluation.ts';
import { RingWatch } from './ring-watch.ts';
import { loadRulePack } from './rule-pack-file.ts';

const rules = loadRulePack();

/** A gang of five clients, honest customers around them, and a last honest refund at the end. */
function world(): EventBuilder {
  return new EventBuilder().refunderWorking(5, EMPTY_BOX_SCRIPT).honestRefunds(4);
}

async function* linesOf(raw: unknown[]): AsyncIterable<ReplayLine> {
  for (const [index, value] of raw.entries()) yield { line: index + 1, value };
}

const CLIENTS = ['client-1', 'client-2', 'client-3', 'client-4', 'client-5'];

describe('rings through replay and the engine', () => {
  let store: Store;
  beforeEach(async () => {
    store = await openStore(':memory:');
  });
  afterEach(async () => {
    await store.close();
  });

  it('writes each ring with the contract fields (ringId, accountIds, agentIds, score, reasons)', async () => {
    const engine = new RiskEngine(store, rules, Date.now);
    const result = await replay(linesOf(world().raw), engine);
    expect(result.problems).toEqual([]);
    expect(result.rings).toHaveLength(1);
    // As written to rings.jsonl: one JSON object per line.
    const line = JSON.parse(JSON.stringify(result.rings[0])) as Record<string, unknown>;
    expect(ringResultSchema.safeParse(line).success).toBe(true);
    expect(line).toMatchObject({
      ringId: expect.stringMatching(/^ring-[0-9a-f]{16}$/),
      accountIds: CLIENTS,
      agentIds: ['agent-1'],
      score: expect.any(Number),
    });
    expect(line.score as number).toBeGreaterThanOrEqual(0.5);
    expect(line.score as number).toBeLessThanOrEqual(1);
    const reasons = line.reasons as { code: string; text: string }[];
    expect(reasons.map((reason) => reason.code)).toEqual(
      expect.arrayContaining(['RING_SHARED_REFUNDER_DEVICE', 'RING_THIRD_PARTY_CONTACTS']),
    );
    for (const reason of reasons) expect(reason.text.length).toBeGreaterThan(10);
    expect(line.fingerprints).toMatchObject({ origins: ['device:dev-refunder'] });
    expect(line.refundIds).toEqual(['refund-1', 'refund-2', 'refund-3', 'refund-4', 'refund-5']);
    expect(line.valueUsd).toBe(5 * 899);

    // The final decision of the gang's first refund, made before any ring existed, names the ring.
    const first = result.refunds.find((refund) => refund.refundId === 'refund-1');
    expect(first?.reasons.map((reason) => reason.code)).not.toContain('ACCOUNT_IN_REFUND_RING');
    expect(first?.finalReasons.map((reason) => reason.code)).toContain('ACCOUNT_IN_REFUND_RING');
    expect(first?.finalReasons.find((reason) => reason.code === 'ACCOUNT_IN_REFUND_RING')?.text).toContain(
      line.ringId as string,
    );
    const honest = result.refunds.find((refund) => refund.refundId === 'hrefund-0');
    expect(honest?.finalDecision).toBe('approve');
  });

  it('tells RingWatch listeners of a run, serves the ring by id and draws its graph', async () => {
    const engine = new RiskEngine(store, rules, Date.now);
    await engine.ingest(world().raw);
    const watch = new RingWatch(engine, () => 0, { intervalMs: 0 });
    const runs: number[] = [];
    const unsubscribe = watch.onRings((run) => runs.push(run.rings.length));
    const run = watch.detectNow();
    expect(runs).toEqual([1]);
    expect(run.asOf).toBe(engine.riskState.lastEventAt + 1);
    const ring = run.rings[0];
    if (!ring) throw new Error('no ring');
    expect(ring.accountIds).toEqual(CLIENTS);
    expect(watch.current()).toBe(run);
    expect(watch.ring(ring.ringId)).toEqual(ring);
    expect(watch.ring('ring-0000000000000000')).toBeUndefined();

    const graph = watch.graph(ring.ringId);
    const members = graph?.nodes.filter((node) => node.attributes?.role === 'member').map((node) => node.key);
    expect(members?.sort()).toEqual(CLIENTS.map((client) => `account:${client}`));
    const keys = graph?.nodes.map((node) => node.key) ?? [];
    expect(keys).toContain('device:dev-refunder');
    expect(keys.filter((key) => key.startsWith('account:honest-'))).toEqual([]);
    expect(
      graph?.edges.some(
        (edge) => edge.target === 'device:dev-refunder' || edge.source === 'device:dev-refunder',
      ),
    ).toBe(true);
    expect(watch.graph('ring-0000000000000000')).toBeUndefined();

    unsubscribe();
    watch.detectNow();
    expect(runs).toEqual([1]);
  });

  it('keeps the ring in final decisions after RingWatch detects just past the newest event', async () => {
    const engine = new RiskEngine(store, rules, Date.now);
    await engine.ingest(world().raw);
    const before = engine.finalAssessment('refund-1');
    expect(before?.signals.ring).toMatchObject({ found: true, via: 'account' });
    const run = new RingWatch(engine, () => 0, { intervalMs: 0 }).detectNow();
    expect(run.asOf).toBe(engine.riskState.lastEventAt + 1);
    const after = engine.finalAssessment('refund-1');
    expect(after?.signals.ring).toMatchObject({ found: true, via: 'account', id: run.rings[0]?.ringId });
    expect(after?.reasons.map((reason) => reason.code)).toContain('ACCOUNT_IN_REFUND_RING');
  });

  it('puts a gang refund made at the very last moment of the replay in its ring', async () => {
    const engine = new RiskEngine(store, rules, Date.now);
    // The gang's fifth refund (day 18.01) is the file's last event.
    const result = await replay(linesOf(new EventBuilder().refunderWorking(5, EMPTY_BOX_SCRIPT).raw), engine);
    expect(result.rings[0]?.accountIds).toEqual(CLIENTS);
  });

  it('tells listeners of runs made during ingestion when polled, once each', async () => {
    const engine = new RiskEngine(store, rules, Date.now);
    const watch = new RingWatch(engine, () => 0, { intervalMs: 0 });
    const seen: number[] = [];
    watch.onRings((run) => seen.push(run.asOf));
    await engine.ingest(world().raw);
    watch.poll();
    watch.poll();
    expect(seen).toEqual([engine.riskState.gangs.latest?.asOf]);
    expect(watch.ring(engine.riskState.gangs.latest?.rings[0]?.ringId ?? '')?.accountIds).toEqual(CLIENTS);
  });
});

describe('evaluateRings on hand-built labels', () => {
  function accountLabel(accountId: string, gangId?: string): LabelRecord {
    return {
      subject: 'account',
      subjectId: accountId,
      label: gangId ? 'fraud' : 'legit',
      ...(gangId ? { gangId, scheme: 'refund_service' } : {}),
    };
  }
  function refundLabel(accountId: string, gangId?: string): LabelRecord {
    return {
      subject: 'refund',
      subjectId: `refund-of-${accountId}`,
      label: gangId ? 'fraud' : 'legit',
      accountId,
      ...(gangId ? { gangId, scheme: 'refund_service' } : {}),
    };
  }
  const A = ['a1', 'a2', 'a3', 'a4', 'a5'];
  const B = ['b1', 'b2', 'b3', 'b4', 'b5'];
  const C = ['c1', 'c2'];
  const labels: LabelRecord[] = [
    ...[...A, ...B, ...C].flatMap((id) => {
      const gang = id.startsWith('a') ? 'gang-A' : id.startsWith('b') ? 'gang-B' : 'gang-C';
      return [accountLabel(id, gang), refundLabel(id, gang)];
    }),
    accountLabel('h1'),
    refundLabel('h1'),
    accountLabel('h2'),
  ];
  const rings = [
    // Gang A with an honest customer mixed in: 5/6 its own, under 90 %.
    { ringId: 'ring-a', accountIds: [...A, 'h1'], agentIds: [], score: 0.9, reasons: [] },
    // All of gang B's five, nothing else: recovered.
    { ringId: 'ring-b', accountIds: B, score: 0.8, reasons: [] },
    // Honest only: a false ring.
    { ringId: 'ring-h', accountIds: ['h1', 'h2'], score: 0.6, reasons: [] },
    { accountIds: ['x'] },
  ];

  it('gives each gang its best ring’s purity and coverage, and counts recovered gangs', () => {
    const evaluation = evaluateRings(labels, rings);
    expect(evaluation.rings).toBe(3);
    expect(evaluation.invalid).toBe(1);
    const byGang = Object.fromEntries(evaluation.gangs.map((gang) => [gang.gangId, gang]));
    expect(byGang['gang-A']).toMatchObject({
      clients: 5,
      refundingClients: 5,
      bestRingId: 'ring-a',
      bestRingOwn: 5,
      bestRingMembers: 6,
      coverage: 1,
      coverageByPureRings: 0,
      recovered: false,
    });
    expect(byGang['gang-A']?.purity).toBeCloseTo(5 / 6, 10);
    expect(byGang['gang-B']).toMatchObject({
      bestRingId: 'ring-b',
      bestRingOwn: 5,
      purity: 1,
      coverage: 1,
      coverageByPureRings: 1,
      recovered: true,
    });
    // Too few clients to count; never found.
    expect(byGang['gang-C']).toMatchObject({
      clients: 2,
      bestRingId: undefined,
      purity: null,
      coverage: 0,
      recovered: false,
    });
    expect(evaluation.eligibleGangs).toBe(2);
    expect(evaluation.recoveredGangs).toBe(1);
    expect(evaluation.fraudMajorityRings).toBe(2);
    // 10 fraud members of 13 ring members.
    expect(evaluation.memberPrecision).toBeCloseTo(10 / 13, 10);
  });

  it('formats the table with each gang and the recovered count', () => {
    const text = formatRingEvaluation(evaluateRings(labels, rings));
    expect(text).toContain('recovered');
    expect(text).toContain(': 1 of 2');
    expect(text).toMatch(/gang-A\s+5\s+5\s+1\s+ring-a\s+5\/6\s+83\.3%\s+100\.0%\s+0\.0%\s+NO/);
    expect(text).toMatch(/gang-B\s+5\s+5\s+1\s+ring-b\s+5\/5\s+100\.0%\s+100\.0%\s+100\.0%\s+yes/);
    expect(text).toMatch(/gang-C .*n\/a$/m);
  });
});
