// The retailer's catalogue: the "hot" items refund services love (Apple, consoles, GPUs,
// premium apparel) and ordinary goods with log-normal prices. Prices are list prices in
// US dollars, localised per marketplace.
import { MARKETPLACE_INFO, type MarketplaceCode } from './geography.ts';
import { type Random, WeightedTable } from './random.ts';

export interface Product {
  sku: string;
  title: string;
  category: string;
  brand?: string;
  /** List price in US dollars. */
  priceUsd: number;
  /** Shipping weight, packaging included. */
  weightGrams: number;
  hot: boolean;
}

type HotRow = readonly [
  sku: string,
  title: string,
  category: string,
  brand: string,
  priceUsd: number,
  grams: number,
];

const HOT: readonly HotRow[] = [
  ['APL-IPAD-AIR11-M2', 'iPad Air 11-inch (M2) Wi-Fi 128GB', 'tablets', 'Apple', 599, 1150],
  ['APL-IPAD-AIR13-M2', 'iPad Air 13-inch (M2) Wi-Fi 256GB', 'tablets', 'Apple', 899, 1400],
  ['APL-IPAD-PRO13-M4', 'iPad Pro 13-inch (M4) Wi-Fi 512GB', 'tablets', 'Apple', 1499, 1500],
  ['APL-IPAD-10', 'iPad 10.9-inch (10th generation) 64GB', 'tablets', 'Apple', 349, 1000],
  ['APL-IPAD-MINI7', 'iPad mini (A17 Pro) 128GB', 'tablets', 'Apple', 499, 700],
  ['APL-MBA13-M3', 'MacBook Air 13-inch M3 8GB 256GB', 'laptops', 'Apple', 1099, 2100],
  ['APL-MBA15-M3', 'MacBook Air 15-inch M3 16GB 512GB', 'laptops', 'Apple', 1499, 2500],
  ['APL-MBP14-M4P', 'MacBook Pro 14-inch M4 Pro 24GB 512GB', 'laptops', 'Apple', 1999, 2700],
  ['APL-MBP16-M4M', 'MacBook Pro 16-inch M4 Max 36GB 1TB', 'laptops', 'Apple', 3499, 3400],
  ['APL-IP16P-256', 'iPhone 16 Pro 256GB', 'phones', 'Apple', 1099, 650],
  ['APL-IP16PM-512', 'iPhone 16 Pro Max 512GB', 'phones', 'Apple', 1399, 700],
  ['APL-IP16-128', 'iPhone 16 128GB', 'phones', 'Apple', 799, 600],
  ['APL-APP2', 'AirPods Pro (2nd generation) with USB-C', 'headphones', 'Apple', 249, 320],
  ['APL-APMAX', 'AirPods Max', 'headphones', 'Apple', 549, 900],
  ['APL-AW10-46', 'Apple Watch Series 10 GPS 46mm', 'wearables', 'Apple', 429, 450],
  ['APL-AWU2', 'Apple Watch Ultra 2', 'wearables', 'Apple', 799, 550],
  ['SNY-PS5-SLIM', 'PlayStation 5 Slim Console', 'consoles', 'Sony', 499, 4500],
  ['SNY-PS5-PRO', 'PlayStation 5 Pro Console', 'consoles', 'Sony', 699, 5200],
  ['MSX-XSX-1TB', 'Xbox Series X 1TB', 'consoles', 'Microsoft', 499, 6200],
  ['NIN-SW-OLED', 'Nintendo Switch – OLED Model', 'consoles', 'Nintendo', 349, 1600],
  ['VLV-SD-OLED512', 'Steam Deck OLED 512GB', 'consoles', 'Valve', 549, 1800],
  ['MTA-Q3-512', 'Meta Quest 3 512GB', 'consoles', 'Meta', 499, 1700],
  ['NVD-RTX4090-FE', 'GeForce RTX 4090 Founders Edition', 'gpus', 'NVIDIA', 1799, 3200],
  ['ASU-RTX4080S-TUF', 'ASUS TUF Gaming GeForce RTX 4080 SUPER 16GB', 'gpus', 'ASUS', 1099, 2900],
  ['MSI-RTX4070TIS', 'MSI GeForce RTX 4070 Ti SUPER Gaming X 16GB', 'gpus', 'MSI', 849, 2300],
  ['SAP-RX7900XTX', 'Sapphire PULSE Radeon RX 7900 XTX 24GB', 'gpus', 'Sapphire', 949, 2800],
  ['NVD-RTX5090-FE', 'GeForce RTX 5090 Founders Edition', 'gpus', 'NVIDIA', 1999, 3000],
  ['SMS-S24U-512', 'Samsung Galaxy S24 Ultra 512GB', 'phones', 'Samsung', 1419, 700],
  ['GGL-PX9P-256', 'Google Pixel 9 Pro 256GB', 'phones', 'Google', 1099, 650],
  ['SNY-A7IV', 'Sony Alpha 7 IV Body', 'cameras', 'Sony', 2499, 1400],
  ['DJI-MINI4P', 'DJI Mini 4 Pro Fly More Combo', 'cameras', 'DJI', 1099, 1600],
  ['GPR-HERO13', 'GoPro HERO13 Black', 'cameras', 'GoPro', 399, 500],
  ['DYS-AIRWRAP', 'Dyson Airwrap Multi-styler Complete Long', 'beauty_tech', 'Dyson', 599, 2600],
  ['DYS-V15', 'Dyson V15 Detect Absolute', 'appliances', 'Dyson', 749, 6500],
  ['NKE-AJ1-HIGH', 'Air Jordan 1 Retro High OG', 'sneakers', 'Nike', 180, 1400],
  ['NKE-DUNK-LOW', 'Nike Dunk Low Retro', 'sneakers', 'Nike', 115, 1200],
  ['NB-990V6', 'New Balance Made in USA 990v6', 'sneakers', 'New Balance', 200, 1300],
  ['ADI-SAMBA', 'adidas Samba OG', 'sneakers', 'adidas', 100, 1100],
  ['LLL-ALIGN-25', 'lululemon Align High-Rise Pant 25"', 'premium_apparel', 'lululemon', 98, 300],
  ['LLL-DEFINE-JKT', 'lululemon Define Jacket Nulu', 'premium_apparel', 'lululemon', 118, 450],
  ['LLL-WUNDERPUFF', 'lululemon Wunder Puff Jacket', 'premium_apparel', 'lululemon', 298, 1100],
  ['CGS-EXPED-PARKA', 'Canada Goose Expedition Parka', 'premium_apparel', 'Canada Goose', 1595, 2600],
  ['MNC-MAYA', 'Moncler Maya Short Down Jacket', 'premium_apparel', 'Moncler', 1850, 1500],
  ['ARC-BETA-AR', "Arc'teryx Beta AR Jacket", 'premium_apparel', "Arc'teryx", 600, 750],
  ['TNF-NUPTSE', 'The North Face 1996 Retro Nuptse Jacket', 'premium_apparel', 'The North Face', 320, 1100],
  ['BOSE-QCU', 'Bose QuietComfort Ultra Headphones', 'headphones', 'Bose', 429, 950],
  ['SNY-WH1000XM5', 'Sony WH-1000XM5 Wireless Headphones', 'headphones', 'Sony', 399, 900],
];

export const HOT_PRODUCTS: readonly Product[] = HOT.map(
  ([sku, title, category, brand, priceUsd, weightGrams]) => ({
    sku,
    title,
    category,
    brand,
    priceUsd,
    weightGrams,
    hot: true,
  }),
);

/** Cheap companions bought with a hot item (cases, chargers, games). */
export const ACCESSORIES: readonly Product[] = [
  ['ACC-IPAD-FOLIO', 'Smart Folio for iPad', 'accessories', 'Apple', 79, 300],
  ['ACC-USBC-20W', '20W USB-C Power Adapter', 'accessories', 'Apple', 19, 150],
  ['ACC-PENCIL-PRO', 'Apple Pencil Pro', 'accessories', 'Apple', 129, 120],
  ['ACC-DS-EDGE', 'DualSense Edge Wireless Controller', 'accessories', 'Sony', 199, 650],
  ['GAM-SPIDERMAN2', "Marvel's Spider-Man 2 (PS5)", 'video_games', 'Sony', 69, 120],
  ['ACC-SCREEN-PROT', 'Tempered glass screen protector 2-pack', 'accessories', 'Generic', 12, 80],
  ['ACC-HDMI21', 'Ultra High Speed HDMI 2.1 cable 2m', 'accessories', 'Generic', 15, 150],
  ['APP-SOCKS-3P', 'Crew socks, 3 pairs', 'apparel', 'Nike', 22, 200],
].map(([sku, title, category, brand, priceUsd, weightGrams]) => ({
  sku: sku as string,
  title: title as string,
  category: category as string,
  brand: brand as string,
  priceUsd: priceUsd as number,
  weightGrams: weightGrams as number,
  hot: false,
}));

/** Expensive goods outside the usual "hot" categories: honest people buy them, and some gangs refund them. */
export const PREMIUM_PRODUCTS: readonly Product[] = (
  [
    ['SMS-QN65Q80D', 'Samsung 65" QLED 4K Q80D Smart TV', 'tv', 'Samsung', 1099, 24000],
    ['LG-OLED55C4', 'LG 55" OLED evo C4 4K Smart TV', 'tv', 'LG', 1399, 21000],
    ['KA-ARTISAN-5Q', 'KitchenAid Artisan 5-qt Tilt-Head Stand Mixer', 'kitchen', 'KitchenAid', 449, 12000],
    ['BRV-BARISTA-PRO', 'Breville Barista Pro Espresso Machine', 'kitchen', 'Breville', 849, 10500],
    ['DW-20V-COMBO5', 'DEWALT 20V MAX 5-Tool Combo Kit', 'tools', 'DeWalt', 599, 11000],
    ['GRM-FENIX8-47', 'Garmin fēnix 8 AMOLED 47mm', 'sports', 'Garmin', 999, 600],
    ['HM-AERON-B', 'Herman Miller Aeron Chair, Size B', 'office', 'Herman Miller', 1395, 25000],
    ['SNS-ARC-ULTRA', 'Sonos Arc Ultra Soundbar', 'electronics', 'Sonos', 999, 9000],
    ['RBR-S8MAXV', 'Roborock S8 MaxV Ultra Robot Vacuum', 'home', 'Roborock', 1599, 17000],
    ['KND-SCRIBE-64', 'Kindle Scribe 64GB', 'electronics', 'Amazon', 419, 900],
    ['LGO-75192', 'LEGO Star Wars Millennium Falcon 75192', 'toys', 'LEGO', 849, 13000],
    ['CNN-R6M2', 'Canon EOS R6 Mark II Body', 'electronics', 'Canon', 2299, 1500],
    ['LNV-LEGION7I', 'Lenovo Legion 7i Gen 9 Gaming Laptop', 'electronics', 'Lenovo', 2199, 4200],
    ['DLL-XPS14', 'Dell XPS 14 Laptop, 32GB, 1TB', 'electronics', 'Dell', 1899, 3000],
  ] as const
).map(([sku, title, category, brand, priceUsd, weightGrams]) => ({
  sku,
  title,
  category,
  brand,
  priceUsd,
  weightGrams,
  hot: false,
}));

interface CategoryModel {
  category: string;
  /** Median price in USD and the log-space spread. */
  median: number;
  sigma: number;
  grams: number;
  brands: readonly string[];
  nouns: readonly string[];
  adjectives: readonly string[];
  /** Share of orders. */
  weight: number;
  /** Relative chance that a buyer sends it back. */
  returnPropensity: number;
}

const CATEGORIES: readonly CategoryModel[] = [
  {
    category: 'books',
    median: 16,
    sigma: 0.45,
    grams: 450,
    brands: [],
    nouns: [
      'Paperback novel',
      'Hardcover cookbook',
      'Travel guide',
      'Graphic novel',
      "Children's picture book",
      'Biography',
      'Programming handbook',
    ],
    adjectives: ['Bestselling', 'Illustrated', 'Revised', 'Collected'],
    weight: 14,
    returnPropensity: 0.3,
  },
  {
    category: 'home',
    median: 34,
    sigma: 0.7,
    grams: 1500,
    brands: ['HomeCraft', 'Nordlys', 'Casa Verde', 'Umbra'],
    nouns: [
      'Throw blanket',
      'Table lamp',
      'Storage baskets',
      'Shower curtain',
      'Picture frame set',
      'Bath towels',
      'Wall clock',
      'Duvet cover',
    ],
    adjectives: ['Linen', 'Modern', 'Cotton', 'Rustic', 'Minimalist'],
    weight: 12,
    returnPropensity: 1,
  },
  {
    category: 'kitchen',
    median: 36,
    sigma: 0.75,
    grams: 1800,
    brands: ['OXO', 'Tefal', 'KitchenAid', 'Zwilling', 'Le Creuset', 'Ninja'],
    nouns: [
      'Non-stick frying pan',
      'Chef knife',
      'Cutting board',
      'Air fryer',
      'French press',
      'Cast iron casserole',
      'Blender',
      'Food storage set',
    ],
    adjectives: ['Stainless steel', '5-quart', 'Ceramic', 'Professional'],
    weight: 10,
    returnPropensity: 0.9,
  },
  {
    category: 'toys',
    median: 28,
    sigma: 0.7,
    grams: 900,
    brands: ['LEGO', 'Hasbro', 'Mattel', 'Playmobil', 'Ravensburger'],
    nouns: [
      'Building set',
      'Board game',
      'Jigsaw puzzle 1000 pieces',
      'Action figure',
      'Plush toy',
      'Remote control car',
    ],
    adjectives: ['Classic', 'Deluxe', 'Family', 'Collector'],
    weight: 8,
    returnPropensity: 0.6,
  },
  {
    category: 'beauty',
    median: 19,
    sigma: 0.6,
    grams: 250,
    brands: ['CeraVe', "L'Oréal", 'Nivea', 'The Ordinary', 'La Roche-Posay'],
    nouns: [
      'Moisturising cream',
      'Shampoo',
      'Vitamin C serum',
      'Sunscreen SPF 50',
      'Hair dryer',
      'Electric toothbrush',
    ],
    adjectives: ['Hydrating', 'Sensitive', 'Daily', 'Repair'],
    weight: 9,
    returnPropensity: 0.4,
  },
  {
    category: 'grocery',
    median: 14,
    sigma: 0.5,
    grams: 1200,
    brands: ['Happy Belly', 'Lavazza', 'Nature Valley', 'Kirkland'],
    nouns: ['Coffee beans 1kg', 'Granola bars 24-pack', 'Olive oil 1L', 'Green tea 100 bags', 'Mixed nuts'],
    adjectives: ['Organic', 'Dark roast', 'Extra virgin', 'Family size'],
    weight: 8,
    returnPropensity: 0.08,
  },
  {
    category: 'electronics',
    median: 45,
    sigma: 0.9,
    grams: 600,
    brands: ['Anker', 'Logitech', 'JBL', 'SanDisk', 'TP-Link', 'Samsung', 'Kindle'],
    nouns: [
      'Wireless mouse',
      'Bluetooth speaker',
      'Power bank 20000mAh',
      'microSD card 256GB',
      'Mesh Wi-Fi router',
      'Mechanical keyboard',
      'E-reader',
      'Smart plug 4-pack',
      'Webcam 1080p',
    ],
    adjectives: ['Portable', 'Wireless', 'Fast-charging', 'Compact'],
    weight: 11,
    returnPropensity: 1.1,
  },
  {
    category: 'apparel',
    median: 32,
    sigma: 0.6,
    grams: 500,
    brands: ['Levi’s', 'Uniqlo', 'H&M', 'Gap', 'Zara', 'Champion', 'Carhartt'],
    nouns: [
      'T-shirt',
      'Slim-fit jeans',
      'Hoodie',
      'Rain jacket',
      'Chino trousers',
      'Summer dress',
      'Wool sweater',
      'Running shorts',
    ],
    adjectives: ['Organic cotton', 'Relaxed', 'Classic', 'Stretch'],
    weight: 11,
    returnPropensity: 2.6,
  },
  {
    category: 'shoes',
    median: 70,
    sigma: 0.45,
    grams: 1100,
    brands: ['Skechers', 'Clarks', 'Birkenstock', 'Vans', 'Converse', 'ASICS', 'Dr. Martens'],
    nouns: ['Running shoes', 'Leather boots', 'Sandals', 'Canvas sneakers', 'Slippers'],
    adjectives: ['Waterproof', 'Lightweight', 'Classic', 'Memory foam'],
    weight: 5,
    returnPropensity: 2.2,
  },
  {
    category: 'sports',
    median: 38,
    sigma: 0.8,
    grams: 1400,
    brands: ['Decathlon', 'Manduka', 'Garmin', 'Wilson', 'Hydro Flask'],
    nouns: [
      'Yoga mat',
      'Adjustable dumbbells',
      'Water bottle',
      'Tennis racket',
      'Cycling helmet',
      'Running watch',
    ],
    adjectives: ['Non-slip', 'Insulated', 'Pro', 'Lightweight'],
    weight: 5,
    returnPropensity: 0.8,
  },
  {
    category: 'tools',
    median: 48,
    sigma: 0.85,
    grams: 2500,
    brands: ['Bosch', 'DeWalt', 'Makita', 'Stanley', 'Ryobi'],
    nouns: ['Cordless drill', 'Socket set', 'Laser level', 'Tool box', 'Stud finder', 'Circular saw'],
    adjectives: ['18V', 'Compact', 'Heavy-duty', 'Brushless'],
    weight: 4,
    returnPropensity: 0.7,
  },
  {
    category: 'pet',
    median: 24,
    sigma: 0.6,
    grams: 2500,
    brands: ['Purina', 'KONG', 'Trixie', 'PetSafe'],
    nouns: ['Dog bed', 'Cat litter', 'Chew toy set', 'Dry dog food 5kg', 'Cat scratching post'],
    adjectives: ['Orthopedic', 'Clumping', 'Durable', 'Grain-free'],
    weight: 4,
    returnPropensity: 0.4,
  },
  {
    category: 'baby',
    median: 30,
    sigma: 0.7,
    grams: 1200,
    brands: ['Pampers', 'Philips Avent', 'Chicco', 'Graco'],
    nouns: ['Diapers size 4', 'Baby bottles set', 'Baby monitor', 'High chair', 'Swaddle blankets'],
    adjectives: ['Sensitive', 'Anti-colic', 'Foldable', 'Organic'],
    weight: 3,
    returnPropensity: 0.6,
  },
  {
    category: 'office',
    median: 22,
    sigma: 0.8,
    grams: 900,
    brands: ['Moleskine', 'Staples', 'HP', 'Brother', 'Fellowes'],
    nouns: [
      'Notebook set',
      'Printer ink cartridges',
      'Desk organizer',
      'Laser printer',
      'Ergonomic chair cushion',
    ],
    adjectives: ['A5', 'High-yield', 'Mesh', 'Wireless'],
    weight: 4,
    returnPropensity: 0.5,
  },
];

const CATEGORY_TABLE = new WeightedTable(CATEGORIES.map((model) => [model, model.weight] as const));
const HOT_TABLE = new WeightedTable(
  HOT_PRODUCTS.map(
    (product) => [product, product.priceUsd > 1000 ? 0.7 : product.priceUsd < 250 ? 1.6 : 1] as const,
  ),
);

/** An ordinary product, with a stable SKU for its title; now and then an expensive one. */
export function ordinaryProduct(random: Random): Product {
  if (random.chance(0.008)) return random.pick(PREMIUM_PRODUCTS);
  const model = CATEGORY_TABLE.pick(random);
  const nounIndex = random.int(0, model.nouns.length - 1);
  const adjectiveIndex = random.int(0, model.adjectives.length - 1);
  const brandIndex = model.brands.length > 0 ? random.int(0, model.brands.length - 1) : -1;
  const brand = brandIndex >= 0 ? model.brands[brandIndex] : undefined;
  const variant = random.int(0, 7);
  const title = `${brand ? `${brand} ` : ''}${model.adjectives[adjectiveIndex]} ${model.nouns[nounIndex]!.toLowerCase()}${variant > 4 ? `, ${random.pick(['black', 'grey', 'blue', 'white', 'green', 'large', 'small', 'set of 2'])}` : ''}`;
  const code = model.category.slice(0, 3).toUpperCase();
  const priceUsd = Math.max(3, Math.min(model.median * 12, random.logNormal(model.median, model.sigma)));
  const product: Product = {
    sku: `${code}-${(nounIndex * 97 + adjectiveIndex * 13 + (brandIndex + 1) * 7919 + variant * 31).toString(36).toUpperCase().padStart(4, '0')}${random.int(10, 99)}`,
    title: title.charAt(0).toUpperCase() + title.slice(1),
    category: model.category,
    priceUsd,
    weightGrams: Math.round(model.grams * random.float(0.5, 1.6)),
    hot: false,
  };
  if (brand) product.brand = brand;
  return product;
}

export function hotProduct(random: Random): Product {
  return HOT_TABLE.pick(random);
}

/** What a refund-service client buys: mostly hot items, sometimes other expensive goods. */
export function targetProduct(random: Random): Product {
  return random.chance(0.14) ? random.pick(PREMIUM_PRODUCTS) : HOT_TABLE.pick(random);
}

export function returnPropensity(category: string): number {
  for (const model of CATEGORIES) if (model.category === category) return model.returnPropensity;
  if (category === 'premium_apparel' || category === 'sneakers') return 2;
  return 1;
}

/** The local price in minor units: list price × local factor, ending in .99 or .00 like shelf prices. */
export function localPriceMinor(product: Product, marketplace: MarketplaceCode): number {
  const local = product.priceUsd * MARKETPLACE_INFO[marketplace].priceFactor;
  if (local < 20) return Math.round(local * 100);
  const whole = Math.round(local);
  return product.hot ? whole * 100 - (whole % 10 === 0 ? 1 : 0) : whole * 100 - 1;
}

/** Fixed reference rates used to compare amounts across currencies. */
export const USD_PER_UNIT: Record<string, number> = { USD: 1, CAD: 0.73, EUR: 1.08, GBP: 1.27 };

export function toUsd(amountMinor: number, currency: string): number {
  return (amountMinor / 100) * (USD_PER_UNIT[currency] ?? 1);
}
