// What a ring is, as detection reports it (and `replay` writes to rings.jsonl): its member
// accounts, the refunder traces they share, its refunds, and the score and reasons it was given.
import type { Reason } from '../decisions.ts';

export interface RingFingerprints {
  /** Contact origins (`device:…`, `caller:…`) used as a third party on two or more members. */
  origins: string[];
  /** IP ranges (`range:…`) used as a third party on two or more members. */
  ranges: string[];
  scripts: string[];
  /** Non-warehouse return destinations (`drop:…`), tracking prefixes and reused tracking ids. */
  returns: string[];
}

export interface RingFeatures {
  members: number;
  /** Share of members contacted from an origin shared, as a third party, with another member. */
  sharedOriginShare: number;
  sharedRangeShare: number;
  sharedScriptShare: number;
  sharedReturnShare: number;
  /** Share of members sharing a card or an address with another member. */
  sharedIdentityShare: number;
  /** Share of the members' support contacts (in the window) made from a device or caller id foreign to the account. */
  thirdPartyShare: number;
  refundsPerAccount: number;
  meanRefundUsd: number;
  /** Largest share of members whose first refund in the window falls within one timing span. */
  timingShare: number;
  /** Largest share of the ring's refunds handled by one agent. */
  topAgentShare: number;
}

export interface Ring {
  /** Stable for a membership: a hash of the sorted member account ids. */
  ringId: string;
  accountIds: string[];
  /** Accounts Louvain put in the community that show nothing suspicious themselves (relatives). */
  associatedAccountIds: string[];
  /** Agents who handled two or more of the ring's refunds, most first. */
  agentIds: string[];
  fingerprints: RingFingerprints;
  refundIds: string[];
  valueUsd: number;
  firstAt: number;
  lastAt: number;
  score: number;
  reasons: Reason[];
  features: RingFeatures;
}
