// Description: a ring's members → the ring as reported. The refunder traces two or more members
// share (its fingerprints), its refunds, agents and timing in the window, the features scoring
// reads, and its stable id.
import type { AccountNodeAttributes, LinkGraph, LinkKind } from './link-graph.ts';
import type { Ring, RingFeatures } from './ring.ts';
import type { RingDetectionOptions } from './ring-options.ts';
import { scoreRing } from './score-ring.ts';
import { type SharedValue, sharedValues } from './suspicious-sharing.ts';

/** A stable id from the members: two FNV-1a lanes over the sorted ids. */
export function ringIdOf(accountIds: readonly string[]): string {
  const text = [...accountIds].sort().join('\n');
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193 ^ 0x5bd1e995;
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    h1 = Math.imul(h1 ^ code, 0x01000193);
    h2 = Math.imul(h2 ^ code, 0x5bd1e995) ^ (h2 >>> 15);
  }
  const hex = (value: number) => (value >>> 0).toString(16).padStart(8, '0');
  return `ring-${hex(h1)}${hex(h2)}`;
}

export function describeRing(
  links: LinkGraph,
  members: AccountNodeAttributes[],
  associates: AccountNodeAttributes[],
  fingerprinted: number,
  meaningful: Set<string>,
  asOf: number,
  from: number,
  options: RingDetectionOptions,
): Ring | undefined {
  // Without one refunder fingerprint (a device, caller id, network or return pattern shared by
  // two members) the accounts are only alike, not organised: similar words from strangers' phones.
  if (members.length < options.minRingSize || fingerprinted < 2) return undefined;
  const shared = sharedValues(links, members, meaningful, asOf, from);
  const covered = (kinds: LinkKind[], suspectOnly: boolean) => {
    const accounts = new Set<string>();
    const entries: SharedValue[] = [];
    for (const entry of shared) {
      if (!kinds.includes(entry.kind)) continue;
      const set = suspectOnly ? entry.suspectMembers : entry.members;
      if (set.size < 2) continue;
      entries.push(entry);
      for (const account of set) accounts.add(account);
    }
    entries.sort((left, right) => right.members.size - left.members.size || (left.key < right.key ? -1 : 1));
    return { accounts: accounts.size, keys: entries.map((entry) => entry.key) };
  };
  const origins = covered(['device', 'caller'], true);
  const ranges = covered(['range'], true);
  const scripts = covered(['script'], false);
  const returns = covered(['tracking', 'tracking-prefix', 'drop'], false);
  const identity = covered(['card', 'address'], false);

  // Refunds and contacts in the window.
  const refunds = members.flatMap((member) =>
    member.refunds.filter((refund) => refund.at >= from && refund.at < asOf),
  );
  refunds.sort((left, right) => left.at - right.at || (left.refundId < right.refundId ? -1 : 1));
  const contacts = members.flatMap((member) =>
    member.contacts.filter((contact) => contact.at >= from && contact.at < asOf),
  );
  const thirdParty = contacts.filter((contact) => contact.foreignOrigin).length;
  const valueUsdMinor = refunds.reduce((sum, refund) => sum + refund.amountUsdMinor, 0);

  const agentCounts = new Map<string, number>();
  for (const refund of refunds)
    for (const agent of refund.agentIds) agentCounts.set(agent, (agentCounts.get(agent) ?? 0) + 1);
  const agentIds = [...agentCounts]
    .filter(([, count]) => count >= 2)
    .sort((left, right) => right[1] - left[1] || (left[0] < right[0] ? -1 : 1))
    .map(([agent]) => agent);
  const topAgent = agentIds[0];
  const topAgentCount = topAgent ? (agentCounts.get(topAgent) ?? 0) : 0;

  // Clustered timing: the densest span of members' first refunds.
  const starts = members
    .map((member) => member.refunds.find((refund) => refund.at >= from && refund.at < asOf)?.at)
    .filter((at): at is number => at !== undefined)
    .sort((left, right) => left - right);
  let densest = 0;
  for (let left = 0, right = 0; right < starts.length; right += 1) {
    while ((starts[right] as number) - (starts[left] as number) > options.timingSpanMs) left += 1;
    densest = Math.max(densest, right - left + 1);
  }

  const size = members.length;
  const features: RingFeatures = {
    members: size,
    sharedOriginShare: origins.accounts / size,
    sharedRangeShare: ranges.accounts / size,
    sharedScriptShare: scripts.accounts / size,
    sharedReturnShare: returns.accounts / size,
    sharedIdentityShare: identity.accounts / size,
    thirdPartyShare: contacts.length > 0 ? thirdParty / contacts.length : 0,
    refundsPerAccount: refunds.length / size,
    meanRefundUsd: refunds.length > 0 ? valueUsdMinor / 100 / refunds.length : 0,
    timingShare: size > 0 ? densest / size : 0,
    topAgentShare: refunds.length > 0 ? topAgentCount / refunds.length : 0,
  };
  const { score, reasons } = scoreRing(
    features,
    {
      origins: origins.keys.length,
      ranges: ranges.keys.length,
      topAgent,
      topAgentCount,
      refunds: refunds.length,
      valueUsd: valueUsdMinor / 100,
    },
    options.scoreWeights,
  );
  const accountIds = members.map((member) => member.accountId).sort();
  return {
    ringId: ringIdOf(accountIds),
    accountIds,
    associatedAccountIds: associates.map((account) => account.accountId).sort(),
    agentIds,
    fingerprints: {
      origins: origins.keys,
      ranges: ranges.keys,
      scripts: scripts.keys,
      returns: returns.keys,
    },
    refundIds: refunds.map((refund) => refund.refundId),
    valueUsd: Math.round(valueUsdMinor) / 100,
    firstAt: refunds[0]?.at ?? asOf,
    lastAt: refunds.at(-1)?.at ?? asOf,
    score,
    reasons,
    features,
  };
}
