// Which sharing is suspicious: the kinds of ring evidence a shared value is (a refunder's origin
// or network, a script, a fake-return pattern), and the values a set of accounts shares, as of a
// moment. Read by every stage after the projection.
import {
  type AccountNodeAttributes,
  accountNodeKey,
  type LinkAttributes,
  type LinkGraph,
  type LinkKind,
  type ValueNodeAttributes,
} from './link-graph.ts';

/** Bit per kind of suspicious sharing an account shows. */
export const EVIDENCE = { origin: 1, range: 2, script: 4, returns: 8, thirdParty: 16 } as const;

/** Evidence bits that fingerprint a refunder: a shared origin, network or return pattern. */
export const HARD_EVIDENCE = EVIDENCE.origin | EVIDENCE.range | EVIDENCE.returns;

/** The kind of ring evidence sharing a value of this kind is (0: a card, an address, an agent). */
export function evidenceOf(kind: LinkKind): number {
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
export function alwaysSuspect(kind: LinkKind): boolean {
  return kind === 'script' || kind === 'tracking' || kind === 'tracking-prefix' || kind === 'drop';
}

export interface SharedValue {
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
export function sharedValues(
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

/**
 * Which kinds of suspicious sharing (EVIDENCE bits) each account shows, among the accounts
 * `shared` was read from (a community, a ring).
 */
export function sharingEvidence(shared: SharedValue[]): Map<string, number> {
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
