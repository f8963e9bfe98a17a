// Signals for one refund request: named values the rules read. History comes only from before
// the request's moment; `evidence` (return scans, later closures, intel) is read up to a separate
// moment so a final decision can use what happened after the request without touching the rest.
// The schema is in refund-signal-schema.ts; the session, the return's evidence and the accounts
// linked through shared values each have their own module.
import type { RefundRequested } from './events.ts';
import { ipPrefix } from './identity.ts';
import { linkedClosedForFraud, rangeForeignAccounts, refundAccountsSharing } from './linked-accounts.ts';
import type { RefundSignals } from './refund-signal-schema.ts';
import { returnEvidence } from './return-evidence.ts';
import { isThirdPartyContact } from './rings/link-graph.ts';
import type { AccountFacts, RefundFacts } from './risk-facts.ts';
import type { RiskState } from './risk-state.ts';
import { sessionSignals } from './session-signals.ts';
import { DAY_MS, inWindow } from './time.ts';

const DNR_LIKE_REASONS = new Set(['not_received', 'empty_box', 'missing_item', 'wrong_item']);

/** A claim where nothing comes back: one of those reasons, and no return asked for. */
export function nothingComesBack(refund: { reason: string; returnRequired: boolean }): boolean {
  return DNR_LIKE_REASONS.has(refund.reason) && !refund.returnRequired;
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
