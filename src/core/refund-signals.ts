// Signals for one refund request: named values the rules read. History comes only from before
// the request's moment; `evidence` (return scans, later closures, intel) is read up to a separate
// moment so a final decision can use what happened after the request without touching the rest.
import { z } from 'zod';
import type { RefundRequested } from './events.ts';
import { ipPrefix } from './identity.ts';
import { isThirdPartyContact } from './rings/link-graph.ts';
import type { AccountFacts, OrderFacts, RefundFacts } from './risk-facts.ts';
import { DAY_MS, type RiskState } from './risk-state.ts';

const DNR_LIKE_REASONS = new Set(['not_received', 'empty_box', 'missing_item', 'wrong_item']);

/** A claim where nothing comes back: one of those reasons, and no return asked for. */
export function nothingComesBack(refund: { reason: string; returnRequired: boolean }): boolean {
  return DNR_LIKE_REASONS.has(refund.reason) && !refund.returnRequired;
}
/** A refund whose return the warehouse has not received this long after the carrier said delivered. */
const RETURN_LOST_AFTER_DAYS = 10;
/** A refund asked this soon after a sign-in belongs to that session. */
const SESSION_MS = 2 * 3_600_000;

const bool = z.boolean();
const num = z.number();
const str = z.string();

/**
 * Every signal of a refund, by namespace: what the builder below fills (every field, always) and
 * what a rule pack's conditions and `{{path}}` texts may name (`./rules/signal-catalogue.ts` reads
 * the paths off this shape). Strict objects, so a field the builder adds or drops fails the test
 * that parses its output; the hot path never parses.
 */
export const refundSignalsSchema = z
  .object({
    account: z
      .object({
        known: bool,
        ageDays: num,
        orders30d: num,
        orders90d: num,
        orders365d: num,
        refunds30d: num,
        refunds90d: num,
        refunds365d: num,
        refundValueUsd30d: num,
        refundValueUsd90d: num,
        refundValueUsd365d: num,
        dnrRefunds90d: num,
        refundRate365d: num,
        hotOrders14d: num,
        hotOrderValueUsd14d: num,
        priorFlaggedRefunds: num,
        priorFakeReturns: num,
        priorEmptyReturns: num,
        thirdPartyContacts90d: num,
        closed: bool,
        linkedClosedForFraud: num,
      })
      .strict(),
    order: z
      .object({
        found: bool,
        valueUsd: num,
        maxItemUsd: num,
        hot: bool,
        ageDays: num,
        delivered: bool,
        daysSinceDelivery: num,
        signature: bool,
        photo: bool,
        weightGrams: num,
        priorRefunds: num,
        sharedCardRefundAccounts90d: num,
        sharedAddressRefundAccounts90d: num,
        sharedDeviceRefundAccounts90d: num,
        sharedRangeRefundAccounts90d: num,
      })
      .strict(),
    refund: z
      .object({
        amountUsd: num,
        shareOfOrder: num,
        reason: str,
        dnrLike: bool,
        channel: str,
        returnRequired: bool,
        marketplace: str,
      })
      .strict(),
    contact: z
      .object({
        present: bool,
        channel: str,
        deviceKnown: bool,
        ipRangeKnown: bool,
        thirdParty: bool,
        /**
         * A third party with a second sign that it was not the customer: a new network as well as a new
         * device, an hour the customer is never active, a foreign language, a device or network that
         * contacted support for other accounts, or the refund-service playbook's pressure.
         */
        thirdPartyCorroborated: bool,
        /** Both the device and the network were new to the account (not a new phone at home, not home wifi on a new network). */
        strangerOrigin: bool,
        /** At an hour (± 2 h, UTC) the account's owner had never been active at (another time zone). */
        unusualHour: bool,
        language: str,
        languageMismatch: bool,
        identityVerified: bool,
        deviceForeignAccounts30d: num,
        rangeForeignAccounts30d: num,
        /** Other accounts that signed in or ordered from the contact's device (a refunder logging in to clients). */
        deviceOtherUsers: num,
        tactics: z.array(str),
        tacticCount: num,
        manipulationCount: num,
        claimContradictsDelivery: bool,
        /** Other accounts whose support contacts told a near-duplicate story in the 30 days before. */
        scriptTwinAccounts30d: num,
        /** Of those, accounts whose own contacts in that window came from a device or network foreign to them (a refunder's). */
        scriptTwinThirdPartyAccounts30d: num,
      })
      .strict(),
    /**
     * The sign-in session the request came from (self-service requests have no contact): a device
     * the account first used within the day before, that other accounts also signed in from.
     */
    session: z
      .object({
        newDevice: bool,
        /**
         * The session's network (IP range) is new to the account as well, within the day before: not
         * the customer's new phone on the home network but a stranger's machine somewhere else.
         */
        newNetwork: bool,
        deviceOtherAccounts: num,
        /**
         * Other accounts whose support contacts in 30 days came from the session's new device: a
         * refunder who signs in to a client's account after chatting for others from the same machine.
         */
        deviceContactAccounts30d: num,
      })
      .strict(),
    /** The ring (latest detection before the request) the account sits in, or whose refunder made the contact. */
    ring: z
      .object({
        found: bool,
        id: str,
        /** `account` (a member), `origin` (the contact's device / caller id), `session` (the new device of the session), `range` (the contact's IP range). */
        via: str,
        score: num,
        members: num,
        valueUsd: num,
      })
      .strict(),
    agent: z
      .object({
        present: bool,
        overrides30d: num,
        decisions30d: num,
        overrideRate30d: num,
        approvalsOfFlagged30d: num,
        /** Share of the agent's approvals in 30 days that went to flagged refunds. */
        flaggedApprovalShare30d: num,
      })
      .strict(),
    intel: z
      .object({
        orderNamed: bool,
        posts: num,
      })
      .strict(),
    evidence: z
      .object({
        inView: bool,
        returnDeliveredElsewhere: bool,
        returnNeverReceived: bool,
        returnEmpty: bool,
        returnLight: bool,
        returnWrongItem: bool,
        /** The return was carried to the warehouse and checked in as expected: the goods are back. */
        returnReceivedIntact: bool,
        accountClosedForFraud: bool,
      })
      .strict(),
  })
  .strict();
export type RefundSignals = z.infer<typeof refundSignalsSchema>;

function inWindow(at: number, to: number, days: number): boolean {
  return at < to && at >= to - days * DAY_MS;
}

const DEFAULT_LANGUAGES_BY_COUNTRY: Record<string, string[]> = {
  US: ['en', 'es'],
  CA: ['en', 'fr'],
  GB: ['en'],
  UK: ['en'],
  IE: ['en'],
  AU: ['en'],
  FR: ['fr'],
  BE: ['fr', 'nl', 'de'],
  CH: ['de', 'fr', 'it'],
  LU: ['fr', 'de'],
  DE: ['de'],
  AT: ['de'],
  NL: ['nl'],
  ES: ['es'],
  IT: ['it'],
};

export function expectedLanguages(
  account: AccountFacts | undefined,
  marketplaceLanguages: Record<string, string[]>,
): string[] {
  if (!account) return [];
  const keys = [account.marketplace, account.country].filter((key): key is string => Boolean(key));
  for (const key of keys) {
    const languages =
      marketplaceLanguages[key] ??
      marketplaceLanguages[key.toUpperCase()] ??
      DEFAULT_LANGUAGES_BY_COUNTRY[key.toUpperCase()];
    if (languages) return languages;
  }
  return [];
}

/** How many other accounts that had a refund in the 90 days before `at` share this value. */
function refundAccountsSharing(
  state: RiskState,
  key: string | undefined,
  accountId: string,
  at: number,
  limit: number,
): number {
  if (!key) return 0;
  const others = state.otherUsersBefore(key, accountId, at, limit);
  // A value shared by very many accounts (a campus IP range, a shop's pickup address) says nothing.
  if (others.length > limit) return 0;
  let count = 0;
  for (const other of others) {
    const refunds = state.accounts.get(other)?.refunds ?? [];
    if (refunds.some((refund) => inWindow(refund.at, at, 90))) count += 1;
  }
  return count;
}

function linkedClosedForFraud(state: RiskState, account: AccountFacts, at: number, limit: number): number {
  const linked = new Set<string>();
  const keys = [
    ...[...account.devices.keys()].map((device) => `device:${device}`),
    ...account.orders
      .filter((order) => order.at < at)
      .flatMap((order) => [
        order.paymentFingerprint ? `card:${order.paymentFingerprint}` : '',
        `address:${order.addressKey}`,
      ]),
  ];
  for (const key of keys) {
    if (!key) continue;
    const others = state.otherUsersBefore(key, account.accountId, at, limit);
    if (others.length > limit) continue;
    for (const other of others) {
      const closed = state.accounts.get(other)?.closed;
      if (closed && closed.at < at && closed.reason !== 'other') linked.add(other);
    }
  }
  return linked.size;
}

export function returnEvidence(
  state: RiskState,
  refund: RefundFacts | undefined,
  order: OrderFacts | undefined,
  asOf: number,
) {
  const scans = (refund?.returns ?? []).filter((scan) => scan.at <= asOf);
  const delivered = scans.filter((scan) => scan.status === 'delivered');
  const received = scans.filter((scan) => scan.status === 'received');
  const deliveredElsewhere = delivered.some(
    (scan) =>
      scan.destinationPostalCode !== undefined && !state.isWarehousePostalCode(scan.destinationPostalCode),
  );
  const lastDelivered = delivered.at(-1);
  const neverReceived =
    lastDelivered !== undefined &&
    received.length === 0 &&
    asOf - lastDelivered.at > RETURN_LOST_AFTER_DAYS * DAY_MS;
  // Only a return of the whole shipment can be compared with the shipped weight: a partial
  // return of a multi-item order is rightly lighter.
  const shippedWeight = order?.delivery?.weightGrams;
  const wholeShipment =
    refund !== undefined && order !== undefined && refund.amountUsdMinor >= order.valueUsdMinor * 0.99;
  const returnLight =
    wholeShipment &&
    scans.some(
      (scan) =>
        scan.weightGrams !== undefined &&
        shippedWeight !== undefined &&
        shippedWeight > 0 &&
        scan.weightGrams < shippedWeight * 0.5,
    );
  const returnEmpty = scans.some((scan) => scan.condition === 'empty');
  const returnWrongItem = scans.some((scan) => scan.condition === 'wrong_item');
  // The goods are back: a carrier carried the parcel (a receipt marked by hand alone is how an
  // insider fakes one) and the warehouse checked it in as expected.
  const carried = scans.some((scan) => scan.status === 'in_transit' || scan.status === 'delivered');
  const returnReceivedIntact =
    carried &&
    received.some(
      (scan) =>
        scan.condition === undefined || scan.condition === 'as_expected' || scan.condition === 'damaged',
    ) &&
    !deliveredElsewhere &&
    !returnEmpty &&
    !returnLight &&
    !returnWrongItem;
  return {
    returnDeliveredElsewhere: deliveredElsewhere,
    returnNeverReceived: neverReceived,
    returnEmpty,
    returnLight,
    returnWrongItem,
    returnReceivedIntact,
  };
}

/**
 * Other accounts contacted from the contact's IP range as a third party in 30 days. A range that
 * many accounts use themselves (a campus, a mobile carrier's NAT) is discounted: it names no one.
 */
function rangeForeignAccounts(
  state: RiskState,
  ip: string | undefined,
  accountId: string,
  at: number,
  limit: number,
): number {
  if (!ip) return 0;
  const key = `range:${ipPrefix(ip)}`;
  if (state.otherUsersBefore(key, accountId, at, limit).length > limit) return 0;
  return state.foreignContactAccounts(key, accountId, at - 30 * DAY_MS, at + 1);
}

/** The latest sign-in before the request, if it opened a session on a device new to the account. */
function sessionSignals(
  state: RiskState,
  account: AccountFacts | undefined,
  at: number,
): RefundSignals['session'] & { deviceId: string | undefined } {
  const login = account?.logins.findLast((candidate) => candidate.at < at && candidate.at >= at - SESSION_MS);
  const deviceId = login?.deviceId;
  if (!account || !deviceId)
    return {
      newDevice: false,
      newNetwork: false,
      deviceOtherAccounts: 0,
      deviceContactAccounts30d: 0,
      deviceId: undefined,
    };
  const firstUse = account.devices.get(deviceId);
  // New to the account, and not its only device (a brand-new account's first session is no session change).
  let olderDevices = 0;
  for (const [device, first] of account.devices) if (device !== deviceId && first < at) olderDevices += 1;
  const newDevice = firstUse !== undefined && firstUse >= at - DAY_MS && olderDevices > 0;
  const key = `device:${deviceId}`;
  return {
    newDevice,
    newNetwork: newDevice && login?.ip !== undefined && isNewRange(account, ipPrefix(login.ip), at),
    deviceOtherAccounts: newDevice ? state.otherUsersBefore(key, account.accountId, at, 100).length : 0,
    deviceContactAccounts30d: newDevice
      ? state.contactAccounts(key, account.accountId, at - 30 * DAY_MS, at)
      : 0,
    deviceId: newDevice ? deviceId : undefined,
  };
}

/** First used by the account within the day before `at`, and the account had used other ranges before. */
function isNewRange(account: AccountFacts, range: string, at: number): boolean {
  const firstUse = account.ipPrefixes.get(range);
  if (firstUse === undefined || firstUse < at - DAY_MS) return false;
  for (const [other, first] of account.ipPrefixes) if (other !== range && first < at) return true;
  return false;
}

export interface SignalOptions {
  /** The request's moment: history is read strictly before it. */
  at: number;
  /** Read post-request evidence up to this moment (final decisions); undefined at request time. */
  evidenceAsOf?: number;
  marketplaceLanguages: Record<string, string[]>;
  commonValueAccountLimit: number;
}

export function refundSignals(
  state: RiskState,
  request: RefundRequested,
  options: SignalOptions,
): RefundSignals {
  const { at } = options;
  const limit = options.commonValueAccountLimit;
  const account = state.accounts.get(request.accountId);
  const rawOrder = state.orders.get(request.orderId);
  const order = rawOrder && rawOrder.at <= at ? rawOrder : undefined;
  const amountUsd = state.usd(request.amountMinor, request.currency);

  const priorRefunds = (account?.refunds ?? []).filter(
    (refund) => refund.at < at && refund.refundId !== request.refundId,
  );
  const priorOrders = (account?.orders ?? []).filter((candidate) => candidate.at < at);
  const windowSum = (days: number) => priorRefunds.filter((refund) => inWindow(refund.at, at, days));
  const refunds365 = windowSum(365);
  const orders365 = priorOrders.filter((candidate) => inWindow(candidate.at, at, 365)).length;
  const hot14 = priorOrders.filter((candidate) => candidate.hot && inWindow(candidate.at, at + 1, 14));

  let priorFakeReturns = 0;
  let priorEmptyReturns = 0;
  for (const refund of priorRefunds) {
    const evidence = returnEvidence(state, refund, state.orders.get(refund.orderId), at);
    if (evidence.returnDeliveredElsewhere || evidence.returnNeverReceived) priorFakeReturns += 1;
    if (evidence.returnEmpty || evidence.returnLight || evidence.returnWrongItem) priorEmptyReturns += 1;
  }

  const rawContact = request.contactId ? state.contacts.get(request.contactId) : undefined;
  const contact = rawContact && rawContact.at <= at ? rawContact : undefined;
  const languages = expectedLanguages(account, options.marketplaceLanguages);
  const delivery = order?.delivery && order.delivery.at <= at ? order.delivery : undefined;
  const contactThirdParty = contact !== undefined && isThirdPartyContact(contact);
  const strangerOrigin =
    contact?.deviceId !== undefined &&
    contact.ip !== undefined &&
    contact.deviceKnown === false &&
    contact.ipRangeKnown === false;
  const languageMismatch =
    contact?.language !== undefined && languages.length > 0 && !languages.includes(contact.language);
  const deviceForeignAccounts30d = contact?.originKey
    ? state.foreignContactAccounts(contact.originKey, request.accountId, at - 30 * DAY_MS, at + 1)
    : 0;
  const rangeForeignAccounts30d = rangeForeignAccounts(state, contact?.ip, request.accountId, at, limit);
  const claimsNotReceived =
    request.reason === 'not_received' || (contact?.tactics.includes('not_received') ?? false);

  const agentId = request.agentId ?? contact?.agentId;
  const agent = agentId ? state.agents.get(agentId) : undefined;
  const agentDecisions = (agent?.decisions ?? []).filter((decision) => inWindow(decision.at, at, 30));
  const overrides = agentDecisions.filter((decision) => decision.policyOverride).length;
  const approvals30d = agentDecisions.filter((decision) => decision.outcome === 'approved').length;
  const approvalsOfFlagged = agentDecisions.filter((decision) => {
    if (decision.outcome !== 'approved') return false;
    const assessed = state.refunds.get(decision.refundId)?.assessedDecision;
    return assessed === 'review' || assessed === 'deny';
  }).length;

  const intel = (state.intelByOrder.get(request.orderId) ?? []).filter((mention) => mention.at < at);
  // Final decisions may see rings found after the request (later evidence); requests only earlier ones.
  // Evidence is read up to and including evidenceAsOf, so a run as of just past it (RingWatch's
  // detectNow: the newest event + 1) saw nothing later and is in view.
  const { deviceId: sessionDeviceId, ...session } = sessionSignals(state, account, at);
  // Without a contact, the session's new device is where the request came from.
  const sessionOrigin = !contact && sessionDeviceId ? `device:${sessionDeviceId}` : undefined;
  const ring = state.gangs.ringFor({
    accountId: request.accountId,
    at: options.evidenceAsOf !== undefined ? options.evidenceAsOf + 1 : at,
    originKey: contact?.originKey ?? sessionOrigin,
    ip: contact?.ip,
  });
  const ringVia = ring?.via === 'origin' && sessionOrigin ? 'session' : ring?.via;
  const scriptTwins = contact ? state.gangs.scriptTwins(contact.contactId, at - 30 * DAY_MS, at) : undefined;
  const evidenceAsOf = options.evidenceAsOf;
  const refundFacts = state.refunds.get(request.refundId);
  const laterEvidence =
    evidenceAsOf === undefined ? undefined : returnEvidence(state, refundFacts, order, evidenceAsOf);
  const laterIntel =
    evidenceAsOf === undefined
      ? intel
      : (state.intelByOrder.get(request.orderId) ?? []).filter((mention) => mention.at <= evidenceAsOf);

  return {
    account: {
      known: account?.createdAt !== undefined && account.createdAt <= at,
      ageDays: account?.createdAt !== undefined ? Math.max(0, (at - account.createdAt) / DAY_MS) : 0,
      orders30d: priorOrders.filter((candidate) => inWindow(candidate.at, at, 30)).length,
      orders90d: priorOrders.filter((candidate) => inWindow(candidate.at, at, 90)).length,
      orders365d: orders365,
      refunds30d: windowSum(30).length,
      refunds90d: windowSum(90).length,
      refunds365d: refunds365.length,
      refundValueUsd30d: sumUsd(windowSum(30)),
      refundValueUsd90d: sumUsd(windowSum(90)),
      refundValueUsd365d: sumUsd(refunds365),
      dnrRefunds90d: windowSum(90).filter((refund) => DNR_LIKE_REASONS.has(refund.reason)).length,
      refundRate365d: orders365 > 0 ? refunds365.length / orders365 : 0,
      hotOrders14d: hot14.length,
      hotOrderValueUsd14d: hot14.reduce((sum, candidate) => sum + candidate.valueUsdMinor, 0) / 100,
      priorFlaggedRefunds: priorRefunds.filter(
        (refund) => refund.assessedDecision === 'review' || refund.assessedDecision === 'deny',
      ).length,
      priorFakeReturns,
      priorEmptyReturns,
      thirdPartyContacts90d: (account?.contacts ?? []).filter(
        (candidate) =>
          inWindow(candidate.at, at, 90) &&
          candidate.contactId !== request.contactId &&
          isThirdPartyContact(candidate),
      ).length,
      closed: account?.closed !== undefined && account.closed.at < at,
      linkedClosedForFraud: account ? linkedClosedForFraud(state, account, at, limit) : 0,
    },
    order: {
      found: order !== undefined,
      valueUsd: (order?.valueUsdMinor ?? 0) / 100,
      maxItemUsd: (order?.maxItemUsdMinor ?? 0) / 100,
      hot: order?.hot ?? false,
      ageDays: order ? (at - order.at) / DAY_MS : 0,
      delivered: delivery !== undefined,
      daysSinceDelivery: delivery ? Math.max(0, (at - delivery.at) / DAY_MS) : 0,
      signature: delivery?.signature ?? false,
      photo: delivery?.photo ?? false,
      weightGrams: delivery?.weightGrams ?? 0,
      priorRefunds: priorRefunds.filter((refund) => refund.orderId === request.orderId).length,
      sharedCardRefundAccounts90d: refundAccountsSharing(
        state,
        order?.paymentFingerprint && `card:${order.paymentFingerprint}`,
        request.accountId,
        at,
        limit,
      ),
      sharedAddressRefundAccounts90d: refundAccountsSharing(
        state,
        order && `address:${order.addressKey}`,
        request.accountId,
        at,
        limit,
      ),
      sharedDeviceRefundAccounts90d: refundAccountsSharing(
        state,
        order?.deviceId && `device:${order.deviceId}`,
        request.accountId,
        at,
        limit,
      ),
      sharedRangeRefundAccounts90d: refundAccountsSharing(
        state,
        order?.ip && `range:${ipPrefix(order.ip)}`,
        request.accountId,
        at,
        limit,
      ),
    },
    refund: {
      amountUsd: amountUsd / 100,
      shareOfOrder: order && order.valueUsdMinor > 0 ? amountUsd / order.valueUsdMinor : 1,
      reason: request.reason,
      dnrLike: DNR_LIKE_REASONS.has(request.reason),
      channel: request.channel,
      returnRequired: request.returnRequired === true,
      marketplace: account?.marketplace ?? account?.country ?? '',
    },
    contact: {
      present: contact !== undefined,
      channel: contact?.channel ?? '',
      deviceKnown: contact?.deviceKnown ?? false,
      ipRangeKnown: contact?.ipRangeKnown ?? false,
      thirdParty: contactThirdParty,
      unusualHour: contact?.unusualHour ?? false,
      strangerOrigin,
      language: contact?.language ?? '',
      languageMismatch,
      identityVerified: contact?.identityVerified ?? false,
      deviceForeignAccounts30d,
      rangeForeignAccounts30d,
      thirdPartyCorroborated:
        contactThirdParty &&
        (strangerOrigin ||
          (contact?.unusualHour ?? false) ||
          languageMismatch ||
          deviceForeignAccounts30d > 0 ||
          rangeForeignAccounts30d > 0 ||
          (contact?.manipulationCount ?? 0) >= 1),
      deviceOtherUsers: contact?.deviceId
        ? state.otherUsersBefore(`device:${contact.deviceId}`, request.accountId, at, 100).length
        : 0,
      tactics: contact?.tactics ?? [],
      tacticCount: contact?.tactics.length ?? 0,
      manipulationCount: contact?.manipulationCount ?? 0,
      claimContradictsDelivery:
        (claimsNotReceived && (delivery?.signature === true || delivery?.photo === true)) ||
        ((request.reason === 'empty_box' || (contact?.tactics.includes('empty_box') ?? false)) &&
          delivery?.weightGrams !== undefined &&
          delivery.weightGrams >= 300),
      scriptTwinAccounts30d: scriptTwins?.accounts ?? 0,
      scriptTwinThirdPartyAccounts30d: (scriptTwins?.accountIds ?? []).filter((other) =>
        (state.accounts.get(other)?.contacts ?? []).some(
          (candidate) => inWindow(candidate.at, at, 30) && isThirdPartyContact(candidate),
        ),
      ).length,
    },
    session,
    ring: {
      found: ring !== undefined,
      id: ring?.ringId ?? '',
      via: ringVia ?? '',
      score: ring?.score ?? 0,
      members: ring?.members ?? 0,
      valueUsd: Math.round(ring?.valueUsd ?? 0),
    },
    agent: {
      present: agent !== undefined,
      overrides30d: overrides,
      decisions30d: agentDecisions.length,
      overrideRate30d: agentDecisions.length > 0 ? overrides / agentDecisions.length : 0,
      approvalsOfFlagged30d: approvalsOfFlagged,
      flaggedApprovalShare30d: approvals30d > 0 ? approvalsOfFlagged / approvals30d : 0,
    },
    intel: { orderNamed: laterIntel.length > 0, posts: laterIntel.length },
    evidence: {
      inView: evidenceAsOf !== undefined,
      returnDeliveredElsewhere: laterEvidence?.returnDeliveredElsewhere ?? false,
      returnNeverReceived: laterEvidence?.returnNeverReceived ?? false,
      returnEmpty: laterEvidence?.returnEmpty ?? false,
      returnLight: laterEvidence?.returnLight ?? false,
      returnWrongItem: laterEvidence?.returnWrongItem ?? false,
      returnReceivedIntact: laterEvidence?.returnReceivedIntact ?? false,
      accountClosedForFraud:
        evidenceAsOf !== undefined &&
        account?.closed !== undefined &&
        account.closed.reason === 'fraud' &&
        account.closed.at <= evidenceAsOf,
    },
  };
}

function sumUsd(refunds: RefundFacts[]): number {
  return refunds.reduce((sum, refund) => sum + refund.amountUsdMinor, 0) / 100;
}
