// `npm run bench:rings`: ring detection at scale. Builds a synthetic link graph of refund-linked
// accounts (1,000,000 accounts and 5,000,000 account–value links by default: households,
// campuses, mobile carriers, help-centre boilerplate, and planted refund-service gangs), then
// detects rings as of the end of the window and prints build and detection time, peak memory
// and how well the planted gangs were recovered.
// First, the near-duplicate script index alone: µs per add and query, bytes per contact.
//   RINGS_ACCOUNTS, RINGS_LINKS, RINGS_GANGS, RINGS_SEED, RINGS_SCRIPTS override the defaults; RINGS_OPTIONS
//   (JSON) overrides detection options; RINGS_VERBOSE=1 lists the gangs not recovered.
// A gang counts as traceable when five or more of its clients are tied to each other by traces
// their refunds left (a refunder's device, caller id or range, a script, an FTID pattern): a
// detector cannot put in one ring clients that share nothing.
import { seededRandom } from '../src/core/rings/communities.ts';
import { detectRings } from '../src/core/rings/detect-rings.ts';
import { type ContactLinkFacts, LinkGraph, type LinkKind } from '../src/core/rings/link-graph.ts';
import type { RingDetectionOptions } from '../src/core/rings/ring-options.ts';
import { ScriptIndex } from '../src/core/text/script-similarity.ts';
import { copyConsoleLog, writeFiguresSection } from './figures-file.ts';

const DAY = 86_400_000;
const T0 = Date.parse('2026-04-01T00:00:00Z');
const WINDOW_DAYS = 180;
const TARGET_ACCOUNTS = Number(process.env.RINGS_ACCOUNTS ?? 1_000_000);
const TARGET_LINKS = Number(process.env.RINGS_LINKS ?? 5_000_000);
const GANGS = Number(process.env.RINGS_GANGS ?? 300);
/** Share of honest refunds with a return shipped (tunes the links per account). */
const HONEST_RETURN_RATE = Number(process.env.RINGS_RETURN_RATE ?? 0.1);
const SEED = Number(process.env.RINGS_SEED ?? 7);

let random = seededRandom(SEED);
const int = (min: number, max: number) => min + Math.floor(random() * (max - min + 1));
const chance = (p: number) => random() < p;
const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
const day = (from = 0, to = WINDOW_DAYS - 1) => T0 + int(from, to) * DAY + int(0, DAY - 1);

let peakRss = 0;
const sampleMemory = () => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
};

const links = new LinkGraph();
/** Accounts that use a value themselves (the risk state's `usersOf`), for commonness. */
const ownUsers = new Map<string, number>();
const own = (key: string, count = 1) => ownUsers.set(key, (ownUsers.get(key) ?? 0) + count);
/** Planted truth: account → gang, and how each gang worked. */
const gangOf = new Map<string, number>();
const gangProfiles = new Map<number, string>();
/**
 * What each client's refunds left that another client could share: the refunder's device or
 * caller id (not an anti-detect browser's fresh one), range, script, FTID pattern.
 */
const tracesOf = new Map<string, string[]>();

/** The most clients of the gang tied to each other, directly or not, by shared traces. */
function tiedClients(clients: string[]): number {
  const group = new Map<string, string>(clients.map((client) => [client, client]));
  const find = (client: string): string => {
    let current = client;
    while (group.get(current) !== current) current = group.get(current) as string;
    return current;
  };
  const firstWith = new Map<string, string>();
  for (const client of clients)
    for (const trace of tracesOf.get(client) ?? []) {
      const other = firstWith.get(trace);
      if (other === undefined) firstWith.set(trace, client);
      else group.set(find(client), find(other));
    }
  const sizes = new Map<string, number>();
  for (const client of clients) sizes.set(find(client), (sizes.get(find(client)) ?? 0) + 1);
  return Math.max(0, ...sizes.values());
}

let accounts = 0;
let refunds = 0;
let contacts = 0;

const AGENTS = Array.from({ length: 3000 }, (_, index) => `agent-${index}`);
const MOBILE_RANGES = Array.from({ length: 400 }, (_, index) => `172.${56 + (index % 8)}.${index >> 3}`);
const BOILERPLATE_SCRIPTS = Array.from({ length: 40 }, (_, index) => `form-${index}`);
const HOSTING_RANGES = Array.from({ length: 250 }, (_, index) => `45.${130 + (index % 50)}.${index}`);
for (const range of MOBILE_RANGES) own(`range:${range}`, 5000);
for (const script of BOILERPLATE_SCRIPTS) own(`script:${script}`, 20_000);

interface Person {
  accountId: string;
  card: string;
  address: string;
  phone: string;
  homeIp: string;
}

/** Customers mostly reach the same team: a usual agent per account. */
function agentFor(person: Person): string {
  return AGENTS[
    (person.accountId.length * 7919 + Number(person.accountId.slice(1))) % AGENTS.length
  ] as string;
}

function refundOf(
  person: Person,
  at: number,
  contact: Omit<ContactLinkFacts, 'accountId' | 'contactId' | 'at'> | undefined,
) {
  refunds += 1;
  const refundId = `r${refunds}`;
  const agentId = contact?.agentId ?? agentFor(person);
  let contactFacts: ContactLinkFacts | undefined;
  if (contact) {
    contacts += 1;
    contactFacts = {
      ...contact,
      contactId: `c${contacts}`,
      accountId: person.accountId,
      at: at - int(1, 120) * 60_000,
    };
  }
  links.addRefund(
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
  links.addDecision({
    refundId,
    accountId: person.accountId,
    at: at + DAY,
    outcome: 'approved',
    agentId: decider,
  });
  return refundId;
}

function returnOf(
  person: Person,
  refundId: string,
  at: number,
  elsewhere?: { drop: string; prefix: string },
) {
  const tracking = elsewhere
    ? `${elsewhere.prefix}${String(int(0, 99_999_999)).padStart(8, '0')}`
    : `1Z${String(int(0, 9_999_999)).padStart(7, '0')}RG${String(int(0, 99_999_999)).padStart(8, '0')}`;
  links.addReturnScan({
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
function household(size: number, campus?: string): Person[] {
  const home = accounts;
  const address = `us|${10_000 + (home % 89_999)}|${home} main st`;
  const familyCard = chance(0.4) ? `card-h${home}` : undefined;
  const familyTablet = chance(0.3) ? `tablet-h${home}` : undefined;
  // Residential /24s are shared by ~30 households of the same ISP pool.
  const homeRange = campus ?? `98.${(home >> 13) & 255}.${(home >> 5) & 255}`;
  const people: Person[] = [];
  for (let member = 0; member < size; member += 1) {
    accounts += 1;
    const accountId = `a${accounts}`;
    const person: Person = {
      accountId,
      card: familyCard && chance(0.7) ? familyCard : `card-${accountId}`,
      address: campus ? `us|48109|dorm ${accounts % 900}` : address,
      phone: familyTablet && chance(0.5) ? familyTablet : `phone-${accountId}`,
      homeIp: `${homeRange}.${int(2, 250)}`,
    };
    people.push(person);
    own(`card:${person.card}`);
    own(`address:${person.address}`);
    own(`device:${person.phone}`);
    own(`range:${homeRange}`);
  }
  return people;
}

/** Honest refunds: own devices, home or mobile networks, sometimes a new phone, boilerplate forms. */
function honestRefunds(person: Person, returnRate = HONEST_RETURN_RATE): void {
  const count = chance(0.88) ? 1 : int(2, 3);
  const firstAgent = agentFor(person);
  for (let index = 0; index < count; index += 1) {
    const at = day();
    let contact: Omit<ContactLinkFacts, 'accountId' | 'contactId' | 'at'> | undefined;
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
    const refundId = refundOf(person, at, contact);
    if (chance(returnRate)) returnOf(person, refundId, at);
  }
}

interface Refunder {
  devices: string[];
  ranges: string[];
  caller: string | undefined;
  antidetect: boolean;
}

/** A refund-service gang: refunders with their devices and networks, scripts, sometimes FTID. */
function plantGang(gang: number): void {
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
  gangProfiles.set(
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
    const people = household(chance(0.6) ? 1 : int(2, 3));
    const client = people[0] as Person;
    for (const relative of people.slice(1)) honestRefunds(relative);
    gangOf.set(client.accountId, gang);
    planted += 1;
    const jobs = chance(0.7) ? 1 : int(2, 3);
    for (let job = 0; job < jobs; job += 1) {
      const refunder = pick(refunders);
      const at = day(start, Math.min(WINDOW_DAYS - 1, start + 50));
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
      const refundId = refundOf(client, at, contact);
      const left = tracesOf.get(client.accountId) ?? [];
      tracesOf.set(client.accountId, left);
      if (!origin.startsWith('device:fresh-')) left.push(origin);
      if (contact.ip) left.push(`range:${contact.ip.split('.').slice(0, 3).join('.')}`);
      if (contact.scriptFamily) left.push(`script:${contact.scriptFamily}`);
      if (ftid && chance(0.6)) {
        left.push(`ftid:${gang}`);
        returnOf(client, refundId, at, { drop: pick(ftid.drops), prefix: ftid.prefix });
      }
    }
  }
}

const SCRIPT_CONTACTS = Number(process.env.RINGS_SCRIPTS ?? 100_000);
const ITEMS = [
  'iPad Air',
  'MacBook Pro',
  'PlayStation 5',
  'AirPods Max',
  'Galaxy S24',
  'Dyson V15',
  'Nike Dunk Low',
  'RTX 4080',
  'Switch OLED',
  'Pixel 9',
  'Apple Watch',
  'Canon R6',
  'kettle',
  'blender',
  'sofa cover',
  'running shoes',
  'desk lamp',
  'yoga mat',
  'phone case',
  'coffee grinder',
];
const NAMES = [
  'Jessica',
  'Tom',
  'Priya',
  'Mark',
  'Lucy',
  'Hugo',
  'Léa',
  'Jonas',
  'Anna',
  'Felix',
  'Omar',
  'Mia',
  'Ravi',
  'Sofia',
  'Ben',
];
const HONEST_SENTENCES = [
  'my order {o} has not arrived yet and the tracking has not moved since {d}',
  'the {i} I bought last month stopped working after a few days',
  'I think the courier left my parcel at the wrong house, our street numbers are confusing',
  'I was charged twice for order {o}, once on my card and once on PayPal',
  'the {i} arrived with a scratch on the side and the box was crushed',
  'can I return the {i}, it does not fit the space I measured',
  'I need to change the delivery address for order {o}',
  'the {i} is not the colour shown on the website',
  'one of the two {i} in order {o} is missing, the other one is fine',
  'I would like to cancel order {o} if it has not shipped yet',
  'the app says delivered on {d} but there is nothing at my door',
  'could you send a replacement {i} instead of a refund',
  'my neighbour might have taken the parcel in, I will check tonight',
  'the battery of the {i} lasts only an hour now',
  'I was travelling and only saw the delivery notice today',
  'the instructions for the {i} are missing from the box',
];
/** Pseudo-words standing for the free wording of honest messages. */
const VOCABULARY = Array.from({ length: 3000 }, (_, index) => {
  const syllables = [
    'ka',
    'lo',
    'mi',
    'ne',
    'ru',
    'sa',
    'ti',
    'vo',
    'pe',
    'da',
    'gu',
    'fi',
    'zo',
    'be',
    'chu',
  ];
  let word = '';
  for (let rest = index + 15; rest > 0; rest = Math.floor(rest / 15)) word += syllables[rest % 15];
  return word;
});
const GREETINGS = ['Hi', 'Hello', 'Good morning', 'Hey', 'Hello there', 'Bonjour', 'Hallo', ''];
const CLOSERS = ['Thanks', 'Thank you!', 'Regards', 'Cheers', 'Merci', 'Danke', ''];
const GANG_SENTENCES = [
  'Hello, my name is {n} and I am writing about order {o}',
  'The tracking says the {i} was delivered on {d} but I never received anything',
  'I checked with my neighbours and the building management, nobody saw a delivery',
  'The carrier scan shows the parcel weighed only 0.4 kg, which is impossible for this item',
  'I have already filed a police report, the case number is PR-{o}',
  "If I don't get my refund today I will open a chargeback with my bank",
  'I want this escalated to a supervisor right now',
  'The box arrived empty, only air pillows inside',
  'The tape on the box was different from your normal tape, someone opened it before me',
  'I have photos of the empty box and of the label if you need them',
  'I am not waiting for an investigation, I want my money back now',
  'My return for order {o} was delivered on {d} according to tracking, where is my refund',
];

function fillSlots(template: string): string {
  return template
    .replace('{o}', `ord-${int(1000, 9999)}-${int(1_000_000, 9_999_999)}`)
    .replace('{d}', `Oct ${int(1, 28)}`)
    .replace('{i}', pick(ITEMS))
    .replace('{n}', `${pick(NAMES)} ${pick(NAMES)}son`);
}

/** The script index alone: honest, varied messages and a few hundred gangs' templated scripts. */
function benchScriptIndex(): void {
  // Its own stream, so that the graph below is the same whatever the size of this corpus.
  const graphStream = random;
  random = seededRandom(SEED ^ 0x5c1e7);
  const gangScripts = Array.from({ length: 300 }, () =>
    Array.from({ length: int(3, 6) }, () => int(0, GANG_SENTENCES.length - 1)).filter(
      (sentence, index, all) => all.indexOf(sentence) === index,
    ),
  );
  const contacts = Array.from({ length: SCRIPT_CONTACTS }, (_, index) => {
    const gang = chance(0.05) ? pick(gangScripts) : undefined;
    // Honest customers use common phrases but mostly write their own words; gangs fill a template.
    const sentences = gang
      ? gang.filter(() => chance(0.85)).map((sentence) => fillSlots(GANG_SENTENCES[sentence] as string))
      : [
          ...Array.from({ length: int(0, 2) }, () => fillSlots(pick(HONEST_SENTENCES))),
          ...Array.from({ length: int(1, 2) }, () =>
            Array.from({ length: int(5, 14) }, () => pick(VOCABULARY)).join(' '),
          ),
        ];
    const text = [pick(GREETINGS), ...sentences, pick(CLOSERS)].filter(Boolean).join('. ');
    return { contactId: `sc-${index}`, accountId: `sa-${index}`, at: T0 + index * 60_000, text };
  });
  random = graphStream;
  const gc = (globalThis as { gc?: () => void }).gc;
  // Best of three passes on fresh indexes: other work on a shared machine only ever slows a pass.
  let addMicros = Number.POSITIVE_INFINITY;
  let queryMicros = Number.POSITIVE_INFINITY;
  let indexed = 0;
  let bytesPerContact = 0;
  let withCopies = 0;
  let boilerplate = 0;
  for (let pass = 0; pass < 3; pass += 1) {
    gc?.();
    const heapBefore = process.memoryUsage().heapUsed;
    const index = new ScriptIndex();
    let started = performance.now();
    indexed = 0;
    for (const contact of contacts) if (index.add(contact).indexed) indexed += 1;
    addMicros = Math.min(addMicros, ((performance.now() - started) * 1000) / contacts.length);
    gc?.();
    bytesPerContact = (process.memoryUsage().heapUsed - heapBefore) / indexed;
    started = performance.now();
    withCopies = 0;
    boilerplate = 0;
    for (const contact of contacts) {
      const match = index.nearDuplicates(contact.contactId, contact.at - 30 * DAY, contact.at);
      if (match.accounts > 0) withCopies += 1;
      if (match.boilerplate) boilerplate += 1;
    }
    queryMicros = Math.min(queryMicros, ((performance.now() - started) * 1000) / contacts.length);
  }
  console.log('Script index (near-duplicate scripts)');
  console.log(
    `  contacts / indexed (long enough)     ${contacts.length.toLocaleString('en')} / ${indexed.toLocaleString('en')}`,
  );
  console.log(`  add (best of 3 passes)               ${addMicros.toFixed(1)} µs per contact`);
  console.log(`  query (other accounts, 30 days)      ${queryMicros.toFixed(1)} µs per contact`);
  console.log(
    `  with near-duplicates / boilerplate   ${withCopies.toLocaleString('en')} / ${boilerplate.toLocaleString('en')}`,
  );
  if (gc)
    console.log(
      `  memory                               ${Math.round(bytesPerContact)} bytes per indexed contact`,
    );
  console.log('');
}

function mb(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(0)} MB`;
}

function main(): void {
  const printed = copyConsoleLog();
  console.log(
    `Ring detection bench — node ${process.version}; target ${TARGET_ACCOUNTS.toLocaleString('en')} accounts, ` +
      `${TARGET_LINKS.toLocaleString('en')} links, ${GANGS} planted gangs, seed ${SEED}\n`,
  );
  if (SCRIPT_CONTACTS > 0) benchScriptIndex();
  const buildStarted = performance.now();
  // Campuses first (a few hundred students on one range each), then gangs spread through the honest crowd.
  for (let campus = 0; campus < 25; campus += 1) {
    const range = `141.${20 + campus}.33`;
    own(`range:${range}`, 2000);
    for (let student = 0; student < 400; student += 1)
      for (const person of household(1, range)) honestRefunds(person);
  }
  const gangEvery = Math.floor(TARGET_ACCOUNTS / (GANGS + 1));
  let nextGang = 0;
  while (accounts < TARGET_ACCOUNTS) {
    if (nextGang < GANGS && accounts >= (nextGang + 1) * gangEvery) {
      plantGang(nextGang);
      nextGang += 1;
      continue;
    }
    const roll = random();
    const size = roll < 0.5 ? 1 : roll < 0.75 ? 2 : roll < 0.88 ? 3 : roll < 0.96 ? 4 : 5;
    for (const person of household(Math.min(size, TARGET_ACCOUNTS - accounts))) honestRefunds(person);
    // Extra honest activity (second refunds, returns) until the link budget is met.
    if (links.stats.links < (TARGET_LINKS * accounts) / TARGET_ACCOUNTS - 50_000 && chance(0.5)) {
      const person = household(1)[0] as Person;
      honestRefunds(person);
      honestRefunds(person);
    }
    if (accounts % 100_000 < 5) sampleMemory();
  }
  while (nextGang < GANGS) plantGang(nextGang++);
  const buildSeconds = (performance.now() - buildStarted) / 1000;
  sampleMemory();
  const stats = links.stats;
  console.log('Graph');
  console.log(`  accounts (refund-linked)             ${stats.accounts.toLocaleString('en')}`);
  console.log(`  account–value links                  ${stats.links.toLocaleString('en')}`);
  const byKind = Object.entries(stats.linksByKind).filter(([, count]) => count > 0);
  console.log(
    `    by kind: ${byKind.map(([kind, count]) => `${kind} ${count.toLocaleString('en')}`).join(', ')}`,
  );
  console.log(
    `  graphology nodes / edges             ${links.graph.order.toLocaleString('en')} / ${links.graph.size.toLocaleString('en')}`,
  );
  console.log(`  values on one account (waiting)      ${stats.waitingValues.toLocaleString('en')}`);
  console.log(
    `  refunds / contacts                   ${refunds.toLocaleString('en')} / ${contacts.toLocaleString('en')}`,
  );
  console.log(`  build time                           ${buildSeconds.toFixed(1)} s`);
  console.log(`  RSS after build                      ${mb(process.memoryUsage().rss)}`);

  const asOf = T0 + WINDOW_DAYS * DAY;
  const timer = setInterval(sampleMemory, 200);
  const detectStarted = performance.now();
  const detection = detectRings(links, asOf, {
    valueUsers: (kind: LinkKind, value: string) => ownUsers.get(`${kind}:${value}`),
    clock: () => performance.now(),
    ...(JSON.parse(process.env.RINGS_OPTIONS ?? '{}') as Partial<RingDetectionOptions>),
  });
  const detectSeconds = (performance.now() - detectStarted) / 1000;
  clearInterval(timer);
  sampleMemory();
  const { millis } = detection.stats;
  console.log('\nDetection');
  console.log(
    `  accounts in window                   ${detection.stats.accountsInWindow.toLocaleString('en')}`,
  );
  console.log(
    `  shared values read / too common      ${detection.stats.valuesRead.toLocaleString('en')} / ${detection.stats.valuesTooCommon.toLocaleString('en')}`,
  );
  console.log(
    `  account pairs / kept                 ${detection.stats.pairs.toLocaleString('en')} / ${detection.stats.pairsKept.toLocaleString('en')}`,
  );
  console.log(
    `  candidate accounts / components      ${detection.stats.candidateAccounts.toLocaleString('en')} / ${detection.stats.candidateComponents.toLocaleString('en')}`,
  );
  console.log(
    `  communities / rings                  ${detection.stats.communities.toLocaleString('en')} / ${detection.rings.length}`,
  );
  console.log(
    `  time: pairs ${(millis.pairs / 1000).toFixed(1)} s, components ${(millis.components / 1000).toFixed(1)} s, ` +
      `louvain ${(millis.louvain / 1000).toFixed(1)} s, scoring ${(millis.scoring / 1000).toFixed(1)} s`,
  );
  console.log(`  detection time                       ${detectSeconds.toFixed(1)} s`);
  console.log(`  peak RSS (sampled)                   ${mb(peakRss)}`);

  // Recovery of the planted gangs.
  const members = new Map<number, string[]>();
  for (const [accountId, gang] of gangOf) members.set(gang, [...(members.get(gang) ?? []), accountId]);
  let eligible = 0;
  let recovered = 0;
  let traceable = 0;
  let traceableRecovered = 0;
  const purities: number[] = [];
  const coverages: number[] = [];
  for (const [gang, clients] of members) {
    if (clients.length < 5) continue;
    eligible += 1;
    const set = new Set(clients);
    let best = { overlap: 0, size: 1 };
    for (const ring of detection.rings) {
      const overlap = ring.accountIds.filter((id) => set.has(id)).length;
      if (overlap > best.overlap) best = { overlap, size: ring.accountIds.length };
    }
    const purity = best.overlap / best.size;
    const coverage = best.overlap / clients.length;
    purities.push(purity);
    coverages.push(coverage);
    const tied = tiedClients(clients);
    const found = purity >= 0.9 && best.overlap >= 5;
    if (tied >= 5) traceable += 1;
    if (found) recovered += 1;
    if (found && tied >= 5) traceableRecovered += 1;
    if (!found && process.env.RINGS_VERBOSE)
      console.log(
        `  missed gang ${gang}: ${clients.length} clients (${tied} tied by shared traces), best ring ${best.overlap}/${best.size}; ${gangProfiles.get(gang)}`,
      );
  }
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
  const honestInRings = detection.rings.reduce(
    (sum, ring) => sum + ring.accountIds.filter((id) => !gangOf.has(id)).length,
    0,
  );
  const ringMembers = detection.rings.reduce((sum, ring) => sum + ring.accountIds.length, 0);
  const falseRings = detection.rings.filter(
    (ring) => ring.accountIds.filter((id) => gangOf.has(id)).length * 2 < ring.accountIds.length,
  ).length;
  console.log('\nRecovery of planted gangs');
  console.log(`  gangs with >= 5 clients              ${eligible}`);
  console.log(
    `  recovered (a ring >= 90 % pure, >= 5 of its clients)  ${recovered} (${((100 * recovered) / Math.max(1, eligible)).toFixed(1)} %)`,
  );
  console.log(
    `  gangs whose >= 5 clients are tied by shared traces  ${traceable}, recovered ${traceableRecovered}`,
  );
  console.log(
    `  best ring purity: min / median       ${Math.min(...purities).toFixed(2)} / ${median(purities).toFixed(2)}`,
  );
  console.log(`  best ring coverage of the gang: median  ${median(coverages).toFixed(2)}`);
  console.log(`  rings mostly of honest accounts      ${falseRings}`);
  console.log(`  honest accounts in rings             ${honestInRings} of ${ringMembers} members`);
  writeFiguresSection('rings', 'npm run bench:rings', printed.lines());
}

main();
