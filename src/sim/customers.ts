// Customers and households: identities, devices, cards, home networks (shared family
// lines, campus NAT, mobile CGNAT, VPNs, Private Relay), trips and account events.

import type { PayloadOf } from '../core/events.ts';
import type { WorldContext } from './context.ts';
import { makeEmail } from './emails.ts';
import {
  type City,
  type Language,
  MARKETPLACE_INFO,
  MARKETPLACE_TABLE,
  type MarketplaceCode,
  makeAddress,
  type PostalAddress,
  pickCity,
  pickLanguage,
} from './geography.ts';
import { DAY, HOUR, MINUTE } from './kernel.ts';
import {
  type Campus,
  type Device,
  type DeviceKind,
  makeDevice,
  mobileIp,
  officeIp,
  privateRelayIp,
  renewedIp,
  residentialIp,
  vpnIp,
} from './network.ts';
import { fullName, makePerson, nameStyleFor, type Person, relative } from './people.ts';
import { formatPhone, makePhone, type Phone } from './phones.ts';
import { Random } from './random.ts';

export type Connection = 'home' | 'student' | 'mobile';

/** Languages a marketplace's support does not expect, that some of its customers write in. */
const FOREIGN_LANGUAGES: Record<MarketplaceCode, readonly Language[]> = {
  US: ['fr', 'de'],
  CA: ['de'],
  UK: ['fr', 'de'],
  DE: ['en', 'fr'],
  FR: ['en', 'de'],
};
export type AccountLabel = 'legit' | 'fraud' | 'ban_evasion';

export interface Customer {
  accountId: string;
  marketplace: MarketplaceCode;
  currency: string;
  city: City;
  tz: number;
  language: Language;
  person: Person;
  /** The name as registered (ban evaders write it differently). */
  name: string;
  email: string;
  phone?: Phone;
  phoneStyle: number;
  address: PostalAddress;
  altAddress?: PostalAddress;
  devices: Device[];
  cards: string[];
  homeIp: string;
  /** When the home line got a new address, and that address. */
  homeIpChange?: { at: number; ip: string };
  connection: Connection;
  campus?: Campus;
  vpnUser: boolean;
  relayUser: boolean;
  createdAt: number;
  /** Relative shopping activity (1 = average). */
  activity: number;
  trip?: { from: number; to: number; country: MarketplaceCode };
  bracketer: boolean;
  /** Contacts support at night, hours they are otherwise never active. */
  nightOwl: boolean;
  sloppiness: number;
  temper: number;
  /** Refund requests made so far (agents see the account history). */
  refunds: number;
  label: AccountLabel;
  gangId?: string;
}

export interface Household {
  marketplace: MarketplaceCode;
  city: City;
  address: PostalAddress;
  homeIp: string;
  connection: Connection;
  campus?: Campus;
  sharedDevice?: Device;
  sharedCard?: string;
  surnameSource: Person;
  language: Language;
}

export function makeHousehold(
  ctx: WorldContext,
  random: Random,
  marketplace: MarketplaceCode | null,
  size: number,
): Household {
  const market = marketplace ?? MARKETPLACE_TABLE.pick(random);
  const roll = random.next();
  const { honest } = ctx;
  const connection: Connection =
    size === 1 && roll < honest.studentShare
      ? 'student'
      : roll > 1 - honest.mobileOnlyShare
        ? 'mobile'
        : 'home';
  let campus: Campus | undefined;
  let city = pickCity(random, market);
  let address = makeAddress(random, market, city);
  if (connection === 'student') {
    const local = ctx.campuses.filter((candidate) => candidate.country === market);
    if (local.length > 0) {
      // Dorms: many students at one street address, told apart by room numbers.
      campus = random.pick(local);
      const dorm = campusAddress(ctx, campus);
      city = MARKETPLACE_INFO[market].cities.find((candidate) => candidate.name === dorm.city) ?? city;
      address = {
        ...dorm,
        line2: `${random.pick(['Room', 'Rm', 'Unit', 'Zimmer', 'Chambre'])} ${random.int(100, 899)}`,
      };
    }
  }
  const language = pickLanguage(random, market, city);
  const household: Household = {
    marketplace: market,
    city,
    address,
    homeIp: connection === 'mobile' ? mobileIp(random, market) : residentialIp(random, market),
    connection,
    surnameSource: makePerson(random, nameStyleFor(market, language)),
    language,
  };
  if (campus) household.campus = campus;
  if (size > 1 && random.chance(honest.householdSharedDevice))
    household.sharedDevice = makeDevice(random, ctx.ids.device(), random.chance(0.6) ? 'tablet' : 'laptop');
  if (size > 1 && random.chance(honest.householdSharedCard)) household.sharedCard = ctx.ids.card();
  return household;
}

/** The one street address of a campus's dormitories, the same for every student. */
function campusAddress(ctx: WorldContext, campus: Campus): PostalAddress {
  const known = ctx.campusAddresses.get(campus.name);
  if (known) return known;
  const random = new Random(`${ctx.options.seed}/campus/${campus.name}`);
  const city = pickCity(random, campus.country);
  const address = { ...makeAddress(random, campus.country, city), line1: campus.dormLine1 };
  delete address.line2;
  ctx.campusAddresses.set(campus.name, address);
  return address;
}

export interface CustomerSeed {
  household: Household;
  member: number;
  createdAt: number;
  label: AccountLabel;
  gangId?: string;
}

export function makeCustomer(ctx: WorldContext, random: Random, seed: CustomerSeed): Customer {
  const { household } = seed;
  const market = household.marketplace;
  const { honest } = ctx;
  let language =
    seed.member === 0 || random.chance(0.9)
      ? household.language
      : pickLanguage(random, market, household.city);
  // Someone who writes to support in a language that is not one of the marketplace's.
  if (honest.foreignLanguageShare > 0 && random.chance(honest.foreignLanguageShare))
    language = random.pick(FOREIGN_LANGUAGES[market]);
  const person = seed.member === 0 ? household.surnameSource : relative(random, household.surnameSource);
  const deviceCount = random.weighted([
    [1, 45],
    [2, 40],
    [3, 15],
  ] as const);
  const kinds: DeviceKind[] = ['phone', random.chance(0.7) ? 'laptop' : 'desktop', 'tablet'];
  const devices: Device[] = [];
  for (let index = 0; index < deviceCount; index++)
    devices.push(makeDevice(random, ctx.ids.device(), kinds[index]!));
  if (household.sharedDevice) devices.push(household.sharedDevice);
  const cards = [household.sharedCard && random.chance(0.6) ? household.sharedCard : ctx.ids.card()];
  if (random.chance(0.35)) cards.push(ctx.ids.card());
  const customer: Customer = {
    accountId: ctx.ids.account(),
    marketplace: market,
    currency: MARKETPLACE_INFO[market].currency,
    city: household.city,
    tz: household.city.tz,
    language,
    person,
    name: fullName(person),
    email: makeEmail(random, person, market, ctx.emails),
    phoneStyle: random.int(0, 5),
    address: household.address,
    devices,
    cards,
    homeIp: household.homeIp,
    connection: household.connection,
    vpnUser: random.chance(honest.vpnUserShare),
    relayUser: random.chance(honest.privateRelayShare),
    createdAt: seed.createdAt,
    activity: random.gamma(1.1, 1 / 1.1),
    bracketer: random.chance(honest.bracketerShare),
    nightOwl: honest.nightOwlShare > 0 && random.chance(honest.nightOwlShare),
    sloppiness: random.float(0, 0.6),
    temper: random.chance(honest.angryShare) ? random.float(0.4, 0.9) : random.float(0, 0.15),
    refunds: 0,
    label: seed.label,
  };
  if (seed.gangId) customer.gangId = seed.gangId;
  if (household.campus) customer.campus = household.campus;
  if (random.chance(honest.phoneOnFileRate)) customer.phone = makePhone(random, market, household.city);
  if (random.chance(0.07)) customer.altAddress = makeAddress(random, market, pickCity(random, market));
  if (household.connection === 'home' && random.chance(0.15)) {
    customer.homeIpChange = {
      at: ctx.startMs + random.float(0, ctx.days) * DAY,
      ip: renewedIp(random, household.homeIp),
    };
  }
  if (random.chance(0.04)) {
    const from = ctx.startMs + random.float(0, ctx.days - 3) * DAY;
    const abroad = (['US', 'CA', 'UK', 'DE', 'FR'] as const).filter((code) => code !== market);
    customer.trip = { from, to: from + random.int(3, 14) * DAY, country: random.pick(abroad) };
  }
  return customer;
}

/** Whether `at` falls on the customer's trip abroad. */
export function travelling(customer: Customer, at: number): boolean {
  return customer.trip !== undefined && at >= customer.trip.from && at < customer.trip.to;
}

function homeIpAt(customer: Customer, at: number): string {
  return customer.homeIpChange && at >= customer.homeIpChange.at ? customer.homeIpChange.ip : customer.homeIp;
}

export interface Session {
  device: Device;
  ip: string;
  /** A phone call from a number that is not the customer's own (a spouse's phone, the work line). */
  otherNumber?: boolean;
}

/** Which of their devices a customer uses at `at`, and from which network. */
export function customerSession(random: Random, customer: Customer, at: number, device?: Device): Session {
  const chosen = device ?? (random.chance(0.62) ? customer.devices[0]! : random.pick(customer.devices));
  return { device: chosen, ip: customerIp(random, customer, at, chosen) };
}

export function customerIp(random: Random, customer: Customer, at: number, device: Device): string {
  if (travelling(customer, at)) {
    const trip = customer.trip!;
    const roll = random.next();
    if (roll < 0.35) return mobileIp(random, customer.marketplace); // roaming keeps the home carrier's address
    if (roll < 0.85) return residentialIp(random, trip.country); // hotel or friends' Wi-Fi
    return vpnIp(random);
  }
  if (customer.vpnUser && random.chance(0.75)) return vpnIp(random);
  if (device.apple && device.kind === 'phone' && customer.relayUser && random.chance(0.5))
    return privateRelayIp(random);
  switch (customer.connection) {
    case 'student':
      return customer.campus && random.chance(0.8)
        ? random.pick(customer.campus.addresses)
        : mobileIp(random, customer.marketplace);
    case 'mobile':
      return random.chance(0.2) ? homeIpAt(customer, at) : mobileIp(random, customer.marketplace);
    case 'home': {
      const roll = random.next();
      if (device.kind === 'phone')
        return roll < 0.6 ? homeIpAt(customer, at) : mobileIp(random, customer.marketplace);
      if (device.kind === 'laptop' && roll > 0.88) return officeIp(random, customer.marketplace);
      return homeIpAt(customer, at);
    }
  }
}

/** `account.created` for a customer, at their creation moment. */
export function emitAccountCreated(ctx: WorldContext, random: Random, customer: Customer): void {
  const device = customer.devices[0]!;
  const data: PayloadOf<'account.created'> = {
    accountId: customer.accountId,
    email: customer.email,
    name: customer.name,
    marketplace: customer.marketplace,
  };
  if (customer.phone && random.chance(0.8)) data.phone = formatPhone(customer.phone, customer.phoneStyle);
  if (random.chance(0.75)) data.address = customer.address;
  // Old accounts were opened on a device and line we no longer know.
  const recent = customer.createdAt > ctx.startMs - 120 * DAY;
  if (recent || random.chance(0.3)) {
    data.deviceId = device.id;
    data.ip = recent
      ? customerIp(random, customer, customer.createdAt, device)
      : residentialIp(random, customer.marketplace);
  }
  ctx.sink.emit('account.created', customer.createdAt, data);
}

export function emitLogin(
  ctx: WorldContext,
  random: Random,
  customer: Customer,
  at: number,
  session: Session,
): void {
  const data: PayloadOf<'account.login'> = {
    accountId: customer.accountId,
    deviceId: session.device.id,
    ip: session.ip,
  };
  if (random.chance(0.92)) data.userAgent = session.device.userAgent;
  if (random.chance(0.03)) data.sessionId = `s-${random.hex(16)}`;
  ctx.sink.emit('account.login', at, data);
}

/** Creation moment of an ordinary account: mostly years before the window, some during it. */
export function accountCreation(random: Random, startMs: number, days: number, newShare = 0.07): number {
  if (random.chance(newShare)) return startMs + random.float(0, days - 1) * DAY;
  let yearsBefore = random.exponential(3.2) + 0.02;
  if (yearsBefore > 12) yearsBefore = random.float(6, 12);
  return Math.floor(
    startMs - yearsBefore * 365 * DAY - random.float(0, 23) * HOUR - random.int(0, 59) * MINUTE,
  );
}
