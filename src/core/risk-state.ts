// The detectors' state, kept up to date event by event (a projection of the event stream).
// Everything carries its time so that any question can be asked "as of" a moment: events may
// arrive out of order, and decisions must never see the future. Lookups touch one entity's
// own facts, never the whole history, so an assessment costs the same whatever the store's size.
// The per-entity records are in risk-facts.ts, the indexes across entities and their queries in
// risk-indexes.ts; this class applies events to both.
import type { Address, EventOf, RefundguardEvent } from './events.ts';
import {
  callerLineKey,
  emailStem,
  ipPrefix,
  isSameRawAddress,
  normalizeAddress,
  normalizeEmail,
  normalizePhone,
} from './identity.ts';
import type { LinkKind } from './rings/link-graph.ts';
import { ringStateOptionsOf } from './rings/ring-settings.ts';
import { RingState, type RingStateOptions } from './rings/ring-state.ts';
import {
  type AccountFacts,
  type AgentFacts,
  type ContactFacts,
  countActivityHour,
  firstUse,
  insertSorted,
  isUnusualHour,
  itemIsHot,
  type LabelFacts,
  LOGINS_KEPT,
  type OrderFacts,
  type RefundFacts,
  type ReturnScan,
  usedBefore,
} from './risk-facts.ts';
import { normalizePostal, RiskIndexes } from './risk-indexes.ts';
import { type RulePack, toUsdMinor } from './rules/rule-pack.ts';
import { matchPlaybook } from './text/playbook.ts';
import { DAY_MS } from './time.ts';

export { DAY_MS };

export class RiskState extends RiskIndexes {
  readonly accounts = new Map<string, AccountFacts>();
  readonly orders = new Map<string, OrderFacts>();
  readonly refunds = new Map<string, RefundFacts>();
  readonly contacts = new Map<string, ContactFacts>();
  readonly agents = new Map<string, AgentFacts>();
  /** Returns that arrived before their refund.requested (out of order), applied once it comes. */
  private readonly pendingReturns = new Map<string, ReturnScan[]>();
  private readonly pendingDeliveries = new Map<string, EventOf<'order.delivered'>>();
  private readonly pendingDecisions = new Map<string, EventOf<'refund.decided'>>();
  private readonly phoneCache = new Map<string, string>();
  /** The link graph, script index and rings (ring detection runs as event time moves on). */
  readonly gangs: RingState;
  /** Labels by `subject:subjectId` (`refund:rf-1`, `account:ac-1`), in time order. */
  readonly labels = new Map<string, LabelFacts[]>();
  eventCount = 0;
  /** `label.set` events applied: learners retrain only when this moved. */
  labelCount = 0;
  lastEventAt = 0;

  constructor(pack: RulePack, ringStateOptions: RingStateOptions = ringStateOptionsOf(pack.rings)) {
    super(pack);
    this.gangs = new RingState(
      {
        valueUsers: (kind, value) => {
          const key = USERS_KEY_OF_LINK[kind];
          if (key === undefined) return undefined;
          return (key === 'phone' ? this.identities : this.usersOf).get(`${key}:${value}`)?.size;
        },
        isWarehousePostalCode: (postalCode) => this.isWarehousePostalCode(postalCode),
      },
      ringStateOptions,
    );
  }

  account(accountId: string): AccountFacts {
    let facts = this.accounts.get(accountId);
    if (!facts) {
      facts = {
        accountId,
        createdAt: undefined,
        marketplace: undefined,
        country: undefined,
        email: undefined,
        phones: new Set(),
        devices: new Map(),
        ipPrefixes: new Map(),
        orders: [],
        refunds: [],
        contacts: [],
        logins: [],
        activityHours: new Uint16Array(24),
        closed: undefined,
        lastOwnUse: { deviceId: undefined, ip: undefined, at: Number.NaN },
        lastOrder: { card: undefined, shipTo: undefined, addressKey: '', at: Number.NaN },
      };
      this.accounts.set(accountId, facts);
    }
    return facts;
  }

  private agent(agentId: string): AgentFacts {
    let facts = this.agents.get(agentId);
    if (!facts) {
      facts = { agentId, actions: [], decisions: [], devices: new Map() };
      this.agents.set(agentId, facts);
    }
    return facts;
  }

  /** The account itself used this device / IP (sign-up, login, order). */
  private recordOwnUse(
    account: AccountFacts,
    deviceId: string | undefined,
    ip: string | undefined,
    at: number,
  ): void {
    // Most events repeat a device and IP range already seen earlier: nothing new to index then.
    // A value not seen yet, or first seen later, is first used now (what firstUse would do).
    // Ranges are what is indexed: a new address in a range the account used by then adds nothing.
    const last = account.lastOwnUse;
    const repeats = at >= last.at;
    const deviceSeen =
      deviceId === undefined ||
      (repeats && deviceId === last.deviceId) ||
      (account.devices.get(deviceId) ?? Number.POSITIVE_INFINITY) <= at;
    let range: string | undefined;
    let rangeSeen = !ip || (repeats && ip === last.ip);
    if (!rangeSeen) {
      range = ipPrefix(ip as string);
      rangeSeen = (account.ipPrefixes.get(range) ?? Number.POSITIVE_INFINITY) <= at;
    }
    last.deviceId = deviceId;
    last.ip = ip;
    last.at = at;
    if (!deviceSeen) {
      if (deviceId) account.devices.set(deviceId, at);
      this.addUser(this.usersOf, `device:${deviceId}`, account.accountId, at);
    }
    if (!rangeSeen && range !== undefined) {
      account.ipPrefixes.set(range, at);
      this.addUser(this.usersOf, `range:${range}`, account.accountId, at);
    }
  }

  private recordIdentity(
    accountId: string,
    at: number,
    values: {
      email?: string | undefined;
      phone?: string | undefined;
      address?: Address | undefined;
      deviceId?: string | undefined;
    },
    /** The account's country, for phone numbers written without a country code. */
    country: string | undefined,
  ): void {
    if (values.email) {
      this.addUser(this.identities, `email:${normalizeEmail(values.email)}`, accountId, at);
      const stem = emailStem(values.email);
      if (stem.length >= 4) this.addUser(this.identities, `stem:${stem}`, accountId, at);
    }
    if (values.phone) {
      const phone = this.normalizedPhone(values.phone, country);
      this.account(accountId).phones.add(phone);
      this.addUser(this.identities, `phone:${phone}`, accountId, at);
    }
    if (values.address)
      this.addUser(this.identities, `address:${normalizeAddress(values.address)}`, accountId, at);
    if (values.deviceId) this.addUser(this.identities, `device:${values.deviceId}`, accountId, at);
  }

  usd(amountMinor: number, currency: string): number {
    return toUsdMinor(amountMinor, currency, this.pack.referenceRatesToUsd);
  }

  apply(event: RefundguardEvent): void {
    this.eventCount += 1;
    if (event.at > this.lastEventAt) this.lastEventAt = event.at;
    switch (event.type) {
      case 'account.created': {
        const { data } = event;
        const account = this.account(data.accountId);
        account.createdAt = Math.min(account.createdAt ?? event.at, event.at);
        account.marketplace = data.marketplace ?? account.marketplace;
        account.country = data.address?.country?.toUpperCase() ?? account.country;
        account.email = data.email;
        this.recordOwnUse(account, data.deviceId, data.ip, event.at);
        this.recordIdentity(data.accountId, event.at, data, account.country);
        break;
      }
      case 'account.updated': {
        const { data } = event;
        const account = this.account(data.accountId);
        if (data.address) account.country = data.address.country.toUpperCase();
        this.recordIdentity(data.accountId, event.at, data, account.country);
        break;
      }
      case 'account.login': {
        const account = this.account(event.data.accountId);
        this.recordOwnUse(account, event.data.deviceId, event.data.ip, event.at);
        insertSorted(account.logins, { at: event.at, deviceId: event.data.deviceId, ip: event.data.ip });
        countActivityHour(account, event.at);
        if (account.logins.length > LOGINS_KEPT) account.logins.shift();
        break;
      }
      case 'account.closed': {
        const account = this.account(event.data.accountId);
        account.closed = { at: event.at, reason: event.data.reason };
        break;
      }
      case 'order.placed':
        this.applyOrder(event);
        break;
      case 'order.delivered': {
        const order = this.orders.get(event.data.orderId);
        if (!order) {
          this.pendingDeliveries.set(event.data.orderId, event);
          break;
        }
        order.delivery = {
          at: event.at,
          signature: event.data.signature === true,
          photo: event.data.photo === true,
          weightGrams: event.data.weightGrams,
          trackingId: event.data.trackingId,
        };
        break;
      }
      case 'contact.created':
        this.applyContact(event);
        break;
      case 'refund.requested':
        this.applyRefund(event);
        break;
      case 'refund.decided': {
        const refund = this.refunds.get(event.data.refundId);
        if (!refund) {
          this.pendingDecisions.set(event.data.refundId, event);
          break;
        }
        refund.decided = {
          at: event.at,
          outcome: event.data.outcome,
          agentId: event.data.agentId,
          policyOverride: event.data.policyOverride === true,
        };
        this.gangs.addDecision({
          refundId: refund.refundId,
          accountId: refund.accountId,
          at: event.at,
          outcome: event.data.outcome,
          agentId: event.data.agentId,
          policyOverride: event.data.policyOverride === true,
        });
        if (event.data.agentId) {
          insertSorted(this.agent(event.data.agentId).decisions, {
            at: event.at,
            refundId: event.data.refundId,
            outcome: event.data.outcome,
            policyOverride: event.data.policyOverride === true,
          });
        }
        break;
      }
      case 'return.updated': {
        const scan: ReturnScan = {
          at: event.at,
          status: event.data.status,
          destinationPostalCode: event.data.destinationPostalCode,
          weightGrams: event.data.weightGrams,
          condition: event.data.condition,
          trackingId: event.data.trackingId,
        };
        const refund = this.refunds.get(event.data.refundId);
        if (scan.status === 'received') {
          // The warehouse is where received returns were delivered to; scans may name it on either step.
          const lastDelivered = refund?.returns.findLast((earlier) => earlier.destinationPostalCode);
          const postalCode = scan.destinationPostalCode ?? lastDelivered?.destinationPostalCode;
          if (postalCode) {
            const code = normalizePostal(postalCode);
            this.receivedPostalCodes.set(code, (this.receivedPostalCodes.get(code) ?? 0) + 1);
          }
        }
        if (refund) {
          insertSorted(refund.returns, scan);
          this.linkReturnScan(refund, scan);
        } else {
          const pending = this.pendingReturns.get(event.data.refundId) ?? [];
          pending.push(scan);
          this.pendingReturns.set(event.data.refundId, pending);
        }
        break;
      }
      case 'agent.action': {
        const { data } = event;
        const agent = this.agent(data.agentId);
        insertSorted(agent.actions, {
          at: event.at,
          action: data.action,
          accountId: data.accountId,
          refundId: data.refundId,
          contactId: data.contactId,
        });
        firstUse(agent.devices, data.deviceId, event.at);
        break;
      }
      case 'intel.post': {
        // Order ids named in the post's text; OCR of screenshots feeds the same path later.
        const text = event.data.text ?? '';
        for (const token of orderIdTokens(text)) {
          if (!this.orders.has(token)) continue;
          const mentions = this.intelByOrder.get(token) ?? [];
          mentions.push({ at: event.at, postId: event.data.postId, orderId: token });
          this.intelByOrder.set(token, mentions);
        }
        break;
      }
      case 'label.set': {
        // Investigators' outcomes are training data for models, not evidence for a decision.
        this.labelCount += 1;
        const key = `${event.data.subject}:${event.data.subjectId}`;
        const labels = this.labels.get(key);
        const label = { at: event.at, label: event.data.label };
        if (labels) insertSorted(labels, label);
        else this.labels.set(key, [label]);
        break;
      }
    }
  }

  private applyOrder(event: EventOf<'order.placed'>): void {
    const { data } = event;
    const account = this.account(data.accountId);
    let valueUsd = 0;
    let maxItemUsd = 0;
    let hot = false;
    let itemCount = 0;
    for (const item of data.items) {
      const quantity = item.quantity ?? 1;
      const priceUsd = this.usd(item.priceMinor, data.currency);
      valueUsd += priceUsd * quantity;
      itemCount += quantity;
      if (priceUsd > maxItemUsd) maxItemUsd = priceUsd;
      if (!hot && itemIsHot(item, this.pack.hotGoods, priceUsd)) hot = true;
    }
    const last = account.lastOrder;
    const repeats = event.at >= last.at;
    const sameAddress = repeats && last.shipTo !== undefined && isSameRawAddress(last.shipTo, data.shipTo);
    const sameCard = repeats && data.paymentFingerprint === last.card;
    const order: OrderFacts = {
      at: event.at,
      orderId: data.orderId,
      accountId: data.accountId,
      currency: data.currency,
      valueUsdMinor: valueUsd,
      maxItemUsdMinor: maxItemUsd,
      hot,
      itemCount,
      paymentFingerprint: data.paymentFingerprint,
      deviceId: data.deviceId,
      ip: data.ip,
      addressKey: sameAddress ? last.addressKey : normalizeAddress(data.shipTo),
      delivery: undefined,
    };
    last.card = data.paymentFingerprint;
    last.shipTo = data.shipTo;
    last.addressKey = order.addressKey;
    last.at = event.at;
    this.orders.set(data.orderId, order);
    insertSorted(account.orders, order);
    account.marketplace ??= data.marketplace;
    account.country ??= data.shipTo.country.toUpperCase();
    countActivityHour(account, event.at);
    this.recordOwnUse(account, data.deviceId, data.ip, event.at);
    if (!sameCard && data.paymentFingerprint) {
      const cardKey = `card:${data.paymentFingerprint}`;
      this.addUser(this.usersOf, cardKey, data.accountId, event.at);
      this.addUser(this.identities, cardKey, data.accountId, event.at);
    }
    if (!sameAddress) this.addUser(this.usersOf, `address:${order.addressKey}`, data.accountId, event.at);
    const pending = this.pendingDeliveries.get(data.orderId);
    if (pending) {
      this.pendingDeliveries.delete(data.orderId);
      this.apply(pending);
      this.eventCount -= 1;
    }
  }

  private applyContact(event: EventOf<'contact.created'>): void {
    const { data } = event;
    const account = this.account(data.accountId);
    const customerText = (data.messages ?? [])
      .filter((message) => message.from === 'customer')
      .map((message) => message.text)
      .join('\n');
    const playbook = matchPlaybook(customerText);
    // Phone contacts have no device: the caller's number (an optional `callerId` extension field)
    // plays its part, known when it is one of the account's own numbers.
    const callerId =
      typeof data.callerId === 'string' && data.callerId
        ? this.normalizedPhone(data.callerId, account.country)
        : undefined;
    const originKey = data.deviceId
      ? `device:${data.deviceId}`
      : callerId
        ? callerLineKey(`caller:${callerId}`)
        : undefined;
    const deviceKnown = data.deviceId
      ? usedBefore(account.devices, data.deviceId, event.at)
      : callerId
        ? account.phones.has(callerId)
        : undefined;
    const ipRangeKnown = data.ip ? usedBefore(account.ipPrefixes, ipPrefix(data.ip), event.at) : undefined;
    const contact: ContactFacts = {
      at: event.at,
      contactId: data.contactId,
      accountId: data.accountId,
      channel: data.channel,
      agentId: data.agentId,
      deviceId: data.deviceId,
      originKey,
      callerId: data.deviceId ? undefined : callerId,
      ip: data.ip,
      language: data.language?.toLowerCase().slice(0, 2),
      orderId: data.orderId,
      identityVerified: data.identityVerified,
      unusualHour: isUnusualHour(account, event.at),
      deviceKnown,
      ipRangeKnown,
      tactics: playbook.tactics,
      manipulationCount: playbook.manipulationCount,
      messageCount: data.messages?.length ?? 0,
      scriptFamily: this.gangs.addContactText(data.contactId, data.accountId, event.at, customerText),
    };
    this.contacts.set(data.contactId, contact);
    insertSorted(account.contacts, contact);
    this.gangs.addContact(contact);
    // A refunder's device or phone line: the same question for both (how many accounts did it speak for).
    if (originKey) this.addContactUse(originKey, data.accountId, event.at, deviceKnown === false);
    if (data.ip)
      this.addContactUse(`range:${ipPrefix(data.ip)}`, data.accountId, event.at, ipRangeKnown === false);
  }

  private linkReturnScan(refund: RefundFacts, scan: ReturnScan): void {
    const destination = scan.destinationPostalCode;
    this.gangs.addReturnScan({
      refundId: refund.refundId,
      accountId: refund.accountId,
      at: scan.at,
      status: scan.status,
      trackingId: scan.trackingId,
      destinationPostalCode: destination,
      deliveredElsewhere:
        scan.status === 'delivered' && destination !== undefined && !this.isWarehousePostalCode(destination),
    });
  }

  private applyRefund(event: EventOf<'refund.requested'>): void {
    const { data } = event;
    // Rings as of this moment, before the request joins the graph: what its assessment may see.
    if (this.gangs.due(event.at)) this.gangs.detect(event.at);
    const refund: RefundFacts = {
      at: event.at,
      refundId: data.refundId,
      accountId: data.accountId,
      orderId: data.orderId,
      amountMinor: data.amountMinor,
      currency: data.currency,
      amountUsdMinor: this.usd(data.amountMinor, data.currency),
      reason: data.reason,
      channel: data.channel,
      contactId: data.contactId,
      agentId: data.agentId,
      returnRequired: data.returnRequired === true,
      decided: undefined,
      returns: [],
      assessedDecision: undefined,
      assessed: undefined,
    };
    this.refunds.set(data.refundId, refund);
    insertSorted(this.account(data.accountId).refunds, refund);
    const contact = data.contactId ? this.contacts.get(data.contactId) : undefined;
    this.gangs.addRefund(refund, this.orders.get(data.orderId), contact);
    for (const scan of this.pendingReturns.get(data.refundId) ?? []) {
      insertSorted(refund.returns, scan);
      this.linkReturnScan(refund, scan);
    }
    this.pendingReturns.delete(data.refundId);
    const decision = this.pendingDecisions.get(data.refundId);
    if (decision) {
      this.pendingDecisions.delete(data.refundId);
      this.apply(decision);
      this.eventCount -= 1;
    }
  }

  /** Phone numbers normalised once: parsing them is the costliest step of applying a sign-up. */
  normalizedPhone(phone: string, country: string | undefined): string {
    const key = `${country ?? ''}|${phone}`;
    let normalized = this.phoneCache.get(key);
    if (normalized === undefined) {
      normalized = normalizePhone(phone, country);
      if (this.phoneCache.size > 100_000) this.phoneCache.clear();
      this.phoneCache.set(key, normalized);
    }
    return normalized;
  }
}

/** Where the risk state counts an account's own use of a link graph value (its commonness). */
const USERS_KEY_OF_LINK: Partial<Record<LinkKind, string>> = {
  device: 'device',
  range: 'range',
  card: 'card',
  address: 'address',
  caller: 'phone',
};

function isTokenStart(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
}

/**
 * The runs of /[A-Za-z0-9][A-Za-z0-9-]{5,}/g, scanned by hand: that regex overflowed V8's
 * backtracking stack on an unbroken run of a few megabytes (an 8 MB post was a 500 and a rebuild).
 */
export function* orderIdTokens(text: string): Generator<string> {
  let start = -1;
  for (let index = 0; index <= text.length; index += 1) {
    const code = index < text.length ? text.charCodeAt(index) : -1;
    if (start === -1) {
      if (isTokenStart(code)) start = index;
    } else if (!isTokenStart(code) && code !== 45) {
      if (index - start >= 6) yield text.slice(start, index);
      start = -1;
    }
  }
}
