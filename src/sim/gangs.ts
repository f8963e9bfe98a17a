// Refund-service gangs: their home time zone and language, target marketplaces, favourite
// methods, script, refunders (devices, networks, working days), bribed insiders and public
// channels. Also the plan of which customers become their clients and when.
import type { Agent } from './agents.ts';
import type { Language, MarketplaceCode } from './geography.ts';
import { MARKETPLACE_INFO, pickCity } from './geography.ts';
import { HOUR, type Ids } from './kernel.ts';
import {
  HOSTING_RANGES,
  hostingIp,
  makeDevice,
  mobileIp,
  residentialIp,
  VPN_RANGES,
  vpnIp,
} from './network.ts';
import { formatPhone, makePhone } from './phones.ts';
import type { FraudProfile } from './profile.ts';
import { hash32, type Random } from './random.ts';
import { type GangScript, makeGangScript } from './scripts.ts';

export const FRAUD_METHODS = ['dnr', 'empty_box', 'missing_item', 'ftid', 'boxing', 'wrong_item'] as const;
export type FraudMethod = (typeof FRAUD_METHODS)[number];

interface GangHome {
  tz: number;
  language: 'en' | 'fr' | 'de';
  targets: readonly (readonly [MarketplaceCode, number])[];
  voipCountry: MarketplaceCode;
}

const HOMES: readonly GangHome[] = [
  {
    tz: 3,
    language: 'en',
    targets: [
      ['US', 6],
      ['CA', 2],
      ['UK', 2],
    ],
    voipCountry: 'US',
  },
  {
    tz: 2,
    language: 'de',
    targets: [
      ['DE', 8],
      ['UK', 1],
      ['FR', 1],
    ],
    voipCountry: 'DE',
  },
  {
    tz: 1,
    language: 'fr',
    targets: [
      ['FR', 6],
      ['CA', 3],
      ['DE', 1],
    ],
    voipCountry: 'FR',
  },
  {
    tz: -5,
    language: 'en',
    targets: [
      ['US', 7],
      ['CA', 3],
    ],
    voipCountry: 'US',
  },
  {
    tz: 0,
    language: 'en',
    targets: [
      ['UK', 6],
      ['US', 2],
      ['DE', 2],
    ],
    voipCountry: 'UK',
  },
  {
    tz: 5,
    language: 'en',
    targets: [
      ['US', 5],
      ['UK', 3],
      ['CA', 2],
    ],
    voipCountry: 'US',
  },
  {
    tz: 2,
    language: 'fr',
    targets: [
      ['FR', 5],
      ['CA', 2],
      ['UK', 1],
    ],
    voipCountry: 'FR',
  },
  {
    tz: 8,
    language: 'en',
    targets: [
      ['US', 5],
      ['CA', 3],
      ['UK', 2],
    ],
    voipCountry: 'CA',
  },
];

const NAME_HEADS = [
  'refund',
  'rfnd',
  'zero',
  'ghost',
  'free',
  'box',
  'swift',
  'lux',
  'nova',
  'fast',
  'silent',
  'clean',
  'rekt',
  'vault',
  'void',
  'prime',
];
const NAME_TAILS = [
  'club',
  'hub',
  'kings',
  'lab',
  'zone',
  'works',
  'crew',
  'plug',
  'house',
  'sauce',
  'bros',
  'pros',
];

export type IpMode = 'hosting' | 'vpn' | 'resproxy';

export interface Refunder {
  index: number;
  handle: string;
  devices: string[];
  ipMode: IpMode;
  /** Fixed exit ranges for hosting/vpn refunders. */
  ranges: string[];
  language: Language;
  tz: number;
  antidetect: boolean;
  shiftStart: number;
  /** A VoIP number for phone contacts, in the gang's usual country format. */
  callerId: string;
  workRate: number;
  userAgent: string;
}

export interface Gang {
  index: number;
  id: string;
  name: string;
  home: GangHome;
  methods: readonly (readonly [FraudMethod, number])[];
  script: GangScript;
  /** The gang's script variants (the first is `script`); each refunder keeps one. */
  scripts: GangScript[];
  refunders: Refunder[];
  insiders: Agent[];
  channels: { telegram: string; vouches: string; reddit: string; discord: string; forum: string };
  feePercent: number;
  /** Approved fraud refunds the gang can brag about. */
  vouchable: Vouchable[];
}

export interface Vouchable {
  orderId: string;
  amountMinor: number;
  currency: string;
  item: string;
  approvedAt: number;
  marketplace: MarketplaceCode;
}

export function makeGangs(
  random: Random,
  ids: Ids,
  count: number,
  refundersPerGang: number,
  behaviour: FraudProfile,
): Gang[] {
  const gangs: Gang[] = [];
  const usedNames = new Set<string>();
  const homes = random.shuffle([...HOMES]);
  for (let index = 0; index < count; index++) {
    const draw = random.fork('gang', index);
    const home = homes[index % homes.length]!;
    let name = '';
    do name = `${draw.pick(NAME_HEADS)}${draw.pick(NAME_TAILS)}`;
    while (usedNames.has(name));
    usedNames.add(name);
    const methodWeights = FRAUD_METHODS.map((method) => {
      const base = { dnr: 4, empty_box: 2.5, missing_item: 1.5, ftid: 2, boxing: 1.5, wrong_item: 1 }[method];
      return [method, draw.chance(0.25) ? 0 : base * draw.float(0.3, 2)] as const;
    });
    if (methodWeights.every(([, weight]) => weight === 0))
      (methodWeights as [FraudMethod, number][])[0] = ['dnr', 1];
    const refunders: Refunder[] = [];
    const size = Math.max(1, Math.round(refundersPerGang * draw.float(0.7, 1.35)));
    for (let r = 0; r < size; r++) {
      const roll = draw.next();
      const ipMode: IpMode =
        roll < behaviour.residentialProxyShare
          ? 'resproxy'
          : draw.chance(behaviour.vpnShare)
            ? 'vpn'
            : 'hosting';
      const ranges =
        ipMode === 'vpn'
          ? draw.sample(VPN_RANGES, draw.int(1, 3))
          : draw.sample(HOSTING_RANGES, draw.int(1, 2));
      const language: Language = draw.chance(0.85) ? home.language : draw.pick(['en', 'fr', 'de'] as const);
      const voip = makePhone(draw, home.voipCountry, pickCity(draw, home.voipCountry));
      refunders.push({
        index: r,
        handle: `${name}_${draw.pick(['op', 'ref', 'agent', 'rf', 'staff'])}${draw.int(1, 99)}`,
        devices: Array.from({ length: draw.chance(0.6) ? 1 : draw.int(2, 3) }, () => ids.device()),
        ipMode,
        ranges,
        language,
        tz: home.tz + (draw.chance(0.2) ? draw.int(-2, 2) : 0),
        antidetect: draw.chance(behaviour.antidetectShare),
        shiftStart: draw.int(9, 15),
        callerId: formatPhone(voip, draw.int(0, 3)),
        workRate: draw.float(0.3, 0.65),
        userAgent: makeDevice(draw, '', draw.chance(0.7) ? 'laptop' : 'desktop').userAgent,
      });
    }
    const firstScript = makeGangScript(draw);
    gangs.push({
      index,
      id: `gang-${index + 1}`,
      name,
      home,
      methods: methodWeights,
      script: firstScript,
      scripts: [
        firstScript,
        ...Array.from({ length: Math.max(0, behaviour.scriptsPerGang - 1) }, (_, variant) =>
          makeGangScript(draw.fork('script', variant)),
        ),
      ],
      refunders,
      insiders: [],
      channels: {
        telegram: `@${name}`,
        vouches: `@${name}${draw.pick(['vouches', 'proofs', 'vouch', 'results'])}`,
        reddit: `r/${name.charAt(0).toUpperCase()}${name.slice(1)}Service`,
        discord: `${name}#${draw.int(1000, 9999)}`,
        forum: `${name}${draw.pick(['', '_official', 'x'])}`,
      },
      feePercent: draw.pick([20, 25, 25, 30, 30, 30, 35]),
      vouchable: [],
    });
  }
  return gangs;
}

/** Whether a refunder works on window day `day`: stable, about `workRate` of days. */
export function refunderWorks(seed: string, gang: Gang, refunder: Refunder, day: number): boolean {
  return hash32(`${seed}/rw/${gang.index}/${refunder.index}/${day}`) % 1000 < refunder.workRate * 1000;
}

/** The device and address a refunder uses for one session. */
export function refunderConnection(
  random: Random,
  ids: Ids,
  refunder: Refunder,
  clientCountry: MarketplaceCode,
): { deviceId: string; ip: string } {
  const deviceId = refunder.antidetect && random.chance(0.7) ? ids.device() : random.pick(refunder.devices);
  let ip: string;
  switch (refunder.ipMode) {
    case 'resproxy':
      ip = random.chance(0.85) ? residentialIp(random, clientCountry) : mobileIp(random, clientCountry);
      break;
    case 'vpn':
      ip = vpnIp(random, refunder.ranges);
      break;
    case 'hosting':
      ip = hostingIp(random, refunder.ranges);
      break;
  }
  return { deviceId, ip };
}

/** A plan for one client: which gang, how many jobs and when, and what happens after. */
export interface ClientPlan {
  gang: Gang;
  newAccount: boolean;
  jobs: JobPlan[];
  /** Closed for fraud after the first job and comes back under a new identity. */
  evader: boolean;
  /** Closed for fraud after the first job, no comeback. */
  closed: boolean;
}

export interface JobPlan {
  /** Window day of the client's order. */
  orderDay: number;
  method: FraudMethod;
  refunder: Refunder;
  viaInsider: Agent | null;
  diy: boolean;
  /** The refunder works through the client's own device and line (remote access). */
  remote: boolean;
}

/** The script variant a refunder (and the clients they coach) tells. */
export function scriptOf(gang: Gang, refunder: Refunder): GangScript {
  return gang.scripts[refunder.index % gang.scripts.length] ?? gang.script;
}

export function planJob(random: Random, gang: Gang, orderDay: number, behaviour: FraudProfile): JobPlan {
  const method = random.weighted(gang.methods);
  const viaInsider =
    gang.insiders.length > 0 && random.chance(behaviour.insiderShare) ? random.pick(gang.insiders) : null;
  const plan: JobPlan = {
    orderDay,
    method,
    refunder: random.pick(gang.refunders),
    viaInsider,
    diy: viaInsider === null && random.chance(behaviour.diyShare),
    remote: false,
  };
  plan.remote =
    !plan.diy &&
    viaInsider === null &&
    behaviour.remoteAccessShare > 0 &&
    random.chance(behaviour.remoteAccessShare);
  return plan;
}

/** Picks which customer indices are clients of which gang, with job days. */
export function planClients(
  random: Random,
  gangs: Gang[],
  customers: number,
  days: number,
  clientsPerGang: number,
  banEvaders: number,
  behaviour: FraudProfile,
): Map<number, ClientPlan> {
  const plans = new Map<number, ClientPlan>();
  if (gangs.length === 0) return plans;
  const sizes = gangs.map(() => Math.max(2, Math.round(clientsPerGang * random.float(0.6, 1.4))));
  const total = sizes.reduce((sum, size) => sum + size, 0);
  // Evaders come out of the clients, spread over gangs in proportion to their size.
  const evaderSlots = new Set<number>();
  const slotOrder = random.shuffle(Array.from({ length: total }, (_, slot) => slot));
  for (const slot of slotOrder.slice(0, Math.min(banEvaders, Math.floor(total * 0.6)))) evaderSlots.add(slot);
  const closeShare = 0.18;
  let slot = 0;
  const latest = Math.max(3, days - 4);
  gangs.forEach((gang, gangIndex) => {
    // Clients come in waves (an advert, a viral vouch), so refunders work them in batches.
    const waves = Array.from({ length: random.int(3, 6) }, () => random.int(1, latest));
    const waveDay = (limit: number) => {
      const inWaves = waves.filter((day) => day <= limit);
      if (inWaves.length === 0 || random.chance(0.2)) return random.int(1, limit);
      return Math.min(limit, random.pick(inWaves) + random.int(0, 3));
    };
    for (let member = 0; member < sizes[gangIndex]!; member++, slot++) {
      let index: number;
      do index = random.int(0, customers - 1);
      while (plans.has(index));
      const evader = evaderSlots.has(slot);
      const firstDay = evader ? waveDay(Math.max(2, Math.floor(days * 0.4))) : waveDay(latest);
      const jobs = [planJob(random, gang, firstDay, behaviour)];
      const extra = evader ? 0 : random.poisson(behaviour.repeatRate);
      let day = firstDay;
      for (let repeat = 0; repeat < extra; repeat++) {
        day += random.int(4, 20);
        if (day > latest) break;
        jobs.push(planJob(random, gang, day, behaviour));
      }
      plans.set(index, {
        gang,
        newAccount: random.chance(behaviour.newAccountShare),
        jobs,
        evader,
        closed: !evader && random.chance(closeShare),
      });
    }
  });
  return plans;
}

/** A gang client's marketplace. */
export function gangTarget(random: Random, gang: Gang): MarketplaceCode {
  return random.weighted(gang.home.targets);
}

/** Local working hours of a refunder session. */
export function refunderMoment(
  random: Random,
  startMs: number,
  day: number,
  tz: number,
  shiftStart: number,
): number {
  return startMs + day * 86_400_000 + (shiftStart - tz) * HOUR + random.float(0, 9) * HOUR;
}

export function marketplaceLanguage(marketplace: MarketplaceCode): Language {
  return MARKETPLACE_INFO[marketplace].languages[0]![0];
}
