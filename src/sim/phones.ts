// Phone numbers, kept as digits, and the ways people of each country write them.
import type { City, MarketplaceCode } from './geography.ts';
import type { Random } from './random.ts';

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
