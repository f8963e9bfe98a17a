// bench:rings, the synthetic world: a link graph of refund-linked accounts (households, campuses,
// mobile carriers, help-centre boilerplate) with planted refund-service gangs, and the truth about
// them (which account is whose client, how each gang worked, which traces each client left).
import { seededRandom } from '../src/core/rings/communities.ts';
import { type ContactLinkFacts, LinkGraph } from '../src/core/rings/link-graph.ts';
import { type Draws, draws } from './seeded-draws.ts';

export const DAY = 86_400_000;
export const T0 = Date.parse('2026-04-01T00:00:00Z');
export const WINDOW_DAYS = 180;

const AGENTS = Array.from({ length: 3000 }, (_, index) => `agent-${index}`);
const MOBILE_RANGES = Array.from({ length: 400 }, (_, index) => `172.${56 + (index % 8)}.${index >> 3}`);
const BOILERPLATE_SCRIPTS = Array.from({ length: 40 }, (_, index) => `form-${index}`);
const HOSTING_RANGES = Array.from({ length: 250 }, (_, index) => `45.${130 + (index % 50)}.${index}`);

export interface WorldSize {
  accounts: number;
  /** Account–value links aimed at (honest customers get second refunds and returns until then). */
  links: number;
  gangs: number;
  /** Share of honest refunds with a return shipped (tunes the links per account). */
  honestReturnRate: number;
  seed: number;
}

interface Person {
  accountId: string;
  card: string;
  address: string;
  phone: string;
  homeIp: string;
}

interface Refunder {
  devices: string[];
  ranges: string[];
  caller: string | undefined;
  antidetect: boolean;
}

type ContactFacts = Omit<ContactLinkFacts, 'accountId' | 'contactId' | 'at'>;

/** Customers mostly reach the same team: a usual agent per account. */
function agentFor(person: Person): string {
  return AGENTS[
    (person.accountId.length * 7919 + Number(person.accountId.slice(1))) % AGENTS.length
  ] as string;
}

export class SyntheticRingWorld {
  readonly links = new LinkGraph();
  /** Accounts that use a value themselves (the risk state's `usersOf`), for commonness. */
  readonly ownUsers = new Map<string, number>();
  /** Planted truth: account → gang, and how each gang worked. */
  readonly gangOf = new Map<string, number>();
  readonly gangProfiles = new Map<number, string>();
  /**
   * What each client's refunds left that another client could share: the refunder's device or
   * caller id (not an anti-detect browser's fresh one), range, script, FTID pattern.
   */
  readonly #tracesOf = new Map<string, string[]>();
  readonly #draw: Draws;
  #accounts = 0;
  #refunds = 0;
  #contacts = 0;

  constructor(private readonly size: WorldSize) {
    this.#draw = draws(seededRandom(size.seed));
    for (const range of MOBILE_RANGES) this.#own(`range:${range}`, 5000);
    for (const script of BOILERPLATE_SCRIPTS) this.#own(`script:${script}`, 20_000);
  }

  get refunds(): number {
    return this.#refunds;
  }

  get contacts(): number {
    return this.#contacts;
  }

  /** Builds the world; `sample` is called now and then (for peak memory). */
  build(sample: () => void): void {
    const { random, chance } = this.#draw;
    const { accounts: targetAccounts, links: targetLinks, gangs } = this.size;
    // Campuses first (a few hundred students on one range each), then gangs spread through the honest crowd.
    for (let campus = 0; campus < 25; campus += 1) {
      const range = `141.${20 + campus}.33`;
      this.#own(`range:${range}`, 2000);
      for (let student = 0; student < 400; student += 1)
        for (const person of this.#household(1, range)) this.#honestRefunds(person);
    }
    const gangEvery = Math.floor(targetAccounts / (gangs + 1));
    let nextGang = 0;
    while (this.#accounts < targetAccounts) {
      if (nextGang < gangs && this.#accounts >= (nextGang + 1) * gangEvery) {
        this.#plantGang(nextGang);
        nextGang += 1;
        continue;
      }
      const roll = random();
      const size = roll < 0.5 ? 1 : roll < 0.75 ? 2 : roll < 0.88 ? 3 : roll < 0.96 ? 4 : 5;
      for (const person of this.#household(Math.min(size, targetAccounts - this.#accounts)))
        this.#honestRefunds(person);
      // Extra honest activity (second refunds, returns) until the link budget is met.
      if (this.links.stats.links < (targetLinks * this.#accounts) / targetAccounts - 50_000 && chance(0.5)) {
        const person = this.#household(1)[0] as Person;
        this.#honestRefunds(person);
        this.#honestRefunds(person);
      }
      if (this.#accounts % 100_000 < 5) sample();
    }
    while (nextGang < gangs) this.#plantGang(nextGang++);
  }

  /** The most clients of the gang tied to each other, directly or not, by shared traces. */
  tiedClients(clients: string[]): number {
    const group = new Map<string, string>(clients.map((client) => [client, client]));
    const find = (client: string): string => {
      let current = client;
      while (group.get(current) !== current) current = group.get(current) as string;
      return current;
    };
    const firstWith = new Map<string, string>();
    for (const client of clients)
      for (const trace of this.#tracesOf.get(client) ?? []) {
        const other = firstWith.get(trace);
        if (other === undefined) firstWith.set(trace, client);
        else group.set(find(client), find(other));
      }
    const sizes = new Map<string, number>();
    for (const client of clients) sizes.set(find(client), (sizes.get(find(client)) ?? 0) + 1);
    return Math.max(0, ...sizes.values());
  }

  #own(key: string, count = 1): void {
    this.ownUsers.set(key, (this.ownUsers.get(key) ?? 0) + count);
  }

  /** A moment between the starts of two days of the window. */
  #day(from = 0, to = WINDOW_DAYS - 1): number {
    const { int } = this.#draw;
    return T0 + int(from, to) * DAY + int(0, DAY - 1);
  }

  #refundOf(person: Person, at: number, contact: ContactFacts | undefined): string {
    const { int, chance, pick } = this.#draw;
    this.#refunds += 1;
    const refundId = `r${this.#refunds}`;
    const agentId = contact?.agentId ?? agentFor(person);
    let contactFacts: ContactLinkFacts | undefined;
    if (contact) {
      this.#contacts += 1;
      contactFacts = {
        ...contact,
        contactId: `c${this.#contacts}`,
        accountId: person.accountId,
        at: at - int(1, 120) * 60_000,
      };
    }
    this.links.addRefund(
      {
        refundId,
        accountId: person.accountId,
        at,
        amountUsdMinor: int(15, 1800) * 100,
        reason: pick(['not_received', 'damaged', 'defective', 'changed_mind', 'empty_box']),
        agentId,
      },
      {
        paymentFingerprint: person.card,
        addressKey: person.address,
        deviceId: person.phone,
        ip: person.homeIp,
      },
      contactFacts,
    );
    // Mostly decided by the agent who handled it; now and then escalated to another.
    const decider = chance(0.95) ? agentId : pick(AGENTS);
    this.links.addDecision({
      refundId,
      accountId: person.accountId,
      at: at + DAY,
      outcome: 'approved',
      agentId: decider,
    });
    return refundId;
  }

  #returnOf(
    person: Person,
    refundId: string,
    at: number,
    elsewhere?: { drop: string; prefix: string },
  ): void {
    const { int, pick } = this.#draw;
    const tracking = elsewhere
      ? `${elsewhere.prefix}${String(int(0, 99_999_999)).padStart(8, '0')}`
      : `1Z${String(int(0, 9_999_999)).padStart(7, '0')}RG${String(int(0, 99_999_999)).padStart(8, '0')}`;
    this.links.addReturnScan({
      refundId,
      accountId: person.accountId,
      at: at + 4 * DAY,
      status: 'delivered',
      trackingId: tracking,
      destinationPostalCode: elsewhere ? elsewhere.drop : pick(['43215', '60612', '75201', '98101']),
      deliveredElsewhere: elsewhere !== undefined,
    });
  }

  /** A household of honest customers: shared address, sometimes a card or a tablet. */
  #household(size: number, campus?: string): Person[] {
    const { int, chance } = this.#draw;
    const home = this.#accounts;
    const address = `us|${10_000 + (home % 89_999)}|${home} main st`;
    const familyCard = chance(0.4) ? `card-h${home}` : undefined;
    const familyTablet = chance(0.3) ? `tablet-h${home}` : undefined;
    // Residential /24s are shared by ~30 households of the same ISP pool.
    const homeRange = campus ?? `98.${(home >> 13) & 255}.${(home >> 5) & 255}`;
    const people: Person[] = [];
    for (let member = 0; member < size; member += 1) {
      this.#accounts += 1;
      const accountId = `a${this.#accounts}`;
      const person: Person = {
        accountId,
        card: familyCard && chance(0.7) ? familyCard : `card-${accountId}`,
        address: campus ? `us|48109|dorm ${this.#accounts % 900}` : address,
        phone: familyTablet && chance(0.5) ? familyTablet : `phone-${accountId}`,
        homeIp: `${homeRange}.${int(2, 250)}`,
      };
      people.push(person);
      this.#own(`card:${person.card}`);
      this.#own(`address:${person.address}`);
      this.#own(`device:${person.phone}`);
      this.#own(`range:${homeRange}`);
    }
    return people;
  }

  /** Honest refunds: own devices, home or mobile networks, sometimes a new phone, boilerplate forms. */
  #honestRefunds(person: Person, returnRate = this.size.honestReturnRate): void {
    const { int, chance, pick } = this.#draw;
    const count = chance(0.88) ? 1 : int(2, 3);
    const firstAgent = agentFor(person);
    for (let index = 0; index < count; index += 1) {
      const at = this.#day();
      let contact: ContactFacts | undefined;
      if (chance(0.6)) {
        const newPhone = chance(0.04);
        const mobile = chance(0.35);
        contact = {
          originKey: `device:${newPhone ? `newphone-${person.accountId}-${index}` : person.phone}`,
          ip: mobile ? `${pick(MOBILE_RANGES)}.${int(1, 30)}` : person.homeIp,
          agentId: index === 0 || chance(0.7) ? firstAgent : pick(AGENTS),
          deviceKnown: !newPhone,
          ipRangeKnown: !mobile,
          scriptFamily: chance(0.08) ? pick(BOILERPLATE_SCRIPTS) : undefined,
        };
      }
      const refundId = this.#refundOf(person, at, contact);
      if (chance(returnRate)) this.#returnOf(person, refundId, at);
    }
  }

  /** A refund-service gang: refunders with their devices and networks, scripts, sometimes FTID. */
  #plantGang(gang: number): void {
    const { random, int, chance, pick } = this.#draw;
    const clients = Math.round(5 * 24 ** random()); // 5 … 120, most small
    // A refunder works many clients (a dozen or more in a campaign): a gang of five clients does not
    // run four refunders, each with its own devices and networks, sharing nothing with the others.
    const crews = Math.min(4, Math.max(1, Math.round(clients / int(8, 20))));
    const refunders: Refunder[] = Array.from({ length: crews }, (_, index) => ({
      devices: Array.from({ length: int(1, 3) }, (_, device) => `rf-${gang}-${index}-${device}`),
      ranges: Array.from({ length: int(1, 2) }, () => pick(HOSTING_RANGES)),
      caller: chance(0.4) ? `+1555${String(gang * 10 + index).padStart(7, '0')}` : undefined,
      antidetect: chance(0.2),
    }));
    const scripts = Array.from({ length: int(1, 3) }, (_, index) => `gang-${gang}-script-${index}`);
    const ftid = chance(0.25)
      ? {
          drops: Array.from({ length: int(1, 3) }, () => `D${int(10_000, 99_999)}`),
          prefix: `9X${int(100_000, 999_999)}`,
        }
      : undefined;
    const start = int(0, WINDOW_DAYS - 60);
    this.gangProfiles.set(
      gang,
      `${refunders.length} refunder(s): ${refunders
        .map(
          (refunder) =>
            `${refunder.antidetect ? 'anti-detect' : `${refunder.devices.length} device(s)`}${refunder.caller ? '+caller' : ''} on ${refunder.ranges.join('/')}`,
        )
        .join('; ')}${ftid ? '; FTID' : ''}`,
    );
    let planted = 0;
    while (planted < clients) {
      // Clients come with their households (whose other members stay honest).
      const people = this.#household(chance(0.6) ? 1 : int(2, 3));
      const client = people[0] as Person;
      for (const relative of people.slice(1)) this.#honestRefunds(relative);
      this.gangOf.set(client.accountId, gang);
      planted += 1;
      const jobs = chance(0.7) ? 1 : int(2, 3);
      for (let job = 0; job < jobs; job += 1) {
        const refunder = pick(refunders);
        const at = this.#day(start, Math.min(WINDOW_DAYS - 1, start + 50));
        const phone = refunder.caller !== undefined && chance(0.35);
        const origin = phone
          ? `caller:${refunder.caller}`
          : `device:${refunder.antidetect && chance(0.7) ? `fresh-${gang}-${planted}-${job}` : pick(refunder.devices)}`;
        const contact = {
          originKey: origin,
          ip: phone ? undefined : `${pick(refunder.ranges)}.${int(2, 250)}`,
          agentId: pick(AGENTS),
          deviceKnown: false,
          ipRangeKnown: false,
          scriptFamily: chance(0.6) ? pick(scripts) : undefined,
        };
        const refundId = this.#refundOf(client, at, contact);
        const left = this.#tracesOf.get(client.accountId) ?? [];
        this.#tracesOf.set(client.accountId, left);
        if (!origin.startsWith('device:fresh-')) left.push(origin);
        if (contact.ip) left.push(`range:${contact.ip.split('.').slice(0, 3).join('.')}`);
        if (contact.scriptFamily) left.push(`script:${contact.scriptFamily}`);
        if (ftid && chance(0.6)) {
          left.push(`ftid:${gang}`);
          this.#returnOf(client, refundId, at, { drop: pick(ftid.drops), prefix: ftid.prefix });
        }
      }
    }
  }
}
