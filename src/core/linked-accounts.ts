// Other accounts linked to the request through a value it shares: refunding accounts on the same
// card, address, device or range (`order.shared…RefundAccounts90d`), accounts closed for fraud
// (`account.linkedClosedForFraud`), accounts the contact's range spoke for as a third party
// (`contact.rangeForeignAccounts30d`). A value shared by very many accounts names no one.
import { ipPrefix } from './identity.ts';
import type { AccountFacts } from './risk-facts.ts';
import type { RiskState } from './risk-state.ts';
import { DAY_MS, inWindow } from './time.ts';

/** How many other accounts that had a refund in the 90 days before `at` share this value. */
export function refundAccountsSharing(
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

export function linkedClosedForFraud(
  state: RiskState,
  account: AccountFacts,
  at: number,
  limit: number,
): number {
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

/**
 * Other accounts contacted from the contact's IP range as a third party in 30 days. A range that
 * many accounts use themselves (a campus, a mobile carrier's NAT) is discounted: it names no one.
 */
export function rangeForeignAccounts(
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
