// People: names, e-mail addresses and phone numbers, and the small changes a banned
// person makes to them when opening a new account.
import type { City, MarketplaceCode, PostalAddress } from './geography.ts';
import type { Random } from './random.ts';

type NameStyle = 'en' | 'uk' | 'fr' | 'de' | 'es';

const FIRST_NAMES: Record<NameStyle, readonly string[]> = {
  en: [
    'James',
    'Mary',
    'Michael',
    'Jennifer',
    'David',
    'Linda',
    'John',
    'Elizabeth',
    'Robert',
    'Sarah',
    'William',
    'Jessica',
    'Daniel',
    'Ashley',
    'Matthew',
    'Emily',
    'Christopher',
    'Amanda',
    'Joshua',
    'Megan',
    'Andrew',
    'Lauren',
    'Ryan',
    'Rachel',
    'Brandon',
    'Nicole',
    'Tyler',
    'Samantha',
    'Kevin',
    'Brittany',
    'Jason',
    'Stephanie',
    'Justin',
    'Heather',
    'Eric',
    'Danielle',
    'Aaron',
    'Kayla',
    'Jordan',
    'Taylor',
    'Dana',
    'Marcus',
    'Jamal',
    'Aaliyah',
    'Wei',
    'Priya',
    'Raj',
    'Mei',
    'Connor',
    'Olivia',
    'Ethan',
    'Madison',
    'Noah',
    'Chloe',
    'Logan',
    'Hannah',
    'Catherine',
    'Katherine',
    'Steven',
    'Stephen',
    'Jon',
    'Alex',
    'Chris',
    'Sam',
    'Kim',
    'Tiffany',
    'Derek',
  ],
  uk: [
    'Oliver',
    'Amelia',
    'George',
    'Isla',
    'Harry',
    'Ava',
    'Jack',
    'Emily',
    'Charlie',
    'Sophie',
    'Thomas',
    'Grace',
    'Jacob',
    'Lily',
    'Alfie',
    'Freya',
    'Callum',
    'Ellie',
    'Liam',
    'Chloe',
    'Rhys',
    'Megan',
    'Connor',
    'Holly',
    'Mohammed',
    'Aisha',
    'Harvey',
    'Poppy',
    'Lewis',
    'Niamh',
    'Ewan',
    'Eilidh',
    'Owen',
    'Bethan',
    'Kieran',
    'Zara',
    'Daniel',
    'Laura',
    'Gareth',
    'Siobhan',
    'Sanjay',
    'Priya',
    'Tom',
    'Kate',
    'Ben',
    'Jess',
    'Rob',
    'Claire',
  ],
  fr: [
    'Camille',
    'Léa',
    'Manon',
    'Chloé',
    'Emma',
    'Inès',
    'Sarah',
    'Julie',
    'Marie',
    'Pauline',
    'Lucas',
    'Hugo',
    'Louis',
    'Thomas',
    'Nicolas',
    'Julien',
    'Maxime',
    'Antoine',
    'Alexandre',
    'Mathieu',
    'Théo',
    'Romain',
    'Kevin',
    'Sébastien',
    'Élodie',
    'Aurélie',
    'Nathalie',
    'Isabelle',
    'Sophie',
    'Céline',
    'Mehdi',
    'Yasmine',
    'Karim',
    'Amina',
    'Jean',
    'Pierre',
    'François',
    'Stéphanie',
    'Guillaume',
    'Benoît',
    'Gabriel',
    'Jade',
    'Zoé',
    'Étienne',
  ],
  de: [
    'Lukas',
    'Leon',
    'Finn',
    'Jonas',
    'Paul',
    'Felix',
    'Maximilian',
    'Tim',
    'Jan',
    'Tobias',
    'Sebastian',
    'Florian',
    'Michael',
    'Thomas',
    'Andreas',
    'Stefan',
    'Christian',
    'Markus',
    'Anna',
    'Lena',
    'Laura',
    'Julia',
    'Lea',
    'Sarah',
    'Katharina',
    'Sophie',
    'Hannah',
    'Johanna',
    'Sabine',
    'Petra',
    'Claudia',
    'Jürgen',
    'Uwe',
    'Mehmet',
    'Ayşe',
    'Elif',
    'Emre',
    'Jörg',
    'Björn',
    'Marie',
    'Lisa',
    'Jana',
    'Nina',
    'Sven',
    'Dirk',
    'Katrin',
    'Franziska',
  ],
  es: [
    'José',
    'María',
    'Luis',
    'Carmen',
    'Carlos',
    'Ana',
    'Juan',
    'Sofía',
    'Miguel',
    'Lucía',
    'Jorge',
    'Gabriela',
    'Diego',
    'Valentina',
    'Alejandro',
    'Daniela',
    'Javier',
    'Camila',
    'Andrés',
    'Isabel',
  ],
};

const SURNAMES: Record<NameStyle, readonly string[]> = {
  en: [
    'Smith',
    'Johnson',
    'Williams',
    'Brown',
    'Jones',
    'Miller',
    'Davis',
    'Wilson',
    'Anderson',
    'Taylor',
    'Thomas',
    'Moore',
    'Jackson',
    'Martin',
    'Lee',
    'Thompson',
    'White',
    'Harris',
    'Clark',
    'Lewis',
    'Robinson',
    'Walker',
    'Young',
    'Allen',
    'King',
    'Wright',
    'Scott',
    'Hill',
    'Green',
    'Adams',
    'Baker',
    'Nelson',
    'Carter',
    'Mitchell',
    'Roberts',
    'Turner',
    'Phillips',
    'Campbell',
    'Parker',
    'Evans',
    'Edwards',
    'Collins',
    'Stewart',
    'Morris',
    'Murphy',
    'Cook',
    'Nguyen',
    'Chen',
    'Patel',
    'Kim',
    'Wang',
    'Singh',
    'Whitfield',
    'Sullivan',
    "O'Brien",
    'McDonald',
    'Fitzgerald',
    'Kowalski',
    'Novak',
    'Schneider',
    'Rossi',
    'Bennett',
    'Hughes',
    'Foster',
    'Gallagher',
    'Brooks',
    'Reyes',
  ],
  uk: [
    'Smith',
    'Jones',
    'Williams',
    'Taylor',
    'Davies',
    'Evans',
    'Thomas',
    'Roberts',
    'Johnson',
    'Walker',
    'Wright',
    'Robinson',
    'Thompson',
    'White',
    'Hughes',
    'Edwards',
    'Green',
    'Hall',
    'Wood',
    'Harris',
    'Lewis',
    'Martin',
    'Jackson',
    'Clarke',
    'Clark',
    'Turner',
    'Hill',
    'Scott',
    'Cooper',
    'Morris',
    'Ward',
    'Moore',
    'King',
    'Watson',
    'Baker',
    'Harrison',
    'Morgan',
    'Patel',
    'Young',
    'Allen',
    'Mitchell',
    'Kelly',
    'Macdonald',
    'Campbell',
    'Begum',
    'Khan',
    'Ahmed',
    'Murray',
    'Fraser',
    'Sutherland',
    'Pritchard',
    'Llewellyn',
  ],
  fr: [
    'Martin',
    'Bernard',
    'Thomas',
    'Petit',
    'Robert',
    'Richard',
    'Durand',
    'Dubois',
    'Moreau',
    'Laurent',
    'Simon',
    'Michel',
    'Lefèvre',
    'Leroy',
    'Roux',
    'David',
    'Bertrand',
    'Morel',
    'Fournier',
    'Girard',
    'Bonnet',
    'Dupont',
    'Lambert',
    'Fontaine',
    'Rousseau',
    'Vincent',
    'Muller',
    'Lefebvre',
    'Faure',
    'André',
    'Mercier',
    'Blanc',
    'Guérin',
    'Boyer',
    'Garnier',
    'Chevalier',
    'François',
    'Legrand',
    'Gauthier',
    'Benali',
    'Haddad',
    'Nguyen',
    'Tremblay',
    'Gagnon',
    'Roy',
    'Côté',
    'Bouchard',
    'Gauthier',
    'Pelletier',
    'Bélanger',
    'Lévesque',
    'Ouellet',
  ],
  de: [
    'Müller',
    'Schmidt',
    'Schneider',
    'Fischer',
    'Weber',
    'Meyer',
    'Wagner',
    'Becker',
    'Schulz',
    'Hoffmann',
    'Schäfer',
    'Koch',
    'Bauer',
    'Richter',
    'Klein',
    'Wolf',
    'Schröder',
    'Neumann',
    'Schwarz',
    'Zimmermann',
    'Braun',
    'Krüger',
    'Hofmann',
    'Hartmann',
    'Lange',
    'Schmitt',
    'Werner',
    'Schmitz',
    'Krause',
    'Meier',
    'Lehmann',
    'Schmid',
    'Schulze',
    'Maier',
    'Köhler',
    'Herrmann',
    'König',
    'Walter',
    'Mayer',
    'Huber',
    'Kaiser',
    'Fuchs',
    'Yılmaz',
    'Kaya',
    'Demir',
    'Nowak',
    'Kowalczyk',
    'Popescu',
    'Jäger',
    'Vogel',
    'Friedrich',
    'Günther',
  ],
  es: [
    'García',
    'Rodríguez',
    'Martínez',
    'Hernández',
    'López',
    'González',
    'Pérez',
    'Sánchez',
    'Ramírez',
    'Torres',
    'Flores',
    'Rivera',
    'Gómez',
    'Díaz',
    'Cruz',
    'Morales',
    'Ortiz',
    'Gutiérrez',
    'Chávez',
    'Ramos',
  ],
};

const EMAIL_DOMAINS: Record<MarketplaceCode, readonly (readonly [string, number])[]> = {
  US: [
    ['gmail.com', 48],
    ['yahoo.com', 12],
    ['outlook.com', 9],
    ['hotmail.com', 8],
    ['icloud.com', 12],
    ['aol.com', 3],
    ['comcast.net', 3],
    ['proton.me', 2],
    ['me.com', 3],
  ],
  CA: [
    ['gmail.com', 45],
    ['hotmail.com', 14],
    ['outlook.com', 9],
    ['yahoo.ca', 8],
    ['icloud.com', 10],
    ['videotron.ca', 4],
    ['shaw.ca', 4],
    ['rogers.com', 4],
    ['sympatico.ca', 2],
  ],
  UK: [
    ['gmail.com', 42],
    ['hotmail.co.uk', 14],
    ['outlook.com', 9],
    ['yahoo.co.uk', 8],
    ['icloud.com', 11],
    ['btinternet.com', 7],
    ['sky.com', 4],
    ['live.co.uk', 5],
  ],
  DE: [
    ['gmail.com', 25],
    ['gmx.de', 20],
    ['web.de', 20],
    ['t-online.de', 10],
    ['outlook.de', 6],
    ['icloud.com', 7],
    ['yahoo.de', 4],
    ['posteo.de', 3],
    ['freenet.de', 3],
    ['gmx.net', 2],
  ],
  FR: [
    ['gmail.com', 38],
    ['orange.fr', 14],
    ['hotmail.fr', 11],
    ['free.fr', 9],
    ['sfr.fr', 6],
    ['laposte.net', 6],
    ['yahoo.fr', 6],
    ['icloud.com', 6],
    ['outlook.fr', 4],
  ],
};

export interface Person {
  firstName: string;
  lastName: string;
  style: NameStyle;
}

export function nameStyleFor(marketplace: MarketplaceCode, language: string): NameStyle {
  if (language === 'es') return 'es';
  if (marketplace === 'UK') return 'uk';
  if (language === 'fr' || marketplace === 'FR') return 'fr';
  if (marketplace === 'DE') return language === 'en' ? 'en' : 'de';
  return 'en';
}

export function makePerson(random: Random, style: NameStyle): Person {
  return { firstName: random.pick(FIRST_NAMES[style]), lastName: random.pick(SURNAMES[style]), style };
}

/** A family member: same surname (mostly), own first name. */
export function relative(random: Random, person: Person): Person {
  return {
    firstName: random.pick(FIRST_NAMES[person.style]),
    lastName: random.chance(0.85) ? person.lastName : random.pick(SURNAMES[person.style]),
    style: person.style,
  };
}

export function fullName(person: Person): string {
  return `${person.firstName} ${person.lastName}`;
}

function ascii(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/ß/g, 'ss')
    .replace(/ı/g, 'i')
    .replace(/[^A-Za-z0-9]/g, '')
    .toLowerCase();
}

/** Keeps e-mail addresses unique within a world. */
export class EmailRegistry {
  private readonly taken = new Set<string>();

  has(email: string): boolean {
    return this.taken.has(email.toLowerCase());
  }

  claim(email: string): boolean {
    const key = email.toLowerCase();
    if (this.taken.has(key)) return false;
    this.taken.add(key);
    return true;
  }
}

export function makeEmail(
  random: Random,
  person: Person,
  marketplace: MarketplaceCode,
  registry: EmailRegistry,
): string {
  const first = ascii(person.firstName) || 'user';
  const last = ascii(person.lastName) || 'mail';
  const birthYear = String(random.int(1958, 2006));
  const patterns = [
    () => `${first}.${last}`,
    () => `${first}${last}`,
    () => `${first[0]}${last}`,
    () => `${first}_${last}`,
    () => `${first}.${last}${birthYear.slice(2)}`,
    () => `${first}${random.int(1, 999)}`,
    () => `${last}.${first}`,
    () => `${first}${last[0]}${birthYear}`,
    () =>
      `${random.pick(['the', 'its', 'mr', 'real', ''])}${first}${random.pick(['x', 'z', '', '_'])}${random.int(10, 99)}`,
  ];
  const domain = random.weighted(EMAIL_DOMAINS[marketplace]);
  for (let attempt = 0; attempt < 20; attempt++) {
    const local =
      attempt === 0 ? random.pick(patterns)() : `${random.pick(patterns)()}${random.int(1, 9999)}`;
    const email = `${local}@${domain}`;
    if (registry.claim(email)) return email;
  }
  const fallback = `${first}.${last}.${random.base36(6)}@${domain}`;
  registry.claim(fallback);
  return fallback;
}

/** A phone number kept as digits plus the way its owner writes it. */
export interface Phone {
  country: MarketplaceCode;
  /** National significant number, digits only. */
  national: string;
}

export function makePhone(random: Random, marketplace: MarketplaceCode, city: City): Phone {
  switch (marketplace) {
    case 'US':
    case 'CA': {
      const area = random.chance(0.75) ? (city.area ?? '555') : String(random.int(201, 989));
      return { country: marketplace, national: `${area}${random.int(2, 9)}${random.digits(6)}` };
    }
    case 'UK':
      return {
        country: marketplace,
        national: `7${random.pick(['4', '5', '7', '8', '9'])}${random.digits(8)}`,
      };
    case 'DE':
      return {
        country: marketplace,
        national: `1${random.pick(['51', '52', '57', '60', '62', '70', '72', '76'])}${random.digits(8)}`,
      };
    case 'FR':
      return { country: marketplace, national: `${random.pick(['6', '7'])}${random.digits(8)}` };
  }
}

const DIAL: Record<MarketplaceCode, string> = { US: '1', CA: '1', UK: '44', DE: '49', FR: '33' };

/** Writes a phone number in one of the ways people write them in that country. */
export function formatPhone(phone: Phone, style: number): string {
  const n = phone.national;
  const dial = DIAL[phone.country];
  switch (phone.country) {
    case 'US':
    case 'CA': {
      const forms = [
        `+1 ${n.slice(0, 3)} ${n.slice(3, 6)} ${n.slice(6)}`,
        `(${n.slice(0, 3)}) ${n.slice(3, 6)}-${n.slice(6)}`,
        `${n.slice(0, 3)}-${n.slice(3, 6)}-${n.slice(6)}`,
        `+1${n}`,
        `${n.slice(0, 3)}.${n.slice(3, 6)}.${n.slice(6)}`,
        `1-${n.slice(0, 3)}-${n.slice(3, 6)}-${n.slice(6)}`,
      ];
      return forms[style % forms.length]!;
    }
    case 'UK': {
      const forms = [
        `0${n.slice(0, 4)} ${n.slice(4)}`,
        `+44 ${n.slice(0, 4)} ${n.slice(4)}`,
        `+44${n}`,
        `0${n}`,
        `+44 (0)${n.slice(0, 4)} ${n.slice(4)}`,
      ];
      return forms[style % forms.length]!;
    }
    case 'DE': {
      const forms = [
        `+49 ${n.slice(0, 3)} ${n.slice(3)}`,
        `0${n.slice(0, 3)} ${n.slice(3)}`,
        `0${n.slice(0, 3)}/${n.slice(3)}`,
        `+49${n}`,
        `0049 ${n.slice(0, 3)} ${n.slice(3)}`,
      ];
      return forms[style % forms.length]!;
    }
    case 'FR': {
      const pairs = `0${n}`.match(/../g)!.join(' ');
      const forms = [
        pairs,
        `+33 ${n[0]} ${n.slice(1).match(/../g)!.join(' ')}`,
        `0${n}`,
        `+33${n}`,
        pairs.replace(/ /g, '.'),
      ];
      return forms[style % forms.length]!;
    }
  }
  return `+${dial}${n}`;
}

// --- Identity variants: what a banned person changes when signing up again -------------

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
