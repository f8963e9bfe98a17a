// People: a first name and a surname in the naming style of where they live and what they speak.
import type { MarketplaceCode } from './geography.ts';
import { FIRST_NAMES, type NameStyle, SURNAMES } from './person-names.ts';
import type { Random } from './random.ts';

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
