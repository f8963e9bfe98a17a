// The projection: the link graph (accounts joined to the values they used) seen as an account
// graph, in three steps. The accounts in view (a refund in the window); account pairs weighted by
// the values they share, rarer values weighing more, and values too common to mean anything left
// out; and the components of the strong pairs, kept only when they hold enough suspicious
// accounts, each a graph of its own for Louvain.
import Graph from 'graphology';
import {
  type AccountNodeAttributes,
  isAccountNode,
  type LinkAttributes,
  type LinkGraph,
  type LinkKind,
  type ValueNodeAttributes,
} from './link-graph.ts';
import type { RingDetectionOptions } from './ring-options.ts';
import { alwaysSuspect, EVIDENCE, evidenceOf } from './suspicious-sharing.ts';
import { UnionFind } from './union-find.ts';

/** Pairs are keyed by a number: `low * PAIR_KEY_BASE + high` (room for 67M accounts). */
const PAIR_KEY_BASE = 2 ** 26;

/** Inverse-frequency weight of a value shared by `accounts` accounts: 1 for a pair, then slowly less. */
export function rarityWeight(accounts: number): number {
  return accounts <= 2 ? 1 : 1 / (1 + Math.log(accounts / 2));
}

interface Use {
  account: number;
  at: number;
  suspect: boolean;
}

/** The accounts in view (by link graph index) and the kinds of ring evidence each shows. */
export interface AccountsInView {
  /** 1 for an account with a refund within [from, asOf). */
  active: Uint8Array;
  /** EVIDENCE bits: a third-party contact in the window (step 1), suspicious sharing (step 2). */
  evidence: Uint8Array;
  accountsInWindow: number;
}

/** 1. Accounts in view: a refund within the window, before asOf. */
export function accountsInView(links: LinkGraph, asOf: number, from: number): AccountsInView {
  const graph = links.graph;
  const accountCount = links.accountCount;
  const active = new Uint8Array(accountCount);
  const evidence = new Uint8Array(accountCount);
  let accountsInWindow = 0;
  for (let index = 0; index < accountCount; index += 1) {
    const account = graph.getNodeAttributes(links.accountKeyAt(index) as string) as AccountNodeAttributes;
    if (!account.refunds.some((refund) => refund.at >= from && refund.at < asOf)) continue;
    active[index] = 1;
    accountsInWindow += 1;
    if (account.contacts.some((contact) => contact.foreignOrigin && contact.at >= from && contact.at < asOf))
      evidence[index] = EVIDENCE.thirdParty;
  }
  return { active, evidence, accountsInWindow };
}

export interface AccountPairs {
  /** Pair key (the two accounts' link graph indexes) → summed weight. */
  pairs: Map<number, number>;
  /** Values that passed the commonness filters and link two or more accounts in view. */
  meaningful: Set<string>;
  valuesRead: number;
  valuesTooCommon: number;
}

/**
 * 2. Account pairs through shared values, rarer values weighing more. Marks on `view.evidence`
 * the kinds of suspicious sharing each account shows.
 */
export function accountPairs(
  links: LinkGraph,
  asOf: number,
  view: AccountsInView,
  options: RingDetectionOptions,
): AccountPairs {
  const graph = links.graph;
  const { active, evidence } = view;
  const pairs = new Map<number, number>();
  const meaningful = new Set<string>();
  let valuesRead = 0;
  let valuesTooCommon = 0;
  const uses: Use[] = [];
  const addPair = (left: Use, right: Use, kind: LinkKind, weight: number) => {
    const base = options.weights[kind];
    const bothSuspect = left.suspect && right.suspect;
    const perPair =
      (bothSuspect ? base.suspect : left.suspect || right.suspect ? base.mixed : base.own) *
      weight *
      (Math.abs(left.at - right.at) <= options.burstMs ? options.burstBoost : 1);
    if (perPair <= 0) return;
    const low = Math.min(left.account, right.account);
    const high = Math.max(left.account, right.account);
    const key = low * PAIR_KEY_BASE + high;
    pairs.set(key, (pairs.get(key) ?? 0) + perPair);
  };

  graph.forEachNode((key, attributes) => {
    if (isAccountNode(attributes)) return;
    const value = attributes as ValueNodeAttributes;
    const limit = options.maxAccountsPerValue[value.kind];
    if (!limit || value.firstAt >= asOf) return;
    if (value.kind === 'drop' && options.isWarehousePostalCode?.(value.value)) return;
    valuesRead += 1;
    if ((options.valueUsers?.(value.kind, value.value) ?? 0) > options.maxValueUsers[value.kind]) {
      valuesTooCommon += 1;
      return;
    }
    uses.length = 0;
    let linked = 0;
    let tooMany = false;
    graph.forEachEdge(key, (_edge, link: LinkAttributes, source, target, sourceAttributes) => {
      if (tooMany || link.firstAt >= asOf) return;
      linked += 1;
      if (linked > limit) {
        tooMany = true;
        return;
      }
      const account = (
        isAccountNode(sourceAttributes)
          ? sourceAttributes
          : graph.getNodeAttributes(source === key ? target : source)
      ) as AccountNodeAttributes;
      if (!active[account.index]) return;
      const suspect = alwaysSuspect(value.kind) || link.suspectFirstAt < asOf;
      uses.push({ account: account.index, at: suspect ? link.suspectFirstAt : link.firstAt, suspect });
    });
    if (tooMany) {
      valuesTooCommon += 1;
      return;
    }
    if (uses.length < 2) return;
    meaningful.add(key);
    const weight = rarityWeight(linked);
    // Values that cannot tie any pair noticeably (a home range shared with the neighbours) are
    // not expanded at all: most of an honest population's links end here, cheaply.
    const suspects = uses.reduce((count, use) => count + (use.suspect ? 1 : 0), 0);
    const base = options.weights[value.kind];
    const strongest =
      suspects >= 2 ? base.suspect : suspects === 1 ? Math.max(base.mixed, base.own) : base.own;
    if (strongest * weight * options.burstBoost < options.minPairWeight / 4) return;
    const bit = evidenceOf(value.kind);
    if (bit && suspects >= 2)
      for (const use of uses)
        if (use.suspect) evidence[use.account] = (evidence[use.account] as number) | bit;
    if (uses.length <= options.denseLimit) {
      for (let left = 0; left < uses.length; left += 1)
        for (let right = left + 1; right < uses.length; right += 1)
          addPair(uses[left] as Use, uses[right] as Use, value.kind, weight);
      return;
    }
    // Many accounts: each is linked to its nearest neighbours in time only (a refunder works
    // clients in batches), which keeps the cost linear; a common value weighs less anyway.
    uses.sort((left, right) => left.at - right.at || left.account - right.account);
    for (let left = 0; left < uses.length; left += 1)
      for (let step = 1; step <= options.chainNeighbours && left + step < uses.length; step += 1)
        addPair(uses[left] as Use, uses[left + step] as Use, value.kind, weight);
  });
  return { pairs, meaningful, valuesRead, valuesTooCommon };
}

export interface Projection {
  /** The strong pairs of the components kept, as one account graph (edge attribute `weight`). */
  projection: Graph;
  /** The projection cut along its components, each a graph of its own for Louvain. */
  components: Map<number, Graph>;
  pairsKept: number;
}

/** 3. Components of the strong pairs; only those with enough suspicious accounts go on. */
export function projectStrongPairs(
  links: LinkGraph,
  pairs: Map<number, number>,
  view: AccountsInView,
  options: RingDetectionOptions,
): Projection {
  const accountCount = links.accountCount;
  const { active, evidence } = view;
  const union = new UnionFind(accountCount);
  let pairsKept = 0;
  for (const [key, weight] of pairs) {
    if (weight < options.minPairWeight) continue;
    pairsKept += 1;
    union.union(Math.floor(key / PAIR_KEY_BASE), key % PAIR_KEY_BASE);
  }
  const suspiciousPerRoot = new Map<number, number>();
  for (let index = 0; index < accountCount; index += 1) {
    if (!active[index] || !evidence[index]) continue;
    const root = union.find(index);
    suspiciousPerRoot.set(root, (suspiciousPerRoot.get(root) ?? 0) + 1);
  }
  const keepRoot = (index: number) => (suspiciousPerRoot.get(union.find(index)) ?? 0) >= options.minRingSize;
  const projection = new Graph({ type: 'undirected', multi: false, allowSelfLoops: false });
  const components = new Map<number, Graph>();
  for (const [key, weight] of pairs) {
    if (weight < options.minPairWeight) continue;
    const low = Math.floor(key / PAIR_KEY_BASE);
    if (!keepRoot(low)) continue;
    const high = key % PAIR_KEY_BASE;
    const root = union.find(low);
    let component = components.get(root);
    if (!component) {
      component = new Graph({ type: 'undirected', multi: false, allowSelfLoops: false });
      components.set(root, component);
    }
    const lowKey = links.accountKeyAt(low) as string;
    const highKey = links.accountKeyAt(high) as string;
    for (const graphOf of [projection, component]) {
      graphOf.mergeNode(lowKey);
      graphOf.mergeNode(highKey);
      graphOf.addEdge(lowKey, highKey, { weight });
    }
  }
  return { projection, components, pairsKept };
}
