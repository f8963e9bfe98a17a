// Ring detection: groups of accounts whose refunds were worked by the same people. Accounts
// are linked through the values they share in the link graph (refunder devices and IP ranges
// used as a third party, script families, FTID return patterns, and weaker identity links such
// as cards and addresses), each value weighted by how rare it is and ignored when it links too
// many accounts to mean anything. Louvain finds communities on that account–account projection,
// on each component that holds enough suspicious accounts by itself; communities of one gang's
// refunders are joined by what the gang shares beyond one refunder's kit (gang ties); each
// community is scored by how unlike honest customers it looks.
//
// Everything is read as of `asOf`: links first made at or after it, and refunds and contacts
// from then on, are not seen. Pure: no clock (timings only from a clock passed in), and Louvain
// runs on a seeded generator.
import Graph from 'graphology';
import louvain from 'graphology-communities-louvain';
import type { Reason } from '../decisions.ts';
import {
  type AccountNodeAttributes,
  accountNodeKey,
  isAccountNode,
  type LinkAttributes,
  type LinkGraph,
  type LinkKind,
  type ValueNodeAttributes,
} from './link-graph.ts';

const DAY_MS = 86_400_000;

export interface LinkWeight {
  /** Per pair of accounts that both used the value as a third party (or on a suspect return). */
  suspect: number;
  /** Per pair where one used it as a third party and the other as their own. */
  mixed: number;
  /** Per pair that used it as their own (a family's device, a shared address). */
  own: number;
}

export interface RingDetectionOptions {
  /** Accounts take part when they asked for a refund within [asOf - windowMs, asOf). */
  windowMs: number;
  minRingSize: number;
  /** Communities scoring below this are not reported. */
  minScore: number;
  /** Account pairs linked more weakly than this (after summing their shared values) are dropped. */
  minPairWeight: number;
  /** A value linking more refunding accounts than this is too common to mean anything. */
  maxAccountsPerValue: Record<LinkKind, number>;
  /**
   * A value more accounts than this use themselves (`valueUsers`) is too common to mean anything:
   * a campus's or a mobile carrier's range, a parcel locker's address.
   */
  maxValueUsers: Record<LinkKind, number>;
  weights: Record<LinkKind, LinkWeight>;
  /** Above this many accounts, a value links each account to its `chainNeighbours` nearest in time only. */
  denseLimit: number;
  chainNeighbours: number;
  /** Two accounts that first used a value this close in time are linked more strongly. */
  burstMs: number;
  burstBoost: number;
  /**
   * Louvain separates the clients of each refunder (a device ties them tighter than anything);
   * communities whose mean tie to each other reaches this share of their own mean inner tie,
   * corroborated by a shared refunder origin or two kinds of suspicious sharing (a network and a
   * script, say), are one gang and are merged.
   */
  mergeRatio: number;
  /**
   * Refunder-level communities of one gang are joined by what the gang shares beyond one
   * refunder's kit: the same refunder device or caller id, or a reused tracking id, on both sides
   * (either is enough); or insider agents who overrode policy, and batches of fake return labels
   * (a tracking prefix), each for two or more suspicious members on both sides, whose smaller
   * side counts add up to at least this. Never an IP range (unrelated gangs rent from the same
   * hosting providers), a drop postal code (an area, not an address), a script family (gangs
   * borrow each other's phrases; on the heavy-gangs world families spanned gangs) or an agent
   * who only handled clients (gangs' contacts reach the same queues by language and hours).
   */
  gangTieSupport: number;
  /** Clustered timing: the most members whose refunds start within one such span. */
  timingSpanMs: number;
  resolution: number;
  /**
   * Louvain runs on each component by itself, judging it as if the whole projection weighed
   * the smaller of its real weight (the sum of pair weights; a 20,000-customer retailer's is a few
   * hundred) and this. A small retailer's communities are plain modularity's; on a large graph two
   * groups join when the tie between them beats `resolution × k1 × k2 / (2 × modularityWeight)`
   * (k: their total pair weights), however large the graph is around them.
   */
  modularityWeight: number;
  seed: number;
  /**
   * How many accounts use the value themselves, beyond the refunds the graph holds (e.g. the
   * risk state's `usersOf` for devices, ranges, cards and addresses; a script family's size).
   * A mobile carrier's or a campus's range is common even when few of its users asked for refunds.
   */
  valueUsers?: ((kind: LinkKind, value: string) => number | undefined) | undefined;
  /** Postal codes known (as of now) to be return warehouses: deliveries there are no FTID drop. */
  isWarehousePostalCode?: ((postalCode: string) => boolean) | undefined;
  /** A millisecond clock for the stats' timings (e.g. performance.now); none, no timings. */
  clock?: (() => number) | undefined;
  /** What each kind of ring evidence adds to a ring's score (a noisy OR of the parts). */
  scoreWeights: RingScoreWeights;
}

export interface RingScoreWeights {
  /** Members contacted from a device or caller id shared with other members, foreign to them. */
  sharedOrigin: number;
  sharedRange: number;
  sharedScript: number;
  sharedReturns: number;
  thirdParty: number;
  repeatRefunds: number;
  clusteredTiming: number;
  value: number;
  agentConcentration: number;
}

export const DEFAULT_RING_SCORE_WEIGHTS: RingScoreWeights = {
  sharedOrigin: 0.7,
  sharedRange: 0.4,
  sharedScript: 0.35,
  sharedReturns: 0.55,
  thirdParty: 0.45,
  repeatRefunds: 0.15,
  clusteredTiming: 0.15,
  value: 0.1,
  agentConcentration: 0.1,
};

export const DEFAULT_RING_OPTIONS: RingDetectionOptions = {
  windowMs: 180 * DAY_MS,
  minRingSize: 3,
  minScore: 0.5,
  minPairWeight: 0.12,
  maxAccountsPerValue: {
    device: 500,
    caller: 500,
    range: 150,
    // Exact addresses are in the graph for people to see; the range already carries their
    // evidence, and counting them again tied honest households behind one NAT together.
    ip: 0,
    card: 20,
    address: 30,
    agent: 0,
    tracking: 10,
    'tracking-prefix': 100,
    drop: 50,
    script: 40,
  },
  maxValueUsers: {
    device: 10,
    caller: 10,
    range: 25,
    ip: 10,
    card: 10,
    address: 20,
    agent: 0,
    tracking: 10,
    'tracking-prefix': 100,
    drop: 50,
    script: 40,
  },
  weights: {
    // A refunder's device on clients' accounts; on the refunder's own account too (mixed).
    device: { suspect: 1, mixed: 0.5, own: 0.2 },
    caller: { suspect: 1, mixed: 0.5, own: 0.2 },
    // A proxy exit in someone's neighbourhood links the client to no one there (mixed).
    range: { suspect: 0.12, mixed: 0.03, own: 0.03 },
    ip: { suspect: 0, mixed: 0, own: 0 },
    card: { suspect: 0.5, mixed: 0.5, own: 0.5 },
    // A shared address is a household (roommates may buy from different refund services): a
    // fifth of a card's weight, so one flat cannot join two gangs' communities (seed 62).
    address: { suspect: 0.1, mixed: 0.1, own: 0.1 },
    agent: { suspect: 0, mixed: 0, own: 0 },
    tracking: { suspect: 1, mixed: 1, own: 1 },
    'tracking-prefix': { suspect: 0.3, mixed: 0.3, own: 0.3 },
    drop: { suspect: 0.4, mixed: 0.4, own: 0.4 },
    script: { suspect: 0.3, mixed: 0.3, own: 0.3 },
  },
  denseLimit: 24,
  chainNeighbours: 4,
  burstMs: 3 * DAY_MS,
  burstBoost: 1.5,
  mergeRatio: 0.15,
  gangTieSupport: 3,
  timingSpanMs: 7 * DAY_MS,
  resolution: 1,
  modularityWeight: 1500,
  seed: 1,
  scoreWeights: DEFAULT_RING_SCORE_WEIGHTS,
};

export interface RingFingerprints {
  /** Contact origins (`device:…`, `caller:…`) used as a third party on two or more members. */
  origins: string[];
  /** IP ranges (`range:…`) used as a third party on two or more members. */
  ranges: string[];
  scripts: string[];
  /** Non-warehouse return destinations (`drop:…`), tracking prefixes and reused tracking ids. */
  returns: string[];
}

export interface RingFeatures {
  members: number;
  /** Share of members contacted from an origin shared, as a third party, with another member. */
  sharedOriginShare: number;
  sharedRangeShare: number;
  sharedScriptShare: number;
  sharedReturnShare: number;
  /** Share of members sharing a card or an address with another member. */
  sharedIdentityShare: number;
  /** Share of the members' support contacts (in the window) made from a device or caller id foreign to the account. */
  thirdPartyShare: number;
  refundsPerAccount: number;
  meanRefundUsd: number;
  /** Largest share of members whose first refund in the window falls within one timing span. */
  timingShare: number;
  /** Largest share of the ring's refunds handled by one agent. */
  topAgentShare: number;
}

export interface Ring {
  /** Stable for a membership: a hash of the sorted member account ids. */
  ringId: string;
  accountIds: string[];
  /** Accounts Louvain put in the community that show nothing suspicious themselves (relatives). */
  associatedAccountIds: string[];
  /** Agents who handled two or more of the ring's refunds, most first. */
  agentIds: string[];
  fingerprints: RingFingerprints;
  refundIds: string[];
  valueUsd: number;
  firstAt: number;
  lastAt: number;
  score: number;
  reasons: Reason[];
  features: RingFeatures;
}

export interface RingDetectionStats {
  accountsInWindow: number;
  valuesRead: number;
  valuesTooCommon: number;
  pairs: number;
  pairsKept: number;
  candidateAccounts: number;
  candidateComponents: number;
  communities: number;
  rings: number;
  millis: { pairs: number; components: number; louvain: number; scoring: number; total: number };
}

export interface RingDetection {
  rings: Ring[];
  stats: RingDetectionStats;
}

/** Bit per kind of suspicious sharing an account shows. */
const EVIDENCE = { origin: 1, range: 2, script: 4, returns: 8, thirdParty: 16 } as const;
const PAIR_KEY_BASE = 2 ** 26;

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

/** A stable id from the members: two FNV-1a lanes over the sorted ids. */
export function ringIdOf(accountIds: readonly string[]): string {
  const text = [...accountIds].sort().join('\n');
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193 ^ 0x5bd1e995;
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    h1 = Math.imul(h1 ^ code, 0x01000193);
    h2 = Math.imul(h2 ^ code, 0x5bd1e995) ^ (h2 >>> 15);
  }
  const hex = (value: number) => (value >>> 0).toString(16).padStart(8, '0');
  return `ring-${hex(h1)}${hex(h2)}`;
}

/** Inverse-frequency weight of a value shared by `accounts` accounts: 1 for a pair, then slowly less. */
export function rarityWeight(accounts: number): number {
  return accounts <= 2 ? 1 : 1 / (1 + Math.log(accounts / 2));
}

function evidenceOf(kind: LinkKind): number {
  switch (kind) {
    case 'device':
    case 'caller':
      return EVIDENCE.origin;
    case 'range':
    case 'ip':
      return EVIDENCE.range;
    case 'script':
      return EVIDENCE.script;
    case 'tracking':
    case 'tracking-prefix':
    case 'drop':
      return EVIDENCE.returns;
    default:
      return 0;
  }
}

/** Kinds whose sharing is suspicious in itself, whoever used them. */
function alwaysSuspect(kind: LinkKind): boolean {
  return kind === 'script' || kind === 'tracking' || kind === 'tracking-prefix' || kind === 'drop';
}

class UnionFind {
  readonly parent: Int32Array;
  constructor(size: number) {
    this.parent = new Int32Array(size);
    for (let index = 0; index < size; index += 1) this.parent[index] = index;
  }
  find(node: number): number {
    let root = node;
    while (this.parent[root] !== root) root = this.parent[root] as number;
    let current = node;
    while (this.parent[current] !== root) {
      const next = this.parent[current] as number;
      this.parent[current] = root;
      current = next;
    }
    return root;
  }
  union(left: number, right: number): void {
    const a = this.find(left);
    const b = this.find(right);
    if (a !== b) this.parent[Math.max(a, b)] = Math.min(a, b);
  }
}

interface Use {
  account: number;
  at: number;
  suspect: boolean;
}

export function detectRings(
  links: LinkGraph,
  asOf: number,
  overrides: Partial<RingDetectionOptions> = {},
): RingDetection {
  const options: RingDetectionOptions = { ...DEFAULT_RING_OPTIONS, ...overrides };
  const graph = links.graph;
  const clock = options.clock ?? (() => 0);
  const started = clock();
  const from = asOf - options.windowMs;
  const accountCount = links.accountCount;

  // 1. Accounts in view: a refund within the window, before asOf.
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

  // 2. Account pairs through shared values, rarer values weighing more.
  const pairs = new Map<number, number>();
  /** Values that passed the commonness filters and link two or more accounts in view. */
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
  const pairsMillis = clock() - started;

  // 3. Components of the strong pairs; only those with enough suspicious accounts go on.
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
  /** The projection cut along its components, each a graph of its own for Louvain. */
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
  const componentsMillis = clock() - started - pairsMillis;

  // 4. Communities: Louvain on each component by itself, then refunder-level communities of one
  // gang merged. Modularity over the whole projection judges a tie between two gangs against
  // every other account's links (its resolution limit): at a million accounts, two gangs of two
  // dozen clients tied by two client pairs came out as one community. On its own component,
  // against a fixed reference weight, a community's structure is the same whatever else the
  // graph holds.
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
    const merged = mergeCloseCommunities(projection, partition, kinds, options.mergeRatio);
    const cells = new Map<number, string[]>();
    projection.forEachNode((node) => {
      const community = merged(partition[node] as number);
      const members = cells.get(community);
      if (members) members.push(node);
      else cells.set(community, [node]);
    });
    const suspicious = (key: string) => {
      const index = (graph.getNodeAttributes(key) as AccountNodeAttributes).index;
      return active[index] === 1 && (evidence[index] as number) !== 0;
    };
    const gang = mergeByGangTies(links, cells, suspicious, asOf, options.gangTieSupport);
    for (const [cell, keys] of cells) {
      const community = gang(cell);
      const members = communities.get(community);
      if (members) members.push(...keys);
      else communities.set(community, [...keys]);
    }
  }
  const louvainMillis = clock() - started - pairsMillis - componentsMillis;

  // 5. Rings: the members of each community that share something suspicious, scored.
  const rings: Ring[] = [];
  for (const keys of communities.values()) {
    if (keys.length < options.minRingSize) continue;
    const accounts = keys.map((key) => graph.getNodeAttributes(key) as AccountNodeAttributes);
    for (const ring of describeRings(links, accounts, meaningful, asOf, from, options))
      if (ring.score >= options.minScore) rings.push(ring);
  }
  rings.sort(
    (left, right) =>
      right.score - left.score || right.valueUsd - left.valueUsd || (left.ringId < right.ringId ? -1 : 1),
  );
  const total = clock() - started;
  return {
    rings,
    stats: {
      accountsInWindow,
      valuesRead,
      valuesTooCommon,
      pairs: pairs.size,
      pairsKept,
      candidateAccounts: projection.order,
      candidateComponents: components.size,
      communities: communities.size,
      rings: rings.length,
      millis: {
        pairs: pairsMillis,
        components: componentsMillis,
        louvain: louvainMillis,
        scoring: total - pairsMillis - componentsMillis - louvainMillis,
        total,
      },
    },
  };
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
 * Joins communities (`cells`, id → account node keys) of one gang, by the values their
 * suspicious members share (see `gangTieSupport`), transitively. Returns cell id → gang id.
 */
function mergeByGangTies(
  links: LinkGraph,
  cells: Map<number, string[]>,
  suspicious: (accountKey: string) => boolean,
  asOf: number,
  minSupport: number,
): (cell: number) => number {
  const graph = links.graph;
  // Per value, how many suspicious members of each cell used it (a refunder origin as a third party).
  const cellsOfValue = new Map<string, Map<number, number>>();
  for (const [cell, keys] of cells) {
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
        let counts = cellsOfValue.get(valueKey);
        if (!counts) {
          counts = new Map();
          cellsOfValue.set(valueKey, counts);
        }
        counts.set(cell, (counts.get(cell) ?? 0) + 1);
      });
    }
  }
  const support = new Map<string, number>();
  const parent = new Map<number, number>();
  const root = (cell: number): number => {
    let current = cell;
    while (parent.has(current)) current = parent.get(current) as number;
    return current;
  };
  const join = (left: number, right: number) => {
    const a = root(left);
    const b = root(right);
    if (a !== b) parent.set(Math.max(a, b), Math.min(a, b));
  };
  for (const [valueKey, counts] of cellsOfValue) {
    if (counts.size < 2) continue;
    const kind = (graph.getNodeAttributes(valueKey) as ValueNodeAttributes).kind;
    const strong = kind === 'device' || kind === 'caller' || kind === 'tracking';
    const entries = [...counts];
    for (let left = 0; left < entries.length; left += 1)
      for (let right = left + 1; right < entries.length; right += 1) {
        const [leftCell, leftCount] = entries[left] as [number, number];
        const [rightCell, rightCount] = entries[right] as [number, number];
        if (strong) {
          join(leftCell, rightCell);
          continue;
        }
        const shared = Math.min(leftCount, rightCount);
        if (shared < 2) continue;
        const key = `${Math.min(leftCell, rightCell)}:${Math.max(leftCell, rightCell)}`;
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

interface SharedValue {
  key: string;
  kind: LinkKind;
  members: Set<string>;
  suspectMembers: Set<string>;
}

/**
 * Values used by two or more of the accounts, as of asOf, among those that mean something. An
 * account used a network (IP range) as a stranger only when it was also contacted, in the window,
 * from a device or caller id it had never used: a customer at a friend's or on a train writes from
 * their own phone on a network new to them; a refunder comes with their own machine.
 */
function sharedValues(
  links: LinkGraph,
  accounts: AccountNodeAttributes[],
  meaningful: Set<string>,
  asOf: number,
  from: number,
): SharedValue[] {
  const graph = links.graph;
  const byKey = new Map<string, SharedValue>();
  for (const account of accounts) {
    const accountKey = accountNodeKey(account.accountId);
    const stranger = account.contacts.some(
      (contact) => contact.foreignOrigin && contact.at >= from && contact.at < asOf,
    );
    graph.forEachEdge(accountKey, (_edge, link: LinkAttributes, source, target) => {
      if (link.firstAt >= asOf) return;
      const valueKey = source === accountKey ? target : source;
      if (!meaningful.has(valueKey)) return;
      const value = graph.getNodeAttributes(valueKey) as ValueNodeAttributes;
      let entry = byKey.get(valueKey);
      if (!entry) {
        entry = { key: valueKey, kind: value.kind, members: new Set(), suspectMembers: new Set() };
        byKey.set(valueKey, entry);
      }
      entry.members.add(account.accountId);
      const network = value.kind === 'range' || value.kind === 'ip';
      if (alwaysSuspect(value.kind) || (link.suspectFirstAt < asOf && (stranger || !network)))
        entry.suspectMembers.add(account.accountId);
    });
  }
  return [...byKey.values()].filter((entry) => entry.members.size >= 2);
}

/** Which kinds of suspicious sharing each account shows within the group. */
function sharingEvidence(shared: SharedValue[]): Map<string, number> {
  const bits = new Map<string, number>();
  const mark = (accounts: Set<string>, bit: number, least: number) => {
    if (accounts.size < least) return;
    for (const account of accounts) bits.set(account, (bits.get(account) ?? 0) | bit);
  };
  for (const entry of shared) {
    const bit = evidenceOf(entry.kind);
    if (bit === EVIDENCE.origin || bit === EVIDENCE.range) mark(entry.suspectMembers, bit, 2);
    // Gangs' scripts borrow from the same stock phrases: one look-alike is not enough.
    else if (bit === EVIDENCE.script) mark(entry.members, bit, 3);
    else if (bit) mark(entry.members, bit, 2);
  }
  return bits;
}

/** Evidence bits that fingerprint a refunder: a shared origin, network or return pattern. */
const HARD_EVIDENCE = EVIDENCE.origin | EVIDENCE.range | EVIDENCE.returns;

/** Members whose fake returns went to one drop postal code (an area) before it ties their crews. */
const AREA_CREW_SHARERS = 3;

/** Fingerprinted members a script family must be told by before a look-alike joins on it alone. */
const SCRIPT_CREW_TELLERS = 3;

/**
 * The fingerprinted accounts of a community, as the rings it holds. They fall into crews, joined
 * by the refunder traces they share (a device, caller id, network or return pattern; a drop
 * postal code, an area, only once `AREA_CREW_SHARERS` members' returns went there); crews are
 * tied to each other by any other value they share (a card, an address, a tracking prefix), an
 * insider agent who overrode policy for both, or a script `SCRIPT_CREW_TELLERS` or more of them
 * told (two tellers are as likely one client of each of two gangs borrowing a phrase). When
 * the community holds a core of `minRingSize` or more so tied, a crew smaller than that tied to
 * it by nothing but similar wording is another crew (a client who also used another service, a
 * pair of some other gang's clients) that Louvain attached through common phrases, and is left
 * out; a group of crews as large as that, tied to the core by nothing but wording a few of them
 * share with other gangs (stock phrases), is another gang's, and is a ring of its own. Without
 * such a core, all are kept, as one ring. Largest group first.
 */
function ringCrews(
  community: AccountNodeAttributes[],
  shared: SharedValue[],
  evidence: Map<string, number>,
  asOf: number,
  minRingSize: number,
): Set<string>[] {
  const fingerprinted = community.filter(
    (account) => ((evidence.get(account.accountId) ?? 0) & HARD_EVIDENCE) !== 0,
  );
  const position = new Map(fingerprinted.map((account, index) => [account.accountId, index]));
  const crews = new UnionFind(fingerprinted.length);
  const joinAll = (accounts: Iterable<string>) => {
    let first: number | undefined;
    for (const accountId of accounts) {
      const index = position.get(accountId);
      if (index === undefined) continue;
      if (first === undefined) first = index;
      else crews.union(first, index);
    }
  };
  const fingerprintedIds = new Set(position.keys());
  for (const entry of shared) {
    if (entry.kind === 'script') {
      if (tellersAmong(entry, fingerprintedIds) >= SCRIPT_CREW_TELLERS) joinAll(entry.members);
      continue;
    }
    // A drop postal code is an area: two strangers' fake returns can both end there.
    if (entry.kind === 'drop' && entry.members.size < AREA_CREW_SHARERS) continue;
    const bit = evidenceOf(entry.kind);
    joinAll(bit === EVIDENCE.origin || bit === EVIDENCE.range ? entry.suspectMembers : entry.members);
  }
  // Insider agents who overrode policy for fingerprinted members of two crews.
  const overriders = new Map<string, string[]>();
  for (const account of fingerprinted)
    for (const refund of account.refunds) {
      if (!refund.policyOverride || refund.at >= asOf) continue;
      for (const agentId of refund.agentIds) {
        const accounts = overriders.get(agentId) ?? [];
        accounts.push(account.accountId);
        overriders.set(agentId, accounts);
      }
    }
  for (const accounts of overriders.values()) joinAll(accounts);
  const groups = new Map<number, Set<string>>();
  fingerprinted.forEach((account, index) => {
    const root = crews.find(index);
    const group = groups.get(root) ?? new Set<string>();
    group.add(account.accountId);
    groups.set(root, group);
  });
  const cores = [...groups.values()].filter((group) => group.size >= minRingSize);
  if (cores.length === 0) return fingerprinted.length > 0 ? [fingerprintedIds] : [];
  const first = (group: Set<string>) => [...group].sort()[0] as string;
  return cores.sort((left, right) => right.size - left.size || (first(left) < first(right) ? -1 : 1));
}

/** How many of the script family's tellers are among `fingerprinted`, `except` aside. */
function tellersAmong(entry: SharedValue, fingerprinted: Set<string>, except?: string): number {
  let tellers = 0;
  for (const member of entry.members) if (member !== except && fingerprinted.has(member)) tellers += 1;
  return tellers;
}

/**
 * Whether a shared script family is the ring's own template: told by `SCRIPT_CREW_TELLERS` or
 * more of its fingerprinted members (`except` aside), or by two or more of them and by no one
 * else. A phrase the ring's members share with many other accounts (other gangs' clients, honest
 * customers) is stock wording, not the ring's template.
 */
function ringScript(
  links: LinkGraph,
  entry: SharedValue,
  fingerprinted: Set<string>,
  except: string | undefined,
  asOf: number,
): boolean {
  const tellers = tellersAmong(entry, fingerprinted, except);
  if (tellers >= SCRIPT_CREW_TELLERS) return true;
  if (tellers < 2) return false;
  const exceptKey = except === undefined ? undefined : accountNodeKey(except);
  let others = 0;
  links.graph.forEachEdge(entry.key, (_edge, link: LinkAttributes, source, target) => {
    if (link.firstAt < asOf && (source === entry.key ? target : source) !== exceptKey) others += 1;
  });
  return others === tellers;
}

/** Whether a script family the account used is the ring's (see `ringScript`), the account aside. */
function toldByCrews(
  links: LinkGraph,
  accountId: string,
  shared: SharedValue[],
  fingerprinted: Set<string>,
  asOf: number,
): boolean {
  for (const entry of shared)
    if (
      entry.kind === 'script' &&
      entry.members.has(accountId) &&
      ringScript(links, entry, fingerprinted, accountId, asOf)
    )
      return true;
  return false;
}

function describeRings(
  links: LinkGraph,
  community: AccountNodeAttributes[],
  meaningful: Set<string>,
  asOf: number,
  from: number,
  options: RingDetectionOptions,
): Ring[] {
  // Members share a refunder's device, caller id or network, or a fake-return pattern, with
  // another account of the community (they are fingerprinted), in a crew the ring holds (see
  // `ringCrews`: a community may hold more than one ring); or the ring's script (see
  // `toldByCrews`), having been contacted by a third party themselves. The rest (a client's
  // relatives, a flatmate, a stranger using the same stock phrases) are associated, not members
  // (of the largest ring).
  const inWindow = (at: number) => at >= from && at < asOf;
  const communityShared = sharedValues(links, community, meaningful, asOf, from);
  const communityEvidence = sharingEvidence(communityShared);
  const groups = ringCrews(community, communityShared, communityEvidence, asOf, options.minRingSize);
  const placed = new Set<string>();
  for (const group of groups) for (const accountId of group) placed.add(accountId);
  const memberships = groups.map((group) => {
    const members: AccountNodeAttributes[] = [];
    for (const account of community) {
      let member = group.has(account.accountId);
      if (!member && !placed.has(account.accountId)) {
        const bits = communityEvidence.get(account.accountId) ?? 0;
        if ((bits & HARD_EVIDENCE) === 0 && (bits & EVIDENCE.script) !== 0) {
          const foreignOrigin = account.contacts.some(
            (contact) => contact.foreignOrigin && inWindow(contact.at),
          );
          member = foreignOrigin && toldByCrews(links, account.accountId, communityShared, group, asOf);
          if (member) placed.add(account.accountId);
        }
      }
      if (member) members.push(account);
    }
    return { members, fingerprinted: group.size };
  });
  const associates = community.filter((account) => !placed.has(account.accountId));
  const rings: Ring[] = [];
  memberships.forEach(({ members, fingerprinted }, index) => {
    const ring = describeRing(
      links,
      members,
      index === 0 ? associates : [],
      fingerprinted,
      meaningful,
      asOf,
      from,
      options,
    );
    if (ring) rings.push(ring);
  });
  return rings;
}

function describeRing(
  links: LinkGraph,
  members: AccountNodeAttributes[],
  associates: AccountNodeAttributes[],
  fingerprinted: number,
  meaningful: Set<string>,
  asOf: number,
  from: number,
  options: RingDetectionOptions,
): Ring | undefined {
  // Without one refunder fingerprint (a device, caller id, network or return pattern shared by
  // two members) a group is only alike, not organised: similar words from strangers' phones.
  if (members.length < options.minRingSize || fingerprinted < 2) return undefined;
  const shared = sharedValues(links, members, meaningful, asOf, from);
  const covered = (kinds: LinkKind[], suspectOnly: boolean) => {
    const accounts = new Set<string>();
    const entries: SharedValue[] = [];
    for (const entry of shared) {
      if (!kinds.includes(entry.kind)) continue;
      const set = suspectOnly ? entry.suspectMembers : entry.members;
      if (set.size < 2) continue;
      entries.push(entry);
      for (const account of set) accounts.add(account);
    }
    entries.sort((left, right) => right.members.size - left.members.size || (left.key < right.key ? -1 : 1));
    return { accounts: accounts.size, keys: entries.map((entry) => entry.key) };
  };
  const origins = covered(['device', 'caller'], true);
  const ranges = covered(['range'], true);
  const scripts = covered(['script'], false);
  const returns = covered(['tracking', 'tracking-prefix', 'drop'], false);
  const identity = covered(['card', 'address'], false);

  // Refunds and contacts in the window.
  const refunds = members.flatMap((member) =>
    member.refunds.filter((refund) => refund.at >= from && refund.at < asOf),
  );
  refunds.sort((left, right) => left.at - right.at || (left.refundId < right.refundId ? -1 : 1));
  const contacts = members.flatMap((member) =>
    member.contacts.filter((contact) => contact.at >= from && contact.at < asOf),
  );
  const thirdParty = contacts.filter((contact) => contact.foreignOrigin).length;
  const valueUsdMinor = refunds.reduce((sum, refund) => sum + refund.amountUsdMinor, 0);

  const agentCounts = new Map<string, number>();
  for (const refund of refunds)
    for (const agent of refund.agentIds) agentCounts.set(agent, (agentCounts.get(agent) ?? 0) + 1);
  const agentIds = [...agentCounts]
    .filter(([, count]) => count >= 2)
    .sort((left, right) => right[1] - left[1] || (left[0] < right[0] ? -1 : 1))
    .map(([agent]) => agent);
  const topAgent = agentIds[0];
  const topAgentCount = topAgent ? (agentCounts.get(topAgent) ?? 0) : 0;

  // Clustered timing: the densest span of members' first refunds.
  const starts = members
    .map((member) => member.refunds.find((refund) => refund.at >= from && refund.at < asOf)?.at)
    .filter((at): at is number => at !== undefined)
    .sort((left, right) => left - right);
  let densest = 0;
  for (let left = 0, right = 0; right < starts.length; right += 1) {
    while ((starts[right] as number) - (starts[left] as number) > options.timingSpanMs) left += 1;
    densest = Math.max(densest, right - left + 1);
  }

  const size = members.length;
  const features: RingFeatures = {
    members: size,
    sharedOriginShare: origins.accounts / size,
    sharedRangeShare: ranges.accounts / size,
    sharedScriptShare: scripts.accounts / size,
    sharedReturnShare: returns.accounts / size,
    sharedIdentityShare: identity.accounts / size,
    thirdPartyShare: contacts.length > 0 ? thirdParty / contacts.length : 0,
    refundsPerAccount: refunds.length / size,
    meanRefundUsd: refunds.length > 0 ? valueUsdMinor / 100 / refunds.length : 0,
    timingShare: size > 0 ? densest / size : 0,
    topAgentShare: refunds.length > 0 ? topAgentCount / refunds.length : 0,
  };
  const { score, reasons } = scoreRing(
    features,
    {
      origins: origins.keys.length,
      ranges: ranges.keys.length,
      topAgent,
      topAgentCount,
      refunds: refunds.length,
      valueUsd: valueUsdMinor / 100,
    },
    options.scoreWeights,
  );
  const accountIds = members.map((member) => member.accountId).sort();
  return {
    ringId: ringIdOf(accountIds),
    accountIds,
    associatedAccountIds: associates.map((account) => account.accountId).sort(),
    agentIds,
    fingerprints: {
      origins: origins.keys,
      ranges: ranges.keys,
      scripts: scripts.keys,
      returns: returns.keys,
    },
    refundIds: refunds.map((refund) => refund.refundId),
    valueUsd: Math.round(valueUsdMinor) / 100,
    firstAt: refunds[0]?.at ?? asOf,
    lastAt: refunds.at(-1)?.at ?? asOf,
    score,
    reasons,
    features,
  };
}

interface RingContext {
  origins: number;
  ranges: number;
  topAgent: string | undefined;
  topAgentCount: number;
  refunds: number;
  valueUsd: number;
}

const percent = (share: number) => `${Math.round(share * 100)} %`;

/**
 * How unlike honest customers a community is, as a noisy OR of its traits: honest groups
 * (a family, a campus) share values they use themselves, not refunders' devices, scripts or
 * fake return patterns, and their contacts come from their own devices.
 */
export function scoreRing(
  features: RingFeatures,
  context: RingContext,
  weights: RingScoreWeights = DEFAULT_RING_SCORE_WEIGHTS,
): { score: number; reasons: Reason[] } {
  const parts: { weight: number; reason?: Reason }[] = [];
  const size = features.members;
  const add = (weight: number, reason: Reason | undefined) =>
    parts.push({ weight, ...(reason ? { reason } : {}) });
  if (features.sharedOriginShare > 0)
    add(weights.sharedOrigin * features.sharedOriginShare, {
      code: 'RING_SHARED_REFUNDER_DEVICE',
      text: `${Math.round(features.sharedOriginShare * size)} of ${size} accounts were contacted from ${context.origins} device(s) or caller id(s) shared with other members, none of which they had used themselves.`,
    });
  if (features.sharedRangeShare > 0)
    add(weights.sharedRange * features.sharedRangeShare, {
      code: 'RING_SHARED_REFUNDER_NETWORK',
      text: `${Math.round(features.sharedRangeShare * size)} of ${size} accounts were contacted from ${context.ranges} IP range(s) shared with other members and foreign to them.`,
    });
  if (features.sharedScriptShare > 0)
    add(weights.sharedScript * features.sharedScriptShare, {
      code: 'RING_SHARED_SCRIPT',
      text: `${Math.round(features.sharedScriptShare * size)} of ${size} accounts' support messages are near-copies of the same script.`,
    });
  if (features.sharedReturnShare > 0)
    add(weights.sharedReturns * features.sharedReturnShare, {
      code: 'RING_FAKE_RETURN_PATTERN',
      text: `${Math.round(features.sharedReturnShare * size)} of ${size} accounts' returns share a non-warehouse destination, a tracking-number prefix or a tracking number.`,
    });
  if (features.thirdPartyShare > 0)
    add(weights.thirdParty * features.thirdPartyShare, {
      code: 'RING_THIRD_PARTY_CONTACTS',
      text: `${percent(features.thirdPartyShare)} of the members' support contacts came from devices or phone numbers the account had never used.`,
    });
  if (features.refundsPerAccount > 1)
    add(weights.repeatRefunds * Math.min(1, (features.refundsPerAccount - 1) / 2), {
      code: 'RING_REPEAT_REFUNDS',
      text: `${context.refunds} refunds on ${size} accounts (${features.refundsPerAccount.toFixed(1)} each).`,
    });
  if (size >= 4 && features.timingShare >= 0.5)
    add(weights.clusteredTiming * features.timingShare, {
      code: 'RING_CLUSTERED_TIMING',
      text: `${percent(features.timingShare)} of the members started asking for refunds within the same week.`,
    });
  if (features.meanRefundUsd > 0)
    add(weights.value * Math.min(1, features.meanRefundUsd / 1000), {
      code: 'RING_VALUE',
      text: `${context.valueUsd.toFixed(2)} USD asked for in ${context.refunds} refunds (${features.meanRefundUsd.toFixed(0)} USD on average).`,
    });
  if (context.topAgent && context.topAgentCount >= 3 && features.topAgentShare >= 0.3)
    add(weights.agentConcentration, {
      code: 'RING_AGENT_CONCENTRATION',
      text: `Agent ${context.topAgent} handled ${context.topAgentCount} of the ring's ${context.refunds} refunds.`,
    });
  if (features.sharedIdentityShare > 0)
    add(0, {
      code: 'RING_SHARED_IDENTITY',
      text: `${Math.round(features.sharedIdentityShare * size)} of ${size} accounts share a payment card or shipping address with another member.`,
    });
  let keep = 1;
  for (const part of parts) keep *= 1 - Math.min(0.99, part.weight);
  const score = Math.round((1 - keep) * 1000) / 1000;
  const reasons = parts
    .filter((part) => part.reason)
    .sort((left, right) => right.weight - left.weight)
    .map((part) => part.reason as Reason);
  return { score, reasons };
}
