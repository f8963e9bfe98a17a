import { describe, expect, it } from 'vitest';
import { ScriptIndex } from '../text/script-similarity.ts';
import { detectRings } from './detect-rings.ts';
import { ringIdOf } from './describe-ring.ts';
import { LinkGraph } from './link-graph.ts';
import { rarityWeight } from './projection.ts';
import { indexRings, ringGraph, ringOf } from './ring-index.ts';
import type { RingDetectionOptions } from './ring-options.ts';

const DAY = 86_400_000;
const HOUR = 3_600_000;
const T0 = Date.parse('2026-10-01T00:00:00Z');

const GANG_SCRIPT = (name: string, order: string, item: string) =>
  `Hello, my name is ${name} and I am writing about order ${order}. The tracking says the ${item} was delivered but I never received anything. ` +
  'I checked with my neighbours and the building management, nobody saw a delivery. ' +
  'The carrier scan shows the parcel weighed only 0.4 kg, which is impossible for this item. ' +
  "If I don't get my refund today I will open a chargeback with my bank.";

const HONEST_TEXTS = [
  "Hi, my order hasn't arrived yet and the tracking hasn't moved since Tuesday. Could you check with the carrier for me please?",
  'Hello, the blender I bought last month stopped working after a few days, the motor makes a burning smell. Can I get a replacement?',
  'Good morning, I think the courier left my parcel at the wrong house, our street numbers are confusing and nobody has it.',
  'Hi there, I was charged twice for the same order last Friday, once on my credit card and once on PayPal. Please refund one.',
  "Hey, the sofa cover arrived with a tear along the seam and the colour is not what the pictures showed, I'd like to send it back.",
];

interface Contact {
  device?: string;
  caller?: string;
  ip: string;
  /** The account had used this device / caller id itself before. */
  ownOrigin: boolean;
  ownRange: boolean;
  text: string;
  agentId?: string;
}

/** A small world fed the way the risk state will feed it: facts per refund, script families from texts. */
class World {
  readonly links = new LinkGraph();
  readonly scripts = new ScriptIndex();
  readonly ownUsers = new Map<string, Set<string>>();
  private sequence = 0;

  /** Records that the account uses a value itself (the risk state's usersOf). */
  private own(key: string, accountId: string): void {
    const users = this.ownUsers.get(key) ?? new Set<string>();
    users.add(accountId);
    this.ownUsers.set(key, users);
  }

  refund(
    accountId: string,
    day: number,
    order: { card: string; address: string; device: string; ip: string },
    contact?: Contact,
    amountUsd = 900,
  ): string {
    this.sequence += 1;
    const at = T0 + day * DAY + this.sequence * 60_000;
    const refundId = `r-${this.sequence}`;
    this.own(`card:${order.card}`, accountId);
    this.own(`address:${order.address}`, accountId);
    this.own(`device:${order.device}`, accountId);
    this.own(`range:${order.ip.split('.').slice(0, 3).join('.')}`, accountId);
    let contactFacts: Parameters<LinkGraph['addContact']>[0] | undefined;
    if (contact) {
      const contactId = `c-${this.sequence}`;
      const family = this.scripts.add({ contactId, accountId, at: at - HOUR, text: contact.text }).family;
      contactFacts = {
        contactId,
        accountId,
        at: at - HOUR,
        originKey: contact.device
          ? `device:${contact.device}`
          : contact.caller
            ? `caller:${contact.caller}`
            : undefined,
        ip: contact.ip,
        agentId: contact.agentId,
        deviceKnown: contact.ownOrigin,
        ipRangeKnown: contact.ownRange,
        scriptFamily: family,
      };
    }
    this.links.addRefund(
      {
        refundId,
        accountId,
        at,
        amountUsdMinor: amountUsd * 100,
        reason: 'not_received',
        agentId: contact?.agentId,
      },
      { paymentFingerprint: order.card, addressKey: order.address, deviceId: order.device, ip: order.ip },
      contactFacts,
    );
    return refundId;
  }

  detect(asOf = T0 + 60 * DAY, options: Partial<RingDetectionOptions> = {}) {
    return detectRings(this.links, asOf, {
      valueUsers: (kind, value) =>
        kind === 'script' ? this.scripts.familySize(value) : this.ownUsers.get(`${kind}:${value}`)?.size,
      ...options,
    });
  }
}

function home(accountId: string, index: number) {
  return {
    card: `card-${accountId}`,
    address: `us|43${String(index).padStart(3, '0')}|${index} elm st`,
    device: `phone-${accountId}`,
    ip: `98.${(index % 200) + 1}.${Math.floor(index / 200)}.${(index % 250) + 1}`,
  };
}

const OTHER_GANG_SCRIPT = (name: string, order: string, item: string) =>
  `Hi, this is ${name}. I opened the box for order ${order} and the ${item} was not inside, only packing paper. ` +
  'The tape on the box was different from your normal tape, someone opened it before me. ' +
  'I have photos of the empty box and of the label if you need them. ' +
  'I am not waiting for an investigation, I want my money back now or I call my lawyer.';

function hashOf(text: string): number {
  let hash = 7;
  for (let index = 0; index < text.length; index += 1) hash = (hash * 31 + text.charCodeAt(index)) >>> 0;
  return hash;
}

/** Eight clients worked from two refunder laptops, through one hosting range, with one script. */
function addGang(
  world: World,
  prefix = 'client',
  firstDay = 1,
  devices = ['refunder-laptop-1', 'refunder-laptop-2'],
  range = '5.188.62',
  script = GANG_SCRIPT,
) {
  const clients: string[] = [];
  // Each gang's clients live in their own homes (two gangs' clients sharing every address would be tied).
  const street = 500 + (prefix === 'client' ? 0 : 100 + (hashOf(prefix) % 80) * 10);
  for (let client = 0; client < 8; client += 1) {
    const accountId = `${prefix}-${client}`;
    clients.push(accountId);
    const order = home(accountId, street + client);
    world.refund(accountId, firstDay + client, order, {
      device: devices[client % 2] as string,
      ip: `${range}.${10 + client}`,
      ownOrigin: false,
      ownRange: false,
      text: script(
        `Client ${prefix} ${client}`,
        `ord-${client}-${client * 7919}`,
        client % 2 ? 'iPad Air' : 'MacBook Pro',
      ),
      agentId: client < 5 ? 'agent-bribed' : `agent-${client}`,
    });
  }
  return clients;
}

/**
 * One refunder's crew: `size` clients contacted from the refunder's own device and hosting range
 * (one range per crew unless given), with short messages (no script family). Returns the
 * clients and their refund ids.
 */
function addCrew(
  world: World,
  prefix: string,
  options: { size?: number; firstDay?: number; range?: string; street?: number; agents?: string[] } = {},
) {
  const {
    size = 4,
    firstDay = 1,
    range = `45.${100 + (hashOf(prefix) % 100)}.${hashOf(prefix) % 250}`,
    agents = [],
  } = options;
  const street = options.street ?? 2000 + (hashOf(prefix) % 5000) * 10;
  const clients: string[] = [];
  const refunds: string[] = [];
  for (let client = 0; client < size; client += 1) {
    const accountId = `${prefix}-${client}`;
    clients.push(accountId);
    refunds.push(
      world.refund(accountId, firstDay + client, home(accountId, street + client), {
        device: `${prefix}-laptop`,
        ip: `${range}.${10 + client}`,
        ownOrigin: false,
        ownRange: false,
        text: 'refund please',
        agentId: agents[client] ?? `${prefix}-agent-${client}`,
      }),
    );
  }
  return { clients, refunds };
}

/** An agent's decision on a refund, overriding policy or not. */
function decide(world: World, accountId: string, refundId: string, agentId: string, policyOverride: boolean) {
  world.links.addDecision({
    refundId,
    accountId,
    at: T0 + 40 * DAY,
    outcome: 'approved',
    agentId,
    policyOverride,
  });
}

/** Ordinary customers who write to support from their own phones. */
function addHonestCrowd(world: World, count: number) {
  for (let customer = 0; customer < count; customer += 1) {
    const accountId = `honest-${customer}`;
    const order = home(accountId, customer);
    world.refund(
      accountId,
      customer % 50,
      order,
      customer % 3 === 0
        ? undefined
        : {
            device: order.device,
            ip: order.ip,
            ownOrigin: true,
            ownRange: true,
            text: HONEST_TEXTS[customer % HONEST_TEXTS.length] as string,
            agentId: `agent-${customer % 7}`,
          },
      40 + (customer % 300),
    );
  }
}

describe('detectRings', () => {
  it('finds a gang of eight clients worked from two refunder devices as one ring', () => {
    const world = new World();
    addHonestCrowd(world, 200);
    const clients = addGang(world);
    const { rings } = world.detect();
    expect(rings).toHaveLength(1);
    const ring = rings[0];
    if (!ring) throw new Error('no ring');
    expect(ring.accountIds).toEqual([...clients].sort());
    expect(ring.ringId).toBe(ringIdOf(clients));
    expect(ring.fingerprints.origins.sort()).toEqual([
      'device:refunder-laptop-1',
      'device:refunder-laptop-2',
    ]);
    expect(ring.fingerprints.ranges).toEqual(['range:5.188.62']);
    expect(ring.fingerprints.scripts).toHaveLength(1);
    expect(ring.refundIds).toHaveLength(8);
    expect(ring.valueUsd).toBe(8 * 900);
    expect(ring.agentIds).toEqual(['agent-bribed']);
    expect(ring.firstAt).toBeLessThan(ring.lastAt);
    expect(ring.score).toBeGreaterThan(0.8);
    const codes = ring.reasons.map((reason) => reason.code);
    expect(codes.slice(0, 2)).toEqual(['RING_SHARED_REFUNDER_DEVICE', 'RING_THIRD_PARTY_CONTACTS']);
    expect(codes).toEqual(expect.arrayContaining(['RING_SHARED_REFUNDER_NETWORK', 'RING_SHARED_SCRIPT']));
    expect(ring.reasons[0]?.text).toContain('8 of 8 accounts');
  });

  it('gives the same ring whatever the order the facts arrived in', () => {
    const forward = new World();
    addGang(forward);
    addHonestCrowd(forward, 50);
    const backward = new World();
    addHonestCrowd(backward, 50);
    addGang(backward);
    const [left] = forward.detect().rings;
    const [right] = backward.detect().rings;
    expect(left?.ringId).toBeDefined();
    expect(left?.ringId).toBe(right?.ringId);
  });

  it('does not make a ring of a family sharing a device, a card and an address', () => {
    const world = new World();
    addHonestCrowd(world, 50);
    for (const [member, day] of [
      ['mum', 2],
      ['dad', 9],
      ['teen', 15],
      ['gran', 30],
    ] as const) {
      const order = {
        card: 'card-family',
        address: 'us|43215|12 oak st',
        device: 'family-ipad',
        ip: '73.45.12.9',
      };
      world.refund(
        member,
        day,
        order,
        {
          device: 'family-ipad',
          ip: '73.45.12.9',
          ownOrigin: true,
          ownRange: true,
          text: HONEST_TEXTS[day % 5] as string,
        },
        250,
      );
    }
    const detection = world.detect();
    expect(detection.rings).toEqual([]);
  });

  it('does not make a ring of a university range shared by hundreds of students', () => {
    const world = new World();
    for (let student = 0; student < 400; student += 1) {
      const accountId = `student-${student}`;
      const ip = `141.20.33.${(student % 250) + 2}`;
      const order = {
        card: `card-${accountId}`,
        address: `us|48109|dorm ${student}`,
        device: `laptop-${accountId}`,
        ip,
      };
      world.refund(accountId, student % 40, order, {
        device: `laptop-${accountId}`,
        ip,
        ownOrigin: true,
        ownRange: true,
        text: HONEST_TEXTS[student % 5] as string,
      });
    }
    const detection = world.detect();
    expect(detection.rings).toEqual([]);
    expect(detection.stats.valuesTooCommon).toBeGreaterThan(0);
  });

  it('does not make a ring of students writing from their phones on the campus network they never ordered from', () => {
    const world = new World();
    for (let student = 0; student < 60; student += 1) {
      const accountId = `student-${student}`;
      const order = {
        card: `card-${accountId}`,
        address: `us|48109|dorm ${student}`,
        device: `laptop-${accountId}`,
        ip: `98.7.${student}.4`,
      };
      world.refund(accountId, student % 20, order, {
        device: `laptop-${accountId}`,
        ip: `141.20.33.${(student % 250) + 2}`,
        ownOrigin: true,
        ownRange: false,
        text: HONEST_TEXTS[student % 5] as string,
      });
    }
    // Many more people use the campus range themselves than asked for refunds.
    for (let other = 0; other < 500; other += 1) {
      const users = world.ownUsers.get('range:141.20.33') ?? new Set<string>();
      users.add(`other-${other}`);
      world.ownUsers.set('range:141.20.33', users);
    }
    expect(world.detect().rings).toEqual([]);
  });

  it('does not flag a customer who really lost a parcel, even writing from a new phone', () => {
    const world = new World();
    addHonestCrowd(world, 100);
    const order = home('unlucky', 999);
    world.refund('unlucky', 20, order, {
      device: 'new-phone',
      ip: '172.56.3.9',
      ownOrigin: false,
      ownRange: false,
      text: "Hi, the app says my parcel was delivered yesterday but it isn't at my door and the neighbours don't have it. I'm writing from my new phone, the old one broke.",
    });
    expect(world.detect().rings).toEqual([]);
  });

  it('keeps a client’s relatives out of the ring, as associated accounts', () => {
    const world = new World();
    const clients = addGang(world);
    // The first client's partner shares their card and address, and writes from their own phone.
    const partner = { ...home('partner', 42), card: 'card-client-0', address: home('client-0', 500).address };
    world.refund('partner', 20, partner, {
      device: partner.device,
      ip: partner.ip,
      ownOrigin: true,
      ownRange: true,
      text: HONEST_TEXTS[1] as string,
    });
    const [ring] = world.detect().rings;
    expect(ring?.accountIds).toEqual([...clients].sort());
    expect(ring?.associatedAccountIds).toEqual(['partner']);
  });

  it('tells two gangs apart', () => {
    const world = new World();
    addHonestCrowd(world, 100);
    const first = addGang(world, 'alpha', 1, ['alpha-1', 'alpha-2']);
    const second = addGang(world, 'beta', 3, ['beta-1', 'beta-2'], '146.70.117', OTHER_GANG_SCRIPT);
    const { rings } = world.detect();
    expect(rings.map((ring) => ring.accountIds).sort()).toEqual(
      [[...first].sort(), [...second].sort()].sort(),
    );
  });

  it('keeps two gangs tied by one shared VPN exit apart, however many other gangs there are', () => {
    const gangs: string[][] = [];
    const rings = (otherCrews: number) => {
      const world = new World();
      addHonestCrowd(world, 50);
      gangs[0] = addCrew(world, 'alpha', { size: 8, range: '5.188.62' }).clients;
      gangs[1] = addCrew(world, 'beta', { size: 8, range: '146.70.117' }).clients;
      // Both refunders once went through the same VPN exit: a weak tie between the gangs.
      for (const [accountId, device] of [
        ['alpha-7', 'alpha-laptop'],
        ['beta-0', 'beta-laptop'],
      ] as const)
        world.refund(accountId, 30, home(accountId, 9000 + accountId.charCodeAt(0)), {
          device,
          ip: `77.1.2.${accountId.length}`,
          ownOrigin: false,
          ownRange: false,
          text: 'refund please',
        });
      for (let crew = 0; crew < otherCrews; crew += 1) addCrew(world, `crew${crew}`, { size: 8 });
      const found = world.detect().rings.map((ring) => ring.accountIds);
      return found.filter((ids) => ids.some((id) => id.startsWith('alpha') || id.startsWith('beta')));
    };
    const alone = rings(0);
    expect([...alone].sort()).toEqual(gangs.map((clients) => [...clients].sort()).sort());
    // Louvain over the whole projection let the tie weigh against every other account's links:
    // among hundreds of other gangs, the two came out as one community.
    expect(rings(300)).toEqual(alone);
  });

  it('keeps two gangs apart when some of their clients share flats', () => {
    // Roommates buy from different refund services: a shared address is a household, not a gang.
    // Each gang: six refunders with two clients each, one script; three flats hold a client of each.
    const world = new World();
    addHonestCrowd(world, 100);
    const gangs: string[][] = [];
    for (const [gang, script, range] of [
      ['alpha', GANG_SCRIPT, '5.188.62'],
      ['beta', OTHER_GANG_SCRIPT, '146.70.117'],
    ] as const) {
      const clients: string[] = [];
      for (let client = 0; client < 12; client += 1) {
        const accountId = `${gang}-${client}`;
        clients.push(accountId);
        // Clients 0-2 of both gangs live in the same three flats.
        const flat = client < 3 ? 7000 + client : (gang === 'alpha' ? 7100 : 7200) + client;
        world.refund(accountId, 1 + client, home(accountId, flat), {
          device: `${gang}-laptop-${client % 6}`,
          ip: `${range}.${10 + client}`,
          ownOrigin: false,
          ownRange: false,
          text: script(
            `Client ${gang} ${client}`,
            `ord-${gang}-${client}`,
            client % 2 ? 'iPad Air' : 'MacBook Pro',
          ),
        });
      }
      gangs.push(clients);
    }
    const { rings } = world.detect();
    const mixed = rings.filter(
      (ring) =>
        ring.accountIds.some((id) => id.startsWith('alpha')) &&
        ring.accountIds.some((id) => id.startsWith('beta')),
    );
    expect(mixed).toEqual([]);
    for (const clients of gangs)
      expect(rings.some((ring) => clients.every((id) => ring.accountIds.includes(id)))).toBe(true);
  });

  it("joins one gang's refunder crews through an insider who overrode policy for clients of both", () => {
    const world = new World();
    addHonestCrowd(world, 100);
    const north = addCrew(world, 'north', { agents: ['insider', 'insider', 'insider'] });
    const south = addCrew(world, 'south', { firstDay: 20, agents: ['insider', 'insider'] });
    for (const crew of [north, south])
      crew.refunds.forEach((refundId, client) => {
        if (client < 3) decide(world, crew.clients[client] as string, refundId, 'insider', true);
      });
    const { rings } = world.detect();
    expect(rings.map((ring) => ring.accountIds)).toEqual([[...north.clients, ...south.clients].sort()]);
    expect(rings[0]?.agentIds[0]).toBe('insider');
  });

  it('keeps crews apart when an agent only handled clients of both, or overrode policy once on one side', () => {
    const world = new World();
    addHonestCrowd(world, 100);
    // A busy agent of the usual queue handles clients of two gangs, and approves within policy.
    const north = addCrew(world, 'north', { agents: ['busy', 'busy', 'busy'] });
    const south = addCrew(world, 'south', { firstDay: 20, agents: ['busy', 'busy', 'busy'] });
    for (const crew of [north, south])
      crew.refunds.forEach((refundId, client) => {
        decide(world, crew.clients[client] as string, refundId, 'busy', false);
      });
    // An override on one client of a third crew, beside north's insider overrides, is no tie.
    const east = addCrew(world, 'east', { firstDay: 30, agents: ['insider'] });
    north.refunds.forEach((refundId, client) => {
      decide(world, north.clients[client] as string, refundId, 'insider', true);
    });
    decide(world, east.clients[0] as string, east.refunds[0] as string, 'insider', true);
    const { rings } = world.detect();
    expect(rings.map((ring) => ring.accountIds).sort()).toEqual(
      [north.clients, south.clients, east.clients].map((clients) => [...clients].sort()).sort(),
    );
  });

  it('joins crews through a refunder device used on both', () => {
    const world = new World();
    addHonestCrowd(world, 100);
    const north = addCrew(world, 'north');
    const south = addCrew(world, 'south', { firstDay: 20 });
    const west = addCrew(world, 'west', { firstDay: 40 });
    // South's refunder once worked a client from north's laptop, through another network.
    world.refund('south-0', 30, home('south-0', 9100), {
      device: 'north-laptop',
      ip: '81.2.3.4',
      ownOrigin: false,
      ownRange: false,
      text: 'refund please',
    });
    const { rings } = world.detect();
    expect(rings.map((ring) => ring.accountIds).sort()).toEqual(
      [[...north.clients, ...south.clients], west.clients].map((clients) => [...clients].sort()).sort(),
    );
  });

  /** North's refunder tells `clients` stories from his laptop in a common complaint's phrases. */
  function northTells(world: World, clients: number[], item: string): void {
    for (const client of clients)
      world.refund(`north-${client}`, 10 + client, home(`north-${client}`, 7000 + client), {
        device: 'north-laptop',
        ip: `81.2.3.${client + 1}`,
        ownOrigin: false,
        ownRange: false,
        text: OTHER_GANG_SCRIPT(`North ${client}`, `ord-n-${client}`, item),
      });
  }

  it('keeps an honest customer writing from a new phone in the stock phrases two clients used out of the ring', () => {
    const world = new World();
    addHonestCrowd(world, 100);
    const north = addCrew(world, 'north', { size: 8 });
    // Two clients' stories, told from the refunder's laptop, use a common complaint's phrases...
    northTells(world, [0, 1], 'iPad Air');
    // ... as do two customers from their own phones, and one from a phone the account had not
    // used yet, at home.
    for (const customer of [0, 1]) {
      const order = home(`writer-${customer}`, 80 + customer);
      world.refund(`writer-${customer}`, 12, order, {
        device: order.device,
        ip: order.ip,
        ownOrigin: true,
        ownRange: true,
        text: OTHER_GANG_SCRIPT(`Writer ${customer}`, `ord-w-${customer}`, 'iPad Air'),
      });
    }
    const lookalike = home('lookalike', 77);
    world.refund('lookalike', 11, lookalike, {
      device: 'lookalike-new-phone',
      ip: lookalike.ip,
      ownOrigin: false,
      ownRange: true,
      text: OTHER_GANG_SCRIPT('Dana', 'ord-d-1', 'iPad Air'),
    });
    const { rings } = world.detect();
    expect(rings.map((ring) => ring.accountIds)).toEqual([[...north.clients].sort()]);
    // At most an associate (shown beside the ring), never a member the ring's actions reach.
    expect(rings.flatMap((ring) => ring.accountIds)).not.toContain('lookalike');
  });

  it('counts a client worked from another phone who told a script only the ring’s members told', () => {
    const world = new World();
    addHonestCrowd(world, 100);
    const north = addCrew(world, 'north', { size: 8 });
    northTells(world, [0, 1], 'iPad Air');
    // A client the refunder worked from a burner phone, with the crew's own story.
    world.refund('north-8', 11, home('north-8', 7008), {
      device: 'north-burner',
      ip: '81.2.3.9',
      ownOrigin: false,
      ownRange: false,
      text: OTHER_GANG_SCRIPT('North 8', 'ord-n-8', 'iPad Air'),
    });
    const { rings } = world.detect();
    expect(rings.map((ring) => ring.accountIds)).toEqual([[...north.clients, 'north-8'].sort()]);
  });

  it('keeps a pair of another crew’s clients, tied to a ring by similar wording only, out of it', () => {
    const world = new World();
    addHonestCrowd(world, 100);
    const north = addCrew(world, 'north', { size: 8 });
    northTells(world, [0, 1, 2], 'MacBook Pro');
    // Another refunder works two clients from their own laptop; one story borrows north's phrases.
    ['south-0', 'south-1'].forEach((accountId, client) => {
      world.refund(accountId, 11 + client, home(accountId, 8000 + client), {
        device: 'south-laptop',
        ip: `62.4.5.${client + 1}`,
        ownOrigin: false,
        ownRange: false,
        text: client === 0 ? OTHER_GANG_SCRIPT('South 0', 'ord-s-0', 'MacBook Pro') : 'refund please',
      });
    });
    const { rings } = world.detect();
    expect(rings.map((ring) => ring.accountIds)).toEqual([[...north.clients].sort()]);
  });

  it('makes a crew of another gang, tied to a ring by a phrase one client of each told, a ring of its own', () => {
    const world = new World();
    addHonestCrowd(world, 100);
    const north = addCrew(world, 'north', { size: 5 });
    const south = addCrew(world, 'south', { size: 3, firstDay: 6 });
    // Other refunders' crews elsewhere: against a projection this size, modularity joins the two.
    const others = Array.from(
      { length: 100 },
      (_, crew) => addCrew(world, `other${crew}`, { size: 4 }).clients,
    );
    // One client of each crew tells the same story (another gang's template, or stock phrases
    // both gangs borrowed), each from their crew's refunder laptop.
    northTells(world, [0], 'MacBook Pro');
    world.refund('south-0', 12, home('south-0', 8100), {
      device: 'south-laptop',
      ip: '62.4.5.1',
      ownOrigin: false,
      ownRange: false,
      text: OTHER_GANG_SCRIPT('South 0', 'ord-s-0', 'MacBook Pro'),
    });
    const { rings } = world.detect();
    expect(rings.map((ring) => ring.accountIds).sort()).toEqual(
      [
        [...north.clients].sort(),
        [...south.clients].sort(),
        ...others.map((clients) => [...clients].sort()),
      ].sort(),
    );
  });

  it('keeps a customer who wrote from their own phone on a network a client was worked from out of the ring', () => {
    const world = new World();
    addHonestCrowd(world, 100);
    const north = addCrew(world, 'north', { size: 5 });
    // A refunder on a residential proxy works one more client through a home range...
    world.refund('north-5', 8, home('north-5', 7105), {
      device: 'north-laptop',
      ip: '24.130.17.20',
      ownOrigin: false,
      ownRange: false,
      text: 'refund please',
    });
    // ... where a customer visiting a friend writes to support from their own phone.
    const visitor = home('visitor', 300);
    world.refund('visitor', 9, visitor, {
      device: visitor.device,
      ip: '24.130.17.77',
      ownOrigin: true,
      ownRange: false,
      text: 'where is my parcel',
    });
    const { rings } = world.detect();
    expect(rings.map((ring) => ring.accountIds)).toEqual([[...north.clients, 'north-5'].sort()]);
  });

  it("keeps another gang's client whose fake return went to the same drop area as one member's out of the ring", () => {
    const world = new World();
    addHonestCrowd(world, 100);
    const north = addCrew(world, 'north', { size: 5 });
    const returnTo = (accountId: string, refundId: string, trackingId: string, postalCode: string) =>
      world.links.addReturnScan({
        refundId,
        accountId,
        at: T0 + 30 * DAY,
        status: 'delivered',
        trackingId,
        destinationPostalCode: postalCode,
        deliveredElsewhere: true,
      });
    returnTo('north-0', north.refunds[0] as string, '1Z9NORTH000000001', '75017');
    // Another gang's client, worked by a refunder who left no other trace, ships to the same area.
    const outsider = home('outsider', 310);
    const refundId = world.refund('outsider', 9, outsider);
    returnTo('outsider', refundId, '1Z4OTHER000000002', '75017');
    const { rings } = world.detect();
    expect(rings.map((ring) => ring.accountIds)).toEqual([[...north.clients].sort()]);
  });

  it('sees nothing that happened at or after asOf', () => {
    const world = new World();
    addGang(world);
    // As of day 4 only four clients had been worked: a ring of four.
    const early = world.detect(T0 + 4 * DAY + 12 * HOUR);
    expect(early.rings).toHaveLength(1);
    expect(early.rings[0]?.accountIds).toHaveLength(4);
    expect(early.rings[0]?.lastAt).toBeLessThan(T0 + 4 * DAY + 12 * HOUR);
    expect(world.detect(T0 + DAY).rings).toEqual([]);
    // Outside the window, nothing either.
    expect(world.detect(T0 + 400 * DAY).rings).toEqual([]);
  });

  it('names the ring of an account, of a refunder device and of a refunder range; draws its graph', () => {
    const world = new World();
    addHonestCrowd(world, 30);
    const clients = addGang(world);
    const asOf = T0 + 60 * DAY;
    const { rings } = world.detect(asOf);
    const index = indexRings(rings);
    const ring = rings[0];
    expect(ringOf(index, { accountId: 'client-3' })).toMatchObject({ ring, via: 'account' });
    expect(ringOf(index, { accountId: 'new-client', originKey: 'device:refunder-laptop-2' })).toMatchObject({
      via: 'origin',
      fingerprint: 'device:refunder-laptop-2',
    });
    expect(ringOf(index, { accountId: 'new-client', ip: '5.188.62.201' })).toMatchObject({ via: 'range' });
    expect(ringOf(index, { accountId: 'honest-1', originKey: 'device:phone-honest-1' })).toBeUndefined();

    const graph = ringGraph(world.links, ring as NonNullable<typeof ring>, asOf);
    const keys = graph.nodes.map((node) => node.key);
    expect(keys).toEqual(expect.arrayContaining(clients.map((client) => `account:${client}`)));
    expect(keys).toEqual(
      expect.arrayContaining(['device:refunder-laptop-1', 'range:5.188.62', 'agent:agent-bribed']),
    );
    expect(graph.edges.length).toBeGreaterThanOrEqual(8 * 3);
  });

  it('weighs rare shared values more than common ones', () => {
    expect(rarityWeight(2)).toBe(1);
    expect(rarityWeight(8)).toBeLessThan(rarityWeight(3));
    expect(rarityWeight(100)).toBeGreaterThan(0.15);
  });
});
