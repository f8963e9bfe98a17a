// Marketplaces, cities, postal codes, streets, carriers and warehouses of the simulated
// retailer. Invented but shaped like the real thing (formats, time zones, languages).
import type { Address } from '../core/events.ts';
import type { Random } from './random.ts';
import { WeightedTable } from './random.ts';

export const MARKETPLACES = ['US', 'CA', 'UK', 'DE', 'FR'] as const;
export type MarketplaceCode = (typeof MARKETPLACES)[number];
export type Language = 'en' | 'fr' | 'de' | 'es';

export interface City {
  name: string;
  region?: string;
  /** Offset from UTC in hours during the simulated season. */
  tz: number;
  weight: number;
  /** Postal code prefix: US/DE/FR digits, CA first letters, UK outward codes (comma separated). */
  postal: string;
  /** Area code for phone numbers (US/CA), or a dialling prefix. */
  area?: string;
  language?: Language;
}

export interface Warehouse {
  postalCode: string;
  city: string;
}

export interface Marketplace {
  code: MarketplaceCode;
  country: string;
  currency: 'USD' | 'CAD' | 'GBP' | 'EUR';
  /** Local price of one US dollar of list price (VAT and local pricing included). */
  priceFactor: number;
  /** Share of customers. */
  weight: number;
  languages: readonly (readonly [Language, number])[];
  cities: readonly City[];
  carriers: readonly (readonly [string, number])[];
  warehouses: readonly Warehouse[];
  /** Chance that a delivery carries a photo proof. */
  photoRate: number;
}

export const MARKETPLACE_INFO: Record<MarketplaceCode, Marketplace> = {
  US: {
    code: 'US',
    country: 'US',
    currency: 'USD',
    priceFactor: 1,
    weight: 46,
    languages: [
      ['en', 95],
      ['es', 5],
    ],
    cities: [
      { name: 'New York', region: 'NY', tz: -4, weight: 14, postal: '100', area: '212' },
      { name: 'Brooklyn', region: 'NY', tz: -4, weight: 8, postal: '112', area: '718' },
      { name: 'Los Angeles', region: 'CA', tz: -7, weight: 12, postal: '900', area: '213' },
      { name: 'Chicago', region: 'IL', tz: -5, weight: 8, postal: '606', area: '312' },
      { name: 'Houston', region: 'TX', tz: -5, weight: 7, postal: '770', area: '713' },
      { name: 'Phoenix', region: 'AZ', tz: -7, weight: 5, postal: '850', area: '602' },
      { name: 'Philadelphia', region: 'PA', tz: -4, weight: 5, postal: '191', area: '215' },
      { name: 'San Antonio', region: 'TX', tz: -5, weight: 4, postal: '782', area: '210' },
      { name: 'San Diego', region: 'CA', tz: -7, weight: 4, postal: '921', area: '619' },
      { name: 'Dallas', region: 'TX', tz: -5, weight: 5, postal: '752', area: '214' },
      { name: 'Austin', region: 'TX', tz: -5, weight: 3, postal: '787', area: '512' },
      { name: 'Columbus', region: 'OH', tz: -4, weight: 3, postal: '432', area: '614' },
      { name: 'Seattle', region: 'WA', tz: -7, weight: 4, postal: '981', area: '206' },
      { name: 'Denver', region: 'CO', tz: -6, weight: 3, postal: '802', area: '303' },
      { name: 'Boston', region: 'MA', tz: -4, weight: 4, postal: '021', area: '617' },
      { name: 'Atlanta', region: 'GA', tz: -4, weight: 4, postal: '303', area: '404' },
      { name: 'Miami', region: 'FL', tz: -4, weight: 4, postal: '331', area: '305' },
      { name: 'Minneapolis', region: 'MN', tz: -5, weight: 2, postal: '554', area: '612' },
      { name: 'Portland', region: 'OR', tz: -7, weight: 2, postal: '972', area: '503' },
      { name: 'Detroit', region: 'MI', tz: -4, weight: 2, postal: '482', area: '313' },
      { name: 'Nashville', region: 'TN', tz: -5, weight: 2, postal: '372', area: '615' },
      { name: 'Las Vegas', region: 'NV', tz: -7, weight: 2, postal: '891', area: '702' },
      { name: 'Charlotte', region: 'NC', tz: -4, weight: 2, postal: '282', area: '704' },
    ],
    carriers: [
      ['UPS', 35],
      ['USPS', 30],
      ['FedEx', 22],
      ['OnTrac', 6],
      ['LaserShip', 7],
    ],
    warehouses: [
      { postalCode: '40299', city: 'Louisville' },
      { postalCode: '46168', city: 'Plainfield' },
      { postalCode: '85338', city: 'Goodyear' },
      { postalCode: '18031', city: 'Breinigsville' },
    ],
    photoRate: 0.7,
  },
  CA: {
    code: 'CA',
    country: 'CA',
    currency: 'CAD',
    priceFactor: 1.37,
    weight: 12,
    languages: [
      ['en', 97],
      ['fr', 3],
    ],
    cities: [
      { name: 'Toronto', region: 'ON', tz: -4, weight: 26, postal: 'M', area: '416' },
      { name: 'Mississauga', region: 'ON', tz: -4, weight: 6, postal: 'L', area: '905' },
      { name: 'Montréal', region: 'QC', tz: -4, weight: 18, postal: 'H', area: '514', language: 'fr' },
      { name: 'Québec', region: 'QC', tz: -4, weight: 5, postal: 'G', area: '418', language: 'fr' },
      { name: 'Vancouver', region: 'BC', tz: -7, weight: 13, postal: 'V', area: '604' },
      { name: 'Calgary', region: 'AB', tz: -6, weight: 9, postal: 'T', area: '403' },
      { name: 'Edmonton', region: 'AB', tz: -6, weight: 7, postal: 'T', area: '780' },
      { name: 'Ottawa', region: 'ON', tz: -4, weight: 7, postal: 'K', area: '613' },
      { name: 'Winnipeg', region: 'MB', tz: -5, weight: 5, postal: 'R', area: '204' },
      { name: 'Halifax', region: 'NS', tz: -3, weight: 4, postal: 'B', area: '902' },
    ],
    carriers: [
      ['Canada Post', 50],
      ['Purolator', 22],
      ['UPS', 15],
      ['Intelcom', 13],
    ],
    warehouses: [
      { postalCode: 'L5T 2N7', city: 'Mississauga' },
      { postalCode: 'T4A 0P7', city: 'Balzac' },
      { postalCode: 'V3Z 0R8', city: 'Surrey' },
    ],
    photoRate: 0.45,
  },
  UK: {
    code: 'UK',
    country: 'GB',
    currency: 'GBP',
    priceFactor: 0.93,
    weight: 15,
    languages: [['en', 100]],
    cities: [
      { name: 'London', tz: 1, weight: 30, postal: 'SW1A,E1,N1,SE1,NW3,W2,E14,SW11,N16,SE15', area: '020' },
      { name: 'Manchester', tz: 1, weight: 9, postal: 'M1,M4,M14,M20', area: '0161' },
      { name: 'Birmingham', tz: 1, weight: 9, postal: 'B1,B5,B15,B29', area: '0121' },
      { name: 'Leeds', tz: 1, weight: 6, postal: 'LS1,LS6,LS11', area: '0113' },
      { name: 'Glasgow', tz: 1, weight: 6, postal: 'G1,G3,G12', area: '0141' },
      { name: 'Bristol', tz: 1, weight: 5, postal: 'BS1,BS6,BS8', area: '0117' },
      { name: 'Liverpool', tz: 1, weight: 5, postal: 'L1,L8,L17', area: '0151' },
      { name: 'Edinburgh', tz: 1, weight: 5, postal: 'EH1,EH6,EH10', area: '0131' },
      { name: 'Cardiff', tz: 1, weight: 4, postal: 'CF10,CF11,CF24', area: '029' },
      { name: 'Sheffield', tz: 1, weight: 4, postal: 'S1,S10,S11', area: '0114' },
      { name: 'Nottingham', tz: 1, weight: 4, postal: 'NG1,NG7', area: '0115' },
    ],
    carriers: [
      ['Royal Mail', 40],
      ['DPD', 25],
      ['Evri', 25],
      ['Yodel', 10],
    ],
    warehouses: [
      { postalCode: 'DN11 8BU', city: 'Doncaster' },
      { postalCode: 'MK43 0ZA', city: 'Ridgmont' },
      { postalCode: 'WS11 8LD', city: 'Rugeley' },
    ],
    photoRate: 0.6,
  },
  DE: {
    code: 'DE',
    country: 'DE',
    currency: 'EUR',
    priceFactor: 1.09,
    weight: 15,
    languages: [
      ['de', 90],
      ['en', 10],
    ],
    cities: [
      { name: 'Berlin', tz: 2, weight: 20, postal: '10', area: '030' },
      { name: 'Hamburg', tz: 2, weight: 11, postal: '20', area: '040' },
      { name: 'München', tz: 2, weight: 10, postal: '80', area: '089' },
      { name: 'Köln', tz: 2, weight: 8, postal: '50', area: '0221' },
      { name: 'Frankfurt am Main', tz: 2, weight: 7, postal: '60', area: '069' },
      { name: 'Stuttgart', tz: 2, weight: 6, postal: '70', area: '0711' },
      { name: 'Düsseldorf', tz: 2, weight: 6, postal: '40', area: '0211' },
      { name: 'Leipzig', tz: 2, weight: 5, postal: '04', area: '0341' },
      { name: 'Dresden', tz: 2, weight: 4, postal: '01', area: '0351' },
      { name: 'Hannover', tz: 2, weight: 4, postal: '30', area: '0511' },
      { name: 'Nürnberg', tz: 2, weight: 4, postal: '90', area: '0911' },
      { name: 'Bremen', tz: 2, weight: 3, postal: '28', area: '0421' },
    ],
    carriers: [
      ['DHL', 55],
      ['Hermes', 20],
      ['DPD', 15],
      ['GLS', 10],
    ],
    warehouses: [
      { postalCode: '04158', city: 'Leipzig' },
      { postalCode: '36251', city: 'Bad Hersfeld' },
      { postalCode: '47495', city: 'Rheinberg' },
    ],
    photoRate: 0.2,
  },
  FR: {
    code: 'FR',
    country: 'FR',
    currency: 'EUR',
    priceFactor: 1.1,
    weight: 12,
    languages: [
      ['fr', 94],
      ['en', 6],
    ],
    cities: [
      { name: 'Paris', tz: 2, weight: 24, postal: '750', area: '01' },
      { name: 'Marseille', tz: 2, weight: 9, postal: '130', area: '04' },
      { name: 'Lyon', tz: 2, weight: 9, postal: '690', area: '04' },
      { name: 'Toulouse', tz: 2, weight: 7, postal: '310', area: '05' },
      { name: 'Nice', tz: 2, weight: 5, postal: '060', area: '04' },
      { name: 'Nantes', tz: 2, weight: 5, postal: '440', area: '02' },
      { name: 'Strasbourg', tz: 2, weight: 4, postal: '670', area: '03' },
      { name: 'Montpellier', tz: 2, weight: 4, postal: '340', area: '04' },
      { name: 'Bordeaux', tz: 2, weight: 5, postal: '330', area: '05' },
      { name: 'Lille', tz: 2, weight: 5, postal: '590', area: '03' },
      { name: 'Rennes', tz: 2, weight: 3, postal: '350', area: '02' },
    ],
    carriers: [
      ['Colissimo', 45],
      ['Chronopost', 20],
      ['DPD', 15],
      ['Mondial Relay', 10],
      ['UPS', 10],
    ],
    warehouses: [
      { postalCode: '59553', city: 'Lauwin-Planque' },
      { postalCode: '45770', city: 'Saran' },
      { postalCode: '26200', city: 'Montélimar' },
    ],
    photoRate: 0.25,
  },
};

export const MARKETPLACE_TABLE = new WeightedTable(
  MARKETPLACES.map((code) => [code, MARKETPLACE_INFO[code].weight]),
);

const cityTables = new Map<MarketplaceCode, WeightedTable<City>>();
export function pickCity(random: Random, marketplace: MarketplaceCode): City {
  let table = cityTables.get(marketplace);
  if (!table) {
    table = new WeightedTable(
      MARKETPLACE_INFO[marketplace].cities.map((city) => [city, city.weight] as const),
    );
    cityTables.set(marketplace, table);
  }
  return table.pick(random);
}

const CA_LETTERS = 'ABCEGHJKLMNPRSTVWXYZ';
const UK_LETTERS = 'ABDEFGHJLNPQRSTUWXYZ';

export function postalCode(random: Random, marketplace: MarketplaceCode, city: City): string {
  switch (marketplace) {
    case 'US':
      return city.postal + random.digits(2);
    case 'CA':
      return `${city.postal}${random.int(1, 9)}${random.pick([...CA_LETTERS])} ${random.int(0, 9)}${random.pick([...CA_LETTERS])}${random.int(0, 9)}`;
    case 'UK':
      return `${random.pick(city.postal.split(','))} ${random.int(1, 9)}${random.pick([...UK_LETTERS])}${random.pick([...UK_LETTERS])}`;
    case 'DE':
      return city.postal + random.digits(3);
    case 'FR':
      return city.postal === '750'
        ? `750${String(random.int(1, 20)).padStart(2, '0')}`
        : city.postal + random.digits(2);
  }
}

const STREETS: Record<'us' | 'uk' | 'de' | 'fr' | 'qc' | 'ca', readonly string[]> = {
  us: [
    'Maple Ave',
    'Oak St',
    'Cedar Ln',
    'Elm St',
    'Washington Blvd',
    'Park Ave',
    'Lakeview Dr',
    'Hillcrest Rd',
    'Main St',
    '2nd Ave',
    'Pine St',
    'Sunset Blvd',
    'Willow Way',
    'Highland Ave',
    'Jefferson St',
    'Lincoln Ave',
    'Meadow Ln',
    'Riverside Dr',
    'Church St',
    'Franklin Ave',
    'Broadway',
    'Madison Ave',
    'Chestnut St',
    'Spring St',
    'Walnut St',
    'Grove St',
    'Birch Rd',
    'Sycamore Dr',
    'Valley View Rd',
    'Magnolia Blvd',
  ],
  ca: [
    'Queen St W',
    'King St E',
    'Yonge St',
    'Bloor St W',
    'Dundas St',
    'Granville St',
    'Robson St',
    'Jasper Ave',
    'Portage Ave',
    'Spring Garden Rd',
    'Bank St',
    'Elgin St',
    'Maple Grove Dr',
    'Kensington Rd NW',
    'Lakeshore Blvd',
  ],
  qc: [
    'rue Saint-Denis',
    'boulevard Saint-Laurent',
    'rue Sherbrooke Est',
    'avenue du Parc',
    'rue Ontario Est',
    'rue Beaubien',
    'avenue Laurier',
    'chemin Sainte-Foy',
    'rue Saint-Jean',
    'boulevard René-Lévesque',
  ],
  uk: [
    'High Street',
    'Station Road',
    'Church Lane',
    'Victoria Road',
    'Mill Lane',
    'Park Road',
    'Kings Road',
    'Queen Street',
    'Green Lane',
    'Manor Road',
    'The Crescent',
    'Albert Road',
    'York Road',
    'London Road',
    'Springfield Avenue',
    'Elmwood Close',
    'Orchard Way',
    'Castle Street',
  ],
  de: [
    'Hauptstraße',
    'Bahnhofstraße',
    'Schulstraße',
    'Gartenstraße',
    'Dorfstraße',
    'Bergstraße',
    'Lindenstraße',
    'Kirchweg',
    'Am Markt',
    'Goethestraße',
    'Schillerstraße',
    'Friedrichstraße',
    'Waldweg',
    'Rosenweg',
    'Mozartstraße',
    'Beethovenstraße',
    'Ringstraße',
    'Sonnenallee',
    'Kastanienallee',
    'Wiesenstraße',
  ],
  fr: [
    'rue de la République',
    'avenue Jean Jaurès',
    'rue Victor Hugo',
    'boulevard Voltaire',
    'rue des Lilas',
    'rue du Moulin',
    "place de l'Église",
    'allée des Tilleuls',
    'rue Pasteur',
    'avenue de la Gare',
    'rue Nationale',
    'chemin des Vignes',
    'rue des Écoles',
    'boulevard Gambetta',
    'rue de Verdun',
    'impasse des Roses',
  ],
};

function streetStyle(marketplace: MarketplaceCode, city: City): keyof typeof STREETS {
  if (marketplace === 'US') return 'us';
  if (marketplace === 'CA') return city.language === 'fr' ? 'qc' : 'ca';
  if (marketplace === 'UK') return 'uk';
  return marketplace === 'DE' ? 'de' : 'fr';
}

export type PostalAddress = Address;

export function makeAddress(random: Random, marketplace: MarketplaceCode, city: City): PostalAddress {
  const style = streetStyle(marketplace, city);
  const street = random.pick(STREETS[style]);
  const number = String(
    Math.max(1, Math.round(random.logNormal(style === 'de' || style === 'fr' ? 18 : 240, 1.1))),
  );
  const line1 = style === 'de' ? `${street} ${number}` : `${number} ${street}`;
  const address: PostalAddress = {
    line1,
    city: city.name,
    postalCode: postalCode(random, marketplace, city),
    country: '',
  };
  address.country = MARKETPLACE_INFO[marketplace].country;
  if (city.region) address.region = city.region;
  const apartmentChance = style === 'us' || style === 'ca' ? 0.3 : style === 'uk' ? 0.2 : 0.12;
  if (random.chance(apartmentChance)) address.line2 = apartmentLine(random, style);
  return address;
}

function apartmentLine(random: Random, style: keyof typeof STREETS): string {
  switch (style) {
    case 'us':
    case 'ca':
      return random.pick([
        `Apt ${random.int(1, 40)}${random.pick(['', 'A', 'B', 'C'])}`,
        `Unit ${random.int(100, 2400)}`,
        `#${random.int(2, 900)}`,
      ]);
    case 'uk':
      return random.pick([`Flat ${random.int(1, 30)}`, `Flat ${random.int(1, 9)}${random.pick(['A', 'B'])}`]);
    case 'de':
      return random.pick([
        `Hinterhaus`,
        `${random.int(1, 5)}. OG`,
        `c/o ${random.pick(['Müller', 'Schmidt', 'Wagner'])}`,
      ]);
    case 'qc':
    case 'fr':
      return random.pick([
        `Appartement ${random.int(1, 60)}`,
        `Bât. ${random.pick(['A', 'B', 'C'])}`,
        `App. ${random.int(1, 40)}`,
      ]);
  }
}

/** Carrier tracking numbers in each carrier's usual shape. */
export function trackingId(random: Random, carrier: string): string {
  switch (carrier) {
    case 'UPS':
      return `1Z${random.upperAlnum(6)}${random.digits(10)}`;
    case 'USPS':
      return `9${random.pick(['400', '205', '261'])}${random.digits(18)}`;
    case 'FedEx':
      return random.digits(12);
    case 'Canada Post':
      return random.digits(16);
    case 'Purolator':
      return random.digits(12);
    case 'Royal Mail':
      return `${random.upperAlnum(2).replace(/[0-9]/g, 'R')}${random.digits(9)}GB`;
    case 'Evri':
      return `H${random.upperAlnum(15)}`;
    case 'DHL':
      return `00${random.digits(18)}`;
    case 'Hermes':
    case 'DPD':
    case 'GLS':
      return random.digits(14);
    case 'Colissimo':
      return `6A${random.digits(11)}`;
    case 'Chronopost':
      return `XY${random.digits(9)}FR`;
    default:
      return random.upperAlnum(2) + random.digits(12);
  }
}

const carrierTables = new Map<MarketplaceCode, WeightedTable<string>>();
export function pickCarrier(random: Random, marketplace: MarketplaceCode): string {
  let table = carrierTables.get(marketplace);
  if (!table) {
    table = new WeightedTable(MARKETPLACE_INFO[marketplace].carriers);
    carrierTables.set(marketplace, table);
  }
  return table.pick(random);
}

/** The usual return carrier of a marketplace (returns go through drop-off points). */
export function returnCarrier(random: Random, marketplace: MarketplaceCode): string {
  const byMarket: Record<MarketplaceCode, readonly string[]> = {
    US: ['UPS', 'UPS', 'USPS', 'FedEx'],
    CA: ['Canada Post', 'Canada Post', 'Purolator'],
    UK: ['Royal Mail', 'Evri', 'DPD'],
    DE: ['DHL', 'DHL', 'Hermes'],
    FR: ['Colissimo', 'Colissimo', 'Mondial Relay'],
  };
  return random.pick(byMarket[marketplace]);
}

/** Language spoken by a customer living in `city` of `marketplace`. */
export function pickLanguage(random: Random, marketplace: MarketplaceCode, city: City): Language {
  if (city.language) return random.chance(0.88) ? city.language : 'en';
  return random.weighted(MARKETPLACE_INFO[marketplace].languages);
}
