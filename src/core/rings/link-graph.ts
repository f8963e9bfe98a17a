// The link graph: accounts that asked for refunds, and the values their refunds touched
// (contact origins and IP ranges, cards, shipping addresses, agents, return tracking ids and
// FTID patterns, script families), joined by edges that carry time. Built with graphology and
// fed fact by fact as events arrive; ring detection reads it "as of" a moment.
//
// It holds only what links refunds, so it stays small: an account enters with its first refund,
// and a value that only one account has used links nothing, so it waits outside the graph (one
// map entry) until a second account uses it; then it becomes a node with both edges.
import Graph from 'graphology';
import { ipPrefix } from '../identity.ts';

export const LINK_KINDS = [
  'device',
  'caller',
  'range',
  'ip',
  'card',
  'address',
  'agent',
  'tracking',
  'tracking-prefix',
  'drop',
  'script',
] as const;
export type LinkKind = (typeof LINK_KINDS)[number];

/** What the account did with the value (bit flags on an edge). */
export const LINK_ROLES = { order: 1, contact: 2, refund: 4, decision: 8, return: 16 } as const;
export type LinkRole = keyof typeof LINK_ROLES;

export interface LinkAttributes {
  firstAt: number;
  lastAt: number;
  count: number;
  /**
   * First suspect use: a support contact from a device, caller or IP range the account had never
   * used itself (a third party), or a return delivered somewhere other than a warehouse.
   * `Infinity` when there was none.
   */
  suspectFirstAt: number;
  suspectCount: number;
  roles: number;
}

export interface RefundRecord {
  refundId: string;
  at: number;
  amountUsdMinor: number;
  reason: string;
  contactId: string | undefined;
  /** Agents who handled or decided it. */
  agentIds: string[];
  outcome: string | undefined;
  policyOverride: boolean;
}

export interface ContactRecord {
  contactId: string;
  at: number;
  /** From a device or caller id the account had never used (a range change alone is common: mobiles). */
  foreignOrigin: boolean;
  /** From a device, caller id or IP range the account had never used. */
  thirdParty: boolean;
}

export interface AccountNodeAttributes {
  kind: 'account';
  accountId: string;
  /** Dense index, in order of arrival (ring detection's arrays). */
  index: number;
  firstAt: number;
  refunds: RefundRecord[];
  contacts: ContactRecord[];
}

export interface ValueNodeAttributes {
  kind: LinkKind;
  value: string;
  firstAt: number;
}

export type LinkNodeAttributes = AccountNodeAttributes | ValueNodeAttributes;
export type LinkGraphStore = Graph<LinkNodeAttributes, LinkAttributes>;

// Facts, shaped so that the risk state's own records (RefundFacts, OrderFacts, ContactFacts)
// can be passed as they are.
export interface RefundLinkFacts {
  refundId: string;
  accountId: string;
  at: number;
  amountUsdMinor: number;
  reason: string;
  contactId?: string | undefined;
  agentId?: string | undefined;
}

export interface OrderLinkFacts {
  paymentFingerprint?: string | undefined;
  /** normalizeAddress(shipTo). */
  addressKey?: string | undefined;
  deviceId?: string | undefined;
  ip?: string | undefined;
}

export interface ContactLinkFacts {
  contactId: string;
  accountId: string;
  at: number;
  /** `device:…` or `caller:…` (the risk state's originKey: a caller id as its phone line). */
  originKey?: string | undefined;
  /** The caller id behind a `caller:…` origin, as read with the account's country. */
  callerId?: string | undefined;
  ip?: string | undefined;
  agentId?: string | undefined;
  /** Whether the origin / IP range had been used by the account itself before the contact. */
  deviceKnown?: boolean | undefined;
  ipRangeKnown?: boolean | undefined;
  /** The contact's script family (ScriptIndex.add), when its text was long enough to compare. */
  scriptFamily?: string | undefined;
}

/**
 * A third-party contact: from a device (or caller id) or an IP range the account had never used
 * itself. The one definition the signals, the rings and the script families share.
 */
export function isThirdPartyContact(contact: {
  deviceKnown?: boolean | undefined;
  ipRangeKnown?: boolean | undefined;
}): boolean {
  return contact.deviceKnown === false || contact.ipRangeKnown === false;
}

export interface DecisionLinkFacts {
  refundId: string;
  accountId: string;
  at: number;
  outcome: string;
  agentId?: string | undefined;
  policyOverride?: boolean | undefined;
}

export interface ReturnLinkFacts {
  refundId: string;
  accountId: string;
  at: number;
  status: string;
  trackingId?: string | undefined;
  destinationPostalCode?: string | undefined;
  /** The carrier says delivered, to a postal code that is not a known return warehouse. */
  deliveredElsewhere: boolean;
}

export interface LinkGraphStats {
  accounts: number;
  valueNodes: number;
  edges: number;
  /** Values seen on one account only, held outside the graph. */
  waitingValues: number;
  /** Distinct account–value links, in the graph or waiting. */
  links: number;
  linksByKind: Record<LinkKind, number>;
}

interface WaitingValue {
  kind: LinkKind;
  value: string;
  accountKey: string;
  attributes: LinkAttributes;
}

/** Tracking ids of fake labels bought in one batch share a prefix (e.g. a UPS shipper number). */
export const TRACKING_PREFIX_LENGTH = 8;
/** Contacts and refunds kept per account (the most recent). */
const MAX_RECORDS_PER_ACCOUNT = 200;

export function accountNodeKey(accountId: string): string {
  return `account:${accountId}`;
}

export function valueNodeKey(kind: LinkKind, value: string): string {
  return `${kind}:${value}`;
}

export function isAccountNode(attributes: LinkNodeAttributes): attributes is AccountNodeAttributes {
  return attributes.kind === 'account';
}

function normalizeTracking(trackingId: string): string {
  return trackingId.replace(/[^0-9A-Za-z]/g, '').toUpperCase();
}

function normalizePostalCode(postalCode: string): string {
  return postalCode.replace(/\s+/g, '').toUpperCase();
}

function pushCapped<T>(list: T[], item: T): void {
  list.push(item);
  if (list.length > MAX_RECORDS_PER_ACCOUNT) list.splice(0, list.length - MAX_RECORDS_PER_ACCOUNT);
}

export class LinkGraph {
  /** The graph itself (accounts and shared values); read it, don't write it. */
  readonly graph: LinkGraphStore = new Graph({ type: 'undirected', multi: false, allowSelfLoops: false });
  /** Every value seen: waiting on its one account, or (the same object as) its node's attributes. */
  private readonly values = new Map<string, WaitingValue | ValueNodeAttributes>();
  private waitingCount = 0;
  private readonly accountKeys: string[] = [];
  private readonly linksByKind = Object.fromEntries(LINK_KINDS.map((kind) => [kind, 0])) as Record<
    LinkKind,
    number
  >;

  get stats(): LinkGraphStats {
    return {
      accounts: this.accountKeys.length,
      valueNodes: this.graph.order - this.accountKeys.length,
      edges: this.graph.size,
      waitingValues: this.waitingCount,
      links: LINK_KINDS.reduce((sum, kind) => sum + this.linksByKind[kind], 0),
      linksByKind: { ...this.linksByKind },
    };
  }

  /** Account node keys by dense index. */
  accountKeyAt(index: number): string | undefined {
    return this.accountKeys[index];
  }

  get accountCount(): number {
    return this.accountKeys.length;
  }

  hasAccount(accountId: string): boolean {
    return this.graph.hasNode(accountNodeKey(accountId));
  }

  account(accountId: string): AccountNodeAttributes | undefined {
    const key = accountNodeKey(accountId);
    return this.graph.hasNode(key) ? (this.graph.getNodeAttributes(key) as AccountNodeAttributes) : undefined;
  }

  /**
   * A refund request: the account enters the graph, with the values of the refunded order, of
   * the contact that asked for it, and the handling agent.
   */
  addRefund(refund: RefundLinkFacts, order?: OrderLinkFacts, contact?: ContactLinkFacts): void {
    const account = this.ensureAccount(refund.accountId, refund.at);
    const accountKey = accountNodeKey(refund.accountId);
    if (account.refunds.some((known) => known.refundId === refund.refundId)) return;
    const agentIds = [refund.agentId, contact?.agentId].filter(
      (agent, index, all): agent is string => agent !== undefined && all.indexOf(agent) === index,
    );
    pushCapped(account.refunds, {
      refundId: refund.refundId,
      at: refund.at,
      amountUsdMinor: refund.amountUsdMinor,
      reason: refund.reason,
      contactId: refund.contactId ?? contact?.contactId,
      agentIds,
      outcome: undefined,
      policyOverride: false,
    });
    account.refunds.sort((left, right) => left.at - right.at);
    if (order) {
      const at = refund.at;
      this.link(accountKey, 'card', order.paymentFingerprint, at, false, 'order');
      this.link(accountKey, 'address', order.addressKey, at, false, 'order');
      this.link(accountKey, 'device', order.deviceId, at, false, 'order');
      if (order.ip) {
        this.link(accountKey, 'range', ipPrefix(order.ip), at, false, 'order');
        this.link(accountKey, 'ip', order.ip, at, false, 'order');
      }
    }
    if (refund.agentId) this.link(accountKey, 'agent', refund.agentId, refund.at, false, 'refund');
    if (contact) this.addContact(contact);
  }

  /**
   * A support contact on an account already in the graph (the one behind a refund, or a later
   * follow-up); contacts of accounts without refunds are left out. Returns whether it was added.
   */
  addContact(contact: ContactLinkFacts): boolean {
    const accountKey = accountNodeKey(contact.accountId);
    if (!this.graph.hasNode(accountKey)) return false;
    const account = this.graph.getNodeAttributes(accountKey) as AccountNodeAttributes;
    if (account.contacts.some((known) => known.contactId === contact.contactId)) return false;
    const originForeign = contact.deviceKnown === false;
    const rangeForeign = contact.ipRangeKnown === false;
    pushCapped(account.contacts, {
      contactId: contact.contactId,
      at: contact.at,
      foreignOrigin: originForeign,
      thirdParty: isThirdPartyContact(contact),
    });
    account.contacts.sort((left, right) => left.at - right.at);
    const origin = contact.originKey;
    if (origin?.startsWith('device:'))
      this.link(accountKey, 'device', origin.slice(7), contact.at, originForeign, 'contact');
    else if (origin?.startsWith('caller:'))
      this.link(accountKey, 'caller', origin.slice(7), contact.at, originForeign, 'contact');
    if (contact.ip) {
      this.link(accountKey, 'range', ipPrefix(contact.ip), contact.at, rangeForeign, 'contact');
      // The exact address too: one refunder's machine behind a proxy that others in the range don't share.
      this.link(accountKey, 'ip', contact.ip, contact.at, rangeForeign, 'contact');
    }
    this.link(accountKey, 'agent', contact.agentId, contact.at, false, 'contact');
    this.link(accountKey, 'script', contact.scriptFamily, contact.at, false, 'contact');
    return true;
  }

  /** A decision on a refund of an account in the graph: the deciding agent joins it. */
  addDecision(decision: DecisionLinkFacts): void {
    const account = this.account(decision.accountId);
    if (!account) return;
    const refund = account.refunds.find((known) => known.refundId === decision.refundId);
    if (refund) {
      refund.outcome = decision.outcome;
      refund.policyOverride = decision.policyOverride === true;
      if (decision.agentId && !refund.agentIds.includes(decision.agentId))
        refund.agentIds.push(decision.agentId);
    }
    this.link(accountNodeKey(decision.accountId), 'agent', decision.agentId, decision.at, false, 'decision');
  }

  /**
   * A return scan. Every tracking id is linked (the same id on two accounts' returns is a
   * reused fake); returns delivered elsewhere also link their destination and tracking prefix.
   */
  addReturnScan(scan: ReturnLinkFacts): void {
    const accountKey = accountNodeKey(scan.accountId);
    if (!this.graph.hasNode(accountKey)) return;
    const tracking = scan.trackingId ? normalizeTracking(scan.trackingId) : '';
    const suspect = scan.status === 'delivered' && scan.deliveredElsewhere;
    if (tracking) this.link(accountKey, 'tracking', tracking, scan.at, suspect, 'return');
    if (!suspect) return;
    if (scan.destinationPostalCode)
      this.link(accountKey, 'drop', normalizePostalCode(scan.destinationPostalCode), scan.at, true, 'return');
    if (tracking.length >= TRACKING_PREFIX_LENGTH + 4)
      this.link(
        accountKey,
        'tracking-prefix',
        tracking.slice(0, TRACKING_PREFIX_LENGTH),
        scan.at,
        true,
        'return',
      );
  }

  /** The primitive: records that the account used the value at `at`. */
  link(
    accountKey: string,
    kind: LinkKind,
    value: string | undefined,
    at: number,
    suspect: boolean,
    role: LinkRole,
  ): void {
    if (!value) return;
    const key = valueNodeKey(kind, value);
    const roleBit = LINK_ROLES[role];
    const entry = this.values.get(key);
    if (entry === undefined) {
      this.values.set(key, { kind, value, accountKey, attributes: freshLink(at, suspect, roleBit) });
      this.waitingCount += 1;
      this.linksByKind[kind] += 1;
      return;
    }
    if (!('accountKey' in entry)) {
      // Already a node.
      const edge = this.graph.edge(accountKey, key);
      if (edge !== undefined) {
        // Updated in place: the graph holds this very object (no listeners depend on it).
        touch(this.graph.getEdgeAttributes(edge), at, suspect, roleBit);
        return;
      }
      if (at < entry.firstAt) entry.firstAt = at;
      this.graph.addEdge(accountKey, key, freshLink(at, suspect, roleBit));
      this.linksByKind[kind] += 1;
      return;
    }
    if (entry.accountKey === accountKey) {
      touch(entry.attributes, at, suspect, roleBit);
      return;
    }
    // A second account: the value now links something and joins the graph.
    const node: ValueNodeAttributes = { kind, value, firstAt: Math.min(at, entry.attributes.firstAt) };
    this.values.set(key, node);
    this.waitingCount -= 1;
    this.graph.addNode(key, node);
    this.graph.addEdge(entry.accountKey, key, entry.attributes);
    this.graph.addEdge(accountKey, key, freshLink(at, suspect, roleBit));
    this.linksByKind[kind] += 1;
  }

  private ensureAccount(accountId: string, at: number): AccountNodeAttributes {
    const key = accountNodeKey(accountId);
    if (this.graph.hasNode(key)) {
      const account = this.graph.getNodeAttributes(key) as AccountNodeAttributes;
      if (at < account.firstAt) account.firstAt = at;
      return account;
    }
    const account: AccountNodeAttributes = {
      kind: 'account',
      accountId,
      index: this.accountKeys.length,
      firstAt: at,
      refunds: [],
      contacts: [],
    };
    this.graph.addNode(key, account);
    this.accountKeys.push(key);
    return account;
  }
}

function freshLink(at: number, suspect: boolean, role: number): LinkAttributes {
  return {
    firstAt: at,
    lastAt: at,
    count: 1,
    suspectFirstAt: suspect ? at : Number.POSITIVE_INFINITY,
    suspectCount: suspect ? 1 : 0,
    roles: role,
  };
}

function touch(attributes: LinkAttributes, at: number, suspect: boolean, role: number): void {
  if (at < attributes.firstAt) attributes.firstAt = at;
  if (at > attributes.lastAt) attributes.lastAt = at;
  attributes.count += 1;
  attributes.roles |= role;
  if (suspect) {
    attributes.suspectCount += 1;
    if (at < attributes.suspectFirstAt) attributes.suspectFirstAt = at;
  }
}
