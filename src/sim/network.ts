// Where connections come from: home broadband, mobile carriers behind CGNAT, university
// networks shared by hundreds, commercial VPNs (honest privacy users and gangs alike),
// iCloud Private Relay, hosting ranges and residential proxies. Also devices and user agents.
import type { MarketplaceCode } from './geography.ts';
import type { Random } from './random.ts';

/** Address prefixes (first two or three octets) by kind and country. Invented but plausible. */
const RESIDENTIAL: Record<MarketplaceCode, readonly string[]> = {
  US: [
    '73.45',
    '73.162',
    '98.12',
    '98.207',
    '24.7',
    '24.130',
    '71.190',
    '76.104',
    '108.28',
    '174.62',
    '67.160',
    '69.250',
    '47.144',
    '99.23',
  ],
  CA: ['70.48', '99.224', '142.112', '24.114', '184.145', '174.88', '65.92', '198.48', '207.96'],
  UK: ['86.10', '86.152', '81.98', '90.215', '92.233', '2.24', '82.35', '151.225', '31.48', '109.150'],
  DE: ['84.130', '87.150', '91.55', '93.204', '79.192', '80.133', '178.2', '188.96', '217.80', '95.90'],
  FR: ['90.12', '90.105', '82.64', '88.170', '78.192', '109.210', '86.246', '176.161', '92.184', '81.250'],
};

const MOBILE: Record<MarketplaceCode, readonly string[]> = {
  US: ['172.56', '172.58', '174.205', '107.77', '166.205'],
  CA: ['174.94', '184.151', '70.26'],
  UK: ['31.94', '82.132', '92.40', '148.252'],
  DE: ['176.0', '37.80', '89.204', '2.200'],
  FR: ['37.170', '80.12', '92.88', '176.149'],
};

/** Commercial VPN exit ranges (/24): used by privacy-minded customers and by gangs. */
export const VPN_RANGES: readonly string[] = [
  '185.159.157',
  '185.159.158',
  '146.70.117',
  '146.70.202',
  '37.19.200',
  '37.19.221',
  '89.187.180',
  '89.187.163',
  '45.134.212',
  '45.134.79',
  '156.146.59',
  '138.199.52',
  '212.102.35',
  '169.150.198',
  '194.110.13',
  '103.216.220',
];

/** iCloud Private Relay egress ranges: many honest iPhone users appear from these. */
const PRIVATE_RELAY: readonly string[] = [
  '172.224.226',
  '172.225.46',
  '104.28.33',
  '104.28.90',
  '146.75.153',
  '172.226.6',
];

/** Hosting providers' ranges (/24), typical for remote desktops and cheap proxies. */
export const HOSTING_RANGES: readonly string[] = [
  '5.188.62',
  '193.32.161',
  '45.86.201',
  '194.26.192',
  '91.219.236',
  '185.107.56',
  '103.145.13',
  '162.19.4',
  '51.178.201',
  '64.227.101',
  '159.89.214',
  '178.128.39',
  '45.155.205',
  '91.92.245',
  '176.97.210',
  '195.133.40',
];

/** Corporate networks (workplace Wi-Fi and office egress). */
const OFFICE: Record<MarketplaceCode, readonly string[]> = {
  US: ['12.161.8', '63.117.14', '208.67.90', '4.14.104'],
  CA: ['142.205.241', '206.47.12', '199.243.90'],
  UK: ['195.224.71', '213.121.48', '62.172.138'],
  DE: ['194.25.134', '212.227.17', '217.6.85'],
  FR: ['193.252.22', '194.2.201', '212.234.59'],
};

function octet(random: Random, low = 1, high = 254): number {
  return random.int(low, high);
}

export function residentialIp(random: Random, country: MarketplaceCode): string {
  return `${random.pick(RESIDENTIAL[country])}.${octet(random, 0, 255)}.${octet(random)}`;
}

/** Another address of the same home line: dynamic IPs move within their /24 now and then. */
export function renewedIp(random: Random, ip: string): string {
  const parts = ip.split('.');
  return `${parts[0]}.${parts[1]}.${parts[2]}.${octet(random)}`;
}

/** Carrier-grade NAT: a small pool of public addresses shared by very many subscribers. */
export function mobileIp(random: Random, country: MarketplaceCode): string {
  return `${random.pick(MOBILE[country])}.${octet(random, 0, 15)}.${octet(random, 1, 30)}`;
}

export function vpnIp(random: Random, ranges: readonly string[] = VPN_RANGES): string {
  return `${random.pick(ranges)}.${octet(random, 2, 250)}`;
}

export function privateRelayIp(random: Random): string {
  return `${random.pick(PRIVATE_RELAY)}.${octet(random, 2, 250)}`;
}

export function hostingIp(random: Random, ranges: readonly string[] = HOSTING_RANGES): string {
  return `${random.pick(ranges)}.${octet(random, 2, 250)}`;
}

export function officeIp(random: Random, country: MarketplaceCode): string {
  return `${random.pick(OFFICE[country])}.${octet(random, 2, 60)}`;
}

/** A university's NAT gateway: a handful of addresses for a whole campus. */
export interface Campus {
  name: string;
  country: MarketplaceCode;
  addresses: string[];
  /** A dormitory address many students share. */
  dormLine1: string;
}

const CAMPUS_NAMES: Record<MarketplaceCode, readonly string[]> = {
  US: ['State University', 'Lakeside University'],
  CA: ['University of the North'],
  UK: ['University of the Midlands'],
  DE: ['Technische Hochschule'],
  FR: ['Université Centrale'],
};

export function makeCampuses(random: Random): Campus[] {
  const campuses: Campus[] = [];
  for (const country of Object.keys(CAMPUS_NAMES) as MarketplaceCode[]) {
    for (const name of CAMPUS_NAMES[country]) {
      const prefix = `${random.int(128, 160)}.${random.int(1, 254)}.${random.int(0, 255)}`;
      const addresses = Array.from({ length: random.int(3, 8) }, () => `${prefix}.${random.int(2, 250)}`);
      const dormLine1 =
        country === 'DE'
          ? `Studentenwohnheim ${random.pick(['Hafen', 'Nord', 'Campus'])}straße ${random.int(1, 40)}`
          : country === 'FR'
            ? `${random.int(1, 60)} résidence universitaire ${random.pick(['Jean Zay', 'Les Érables', 'Descartes'])}`
            : `${random.int(100, 900)} ${random.pick(['College', 'University', 'Campus'])} ${random.pick(['Ave', 'Dr', 'Way'])}`;
      campuses.push({ name, country, addresses, dormLine1 });
    }
  }
  return campuses;
}

// --- Devices -------------------------------------------------------------------------------

export type DeviceKind = 'phone' | 'laptop' | 'desktop' | 'tablet';

export interface Device {
  id: string;
  kind: DeviceKind;
  userAgent: string;
  /** Apple phones may use iCloud Private Relay. */
  apple: boolean;
}

const USER_AGENTS: Record<DeviceKind, readonly (readonly [string, boolean])[]> = {
  phone: [
    [
      'Mozilla/5.0 (iPhone; CPU iPhone OS 17_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.6 Mobile/15E148 Safari/604.1',
      true,
    ],
    [
      'Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.0 Mobile/15E148 Safari/604.1',
      true,
    ],
    ['ShopApp/24.18.2 (iPhone; iOS 17.6.1; Scale/3.00)', true],
    ['ShopApp/24.18.2 (Android 14; SM-S921B)', false],
    [
      'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/128.0.0.0 Mobile Safari/537.36',
      false,
    ],
    [
      'Mozilla/5.0 (Linux; Android 13; SM-A536B) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/127.0.0.0 Mobile Safari/537.36',
      false,
    ],
    [
      'Mozilla/5.0 (Linux; Android 14; SM-S918U) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/25.0 Chrome/121.0.0.0 Mobile Safari/537.36',
      false,
    ],
  ],
  laptop: [
    [
      'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.6 Safari/605.1.15',
      true,
    ],
    [
      'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/128.0.0.0 Safari/537.36',
      false,
    ],
    [
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/128.0.0.0 Safari/537.36',
      false,
    ],
    [
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/128.0.0.0 Safari/537.36 Edg/128.0.0.0',
      false,
    ],
    ['Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:130.0) Gecko/20100101 Firefox/130.0', false],
    [
      'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/127.0.0.0 Safari/537.36',
      false,
    ],
  ],
  desktop: [
    [
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/127.0.0.0 Safari/537.36',
      false,
    ],
    ['Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:129.0) Gecko/20100101 Firefox/129.0', false],
    [
      'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15',
      true,
    ],
  ],
  tablet: [
    [
      'Mozilla/5.0 (iPad; CPU OS 17_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.6 Mobile/15E148 Safari/604.1',
      true,
    ],
    [
      'Mozilla/5.0 (Linux; Android 13; SM-X710) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/127.0.0.0 Safari/537.36',
      false,
    ],
    [
      'Mozilla/5.0 (Linux; Android 12; KFTRWI) AppleWebKit/537.36 (KHTML, like Gecko) Silk/128.2.1 like Chrome/128.0.0.0 Safari/537.36',
      false,
    ],
  ],
};

export function makeDevice(random: Random, id: string, kind: DeviceKind): Device {
  const [userAgent, apple] = random.pick(USER_AGENTS[kind]);
  return { id, kind, userAgent, apple };
}
