// Identity variants: the small changes a banned person makes to their name, e-mail address and
// postal address when opening a new account.
import { EMAIL_DOMAINS, type EmailRegistry } from './emails.ts';
import type { MarketplaceCode, PostalAddress } from './geography.ts';
import type { Person } from './people.ts';
import type { Random } from './random.ts';

const NICKNAMES: Record<string, readonly string[]> = {
  John: ['Jon', 'Johnny', 'J.'],
  Jon: ['John'],
  Michael: ['Mike', 'Micheal', 'Mick'],
  Christopher: ['Chris', 'Kristopher'],
  Catherine: ['Katherine', 'Kathy', 'Cathy'],
  Katherine: ['Catherine', 'Kate', 'Kathryn'],
  Steven: ['Stephen', 'Steve'],
  Stephen: ['Steven', 'Steve'],
  Jennifer: ['Jen', 'Jenny'],
  Elizabeth: ['Liz', 'Beth', 'Elisabeth'],
  William: ['Will', 'Bill', 'Liam'],
  Robert: ['Rob', 'Bob', 'Bobby'],
  Daniel: ['Dan', 'Danny'],
  Matthew: ['Matt'],
  Alexander: ['Alex'],
  Alexandre: ['Alex'],
  Nicholas: ['Nick'],
  Nicolas: ['Nico'],
  Thomas: ['Tom', 'Tommy'],
  Samantha: ['Sam'],
  Jessica: ['Jess'],
  Andreas: ['Andy', 'Andi'],
  Katharina: ['Kathi', 'Katarina'],
  Maximilian: ['Max'],
  Sebastian: ['Basti'],
  Mathieu: ['Matthieu', 'Math'],
  Stéphanie: ['Stephanie', 'Steph'],
  Sébastien: ['Sebastien', 'Seb'],
  Mohammed: ['Mohamed', 'Muhammad'],
  Mehmet: ['Memet'],
};

function typo(random: Random, word: string): string {
  if (word.length < 4) return word;
  const position = random.int(1, word.length - 2);
  const kind = random.int(0, 2);
  if (kind === 0)
    return word.slice(0, position) + word[position + 1] + word[position] + word.slice(position + 2);
  if (kind === 1) return word.slice(0, position) + word.slice(position + 1);
  return word.slice(0, position) + word[position] + word.slice(position);
}

/** A spelling variant of a name, as typed again by the same person. */
export function nameVariant(random: Random, person: Person): string {
  const first = person.firstName;
  const last = person.lastName;
  const options: (() => string)[] = [
    () => `${random.pick(NICKNAMES[first] ?? [`${first.slice(0, 1)}.`])} ${last}`,
    () => `${first} ${typo(random, last)}`,
    () => `${first.slice(0, 1)}. ${last}`,
    () => `${last} ${first}`,
    () =>
      `${first} ${last}`
        .normalize('NFD')
        .replace(/[\u0300-\u036f]/g, '')
        .replace(/ß/g, 'ss'),
    () => `${first} ${random.pick(['A.', 'M.', 'J.', 'R.', 'L.'])} ${last}`,
    () => `${first.toLowerCase()} ${last.toLowerCase()}`,
    () => `${typo(random, first)} ${last}`,
  ];
  const withUmlaut = /[äöüÄÖÜ]/.test(first + last);
  if (withUmlaut && random.chance(0.6)) {
    return `${first} ${last}`
      .replace(/ä/g, 'ae')
      .replace(/ö/g, 'oe')
      .replace(/ü/g, 'ue')
      .replace(/Ü/g, 'Ue')
      .replace(/Ö/g, 'Oe')
      .replace(/Ä/g, 'Ae');
  }
  return random.pick(options)();
}

/** Another e-mail that a person who was banned would pick: dots, +tags, a new domain. */
export function emailVariant(
  random: Random,
  email: string,
  marketplace: MarketplaceCode,
  registry: EmailRegistry,
): string {
  const [local = 'user', domain = 'gmail.com'] = email.split('@');
  const bare = local.replace(/\./g, '');
  const variants: (() => string)[] = [
    () => {
      // Gmail ignores dots: j.ohnsmith@ and johnsmith@ are one mailbox.
      const position = random.int(1, Math.max(1, bare.length - 1));
      return `${bare.slice(0, position)}.${bare.slice(position)}@${domain}`;
    },
    () =>
      `${local}+${random.pick(['shop', 'orders', 'new', 'amz', 'buy', String(random.int(1, 99)), random.base36(3)])}@${domain}`,
    () => `${local}@${random.weighted(EMAIL_DOMAINS[marketplace].filter(([name]) => name !== domain))}`,
    () => `${local}${random.int(1, 99)}@${domain}`,
    () => `${bare}@${random.pick(['proton.me', 'outlook.com', 'gmx.com', 'yahoo.com', 'icloud.com'])}`,
    () => `${local.toUpperCase()}@${domain}`,
  ];
  for (let attempt = 0; attempt < 12; attempt++) {
    const candidate = random.pick(variants)();
    if (registry.claim(candidate)) return candidate;
  }
  const fallback = `${bare}.${random.base36(4)}@${domain}`;
  registry.claim(fallback);
  return fallback;
}

const ABBREVIATIONS: readonly (readonly [RegExp, string])[] = [
  [/\bStreet\b/, 'St'],
  [/\bSt\b/, 'Street'],
  [/\bAvenue\b/, 'Ave'],
  [/\bAve\b/, 'Avenue'],
  [/\bRoad\b/, 'Rd'],
  [/\bRd\b/, 'Road'],
  [/\bLane\b/, 'Ln'],
  [/\bLn\b/, 'Lane'],
  [/\bDrive\b/, 'Dr'],
  [/\bDr\b/, 'Drive'],
  [/\bBoulevard\b/, 'Blvd'],
  [/\bBlvd\b/, 'Boulevard'],
  [/straße\b/, 'str.'],
  [/Straße\b/, 'Str.'],
  [/\brue\b/, 'r.'],
  [/\bavenue\b/, 'av.'],
  [/\bboulevard\b/, 'bd'],
];

/** The same postal address, written differently. */
export function addressVariant(random: Random, address: PostalAddress): PostalAddress {
  const variant: PostalAddress = { ...address };
  const changes: (() => void)[] = [
    () => {
      for (const [pattern, replacement] of ABBREVIATIONS) {
        if (pattern.test(variant.line1)) {
          variant.line1 = variant.line1.replace(pattern, replacement);
          return;
        }
      }
      variant.line1 = variant.line1.toUpperCase();
    },
    () => {
      variant.line2 = random.pick(['Apt 2', 'Unit B', '#3', 'Flat 1', 'c/o home', 'Bât. A', '2. OG']);
    },
    () => {
      variant.line1 = variant.line1.toLowerCase();
    },
    () => {
      variant.line1 = typo(random, variant.line1);
    },
    () => {
      variant.line1 = variant.line1.replace(
        /(\d+)/,
        (digits) => `${digits}${random.pick(['', ' ', '-'])}${random.pick(['A', 'B', '1/2'])}`,
      );
    },
    () => {
      variant.postalCode = variant.postalCode.replace(/\s/g, '').toLowerCase();
    },
  ];
  const count = random.int(1, 2);
  for (let index = 0; index < count; index++) random.pick(changes)();
  return variant;
}
