// E-mail addresses made from a person's name at the domains common where they live, unique
// within a world.
import type { MarketplaceCode } from './geography.ts';
import type { Person } from './people.ts';
import type { Random } from './random.ts';

export const EMAIL_DOMAINS: Record<MarketplaceCode, readonly (readonly [string, number])[]> = {
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
