// Options of a simulated world, validated with zod. Counts left out take the value of the
// chosen `mix` preset, then the base default; an explicit value always wins.
import { z } from 'zod';
import { timestampSchema } from '../core/events.ts';
import type { MixBehaviour } from './profile.ts';
import {
  drawProfile,
  type FraudProfile,
  PRESET_FRAUD_EXTRAS,
  PRESET_HONEST,
  type WorldProfile,
} from './profile.ts';
import { Random } from './random.ts';

/** The presets, and `random`: every honest and fraud knob drawn from a wide range by the seed. */
export const MIX_NAMES = ['default', 'heavy-gangs', 'stealthy', 'insider-heavy', 'random'] as const;
export type MixName = (typeof MIX_NAMES)[number];

export interface MixPreset {
  description: string;
  counts: Partial<
    Record<'gangs' | 'clientsPerGang' | 'refundersPerGang' | 'insiders' | 'banEvaders' | 'intelPosts', number>
  >;
  behaviour: MixBehaviour;
}

const BASE_BEHAVIOUR: MixBehaviour = {
  residentialProxyShare: 0.2,
  vpnShare: 0.55,
  clientLanguageShare: 0.3,
  clientHoursShare: 0.3,
  diyShare: 0.08,
  antidetectShare: 0.15,
  avoidEvidence: 0.3,
  insiderShare: 0.15,
  newAccountShare: 0.22,
  repeatRate: 0.45,
  scriptLooseness: 0.3,
  phoneShare: 0.3,
};

export const MIX_PRESETS: Record<Exclude<MixName, 'random'>, MixPreset> = {
  default: {
    description: 'a few gangs with ordinary operational security',
    counts: {},
    behaviour: BASE_BEHAVIOUR,
  },
  'heavy-gangs': {
    description: 'many large gangs working many repeat clients',
    counts: { gangs: 8, clientsPerGang: 80, refundersPerGang: 4, banEvaders: 60, intelPosts: 320 },
    behaviour: { ...BASE_BEHAVIOUR, repeatRate: 0.8, insiderShare: 0.12 },
  },
  stealthy: {
    description: 'gangs on residential proxies and anti-detect browsers, writing in the client’s language',
    counts: {},
    behaviour: {
      ...BASE_BEHAVIOUR,
      residentialProxyShare: 0.85,
      vpnShare: 0.7,
      clientLanguageShare: 0.85,
      clientHoursShare: 0.75,
      diyShare: 0.2,
      antidetectShare: 0.6,
      avoidEvidence: 0.8,
      newAccountShare: 0.1,
      scriptLooseness: 0.75,
      phoneShare: 0.45,
    },
  },
  'insider-heavy': {
    description: 'gangs leaning on many bribed support agents',
    counts: { insiders: 10 },
    behaviour: { ...BASE_BEHAVIOUR, insiderShare: 0.5 },
  },
};

/** Ordinary orders per customer per day (world.ts: 2.7 per 60 days). */
const ORDERS_PER_DAY = 2.7 / 60;

const BASE_COUNTS = {
  customers: 20_000,
  days: 60,
  gangs: 4,
  clientsPerGang: 40,
  refundersPerGang: 3,
  insiders: 3,
  agents: 120,
  banEvaders: 30,
  intelPosts: 150,
} as const;

const count = (max: number) => z.coerce.number().int().min(0).max(max).optional();
const rate = z.coerce.number().min(0).max(0.5).optional();

const rawOptionsSchema = z
  .object({
    /** Any number or string; `1` and `"1"` give the same world. */
    seed: z.union([z.number(), z.string().min(1)]).default(1),
    customers: z.coerce.number().int().min(50).max(5_000_000).optional(),
    days: z.coerce.number().int().min(7).max(730).optional(),
    /** The first moment of the simulated window (accounts may have been opened before it). */
    start: timestampSchema.default('2026-09-01T00:00:00Z'),
    gangs: count(200),
    clientsPerGang: z.coerce.number().min(0).max(100_000).optional(),
    refundersPerGang: z.coerce.number().int().min(1).max(100).optional(),
    insiders: count(1000),
    agents: z.coerce.number().int().min(10).max(8000).optional(),
    banEvaders: count(100_000),
    /** Share of delivered orders that get an honest refund request (returns and claims). */
    honestRefundRate: rate,
    /** Share of orders that a carrier really loses or misdelivers. */
    lostParcelRate: rate,
    intelPosts: count(1_000_000),
    mix: z.enum(MIX_NAMES).default('default'),
    /** Share of refunds that get an investigator's `label.set` outcome in the stream, after a delay. */
    labelShare: z.coerce.number().min(0).max(1).default(0),
    /** Typical delay of those outcomes (drawn between two thirds and five thirds of it). */
    labelDelayDays: z.coerce.number().min(0).max(365).default(21),
    /** Share of those outcomes that are wrong. */
    labelNoise: z.coerce.number().min(0).max(0.5).default(0.02),
  })
  .strict();

export interface SimulationOptions {
  seed: string;
  customers: number;
  days: number;
  start: string;
  /** `start` in epoch milliseconds. */
  startMs: number;
  gangs: number;
  clientsPerGang: number;
  refundersPerGang: number;
  insiders: number;
  agents: number;
  banEvaders: number;
  honestRefundRate: number;
  lostParcelRate: number;
  intelPosts: number;
  mix: MixName;
  /** How the gangs behave (the profile's fraud side). */
  behaviour: FraudProfile;
  /** How the world's honest customers and gangs behave (a preset's, or drawn for `random`). */
  profile: WorldProfile;
  labelShare: number;
  labelDelayDays: number;
  labelNoise: number;
}

/** Validates simulation options and fills defaults (preset of `mix`, then base defaults). */
export const simulationOptionsSchema = rawOptionsSchema.transform((raw, context): SimulationOptions => {
  const profile: WorldProfile =
    raw.mix === 'random'
      ? drawProfile(new Random(`refundguard-sim/${raw.seed}/profile`))
      : {
          honest: PRESET_HONEST,
          fraud: { ...MIX_PRESETS[raw.mix].behaviour, ...PRESET_FRAUD_EXTRAS },
          counts: MIX_PRESETS[raw.mix].counts,
        };
  const pickCount = (key: keyof typeof BASE_COUNTS): number =>
    raw[key] ?? (profile.counts as Partial<Record<string, number>>)[key] ?? BASE_COUNTS[key];
  // A drawn world sizes its gangs for its share of fraudulent refunds: honest refunds expected from
  // its customers, days and refund rates, and about (1 + repeatRate) refunds per client.
  const drawnSizes = (): Partial<Record<'clientsPerGang' | 'banEvaders' | 'intelPosts', number>> => {
    if (profile.fraudRefundShare === undefined || !profile.sizes) return {};
    const customers = pickCount('customers');
    const days = pickCount('days');
    const refundRate = raw.honestRefundRate ?? profile.honest.honestRefundRate;
    const honestRefunds =
      (customers * ORDERS_PER_DAY * days * refundRate * 1.15) / (1 - profile.honest.notReceivedShare);
    const share = profile.fraudRefundShare;
    const clients = ((share / (1 - share)) * honestRefunds) / ((1 + profile.fraud.repeatRate) * 0.8);
    const gangs = Math.max(1, pickCount('gangs'));
    const clientsPerGang = Math.max(
      5,
      Math.min(Math.round(clients / gangs), Math.floor((customers * 0.24) / gangs)),
    );
    return {
      clientsPerGang,
      banEvaders: Math.round(gangs * clientsPerGang * profile.sizes.banEvaderShare),
      intelPosts: Math.round(gangs * clientsPerGang * profile.sizes.intelPostsPerClient),
    };
  };
  const sized = drawnSizes();
  const options: SimulationOptions = {
    seed: String(raw.seed),
    customers: pickCount('customers'),
    days: pickCount('days'),
    start: raw.start,
    startMs: Date.parse(raw.start),
    gangs: pickCount('gangs'),
    clientsPerGang: raw.clientsPerGang ?? sized.clientsPerGang ?? pickCount('clientsPerGang'),
    refundersPerGang: pickCount('refundersPerGang'),
    insiders: pickCount('insiders'),
    agents: pickCount('agents'),
    banEvaders: raw.banEvaders ?? sized.banEvaders ?? pickCount('banEvaders'),
    honestRefundRate: raw.honestRefundRate ?? profile.honest.honestRefundRate,
    // Presets: 0.6 % of orders. A drawn world: as many as its share of not-received claims asks,
    // against its honest refunds per order.
    lostParcelRate:
      raw.lostParcelRate ??
      (raw.mix === 'random'
        ? Math.min(
            0.5,
            ((raw.honestRefundRate ?? profile.honest.honestRefundRate) * profile.honest.notReceivedShare) /
              (1 - profile.honest.notReceivedShare),
          )
        : 0.006),
    intelPosts: raw.intelPosts ?? sized.intelPosts ?? pickCount('intelPosts'),
    mix: raw.mix,
    behaviour: profile.fraud,
    profile,
    labelShare: raw.labelShare,
    labelDelayDays: raw.labelDelayDays,
    labelNoise: raw.labelNoise,
  };
  const clientTotal = options.gangs * options.clientsPerGang;
  if (clientTotal > options.customers * 0.25) {
    context.issues.push({
      code: 'custom',
      path: ['clientsPerGang'],
      input: options.clientsPerGang,
      message: `gangs × clientsPerGang (${Math.round(clientTotal)}) must stay under a quarter of customers (${options.customers})`,
    });
  }
  if (options.insiders > options.agents / 2) {
    context.issues.push({
      code: 'custom',
      path: ['insiders'],
      input: options.insiders,
      message: `insiders (${options.insiders}) must be at most half of the agents (${options.agents})`,
    });
  }
  return options;
});

export type SimulationOptionsInput = z.input<typeof simulationOptionsSchema>;
