// Communities: Louvain on each component of the projection by itself, then communities of one
// gang merged, twice. Louvain separates the clients of each refunder (a device ties them tighter
// than anything); close communities (a strong mean tie, corroborated by a shared refunder origin
// or two kinds of suspicious sharing) are merged first (`mergeRatio`), then communities tied by
// what a gang shares beyond one refunder's kit (gang ties, `gangTieSupport`).
import type Graph from 'graphology';
import louvain from 'graphology-communities-louvain';
import type {
  AccountNodeAttributes,
  LinkAttributes,
  LinkGraph,
  LinkKind,
  ValueNodeAttributes,
} from './link-graph.ts';
import type { AccountsInView } from './projection.ts';
import type { RingDetectionOptions } from './ring-options.ts';
import { alwaysSuspect, EVIDENCE, evidenceOf } from './suspicious-sharing.ts';

/** mulberry32: a small seeded generator for Louvain's random walk. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * 4. Communities: Louvain on each component by itself, then refunder-level communities of one
 * gang merged. Modularity over the whole projection judges a tie between two gangs against
 * every other account's links (its resolution limit): at a million accounts, two gangs of two
 * dozen clients tied by two client pairs came out as one community. On its own component,
 * against a fixed reference weight, a community's structure is the same whatever else the
 * graph holds. Returns community id → account node keys.
 */
export function findCommunities(
  links: LinkGraph,
  projection: Graph,
  components: Map<number, Graph>,
  meaningful: Set<string>,
  view: AccountsInView,
  asOf: number,
  options: RingDetectionOptions,
): Map<number, string[]> {
  const graph = links.graph;
  const { active, evidence } = view;
  const communities = new Map<number, string[]>();
  if (projection.order > 0) {
    const partition: Record<string, number> = {};
    let nextCommunity = 0;
    const weightOf = (graph: Graph) => {
      let weight = 0;
      graph.forEachEdge((_edge, attributes) => {
        weight += (attributes as { weight: number }).weight;
      });
      return weight;
    };
    // A small retailer's projection is judged as a whole, as modularity would; only past the
    // reference weight does each component keep the judgement it would get at that size.
    const reference = Math.min(weightOf(projection), options.modularityWeight);
    for (const component of components.values()) {
      const local = louvain(component, {
        getEdgeWeight: 'weight',
        resolution: (options.resolution * weightOf(component)) / reference,
        rng: seededRandom(options.seed),
      });
      const offset = nextCommunity;
      for (const node in local) {
        const community = offset + (local[node] as number);
        partition[node] = community;
        if (community >= nextCommunity) nextCommunity = community + 1;
      }
    }
    const kinds = suspiciousKindsBetween(links, meaningful, partition, asOf);
    const mergedOf = mergeCloseCommunities(projection, partition, kinds, options.mergeRatio);
    const merged = new Map<number, string[]>();
    projection.forEachNode((node) => {
      const community = mergedOf(partition[node] as number);
      const members = merged.get(community);
      if (members) members.push(node);
      else merged.set(community, [node]);
    });
    const suspicious = (key: string) => {
      const index = (graph.getNodeAttributes(key) as AccountNodeAttributes).index;
      return active[index] === 1 && (evidence[index] as number) !== 0;
    };
    const joinedOf = mergeByGangTies(links, merged, suspicious, asOf, options.gangTieSupport);
    for (const [community, keys] of merged) {
      const joined = joinedOf(community);
      const members = communities.get(joined);
      if (members) members.push(...keys);
      else communities.set(joined, [...keys]);
    }
  }
  return communities;
}

/**
 * Average-linkage merging of Louvain communities: repeatedly joins the two whose mean tie per
 * account pair is the largest share of the looser one's mean inner tie, while that share is at
 * least `ratio` and the tie is corroborated: the same refunder origin on both sides, or two kinds
 * of suspicious sharing (a network and a script, a script and a return pattern). A hosting range
 * alone is not enough: unrelated gangs rent from the same providers. (Not counting it at all
 * left a gang worked from two refunder devices, tied by their network and their script, as two rings.)
 * Returns community id → merged community id.
 */
function mergeCloseCommunities(
  projection: Graph,
  partition: Record<string, number>,
  kindsBetween: Map<number, Map<number, number>>,
  ratio: number,
): (community: number) => number {
  const size = new Map<number, number>();
  const inner = new Map<number, number>();
  const between = new Map<number, Map<number, number>>();
  for (const community of Object.values(partition)) size.set(community, (size.get(community) ?? 0) + 1);
  const addTo = (
    table: Map<number, Map<number, number>>,
    left: number,
    right: number,
    value: number,
    or = false,
  ) => {
    const row = table.get(left) ?? new Map<number, number>();
    row.set(right, or ? (row.get(right) ?? 0) | value : (row.get(right) ?? 0) + value);
    table.set(left, row);
  };
  projection.forEachEdge((_edge, attributes, source, target) => {
    const left = partition[source] as number;
    const right = partition[target] as number;
    const weight = (attributes as { weight: number }).weight;
    if (left === right) inner.set(left, (inner.get(left) ?? 0) + weight);
    else {
      addTo(between, left, right, weight);
      addTo(between, right, left, weight);
    }
  });
  const density = (community: number) => {
    const count = size.get(community) ?? 1;
    return count < 2 ? Number.POSITIVE_INFINITY : (inner.get(community) ?? 0) / ((count * (count - 1)) / 2);
  };
  const corroborated = (left: number, right: number) => {
    const kinds = kindsBetween.get(left)?.get(right) ?? 0;
    return (kinds & EVIDENCE.origin) !== 0 || bitCount(kinds) >= 2;
  };
  const parent = new Map<number, number>();
  const root = (community: number): number => {
    let current = community;
    while (parent.has(current)) current = parent.get(current) as number;
    return current;
  };
  for (;;) {
    let best: [number, number] | undefined;
    let bestShare = ratio;
    for (const [left, row] of between) {
      for (const [right, weight] of row) {
        if (right <= left || !corroborated(left, right)) continue;
        const mean = weight / ((size.get(left) ?? 1) * (size.get(right) ?? 1));
        const looser = Math.min(density(left), density(right));
        const share = Number.isFinite(looser) ? mean / looser : 1;
        if (share >= bestShare) {
          bestShare = share;
          best = [left, right];
        }
      }
    }
    if (!best) break;
    const [keep, gone] = best;
    parent.set(gone, keep);
    const goneRow = between.get(gone) ?? new Map<number, number>();
    inner.set(keep, (inner.get(keep) ?? 0) + (inner.get(gone) ?? 0) + (goneRow.get(keep) ?? 0));
    size.set(keep, (size.get(keep) ?? 0) + (size.get(gone) ?? 0));
    between.get(keep)?.delete(gone);
    for (const [other, weight] of goneRow) {
      if (other === keep) continue;
      addTo(between, keep, other, weight);
      addTo(between, other, keep, weight);
      between.get(other)?.delete(gone);
    }
    between.delete(gone);
    for (const [other, kinds] of kindsBetween.get(gone) ?? new Map<number, number>()) {
      if (other === keep) continue;
      addTo(kindsBetween, keep, other, kinds, true);
      addTo(kindsBetween, other, keep, kinds, true);
      kindsBetween.get(other)?.delete(gone);
    }
    kindsBetween.get(keep)?.delete(gone);
    kindsBetween.delete(gone);
  }
  return root;
}

/** Whether the agent overrode policy on one of the account's refunds before asOf. */
function overrodePolicyFor(account: AccountNodeAttributes, agentId: string, asOf: number): boolean {
  return account.refunds.some(
    (refund) => refund.policyOverride && refund.at < asOf && refund.agentIds.includes(agentId),
  );
}

/** Kinds that tie two refunders' clients to one gang (see `gangTieSupport`). */
const GANG_TIE_KINDS: ReadonlySet<LinkKind> = new Set<LinkKind>([
  'device',
  'caller',
  'tracking',
  'agent',
  'tracking-prefix',
]);

/**
 * Joins communities (id → account node keys) of one gang, by the values their suspicious
 * members share (see `gangTieSupport`), transitively. Returns community id → joined community id.
 */
function mergeByGangTies(
  links: LinkGraph,
  communities: Map<number, string[]>,
  suspicious: (accountKey: string) => boolean,
  asOf: number,
  minSupport: number,
): (community: number) => number {
  const graph = links.graph;
  // Per value, how many suspicious members of each community used it (a refunder origin as a third party).
  const communitiesOfValue = new Map<string, Map<number, number>>();
  for (const [community, keys] of communities) {
    for (const accountKey of keys) {
      if (!suspicious(accountKey)) continue;
      const account = graph.getNodeAttributes(accountKey) as AccountNodeAttributes;
      graph.forEachEdge(accountKey, (_edge, link: LinkAttributes, source, target) => {
        if (link.firstAt >= asOf) return;
        const valueKey = source === accountKey ? target : source;
        const value = graph.getNodeAttributes(valueKey) as ValueNodeAttributes;
        if (!GANG_TIE_KINDS.has(value.kind)) return;
        if ((value.kind === 'device' || value.kind === 'caller') && link.suspectFirstAt >= asOf) return;
        if (value.kind === 'agent' && !overrodePolicyFor(account, value.value, asOf)) return;
        let counts = communitiesOfValue.get(valueKey);
        if (!counts) {
          counts = new Map();
          communitiesOfValue.set(valueKey, counts);
        }
        counts.set(community, (counts.get(community) ?? 0) + 1);
      });
    }
  }
  const support = new Map<string, number>();
  const parent = new Map<number, number>();
  const root = (community: number): number => {
    let current = community;
    while (parent.has(current)) current = parent.get(current) as number;
    return current;
  };
  const join = (left: number, right: number) => {
    const a = root(left);
    const b = root(right);
    if (a !== b) parent.set(Math.max(a, b), Math.min(a, b));
  };
  for (const [valueKey, counts] of communitiesOfValue) {
    if (counts.size < 2) continue;
    const kind = (graph.getNodeAttributes(valueKey) as ValueNodeAttributes).kind;
    const strong = kind === 'device' || kind === 'caller' || kind === 'tracking';
    const entries = [...counts];
    for (let left = 0; left < entries.length; left += 1)
      for (let right = left + 1; right < entries.length; right += 1) {
        const [leftCommunity, leftCount] = entries[left] as [number, number];
        const [rightCommunity, rightCount] = entries[right] as [number, number];
        if (strong) {
          join(leftCommunity, rightCommunity);
          continue;
        }
        const shared = Math.min(leftCount, rightCount);
        if (shared < 2) continue;
        const key = `${Math.min(leftCommunity, rightCommunity)}:${Math.max(leftCommunity, rightCommunity)}`;
        support.set(key, (support.get(key) ?? 0) + shared);
      }
  }
  for (const [key, total] of support) {
    if (total < minSupport) continue;
    const [left, right] = key.split(':').map(Number) as [number, number];
    join(left, right);
  }
  return root;
}

/** Which kinds of suspicious values (EVIDENCE bits) each pair of communities shares. */
function suspiciousKindsBetween(
  links: LinkGraph,
  meaningful: Set<string>,
  partition: Record<string, number>,
  asOf: number,
): Map<number, Map<number, number>> {
  const graph = links.graph;
  const table = new Map<number, Map<number, number>>();
  for (const valueKey of meaningful) {
    const value = graph.getNodeAttributes(valueKey) as ValueNodeAttributes;
    const bit = evidenceOf(value.kind);
    if (!bit) continue;
    const communities = new Set<number>();
    graph.forEachEdge(valueKey, (_edge, link: LinkAttributes, source, target) => {
      if (link.firstAt >= asOf || (!alwaysSuspect(value.kind) && link.suspectFirstAt >= asOf)) return;
      const community = partition[source === valueKey ? target : source];
      if (community !== undefined) communities.add(community);
    });
    if (communities.size < 2) continue;
    for (const left of communities)
      for (const right of communities) {
        if (left === right) continue;
        const row = table.get(left) ?? new Map<number, number>();
        row.set(right, (row.get(right) ?? 0) | bit);
        table.set(left, row);
      }
  }
  return table;
}

function bitCount(bits: number): number {
  let count = 0;
  for (let rest = bits; rest !== 0; rest &= rest - 1) count += 1;
  return count;
}
