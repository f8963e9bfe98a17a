// Crews: within a community, which accounts are a ring's members. The fingerprinted accounts
// (sharing a refunder's device, caller id, network or return pattern with another) fall into
// crews, one refunder's work each; crews tied to each other make a ring, and a community may
// hold more than one. Accounts whose only tie is the ring's script join when a third party
// contacted them too; the rest (relatives, flatmates, strangers using stock phrases) are
// associated, not members.
import {
  type AccountNodeAttributes,
  accountNodeKey,
  type LinkAttributes,
  type LinkGraph,
} from './link-graph.ts';
import {
  EVIDENCE,
  evidenceOf,
  HARD_EVIDENCE,
  type SharedValue,
  sharedValues,
  sharingEvidence,
} from './suspicious-sharing.ts';
import { UnionFind } from './union-find.ts';

/** Members whose fake returns went to one drop postal code (an area) before it ties their crews. */
const AREA_CREW_SHARERS = 3;

/** Fingerprinted members a script family must be told by before a look-alike joins on it alone. */
const SCRIPT_CREW_TELLERS = 3;

export interface RingMembership {
  members: AccountNodeAttributes[];
  /** How many of the members are fingerprinted (the rest joined on the ring's script). */
  fingerprinted: number;
}

/** The rings a community holds, largest first, and its associated accounts. */
export function ringMemberships(
  links: LinkGraph,
  community: AccountNodeAttributes[],
  meaningful: Set<string>,
  asOf: number,
  from: number,
  minRingSize: number,
): { memberships: RingMembership[]; associates: AccountNodeAttributes[] } {
  // Members share a refunder's device, caller id or network, or a fake-return pattern, with
  // another account of the community (they are fingerprinted), in a crew the ring holds (see
  // `tiedCrews`: a community may hold more than one ring); or the ring's script (see
  // `toldByCrews`), having been contacted by a third party themselves. The rest (a client's
  // relatives, a flatmate, a stranger using the same stock phrases) are associated, not members
  // (of the largest ring).
  const inWindow = (at: number) => at >= from && at < asOf;
  const communityShared = sharedValues(links, community, meaningful, asOf, from);
  const communityEvidence = sharingEvidence(communityShared);
  const rings = tiedCrews(community, communityShared, communityEvidence, asOf, minRingSize);
  const placed = new Set<string>();
  for (const fingerprinted of rings) for (const accountId of fingerprinted) placed.add(accountId);
  const memberships = rings.map((fingerprinted) => {
    const members: AccountNodeAttributes[] = [];
    for (const account of community) {
      let member = fingerprinted.has(account.accountId);
      if (!member && !placed.has(account.accountId)) {
        const bits = communityEvidence.get(account.accountId) ?? 0;
        if ((bits & HARD_EVIDENCE) === 0 && (bits & EVIDENCE.script) !== 0) {
          const foreignOrigin = account.contacts.some(
            (contact) => contact.foreignOrigin && inWindow(contact.at),
          );
          member =
            foreignOrigin && toldByCrews(links, account.accountId, communityShared, fingerprinted, asOf);
          if (member) placed.add(account.accountId);
        }
      }
      if (member) members.push(account);
    }
    return { members, fingerprinted: fingerprinted.size };
  });
  const associates = community.filter((account) => !placed.has(account.accountId));
  return { memberships, associates };
}

/**
 * The fingerprinted accounts of a community, as the rings it holds. They fall into crews, joined
 * by the refunder traces they share (a device, caller id, network or return pattern; a drop
 * postal code, an area, only once `AREA_CREW_SHARERS` members' returns went there); crews are
 * tied to each other by any other value they share (a card, an address, a tracking prefix), an
 * insider agent who overrode policy for both, or a script `SCRIPT_CREW_TELLERS` or more of them
 * told (two tellers are as likely one client of each of two gangs borrowing a phrase). Crews so
 * tied that hold `minRingSize` or more accounts are a ring. A crew smaller than that, tied to a
 * ring by nothing but similar wording, is another crew (a client who also used another service,
 * a pair of some other gang's clients) that Louvain attached through common phrases, and is left
 * out; crews as many, tied to a ring by nothing but wording a few of them share with other gangs
 * (stock phrases), are another gang's, and a ring of their own. When no crews so tied are as
 * many, all are kept, as one ring. Each ring's fingerprinted members, largest ring first.
 */
function tiedCrews(
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
  const ties = new UnionFind(fingerprinted.length);
  const joinAll = (accounts: Iterable<string>) => {
    let first: number | undefined;
    for (const accountId of accounts) {
      const index = position.get(accountId);
      if (index === undefined) continue;
      if (first === undefined) first = index;
      else ties.union(first, index);
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
  const tied = new Map<number, Set<string>>();
  fingerprinted.forEach((account, index) => {
    const root = ties.find(index);
    const members = tied.get(root) ?? new Set<string>();
    members.add(account.accountId);
    tied.set(root, members);
  });
  const rings = [...tied.values()].filter((members) => members.size >= minRingSize);
  if (rings.length === 0) return fingerprinted.length > 0 ? [fingerprintedIds] : [];
  const first = (ring: Set<string>) => [...ring].sort()[0] as string;
  return rings.sort((left, right) => right.size - left.size || (first(left) < first(right) ? -1 : 1));
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
