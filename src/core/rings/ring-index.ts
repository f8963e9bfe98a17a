// Looking rings up while assessing a refund: is the account in a ring, or did the contact come
// from a ring's refunder (its device, caller id or IP range)? And the ring's own graph, for the
// case it opens and the console's ring page.
import Graph from 'graphology';
import type { SerializedGraph } from 'graphology-types';
import { ipPrefix } from '../identity.ts';
import {
  type AccountNodeAttributes,
  accountNodeKey,
  isAccountNode,
  type LinkAttributes,
  type LinkGraph,
  type LinkNodeAttributes,
} from './link-graph.ts';
import type { Ring } from './ring.ts';

export interface RingIndex {
  rings: Ring[];
  /** Member account id → its ring. */
  byAccount: Map<string, Ring>;
  /** Refunder fingerprint (`device:…`, `caller:…`, `range:…`) → the ring it worked for (highest score). */
  byFingerprint: Map<string, Ring>;
}

export type RingLink = { ring: Ring; via: 'account' | 'origin' | 'range'; fingerprint?: string };

export function indexRings(rings: Ring[]): RingIndex {
  const byAccount = new Map<string, Ring>();
  const byFingerprint = new Map<string, Ring>();
  const ordered = [...rings].sort((left, right) => right.score - left.score);
  for (const ring of ordered) {
    for (const accountId of ring.accountIds) if (!byAccount.has(accountId)) byAccount.set(accountId, ring);
    for (const key of [...ring.fingerprints.origins, ...ring.fingerprints.ranges])
      if (!byFingerprint.has(key)) byFingerprint.set(key, ring);
  }
  return { rings: ordered, byAccount, byFingerprint };
}

/**
 * The ring a refund request touches: its account is a member, or its contact came from a
 * ring's refunder origin (device / caller id, the risk state's `originKey`) or IP range.
 */
export function ringOf(
  index: RingIndex,
  request: { accountId: string; originKey?: string | undefined; ip?: string | undefined },
): RingLink | undefined {
  const member = index.byAccount.get(request.accountId);
  if (member) return { ring: member, via: 'account' };
  if (request.originKey) {
    const ring = index.byFingerprint.get(request.originKey);
    if (ring) return { ring, via: 'origin', fingerprint: request.originKey };
  }
  if (request.ip) {
    const key = `range:${ipPrefix(request.ip)}`;
    const ring = index.byFingerprint.get(key);
    if (ring) return { ring, via: 'range', fingerprint: key };
  }
  return undefined;
}

export interface RingGraphNode {
  kind: LinkNodeAttributes['kind'];
  label: string;
  /** For accounts: member of the ring, or associated (a relative, a flatmate). */
  role?: 'member' | 'associate';
  refunds?: number;
  valueUsd?: number;
}

/**
 * The ring's own graph: its accounts and the values two or more of them share (refunder
 * devices, networks, scripts, return patterns, cards, addresses, agents), as of `asOf`.
 * Serialised graphology, ready for sigma.
 */
export function ringGraph(
  links: LinkGraph,
  ring: Ring,
  asOf: number,
): SerializedGraph<RingGraphNode, LinkAttributes> {
  const source = links.graph;
  const graph = new Graph<RingGraphNode, LinkAttributes>({ type: 'undirected', multi: false });
  const members = new Set(ring.accountIds);
  const accounts = [...ring.accountIds, ...ring.associatedAccountIds];
  const valueEdges = new Map<string, { accountKey: string; link: LinkAttributes }[]>();
  for (const accountId of accounts) {
    const key = accountNodeKey(accountId);
    if (!source.hasNode(key)) continue;
    const account = source.getNodeAttributes(key) as AccountNodeAttributes;
    const refunds = account.refunds.filter((refund) => refund.at < asOf);
    graph.addNode(key, {
      kind: 'account',
      label: accountId,
      role: members.has(accountId) ? 'member' : 'associate',
      refunds: refunds.length,
      valueUsd: Math.round(refunds.reduce((sum, refund) => sum + refund.amountUsdMinor, 0)) / 100,
    });
    source.forEachEdge(key, (_edge, link, from, to) => {
      if (link.firstAt >= asOf) return;
      const valueKey = from === key ? to : from;
      const list = valueEdges.get(valueKey) ?? [];
      list.push({ accountKey: key, link });
      valueEdges.set(valueKey, list);
    });
  }
  for (const [valueKey, edges] of valueEdges) {
    if (edges.length < 2) continue;
    const value = source.getNodeAttributes(valueKey);
    if (isAccountNode(value)) continue;
    graph.addNode(valueKey, { kind: value.kind, label: value.value });
    for (const { accountKey, link } of edges) graph.addEdge(accountKey, valueKey, { ...link });
  }
  return graph.export();
}
