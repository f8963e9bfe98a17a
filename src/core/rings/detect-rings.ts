// Ring detection: rings are accounts whose refunds were worked by the same people (a gang's
// refunders). Accounts are linked through the values they share in the link graph (refunder
// devices and IP ranges used as a third party, script families, FTID return patterns, and weaker
// identity links such as cards and addresses), each value weighted by how rare it is and ignored
// when it links too many accounts to mean anything. Louvain finds communities on that
// account–account projection, on each component that holds enough suspicious accounts by itself;
// communities of one gang's refunders are joined by what the gang shares beyond one refunder's
// kit (gang ties). A community's rings are its crews (accounts sharing one refunder's traces) tied
// together; each ring is scored by how unlike honest customers it looks.
//
// The stages, each in its own module (docs/rings.md walks through them):
//   projection.ts   1-3. accounts in view, account pairs, components of the strong pairs
//   communities.ts  4. Louvain per component; close communities and gang ties merged
//   crews.ts        5. each community's rings: crews of fingerprinted members, tied together
//   describe-ring.ts, score-ring.ts  6. each ring described, then scored
//
// Everything is read as of `asOf`: links first made at or after it, and refunds and contacts
// from then on, are not seen. Pure: no clock (timings only from a clock passed in), and Louvain
// runs on a seeded generator.
import { findCommunities } from './communities.ts';
import { ringMemberships } from './crews.ts';
import { describeRing } from './describe-ring.ts';
import type { AccountNodeAttributes, LinkGraph } from './link-graph.ts';
import { accountPairs, accountsInView, projectStrongPairs } from './projection.ts';
import type { Ring } from './ring.ts';
import { DEFAULT_RING_OPTIONS, type RingDetectionOptions } from './ring-options.ts';

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

  // 1-3. The projection: accounts in view, their pairs, the components of the strong pairs.
  const view = accountsInView(links, asOf, from);
  const { pairs, meaningful, valuesRead, valuesTooCommon } = accountPairs(links, asOf, view, options);
  const pairsMillis = clock() - started;

  const { projection, components, pairsKept } = projectStrongPairs(links, pairs, view, options);
  const componentsMillis = clock() - started - pairsMillis;

  // 4. Communities on each component, merged into one per gang where the gang shows.
  const communities = findCommunities(links, projection, components, meaningful, view, asOf, options);
  const louvainMillis = clock() - started - pairsMillis - componentsMillis;

  // 5-6. Rings: the members of each community that share something suspicious (its crews, tied
  // together), described and scored. A community's associated accounts go with its largest ring.
  const rings: Ring[] = [];
  for (const keys of communities.values()) {
    if (keys.length < options.minRingSize) continue;
    const accounts = keys.map((key) => graph.getNodeAttributes(key) as AccountNodeAttributes);
    const { memberships, associates } = ringMemberships(
      links,
      accounts,
      meaningful,
      asOf,
      from,
      options.minRingSize,
    );
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
      if (ring && ring.score >= options.minScore) rings.push(ring);
    });
  }
  rings.sort(
    (left, right) =>
      right.score - left.score || right.valueUsd - left.valueUsd || (left.ringId < right.ringId ? -1 : 1),
  );
  const total = clock() - started;
  return {
    rings,
    stats: {
      accountsInWindow: view.accountsInWindow,
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
