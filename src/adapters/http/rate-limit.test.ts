// Rate limits over real HTTP on loopback, on each database: a burst of parallel wrong passwords is
// counted attempt by attempt before any password is checked (429s, and the right password in the
// next burst does not sign in), per account and per IP, across two servers over one store; the
// lock doubles; the API is limited per credential and per anonymous IP; refused calls are audited
// as one row per caller, route and minute with a count.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConsoleServices } from '../../app/console.ts';
import { openConsoleStore } from '../db/console-store.ts';
import { dialectsToTest } from '../db/testing/test-locations.ts';
import { buildServer } from './server.ts';
import { type ConsoleTestServer, createConsoleTestServer, TEST_PASSWORD } from './testing/console-server.ts';

async function listen(server: ConsoleTestServer): Promise<string> {
  return server.app.listen({ port: 0, host: '127.0.0.1' });
}

async function login(base: string, email: string, password: string): Promise<number> {
  const response = await fetch(`${base}/v1/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  await response.arrayBuffer();
  return response.status;
}

function tally(statuses: number[]): Record<number, number> {
  const counts: Record<number, number> = {};
  for (const status of statuses) counts[status] = (counts[status] ?? 0) + 1;
  return counts;
}

for (const dialect of dialectsToTest()) {
  describe(`sign-in limits over HTTP on ${dialect}`, () => {
    let server: ConsoleTestServer;
    let base: string;

    beforeAll(async () => {
      server = await createConsoleTestServer(dialect, { loginLimits: { perIp: 1000 } });
      base = await listen(server);
    });
    afterAll(async () => server?.close());

    it('answers 429 to all but 5 of 40 parallel wrong passwords, then refuses the right one in a burst of 29 wrong + 1 right', async () => {
      const first = await Promise.all(
        Array.from({ length: 40 }, (_, index) => login(base, 'analyst@test.local', `wrong-${index}`)),
      );
      expect(tally(first)).toEqual({ 401: 5, 429: 35 });
      const burst = await Promise.all(
        Array.from({ length: 30 }, (_, index) =>
          login(base, 'analyst@test.local', index === 29 ? TEST_PASSWORD : `wrong-${index}`),
        ),
      );
      expect(tally(burst)).toEqual({ 429: 30 });
      // Only the 5 checked attempts were audited one by one.
      const failed = await server.services.consoleStore.listAudit({
        limit: 1000,
        action: 'session.login_failed',
      });
      expect(failed.filter((row) => row.subject === 'email:analyst@test.local')).toHaveLength(5);
    });

    it('holds across two servers over one store (two processes): 100 parallel attempts, 5 checked', async () => {
      // The second server: the same code over its own connection to the first one's store.
      const otherStore = await openConsoleStore(server.location.location);
      const services = createConsoleServices({
        engine: server.engine,
        store: server.store,
        consoleStore: otherStore,
        clock: Date.now,
        loginLimits: { perIp: 1000 },
      });
      const app = buildServer({
        engine: server.engine,
        store: server.store,
        clock: Date.now,
        console: services,
      });
      const otherBase = await app.listen({ port: 0, host: '127.0.0.1' });
      try {
        const statuses = await Promise.all(
          Array.from({ length: 100 }, (_, index) =>
            login(index % 2 === 0 ? base : otherBase, 'investigator@test.local', `wrong-${index}`),
          ),
        );
        expect(tally(statuses)).toEqual({ 401: 5, 429: 95 });
      } finally {
        await app.close();
        await services.close();
      }
    });

    it('limits one IP address across accounts: 60 parallel attempts on 60 e-mails, 10 checked', async () => {
      await server.services.consoleStore.clearRateLimit('login:ip:127.0.0.1');
      const limited = await createConsoleTestServer(dialect, { loginLimits: { perIp: 10 } });
      const limitedBase = await listen(limited);
      try {
        const statuses = await Promise.all(
          Array.from({ length: 60 }, (_, index) => login(limitedBase, `nobody-${index}@test.local`, 'wrong')),
        );
        expect(tally(statuses)).toEqual({ 401: 10, 429: 50 });
        expect(await login(limitedBase, 'admin@test.local', TEST_PASSWORD)).toBe(429);
      } finally {
        await limited.close();
      }
    });
  });

  describe(`callers behind a reverse proxy on ${dialect}`, () => {
    // Sign-ins through a proxy all come from its address: without trusting it they share one
    // per-IP limit; trusted, each caller's X-Forwarded-For is counted on its own, and a forged
    // header from anyone else is ignored.
    const attempts = (server: ConsoleTestServer, remoteAddress: string, forwardedFor: string) =>
      Promise.all(
        Array.from({ length: 4 }, async (_, index) => {
          const response = await server.app.inject({
            method: 'POST',
            url: '/v1/session',
            remoteAddress,
            headers: { 'x-forwarded-for': forwardedFor, 'content-type': 'application/json' },
            payload: { email: `proxy-${forwardedFor}-${index}@test.local`, password: 'wrong' },
          });
          return response.statusCode;
        }),
      );

    it('counts each caller behind a trusted proxy apart, and ignores the header from anyone else', async () => {
      const proxied = await createConsoleTestServer(dialect, {
        loginLimits: { perIp: 4 },
        trustProxy: ['10.9.0.1'],
      });
      try {
        // Two callers behind the proxy: 4 attempts each, all checked (401), none refused.
        expect(tally(await attempts(proxied, '10.9.0.1', '198.51.100.7'))).toEqual({ 401: 4 });
        expect(tally(await attempts(proxied, '10.9.0.1', '198.51.100.8'))).toEqual({ 401: 4 });
        // The first one's fifth is past its own limit.
        expect(tally(await attempts(proxied, '10.9.0.1', '198.51.100.7'))).toEqual({ 429: 4 });
        // Not from the proxy: the header is not believed; the address it connects from is counted.
        expect(tally(await attempts(proxied, '10.9.0.2', '198.51.100.9'))).toEqual({ 401: 4 });
        expect(tally(await attempts(proxied, '10.9.0.2', '198.51.100.10'))).toEqual({ 429: 4 });
      } finally {
        await proxied.close();
      }
    });
  });

  describe(`lock back-off and API limits on ${dialect}`, () => {
    let now = 1_800_000_000_000;
    let server: ConsoleTestServer;

    beforeAll(async () => {
      server = await createConsoleTestServer(dialect, {
        clock: () => now,
        loginLimits: { perAccount: 3, windowMs: 60_000, maxLockMs: 10 * 60_000 },
        rateLimit: { perMinute: 10, anonymousPerMinute: 5 },
      });
    });
    afterAll(async () => server?.close());

    // From a new address each time: the account's lock holds however the attempts are spread.
    let address = 0;
    const attempt = (password: string) => {
      address += 1;
      return server.app.inject({
        method: 'POST',
        url: '/v1/session',
        payload: { email: 'supervisor2@test.local', password },
        remoteAddress: `10.0.1.${address}`,
      });
    };

    it('locks an account for a window past the limit, doubling with each further attempt, and a success clears it', async () => {
      for (let index = 0; index < 3; index += 1)
        expect((await attempt(`wrong-${index}`)).statusCode).toBe(401);
      const retryAfter: string[] = [];
      for (let index = 0; index < 4; index += 1) {
        const refused = await attempt(TEST_PASSWORD);
        expect(refused.statusCode).toBe(429);
        expect(refused.json()).toMatchObject({
          status: 429,
          type: 'urn:refundguard:problem:too-many-attempts',
        });
        retryAfter.push(String(refused.headers['retry-after']));
        now += 1000;
      }
      expect(retryAfter).toEqual(['60', '120', '240', '480']);
      now += 480_000;
      expect((await attempt(TEST_PASSWORD)).statusCode).toBe(200);
      for (let index = 0; index < 3; index += 1)
        expect((await attempt(`wrong-${index}`)).statusCode).toBe(401);
      expect((await attempt(TEST_PASSWORD)).statusCode).toBe(429);
      now += 10 * 60_000;
    });

    it('limits calls per API key and per anonymous IP, with Retry-After, and tallies the refusals per minute', async () => {
      now = Math.ceil(now / 60_000) * 60_000 + 1000;
      await server.services.refusals.sweep();
      const withKey = () =>
        server.app.inject({
          method: 'GET',
          url: '/v1/rules',
          headers: { authorization: `Bearer ${server.adminKey}` },
          remoteAddress: '10.0.0.1',
        });
      const keyed = [];
      for (let index = 0; index < 14; index += 1) keyed.push((await withKey()).statusCode);
      expect(tally(keyed)).toEqual({ 200: 10, 429: 4 });
      const refused = await withKey();
      expect(refused.headers['retry-after']).toBeDefined();
      expect(refused.json()).toMatchObject({ status: 429, title: 'Too many requests' });

      const before = (await server.services.consoleStore.listAudit({ limit: 100_000 })).length;
      const anonymous = [];
      for (let index = 0; index < 40; index += 1)
        anonymous.push(
          (await server.app.inject({ method: 'GET', url: '/v1/cases', remoteAddress: '10.0.0.2' }))
            .statusCode,
        );
      expect(tally(anonymous)).toEqual({ 401: 5, 429: 35 });
      // Two tallies began this minute (401 and 429 from 10.0.0.2): two rows, not 40.
      const during = await server.services.consoleStore.listAudit({ limit: 100_000 });
      const added = during.slice(0, during.length - before);
      expect(added.map((row) => [row.action, row.detail.status])).toEqual([
        ['refused', 429],
        ['refused', 401],
      ]);
      now += 60_000;
      expect(await server.services.refusals.sweep()).toBe(3);
      const summaries = await server.services.consoleStore.listAudit({
        limit: 3,
        action: 'refused.repeated',
      });
      const counts = Object.fromEntries(
        summaries.map((row) => [`${row.detail.ip} ${row.detail.status}`, row.detail.count]),
      );
      expect(counts).toEqual({ '10.0.0.2 401': 4, '10.0.0.2 429': 34, '10.0.0.1 429': 4 });
      expect(await server.services.refusals.sweep()).toBe(0);
      expect(await server.services.audit.verify()).toMatchObject({ ok: true });
    });
  });
}
