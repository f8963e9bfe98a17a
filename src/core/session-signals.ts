// The sign-in session a request came from (`session.*`): a device new to the account that opened
// it, whether its network is new too, and what else that device did for other accounts.
import { ipPrefix } from './identity.ts';
import type { RefundSignals } from './refund-signal-schema.ts';
import type { AccountFacts } from './risk-facts.ts';
import type { RiskState } from './risk-state.ts';
import { DAY_MS } from './time.ts';

/** A refund asked this soon after a sign-in belongs to that session. */
const SESSION_MS = 2 * 3_600_000;

/** The latest sign-in before the request, if it opened a session on a device new to the account. */
export function sessionSignals(
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
