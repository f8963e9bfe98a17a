// A small world for the ring detector's tests, fed the way the risk state feeds it: facts per
// refund, script families from texts. Honest crowds, a gang worked from two refunder laptops,
// one refunder's crew, agents' decisions.
import { detectRings } from '../rings/detect-rings.ts';
import { LinkGraph } from '../rings/link-graph.ts';
import type { RingDetectionOptions } from '../rings/ring-options.ts';
import { ScriptIndex } from '../text/script-similarity.ts';

export const DAY = 86_400_000;
export const HOUR = 3_600_000;
export const T0 = Date.parse('2026-10-01T00:00:00Z');

export const GANG_SCRIPT = (name: string, order: string, item: string) =>
  `Hello, my name is ${name} and I am writing about order ${order}. The tracking says the ${item} was delivered but I never received anything. ` +
  'I checked with my neighbours and the building management, nobody saw a delivery. ' +
  'The carrier scan shows the parcel weighed only 0.4 kg, which is impossible for this item. ' +
  "If I don't get my refund today I will open a chargeback with my bank.";

export const HONEST_TEXTS = [
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
export class World {
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

export function home(accountId: string, index: number) {
  return {
    card: `card-${accountId}`,
    address: `us|43${String(index).padStart(3, '0')}|${index} elm st`,
    device: `phone-${accountId}`,
    ip: `98.${(index % 200) + 1}.${Math.floor(index / 200)}.${(index % 250) + 1}`,
  };
}

export const OTHER_GANG_SCRIPT = (name: string, order: string, item: string) =>
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
export function addGang(
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
export function addCrew(
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
export function decide(
  world: World,
  accountId: string,
  refundId: string,
  agentId: string,
  policyOverride: boolean,
) {
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
export function addHonestCrowd(world: World, count: number) {
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
