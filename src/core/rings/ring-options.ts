// Ring detection's tunables and their defaults (the values the detector was tuned with). The rule
// pack's `rings:` section sets them (see ring-settings.ts, which maps its keys onto these).
import type { LinkKind } from './link-graph.ts';

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
  /** Rings scoring below this are not reported. */
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
   * borrow each other's phrases, so one family can span several gangs) or an agent
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
   * communities join when the tie between them beats `resolution × k1 × k2 / (2 × modularityWeight)`
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
    // fifth of a card's weight, so that one flat is never what joins two gangs' communities.
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
