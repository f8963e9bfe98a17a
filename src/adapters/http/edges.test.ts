// The HTTP edge under attack, on every dialect: what the outside probe found (deep unknown
// fields, 8 MB runs, NUL, long ids, impossible and far-future dates, `__proto__`, `"hello"`,
// invalid UTF-8, `%00` in parameters) is refused per event or per request with a 400 naming the
// field, and fast-check walks the events, assess and console routes with arbitrary input: never a
// 500, every good event of a mixed batch stored exactly once, every error naming a field.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FUZZ_SEED, mixedBatch } from '../../core/testing/event-arbitraries.ts';
import { dialectsToTest } from '../db/testing/test-locations.ts';
import {
  type ConsoleTestServer,
  createConsoleTestServer,
  type SignedIn,
  signIn,
} from './testing/console-server.ts';

const NOW = Date.parse('2026-07-01T00:00:00Z');
const TIME = '2026-06-01T12:00:00Z';
const API_DOCUMENT = new URL('../../../docs/openapi.json', import.meta.url);

function login(id: string, extra: Record<string, unknown> = {}) {
  return { id, type: 'account.login', time: TIME, data: { accountId: 'acc-1', ...extra } };
}

const DEEP = 'DEEP';

interface Rejection {
  index: number;
  line?: number;
  eventId?: string;
  problems: { field: string; reason: string }[];
}

describe.each(dialectsToTest())('the HTTP edge under attack (%s)', (dialect) => {
  let server: ConsoleTestServer;
  let key: Record<string, string>;
  let admin: SignedIn;

  beforeAll(async () => {
    server = await createConsoleTestServer(dialect, { clock: () => NOW });
    key = { authorization: `Bearer ${server.adminKey}` };
    admin = await signIn(server.app, 'admin@test.local');
  }, 60_000);
  afterAll(async () => {
    await server?.close();
  });

  const send = (payload: string | Buffer, contentType = 'application/json', url = '/v1/events') =>
    server.app.inject({ method: 'POST', url, headers: { ...key, 'content-type': contentType }, payload });
  const sendEvents = (events: unknown[], format: 'json' | 'ndjson') =>
    format === 'json'
      ? send(JSON.stringify(events))
      : send(events.map((event) => JSON.stringify(event)).join('\n'), 'application/x-ndjson');
  const rejectedOf = (body: { rejected?: Rejection[] }) => body.rejected ?? [];

  it('refuses what the probe sent per event, naming the field, and takes the rest of the batch', async () => {
    const events = [
      login('edge-good-1'),
      login('edge-deep', { extra: DEEP }),
      {
        ...login('edge-run'),
        type: 'intel.post',
        data: { postId: 'p', source: 'telegram', channel: 'c', text: 'a'.repeat(8 << 20) },
      },
      login('edge-nul', { ip: '10.0.0.1\u0000' }),
      login(`edge-long-${'i'.repeat(3000)}`),
      { ...login('edge-feb30'), time: '2026-02-30T10:00:00Z' },
      { ...login('edge-9999'), time: '9999-01-01T00:00:00Z' },
      { ...login('edge-0001'), time: '0001-01-01T00:00:00Z' },
      login('edge-good-2'),
    ];
    const before = await server.store.countEvents();
    // The client's JSON.stringify would overflow on 10,000 levels too: that one is written by hand.
    const deep = `${'{"x":'.repeat(10_000)}1${'}'.repeat(10_000)}`;
    const response = await send(JSON.stringify(events).replace('"DEEP"', deep));
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ received: 9, inserted: 2 });
    expect(
      rejectedOf(response.json()).map((rejection) => [rejection.index, rejection.problems[0]?.field]),
    ).toEqual([
      [1, expect.stringMatching(/^data\.extra\.x\.x/)],
      [2, 'data.text'],
      [3, 'data.ip'],
      [4, 'id'],
      [5, 'time'],
      [6, 'time'],
      [7, 'time'],
    ]);
    expect(await server.store.countEvents()).toBe(before + 2);
    // Nothing ran ahead: the latest event is the batch's own, not year 9999.
    expect(server.engine.riskState.lastEventAt).toBe(Date.parse(TIME));
  });

  it('gives the same event the same verdict over JSON and NDJSON', async () => {
    const events = [
      login('same-good'),
      login('same-proto', { meta: JSON.parse('{"__proto__":{"admin":true}}') }),
      login('same-nul', { ip: 'a\u0000' }),
      { ...login('same-date'), time: '2026-04-31T00:00:00Z' },
    ];
    const json = rejectedOf((await sendEvents(events, 'json')).json());
    const ndjson = rejectedOf((await sendEvents(events, 'ndjson')).json());
    expect(json.map(({ line: _line, ...rejection }) => rejection)).toEqual(
      ndjson.map(({ line: _line, ...rejection }) => rejection),
    );
    expect(json.map((rejection) => rejection.problems[0]?.field)).toEqual([
      'data.meta.__proto__',
      'data.ip',
      'time',
    ]);
  });

  it('refuses a body that is not UTF-8, and in NDJSON only the line that is not', async () => {
    const bad = Buffer.concat([Buffer.from('[{"id":"utf-'), Buffer.from([0xc3, 0x28]), Buffer.from('"}]')]);
    const whole = await send(bad);
    expect(whole.statusCode).toBe(400);
    expect(whole.json().errors).toEqual([{ field: '(root)', reason: 'the body is not valid UTF-8' }]);

    const lines = Buffer.concat([
      Buffer.from(`${JSON.stringify(login('utf-good-1'))}\n{"id":"`),
      Buffer.from([0xff, 0xfe]),
      Buffer.from(`"}\n${JSON.stringify(login('utf-good-2'))}\n`),
    ]);
    const response = await send(lines, 'application/x-ndjson');
    expect(response.json()).toMatchObject({
      received: 3,
      inserted: 2,
      rejected: [
        { index: 1, line: 2, problems: [{ field: '(root)', reason: 'the line is not valid UTF-8' }] },
      ],
    });
  });

  it('refuses "hello", __proto__ and constructor bodies saying which and why', async () => {
    const hello = await send('"hello"');
    expect(hello.statusCode).toBe(400);
    expect(hello.json().errors[0]).toEqual({
      field: '(root)',
      reason: 'the body must be an event object or an array of events, not a string',
    });
    for (const [body, field] of [
      ['{"refundId":"r","__proto__":{"x":1}}', '__proto__'],
      ['{"refundId":"r","meta":{"constructor":{"prototype":{"x":1}}}}', 'meta.constructor'],
    ] as const) {
      const response = await send(body, 'application/json', '/v1/refunds/assess');
      expect(response.statusCode, body).toBe(400);
      expect(response.json().errors, body).toEqual([
        { field, reason: expect.stringContaining('prototype poisoning') },
      ]);
    }
  });

  it('refuses a NUL in any query or path parameter or console body with a 400 naming it', async () => {
    for (const url of [
      '/v1/assessments?accountId=a%00b',
      '/v1/refunds/r%00/assessment',
      '/v1/refunds?accountId=%00',
      '/v1/cases/c%00',
      '/v1/audit?actor=%00',
    ]) {
      const response = await server.app.inject({ method: 'GET', url, headers: admin.headers });
      expect(response.statusCode, url).toBe(400);
      expect(response.json().errors[0].reason, url).toContain('NUL');
    }
    const note = await server.app.inject({
      method: 'POST',
      url: '/v1/users',
      headers: admin.headers,
      payload: { email: 'x\u0000@test.local', name: 'n', role: 'analyst', password: 'long enough password' },
    });
    expect(note.statusCode).toBe(400);
    expect(note.json().errors).toEqual([{ field: 'email', reason: expect.stringContaining('NUL') }]);
  });

  it('refuses an assessment time past the window, naming time', async () => {
    const body = {
      refundId: 'r-time',
      orderId: 'o',
      accountId: 'a',
      amountMinor: 100,
      currency: 'USD',
      reason: 'damaged',
      channel: 'chat',
    };
    for (const time of ['9999-01-01T00:00:00Z', '0001-01-01T00:00:00Z', '2026-02-30T00:00:00Z']) {
      const response = await send(
        JSON.stringify({ ...body, time }),
        'application/json',
        '/v1/refunds/assess',
      );
      expect(response.statusCode, time).toBe(400);
      expect(response.json().errors[0].field, time).toBe('time');
    }
    expect(
      (await send(JSON.stringify({ ...body, time: TIME }), 'application/json', '/v1/refunds/assess'))
        .statusCode,
    ).toBe(200);
  });

  it('fuzz: mixed batches over JSON and NDJSON never give a 500, store each good event once, name every field', async () => {
    const seen = new Set<string>();
    let before = await server.store.countEvents();
    await fc.assert(
      fc.asyncProperty(
        mixedBatch,
        fc.constantFrom('json' as const, 'ndjson' as const),
        async (batch, format) => {
          const response = await sendEvents(batch.items, format);
          expect(response.statusCode).toBeLessThan(500);
          const body = response.json();
          const rejected = rejectedOf(body);
          for (const rejection of rejected)
            for (const problem of rejection.problems) expect(problem.field).toMatch(/\S/);
          // Every mutation is refused, and no good event is.
          expect(rejected.map((rejection) => rejection.index)).toEqual(batch.bad);
          // The same batch again, the other way: the same refusals, and every good event a duplicate.
          const again = await sendEvents(batch.items, format === 'json' ? 'ndjson' : 'json');
          expect(rejectedOf(again.json()).map(({ index, problems }) => ({ index, problems }))).toEqual(
            rejected.map(({ index, problems }) => ({ index, problems })),
          );
          if (batch.good.length > 0) expect(again.json()).toMatchObject({ inserted: 0 });
          // Stored exactly once: the store grew by what was new, each good id once.
          const fresh = new Set(batch.good.filter((id) => !seen.has(id)));
          expect(body.inserted ?? 0).toBe(fresh.size);
          const after = await server.store.countEvents();
          expect(after - before).toBe(fresh.size);
          before = after;
          for (const id of batch.good) seen.add(id);
        },
      ),
      { seed: FUZZ_SEED, numRuns: 25 },
    );
  }, 60_000);

  it('fuzz: arbitrary assess bodies never give a 500, and every 400 names a field', async () => {
    const refund = fc.record(
      {
        refundId: fc.oneof(fc.string(), fc.constant('r'.repeat(300))),
        orderId: fc.string(),
        accountId: fc.string(),
        amountMinor: fc.oneof(fc.integer(), fc.double()),
        currency: fc.constantFrom('USD', 'usd', ''),
        reason: fc.constantFrom('damaged', 'bored'),
        channel: fc.constantFrom('chat', 'fax'),
        time: fc.oneof(
          fc.string(),
          fc.date({ noInvalidDate: true }).map((date) => date.toISOString()),
        ),
        extra: fc.jsonValue({ maxDepth: 4 }),
      },
      { requiredKeys: [] },
    );
    await fc.assert(
      fc.asyncProperty(fc.oneof(refund, fc.jsonValue({ maxDepth: 3 })), async (body) => {
        const response = await send(JSON.stringify(body) ?? 'null', 'application/json', '/v1/refunds/assess');
        expect(response.statusCode, JSON.stringify(body)).toBeLessThan(500);
        if (response.statusCode === 400)
          for (const problem of response.json().errors) expect(problem.field).toMatch(/\S/);
      }),
      { seed: FUZZ_SEED, numRuns: 60 },
    );
  }, 60_000);

  it('fuzz: every console API route with arbitrary parameters and bodies never gives a 500', async () => {
    const document = JSON.parse(await readText(API_DOCUMENT)) as {
      paths: Record<string, Record<string, { parameters?: { name: string; in: string }[] }>>;
    };
    const routes = Object.entries(document.paths).flatMap(([path, methods]) =>
      Object.entries(methods)
        // Signing out would end the walk's own session.
        .filter(([method]) => !(path === '/v1/session' && method === 'delete'))
        .map(([method, operation]) => ({
          path,
          method: method.toUpperCase(),
          query: (operation.parameters ?? [])
            .filter((parameter) => parameter.in === 'query')
            .map((p) => p.name),
        })),
    );
    expect(routes.length).toBeGreaterThan(40);
    const text = fc.oneof(
      fc.string({ maxLength: 20 }),
      fc.string({ unit: 'binary', maxLength: 10 }),
      fc.constantFrom('\u0000', '%00', '-1', '1e309', '9999-99-99', 'x'.repeat(3000), '../..', '__proto__'),
    );
    const body = fc.oneof(
      fc.jsonValue({ maxDepth: 3 }),
      fc.dictionary(
        fc.constantFrom(
          'email',
          'name',
          'role',
          'url',
          'events',
          'note',
          'reason',
          'from',
          'to',
          'status',
          'assignee',
          'kind',
        ),
        fc.oneof(text, fc.jsonValue({ maxDepth: 1 })),
      ),
    );
    const routeIndex = fc.integer({ min: 0, max: routes.length - 1 });
    const failures: string[] = [];
    const statuses = new Set<number>();
    await fc.assert(
      fc.asyncProperty(
        routeIndex,
        text,
        fc.dictionary(fc.string({ maxLength: 8 }), text, { maxKeys: 3 }),
        body,
        async (which, param, extra, payload) => {
          const route = routes[which] as (typeof routes)[number];
          const path = route.path.replace(/\{[^}]+\}/g, encodeURIComponent(param));
          const query = new URLSearchParams();
          for (const name of route.query) query.set(name, param);
          for (const [name, value] of Object.entries(extra)) query.set(name, value);
          const response = await server.app.inject({
            method: route.method as 'GET',
            url: `${path}?${query.toString()}`,
            headers: admin.headers,
            ...(route.method === 'GET' || route.method === 'DELETE'
              ? {}
              : {
                  payload: JSON.stringify(payload) ?? 'null',
                  headers: { ...admin.headers, 'content-type': 'application/json' },
                }),
          });
          statuses.add(response.statusCode);
          if (response.statusCode >= 500) failures.push(`${route.method} ${path}: ${response.body}`);
          expect(
            response.statusCode,
            `${route.method} ${path}?${query} ${JSON.stringify(payload)}`,
          ).toBeLessThan(500);
        },
      ),
      { seed: FUZZ_SEED, numRuns: 250 },
    );
    expect(failures).toEqual([]);
    // The walk got past the guards: some calls were served, some refused for what they sent.
    expect(statuses).toContain(200);
    expect(statuses).toContain(400);
    expect(statuses).not.toContain(401);
  }, 120_000);
});

async function readText(url: URL): Promise<string> {
  const { readFile } = await import('node:fs/promises');
  return readFile(url, 'utf8');
}
