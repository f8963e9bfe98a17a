import type { LookupAddress } from 'node:dns';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { OutboundGuard, parseCidr } from './outbound.ts';

type Handler = (request: IncomingMessage, response: ServerResponse) => void;

const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

/** A receiver on 127.0.0.1; `hits` counts the requests it got. */
async function receiver(handler: Handler): Promise<{ port: number; hits: () => number }> {
  let hits = 0;
  const server = createServer((request, response) => {
    hits += 1;
    handler(request, response);
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as AddressInfo).port, hits: () => hits };
}

/** A resolver that answers from a script, one answer per call (the last repeats): DNS rebinding. */
function scriptedLookup(...answers: string[][]): (hostname: string) => Promise<LookupAddress[]> {
  let call = 0;
  return async () => {
    const answer = answers[Math.min(call, answers.length - 1)] ?? [];
    call += 1;
    return answer.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  };
}

const post = (guard: OutboundGuard, url: string) =>
  guard.fetch(url, { method: 'POST', body: '{"hello":"world"}' });

describe('OutboundGuard.refusal', () => {
  const guard = new OutboundGuard();

  it.each([
    ['169.254.169.254', 'link-local (cloud metadata)'],
    ['fd00:ec2::254', 'unique local'],
    ['127.0.0.1', 'loopback'],
    ['127.8.9.10', 'loopback'],
    ['::1', 'loopback'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['100.64.0.1', 'CGNAT'],
    ['100.100.100.200', 'CGNAT'],
    ['0.0.0.0', 'unspecified'],
    ['::', 'unspecified'],
    ['fe80::1', 'link-local'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:a9fe:a9fe', 'link-local'],
    ['64:ff9b::10.0.0.1', 'private'],
    ['224.0.0.1', 'multicast'],
  ])('refuses %s (%s)', (address, why) => {
    expect(guard.refusal(address)).toContain(why);
  });

  it.each([
    '93.184.215.14',
    '8.8.8.8',
    '172.32.0.1',
    '100.128.0.1',
    '2606:4700:4700::1111',
    '::ffff:8.8.8.8',
  ])('lets the public address %s through', (address) => {
    expect(guard.refusal(address)).toBeUndefined();
  });

  it('lets through what the allow-list names, and only that', () => {
    const allowing = new OutboundGuard({ allow: ['127.0.0.1', '10.20.0.0/16', 'fd00:ec2::/32'] });
    expect(allowing.refusal('127.0.0.1')).toBeUndefined();
    expect(allowing.refusal('127.0.0.2')).toContain('loopback');
    expect(allowing.refusal('10.20.30.40')).toBeUndefined();
    expect(allowing.refusal('10.21.0.1')).toContain('private');
    expect(allowing.refusal('fd00:ec2::254')).toBeUndefined();
    expect(allowing.refusal('169.254.169.254')).toContain('metadata');
  });

  it('parses addresses and ranges, and nothing else', () => {
    expect(parseCidr('10.0.0.0/8')).toEqual({ address: '10.0.0.0', prefix: 8, family: 'ipv4' });
    expect(parseCidr('::1')).toEqual({ address: '::1', prefix: 128, family: 'ipv6' });
    for (const bad of ['10.0.0.0/33', 'localhost', '10.0.0.0/', '10.0.0.0/8/8', '::1/129', '']) {
      expect(parseCidr(bad)).toBeUndefined();
    }
    expect(() => new OutboundGuard({ allow: ['intranet'] })).toThrow(
      'not an address or CIDR range: "intranet"',
    );
  });
});

describe('OutboundGuard.checkUrl (at registration)', () => {
  it('refuses the metadata service by address, by IPv6 address and by a name that resolves to it', async () => {
    const guard = new OutboundGuard({ lookup: scriptedLookup(['93.184.215.14', '169.254.169.254']) });
    expect(await guard.checkUrl(new URL('http://169.254.169.254/latest/meta-data/'))).toContain('metadata');
    expect(await guard.checkUrl(new URL('http://[fd00:ec2::254]/latest/meta-data/'))).toContain(
      'fd00:ec2::254',
    );
    // Every address of the name is checked, not only the first.
    expect(await guard.checkUrl(new URL('https://hooks.example.com/in'))).toBe(
      'hooks.example.com resolves to 169.254.169.254 is link-local (cloud metadata), 169.254.0.0/16',
    );
  });

  it('accepts a public name, and one that does not resolve yet (the connection is checked again)', async () => {
    const guard = new OutboundGuard({ lookup: scriptedLookup(['93.184.215.14']) });
    expect(await guard.checkUrl(new URL('https://hooks.example.com/in'))).toBeUndefined();
    const failing = new OutboundGuard({
      lookup: async () => {
        throw Object.assign(new Error('getaddrinfo ENOTFOUND'), { code: 'ENOTFOUND' });
      },
    });
    expect(await failing.checkUrl(new URL('https://hooks.retailer.test/in'))).toBeUndefined();
  });

  it('refuses other schemes and credentials in the URL', async () => {
    const guard = new OutboundGuard({ lookup: scriptedLookup(['93.184.215.14']) });
    expect(await guard.checkUrl(new URL('file:///etc/passwd'))).toBe('must be an http(s) URL');
    expect(await guard.checkUrl(new URL('https://user:pw@hooks.example.com/'))).toBe(
      'must not carry credentials',
    );
  });
});

describe('OutboundGuard.fetch (at connection)', () => {
  it('refuses a literal loopback address without connecting', async () => {
    const target = await receiver((_request, response) => response.end());
    await expect(post(new OutboundGuard(), `http://127.0.0.1:${target.port}/hooks`)).rejects.toThrow(
      'refused: 127.0.0.1 is loopback',
    );
    expect(target.hits()).toBe(0);
  });

  it('refuses a name rebound to 127.0.0.1 after it was checked at registration', async () => {
    const target = await receiver((_request, response) => response.end());
    const guard = new OutboundGuard({ lookup: scriptedLookup(['93.184.215.14'], ['127.0.0.1']) });
    const url = `http://rebind.example.com:${target.port}/hooks`;
    expect(await guard.checkUrl(new URL(url))).toBeUndefined();
    await expect(post(guard, url)).rejects.toThrow('rebind.example.com resolves to 127.0.0.1 is loopback');
    expect(target.hits()).toBe(0);
  });

  it('refuses localhost through the system resolver', async () => {
    const target = await receiver((_request, response) => response.end());
    await expect(post(new OutboundGuard(), `http://localhost:${target.port}/hooks`)).rejects.toThrow(
      /localhost resolves to (127\.0\.0\.1|::1) is loopback/,
    );
    expect(target.hits()).toBe(0);
  });

  it('connects to the address it checked: an allowed name reaches the receiver with the body', async () => {
    let received = '';
    const target = await receiver((request, response) => {
      request.setEncoding('utf8');
      request.on('data', (chunk: string) => {
        received += chunk;
      });
      request.on('end', () => {
        response.statusCode = 204;
        response.end();
      });
    });
    const guard = new OutboundGuard({ allow: ['127.0.0.0/8'], lookup: scriptedLookup(['127.0.0.1']) });
    const response = await post(guard, `http://hooks.internal:${target.port}/hooks`);
    expect(response.status).toBe(204);
    expect(received).toBe('{"hello":"world"}');
  });

  it('does not follow a redirect: the 302 is the answer', async () => {
    const target = await receiver((_request, response) => {
      response.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data/' });
      response.end();
    });
    const guard = new OutboundGuard({ allow: ['127.0.0.1'] });
    const response = await post(guard, `http://127.0.0.1:${target.port}/hooks`);
    expect(response.status).toBe(302);
    expect(target.hits()).toBe(1);
  });

  it('cuts a huge response at the cap and closes the connection', async () => {
    let closedEarly = false;
    const target = await receiver((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/octet-stream' });
      const chunk = Buffer.alloc(64 * 1024, 120);
      // Writes until the client goes away; a client that read everything would never stop it.
      const write = () => {
        while (!response.destroyed && response.write(chunk)) {}
        if (!response.destroyed) response.once('drain', write);
      };
      response.on('close', () => {
        closedEarly = !response.writableEnded;
      });
      write();
    });
    const guard = new OutboundGuard({ allow: ['127.0.0.1'], maxResponseBytes: 1024 });
    const response = await post(guard, `http://127.0.0.1:${target.port}/hooks`);
    expect(response.status).toBe(200);
    expect(response.headers.get('x-refundguard-cut')).toBe('over 1024 bytes');
    expect((await response.arrayBuffer()).byteLength).toBe(1024);
    await expect.poll(() => closedEarly).toBe(true);
  });

  it('times out a receiver that never answers', async () => {
    const target = await receiver(() => undefined);
    const guard = new OutboundGuard({ allow: ['127.0.0.1'], timeoutMs: 200 });
    await expect(post(guard, `http://127.0.0.1:${target.port}/hooks`)).rejects.toThrow(
      'timed out after 200 ms',
    );
  });

  it('cuts a body that trickles past the deadline', async () => {
    const target = await receiver((_request, response) => {
      response.writeHead(200);
      response.write('a');
      // Never ends.
    });
    const guard = new OutboundGuard({ allow: ['127.0.0.1'], timeoutMs: 200 });
    const response = await post(guard, `http://127.0.0.1:${target.port}/hooks`);
    expect(response.status).toBe(200);
    expect(response.headers.get('x-refundguard-cut')).toBe('timed out after 200 ms');
  });
});
