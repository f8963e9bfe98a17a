// Rings in the console: the detector as the console needs it, what a ring case keeps of each
// detection (its snapshot, enough to show and act on the ring without the detector), and the ring
// page: the ring's graph, its members with their refunds, and its activity per day.
import type { SerializedGraph } from 'graphology-types';
import type { LinkAttributes } from '../core/rings/link-graph.ts';
import type { Ring } from '../core/rings/ring.ts';
import type { RingGraphNode } from '../core/rings/ring-index.ts';
import type { RiskState } from '../core/risk-state.ts';
import type { CaseStore } from './console-ports.ts';

/** The ring detector as the console needs it (src/app/ring-watch.ts provides it). */
export interface RingSource {
  ring(ringId: string): Ring | undefined;
  graph(ringId: string): RingGraph | undefined;
  /** The latest detection run, if any (cases catch up on it at start). */
  current?(): { asOf: number; rings: readonly Ring[] } | undefined;
  /** Tells the listener after each detection run; returns the unsubscribe. */
  onRings?(listener: (run: { asOf: number; rings: readonly Ring[] }) => void): () => void;
  /** Looks for runs made while ingesting (listeners are told). */
  poll?(): void;
  /** Stops its timers (the console's close). */
  stop?(): void;
}

/** A ring's graph, serialised graphology (nodes: kind, label, role, refunds, valueUsd), ready for sigma. */
export type RingGraph = SerializedGraph<RingGraphNode, LinkAttributes>;

export interface RingPage {
  ring: RingSnapshot;
  /** Whether the detector still knows this ring id (else the case's last snapshot is shown). */
  live: boolean;
  graph: RingGraph;
  members: {
    accountId: string;
    role: 'member' | 'associate';
    email: string | null;
    marketplace: string | null;
    closed: { at: number; reason: string } | null;
    refunds: {
      refundId: string;
      orderId: string;
      at: number;
      amountMinor: number;
      currency: string;
      usd: number;
      reason: string;
      decision: string | null;
      outcome: string | null;
      agentId: string | null;
      inRing: boolean;
    }[];
  }[];
  /** Per day (epoch ms of its start): the members' refunds, contacts and refunded USD. */
  activity: { day: number; refunds: number; contacts: number; refundUsd: number }[];
}

const DAY_MS = 86_400_000;

/** Without the detector's graph (a restarted server, an old ring): the members and the refunders' fingerprints they share. */
function fallbackGraph(ring: RingSnapshot): RingGraph {
  const nodes: RingGraph['nodes'] = ring.accountIds.map((accountId) => ({
    key: `account:${accountId}`,
    attributes: { kind: 'account', label: accountId, role: 'member' },
  }));
  const edges: RingGraph['edges'] = [];
  const link = { firstAt: ring.firstAt, lastAt: ring.lastAt, count: 1 } as LinkAttributes;
  const shared = [
    ...ring.fingerprints.origins,
    ...ring.fingerprints.ranges,
    ...ring.agentIds.map((agent) => `agent:${agent}`),
  ];
  for (const value of shared) {
    const kind = value.slice(0, value.indexOf(':')) as RingGraphNode['kind'];
    nodes.push({ key: value, attributes: { kind, label: value.slice(value.indexOf(':') + 1) } });
    for (const accountId of ring.accountIds)
      edges.push({ source: `account:${accountId}`, target: value, attributes: link });
  }
  return {
    attributes: {},
    nodes,
    edges,
    options: { type: 'undirected', multi: false, allowSelfLoops: false },
  };
}

/** What a ring case keeps of each detection (evidence data): enough to show and act on the ring without the detector. */
export interface RingSnapshot {
  ringId: string;
  accountIds: string[];
  associatedAccountIds: string[];
  agentIds: string[];
  fingerprints: Ring['fingerprints'];
  refundIds: string[];
  valueUsd: number;
  firstAt: number;
  lastAt: number;
  score: number;
  reasons: Ring['reasons'];
}

export function ringSnapshot(ring: Ring): RingSnapshot {
  return {
    ringId: ring.ringId,
    accountIds: [...ring.accountIds],
    associatedAccountIds: [...ring.associatedAccountIds],
    agentIds: [...ring.agentIds],
    fingerprints: ring.fingerprints,
    refundIds: [...ring.refundIds],
    valueUsd: ring.valueUsd,
    firstAt: ring.firstAt,
    lastAt: ring.lastAt,
    score: ring.score,
    reasons: ring.reasons,
  };
}

export function ringTitle(ring: {
  accountIds: readonly string[];
  refundIds: readonly string[];
  valueUsd: number;
}): string {
  return `Refund ring: ${ring.accountIds.length} accounts, ${ring.refundIds.length} refunds, ${Math.round(ring.valueUsd).toLocaleString('en-US')} USD`;
}

/** The ring as its case last saw it (the latest detection that opened or joined it). */
export async function latestRingSnapshot(
  store: CaseStore,
  caseId: string,
): Promise<RingSnapshot | undefined> {
  const evidence = await store.listEvidence(caseId);
  const latest = evidence
    .filter((item) => item.kind === 'ring')
    .sort((left, right) => left.at - right.at)
    .at(-1);
  return latest?.data as RingSnapshot | undefined;
}

/** The member accounts of a ring case, as of the latest detection. */
export async function ringMembers(store: CaseStore, caseId: string): Promise<string[]> {
  return (await latestRingSnapshot(store, caseId))?.accountIds ?? [];
}

/** The ring page's contents: without the detector's live graph, the members and what they share. */
export function ringPage(
  ring: RingSnapshot,
  live: boolean,
  liveGraph: RingGraph | undefined,
  state: RiskState,
): RingPage {
  const graph = liveGraph ?? fallbackGraph(ring);
  const ringRefunds = new Set(ring.refundIds);
  const activity = new Map<number, { refunds: number; contacts: number; refundUsd: number }>();
  const day = (at: number) => {
    const key = Math.floor(at / DAY_MS);
    let entry = activity.get(key);
    if (entry === undefined) {
      entry = { refunds: 0, contacts: 0, refundUsd: 0 };
      activity.set(key, entry);
    }
    return entry;
  };
  const members = [
    ...ring.accountIds.map((accountId) => ({ accountId, role: 'member' as const })),
    ...ring.associatedAccountIds.map((accountId) => ({ accountId, role: 'associate' as const })),
  ].map(({ accountId, role }) => {
    const facts = state.accounts.get(accountId);
    const refunds = (facts?.refunds ?? []).map((refund) => ({
      refundId: refund.refundId,
      orderId: refund.orderId,
      at: refund.at,
      amountMinor: refund.amountMinor,
      currency: refund.currency,
      usd: refund.amountUsdMinor / 100,
      reason: refund.reason,
      decision: refund.assessedDecision ?? null,
      outcome: refund.decided?.outcome ?? null,
      agentId: refund.agentId ?? null,
      inRing: ringRefunds.has(refund.refundId),
    }));
    if (role === 'member') {
      for (const refund of facts?.refunds ?? []) {
        const entry = day(refund.at);
        entry.refunds += 1;
        entry.refundUsd += refund.amountUsdMinor / 100;
      }
      for (const contact of facts?.contacts ?? []) day(contact.at).contacts += 1;
    }
    return {
      accountId,
      role,
      email: facts?.email ?? null,
      marketplace: facts?.marketplace ?? null,
      closed: facts?.closed ?? null,
      refunds,
    };
  });
  return {
    ring,
    live,
    graph,
    members,
    activity: [...activity.entries()]
      .sort(([left], [right]) => left - right)
      .map(([key, value]) => ({ day: key * DAY_MS, ...value })),
  };
}
