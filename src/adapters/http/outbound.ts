// Outbound HTTP (webhooks) that cannot be turned against the network it runs in: a URL whose host
// is, or resolves to, a loopback, private, link-local (cloud metadata), CGNAT, unspecified,
// multicast or reserved address is refused unless the configuration's allow-list names it. The
// check runs at registration and again at every connection, on the address the socket then
// connects to (one resolution, checked and used), so a name that is rebound between the two
// reaches nothing it may not. Redirects are never followed; every request has a deadline and a cap
// on what it reads back.
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { BlockList, isIP, type LookupFunction } from 'node:net';

/** Ranges no webhook may reach unless allowed (IANA special-purpose registries, RFC 6890). */
const REFUSED_V4: readonly [string, number, string][] = [
  ['0.0.0.0', 8, 'unspecified'],
  ['10.0.0.0', 8, 'private'],
  ['100.64.0.0', 10, 'shared (CGNAT)'],
  ['127.0.0.0', 8, 'loopback'],
  ['169.254.0.0', 16, 'link-local (cloud metadata)'],
  ['172.16.0.0', 12, 'private'],
  ['192.0.0.0', 24, 'IETF protocol assignments'],
  ['192.0.2.0', 24, 'documentation'],
  ['192.168.0.0', 16, 'private'],
  ['198.18.0.0', 15, 'benchmarking'],
  ['198.51.100.0', 24, 'documentation'],
  ['203.0.113.0', 24, 'documentation'],
  ['224.0.0.0', 4, 'multicast'],
  ['240.0.0.0', 4, 'reserved'],
];
const REFUSED_V6: readonly [string, number, string][] = [
  ['::', 128, 'unspecified'],
  ['::1', 128, 'loopback'],
  ['100::', 64, 'discard-only'],
  ['2001:db8::', 32, 'documentation'],
  ['fc00::', 7, 'unique local (includes fd00:ec2::254, cloud metadata)'],
  ['fe80::', 10, 'link-local'],
  ['ff00::', 8, 'multicast'],
];

/** An address or a CIDR range (`10.1.0.0/16`, `fd00::/8`, `127.0.0.1`). */
export function parseCidr(
  text: string,
): { address: string; prefix: number; family: 'ipv4' | 'ipv6' } | undefined {
  const [address = '', prefixText, extra] = text.trim().split('/');
  if (extra !== undefined) return undefined;
  const version = isIP(address);
  if (version === 0) return undefined;
  const max = version === 4 ? 32 : 128;
  const prefix = prefixText === undefined ? max : Number(prefixText);
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > max || (prefixText ?? '0').trim() === '')
    return undefined;
  return { address, prefix, family: version === 4 ? 'ipv4' : 'ipv6' };
}

function rangesOf(list: readonly [string, number, string][], family: 'ipv4' | 'ipv6') {
  return list.map(([address, prefix, why]) => {
    const block = new BlockList();
    block.addSubnet(address, prefix, family);
    return { block, why: `${why}, ${address}/${prefix}` };
  });
}
const V4 = rangesOf(REFUSED_V4, 'ipv4');
const V6 = rangesOf(REFUSED_V6, 'ipv6');

/** The IPv4 address inside an IPv4-mapped (::ffff:a.b.c.d) or NAT64 (64:ff9b::a.b.c.d) address. */
function embeddedV4(address: string): string | undefined {
  const match = /^(?:::ffff:|64:ff9b::)(?:(\d+\.\d+\.\d+\.\d+)|([0-9a-f]{1,4}):([0-9a-f]{1,4}))$/i.exec(
    address,
  );
  if (match === null) return undefined;
  if (match[1] !== undefined) return match[1];
  const high = Number.parseInt(match[2] ?? '0', 16);
  const low = Number.parseInt(match[3] ?? '0', 16);
  return [high >> 8, high & 255, low >> 8, low & 255].join('.');
}

export interface OutboundOptions {
  /** Addresses or CIDR ranges that may be reached although they are in a refused range. */
  allow?: readonly string[];
  /** Name resolution (tests give their own); all addresses of the name are checked. */
  lookup?: (hostname: string) => Promise<LookupAddress[]>;
  /** Deadline of one request, from connecting to the last byte read (default 10 s). */
  timeoutMs?: number;
  /** Most bytes of a response body read; the connection is cut past it (default 64 KiB). */
  maxResponseBytes?: number;
}

const systemLookup = (hostname: string): Promise<LookupAddress[]> =>
  new Promise((resolve, reject) =>
    dnsLookup(hostname, { all: true, verbatim: true }, (error, addresses) =>
      error ? reject(error) : resolve(addresses),
    ),
  );

/** Decides which addresses may be reached, and sends requests that only reach those. */
export class OutboundGuard {
  readonly #allow = new BlockList();
  readonly #lookup: (hostname: string) => Promise<LookupAddress[]>;
  readonly #timeoutMs: number;
  readonly #maxResponseBytes: number;

  constructor(options: OutboundOptions = {}) {
    for (const entry of options.allow ?? []) {
      const range = parseCidr(entry);
      if (range === undefined) throw new Error(`not an address or CIDR range: ${JSON.stringify(entry)}`);
      this.#allow.addSubnet(range.address, range.prefix, range.family);
    }
    this.#lookup = options.lookup ?? systemLookup;
    this.#timeoutMs = options.timeoutMs ?? 10_000;
    this.#maxResponseBytes = options.maxResponseBytes ?? 64 * 1024;
  }

  /** Why an address may not be reached, or undefined when it may. */
  refusal(address: string): string | undefined {
    const version = isIP(address);
    if (version === 0) return `${address} is not an IP address`;
    const family = version === 4 ? 'ipv4' : 'ipv6';
    if (this.#allow.check(address, family)) return undefined;
    const inner = version === 6 ? embeddedV4(address) : undefined;
    if (inner !== undefined) {
      const why = this.refusal(inner);
      return why === undefined ? undefined : `${address} embeds ${why}`;
    }
    for (const range of version === 4 ? V4 : V6) {
      if (range.block.check(address, family)) return `${address} is ${range.why}`;
    }
    return undefined;
  }

  /**
   * Why a URL may not be a webhook, checked when it is registered: its scheme, and the addresses
   * its host is or resolves to now. A name that does not resolve yet is let through: the check
   * at connection time is the one that holds.
   */
  checkUrl = async (url: URL): Promise<string | undefined> => {
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return 'must be an http(s) URL';
    if (url.username !== '' || url.password !== '') return 'must not carry credentials';
    const host = hostOf(url);
    if (isIP(host) !== 0) return this.refusal(host);
    let addresses: LookupAddress[];
    try {
      addresses = await this.#lookup(host);
    } catch {
      return undefined;
    }
    for (const { address } of addresses) {
      const why = this.refusal(address);
      if (why !== undefined) return `${host} resolves to ${why}`;
    }
    return undefined;
  };

  /** For node's http: resolves once, refuses the connection if any address is refused, connects to the checked one. */
  readonly connectLookup: LookupFunction = (hostname, options, callback) => {
    this.#lookup(hostname).then(
      (addresses) => {
        const refused = addresses
          .map((entry) => this.refusal(entry.address))
          .find((why) => why !== undefined);
        const chosen = addresses[0];
        if (refused !== undefined || chosen === undefined) {
          const error = Object.assign(
            new Error(
              refused !== undefined ? `${hostname} resolves to ${refused}` : `${hostname}: no address`,
            ),
            { code: 'EREFUSEDADDRESS' },
          );
          callback(error, '', 4);
          return;
        }
        if (options.all) callback(null, [chosen]);
        else callback(null, chosen.address, chosen.family);
      },
      (error: NodeJS.ErrnoException) => callback(error, '', 4),
    );
  };

  /**
   * A fetch for webhooks, on node's http: POSTs (or any method) to a URL whose address is checked
   * at connection time; redirects come back as their 3xx response; the response body is read up
   * to the cap and then the connection is cut; the whole exchange has one deadline.
   */
  fetch = async (input: string | URL | Request, init: RequestInit = {}): Promise<Response> => {
    const url = new URL(typeof input === 'string' || input instanceof URL ? input : input.url);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('must be an http(s) URL');
    const host = hostOf(url);
    // A literal address skips name resolution (and so the lookup below): check it here.
    if (isIP(host) !== 0) {
      const why = this.refusal(host);
      if (why !== undefined) throw new Error(`refused: ${why}`);
    }
    const body = init.body === undefined || init.body === null ? undefined : String(init.body);
    const headers = new Headers(init.headers);
    if (body !== undefined) headers.set('content-length', String(Buffer.byteLength(body)));
    const deadline = AbortSignal.any([
      AbortSignal.timeout(this.#timeoutMs),
      ...(init.signal ? [init.signal] : []),
    ]);
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise<Response>((resolve, reject) => {
      const request = send(url, {
        method: init.method ?? 'GET',
        headers: Object.fromEntries(headers),
        lookup: this.connectLookup,
        // A fresh connection each time: a pooled one could have been opened to another address.
        agent: false,
        signal: deadline,
        maxHeaderSize: 16 * 1024,
      });
      let answered = false;
      // Once the status has come, a cut body (deadline, cap) is the reading's business, not a failure.
      request.on('error', (error) => {
        if (answered) return;
        reject(
          deadline.aborted ? new Error(`timed out after ${this.#timeoutMs} ms`, { cause: error }) : error,
        );
      });
      request.on('response', (response: IncomingMessage) => {
        answered = true;
        void this.#readCapped(response, deadline).then(({ bytes, cut }) => {
          request.destroy();
          const status = response.statusCode ?? 0;
          const answer = new Response(NULL_BODY.has(status) ? null : new Uint8Array(bytes), {
            status,
            headers: cut === undefined ? {} : { 'x-refundguard-cut': cut },
          });
          resolve(answer);
        }, reject);
      });
      request.end(body);
    });
  };

  /** Reads a response body up to the cap or the deadline, whichever comes first. */
  #readCapped(response: IncomingMessage, deadline: AbortSignal): Promise<{ bytes: Buffer; cut?: string }> {
    return new Promise((resolve) => {
      const chunks: Buffer[] = [];
      let size = 0;
      let done = false;
      const finish = (cut?: string) => {
        if (done) return;
        done = true;
        response.removeAllListeners('data');
        deadline.removeEventListener('abort', onAbort);
        resolve({ bytes: Buffer.concat(chunks), ...(cut !== undefined ? { cut } : {}) });
      };
      const onAbort = () => finish(`timed out after ${this.#timeoutMs} ms`);
      deadline.addEventListener('abort', onAbort, { once: true });
      response.on('data', (chunk: Buffer) => {
        const room = this.#maxResponseBytes - size;
        if (chunk.length > room) {
          chunks.push(chunk.subarray(0, room));
          finish(`over ${this.#maxResponseBytes} bytes`);
          return;
        }
        chunks.push(chunk);
        size += chunk.length;
      });
      response.on('end', () => finish());
      response.on('error', () => finish('connection lost'));
      response.on('aborted', () => finish('connection lost'));
    });
  }
}

/** Statuses whose Response may carry no body. */
const NULL_BODY = new Set([101, 204, 205, 304]);

/** The URL's host without IPv6 brackets. */
function hostOf(url: URL): string {
  return url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
}
