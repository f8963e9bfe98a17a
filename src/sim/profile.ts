// A world's profile: how its honest customers behave and how its gangs work. The presets are
// fixed profiles; the `random` mix draws every knob from a wide range, so that detectors are judged
// on many unlike retailers (more porch theft, more contacts from a new phone or from work, more
// coached clients calling from their own phones...), never on one generator's habits.
import type { Random } from './random.ts';

/** How the gangs behave in a mix: the knobs that make fraud easier or harder to see. */
export interface MixBehaviour {
  /** Share of refunders who hide behind residential proxies in the client's country. */
  residentialProxyShare: number;
  /** Of the others: share on commercial VPNs (shared with honest users) rather than hosting ranges. */
  vpnShare: number;
  /** Chance that a refunder writes in the client's marketplace language instead of the gang's own. */
  clientLanguageShare: number;
  /** Chance that a refunder contacts support in the client's daytime rather than the gang's. */
  clientHoursShare: number;
  /** Share of jobs where the client calls support from their own device with the gang's script. */
  diyShare: number;
  /** Share of refunders using anti-detect browsers (a fresh device id per session). */
  antidetectShare: number;
  /** How strongly gangs pick orders delivered without signature or photo. */
  avoidEvidence: number;
  /** Share of a gang's refunds routed to its bribed insider, when it has one. */
  insiderShare: number;
  /** Share of clients whose account was opened shortly before the job. */
  newAccountShare: number;
  /** Mean number of extra jobs per client. */
  repeatRate: number;
  /** 0..1: how far a refunder strays from the gang's script wording. */
  scriptLooseness: number;
  /** Share of refunder contacts made by phone rather than chat. */
  phoneShare: number;
}

export interface HonestProfile {
  /** Share of honest support contacts made from a device, network or phone number new to the account. */
  newOriginContactShare: number;
  /** Why, in proportions: a new phone, a work network, a friend's or public Wi-Fi, a new laptop, another phone number. */
  newOriginCauses: {
    newPhone: number;
    workNetwork: number;
    otherWifi: number;
    newLaptop: number;
    otherNumber: number;
  };
  /** Share of honest refunds that are not-received claims (lost parcels and porch theft). */
  notReceivedShare: number;
  /** Of those, delivered with the carrier's usual proof and then stolen (porch theft), rather than lost in transit. */
  porchTheftShare: number;
  /** Share of parcels delivered with a photo; null: each marketplace's own rate. */
  photoRate: number | null;
  /** Share of parcels of 500 USD or more delivered against a signature. */
  highValueSignatureRate: number;
  householdSharedDevice: number;
  householdSharedCard: number;
  /** Share of single-person households that are students behind a campus network. */
  studentShare: number;
  /** Households on a mobile connection only (carrier NAT). */
  mobileOnlyShare: number;
  vpnUserShare: number;
  privateRelayShare: number;
  /** Share of customers who write to support in a language that is not one of their marketplace's. */
  foreignLanguageShare: number;
  /** Share of customers who contact support at hours they are otherwise never active (night shifts). */
  nightOwlShare: number;
  /** Serial returners (they order to send most back). */
  bracketerShare: number;
  /** Share of delivered orders that get an honest refund request (scaled by category). */
  honestRefundRate: number;
  /** Share of customers with a temper: pressure, chargeback threats, "I'll report you". */
  angryShare: number;
  /** Share of ordinary accounts opened during the window. */
  newAccountShare: number;
  /** Share of honest contacts in which the agent verified the customer's identity. */
  identityVerifiedRate: number;
  /** Share of customers who gave the retailer their phone number (a call from another is a new origin). */
  phoneOnFileRate: number;
  /** Channel weights of honest contacts. */
  channels: { chat: number; phone: number; email: number };
  /** Chance that an item of an ordinary basket is sought-after goods (an electronics-heavy retailer has more). */
  hotBasketShare: number;
}

export interface FraudProfile extends MixBehaviour {
  /** Share of jobs the refunder works through the client's own device and line (remote access). */
  remoteAccessShare: number;
  /** Script variants a gang keeps (its clients and refunders use one of them). */
  scriptsPerGang: number;
  /** Identity verification rate of refunders' contacts, as a share of honest customers'. */
  verifiedRatio: number;
}

export interface WorldCounts {
  gangs: number;
  clientsPerGang: number;
  refundersPerGang: number;
  insiders: number;
  banEvaders: number;
  intelPosts: number;
}

export interface WorldProfile {
  /** For a drawn world: the share of its refunds that should be fraud (its gangs are sized for it). */
  fraudRefundShare?: number;
  honest: HonestProfile;
  fraud: FraudProfile;
  /** Counts the profile sets unless the options name them. */
  counts: Partial<WorldCounts>;
  /** For a drawn world: ban evaders and intel posts in proportion to the gangs' clients. */
  sizes?: { banEvaderShare: number; intelPostsPerClient: number };
}

/** The honest customers of the presets (what the simulator always did). */
export const PRESET_HONEST: HonestProfile = {
  newOriginContactShare: 0.05,
  newOriginCauses: { newPhone: 1, workNetwork: 0, otherWifi: 0, newLaptop: 0, otherNumber: 0 },
  notReceivedShare: 0.07,
  porchTheftShare: 0,
  photoRate: null,
  highValueSignatureRate: 0.4,
  householdSharedDevice: 0.55,
  householdSharedCard: 0.3,
  studentShare: 0.12,
  mobileOnlyShare: 0.07,
  vpnUserShare: 0.035,
  privateRelayShare: 0.25,
  foreignLanguageShare: 0,
  nightOwlShare: 0,
  bracketerShare: 0.03,
  honestRefundRate: 0.075,
  angryShare: 0.15,
  newAccountShare: 0.07,
  identityVerifiedRate: 0.85,
  phoneOnFileRate: 0.8,
  channels: { chat: 62, phone: 24, email: 14 },
  hotBasketShare: 0.03,
};

export const PRESET_FRAUD_EXTRAS = { remoteAccessShare: 0, scriptsPerGang: 1, verifiedRatio: 0.7 } as const;

function logUniform(random: Random, low: number, high: number): number {
  return Math.exp(random.float(Math.log(low), Math.log(high)));
}

/** A whole profile drawn from wide ranges, from the world's own stream. */
export function drawProfile(random: Random): WorldProfile {
  const honest: HonestProfile = {
    newOriginContactShare: random.float(0.02, 0.4),
    newOriginCauses: {
      newPhone: random.float(0.2, 1),
      workNetwork: random.float(0, 1),
      otherWifi: random.float(0, 1),
      newLaptop: random.float(0, 0.5),
      otherNumber: random.float(0, 1),
    },
    notReceivedShare: random.float(0.05, 0.4),
    porchTheftShare: random.float(0.2, 0.85),
    photoRate: random.float(0.3, 0.95),
    highValueSignatureRate: random.float(0.1, 0.6),
    householdSharedDevice: random.float(0.2, 0.8),
    householdSharedCard: random.float(0.1, 0.5),
    studentShare: random.float(0, 0.25),
    mobileOnlyShare: random.float(0.02, 0.2),
    vpnUserShare: random.float(0, 0.15),
    privateRelayShare: random.float(0, 0.4),
    foreignLanguageShare: random.float(0, 0.2),
    nightOwlShare: random.float(0, 0.3),
    bracketerShare: random.float(0, 0.1),
    honestRefundRate: logUniform(random, 0.03, 0.15),
    angryShare: random.float(0.05, 0.35),
    newAccountShare: random.float(0.03, 0.2),
    identityVerifiedRate: random.float(0.4, 0.95),
    phoneOnFileRate: random.float(0.6, 0.98),
    channels: { chat: random.float(30, 80), phone: random.float(10, 50), email: random.float(0, 25) },
    hotBasketShare: logUniform(random, 0.01, 0.08),
  };
  const fraud: FraudProfile = {
    residentialProxyShare: random.float(0, 0.9),
    vpnShare: random.float(0.2, 0.9),
    clientLanguageShare: random.float(0, 1),
    clientHoursShare: random.float(0, 1),
    diyShare: random.float(0, 0.35),
    antidetectShare: random.float(0, 0.8),
    avoidEvidence: random.float(0, 0.9),
    insiderShare: random.float(0, 0.5),
    newAccountShare: random.float(0, 0.4),
    repeatRate: random.float(0.1, 1),
    scriptLooseness: random.float(0.1, 0.9),
    phoneShare: random.float(0.1, 0.7),
    remoteAccessShare: random.float(0, 0.25),
    scriptsPerGang: random.int(1, 5),
    verifiedRatio: random.float(0.4, 1),
  };
  return {
    fraudRefundShare: logUniform(random, 0.02, 0.25),
    honest,
    fraud,
    counts: {
      gangs: random.int(2, 8),
      refundersPerGang: random.int(1, 5),
      insiders: random.int(0, 8),
    },
    // clientsPerGang, banEvaders and intelPosts follow from fraudRefundShare and the world's size.
    sizes: { banEvaderShare: random.float(0.05, 0.25), intelPostsPerClient: random.float(0.2, 1) },
  };
}
