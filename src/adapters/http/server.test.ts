import { Writable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApiKey, revokeApiKey } from '../../app/api-keys.ts';
import { RiskEngine } from '../../app/engine.ts';
import { loadRulePack } from '../../app/rule-pack-file.ts';
import { openStore } from '../db/open-store.ts';
import { buildServer, type RunningServer, startServer } from './server.ts';
import { refundStory } from './testing/events.ts';
import { bearer, createTestServer, type TestServer } from './testing/test-server.ts';

const PROBLEM_JSON = /^application\/problem\+json/;

describe('HTTP server', () => {
  let server: TestServer;
  beforeEach(async () => {
    server = await createTestServer();
  });
  afterEach(async () => {
    await server.close();
  });

  describe('GET /health', () => {
    it('answers without an API key with the stored event count', async () => {
      expect((await server.app.inject({ method: 'GET', url: '/health' })).json()).toEqual({
        status: 'ok',
        events: 0,
      });
      await server.app.inject({
        method: 'POST',
        url: '/v1/events',
        headers: bearer(server.keys.ingest),
        payload: refundStory('health'),
      });
      expect((await server.app.inject({ method: 'GET', url: '/health' })).json()).toEqual({
        status: 'ok',
        events: 4,
      });
    });
  });

  describe('authentication', () => {
    const V1_ROUTES = [
      'POST /v1/events',
      'POST /v1/refunds/assess',
      'GET /v1/refunds/any/assessment',
      'GET /v1/assessments',
      'GET /v1/rules',
    ].map((route) => {
      const [method, url] = route.split(' ') as ['GET' | 'POST', string];
      return { method, url };
    });

    it.each(V1_ROUTES)('$method $url needs an API key (401 problem)', async ({ method, url }) => {
      const response = await server.app.inject({ method, url, payload: method === 'POST' ? [] : undefined });
      expect(response.statusCode).toBe(401);
      expect(response.headers['content-type']).toMatch(PROBLEM_JSON);
      expect(response.headers['www-authenticate']).toBe('Bearer realm="refundguard"');
      expect(response.json()).toMatchObject({
        type: 'urn:refundguard:problem:unauthenticated',
        title: 'Authentication required',
        status: 401,
      });
    });

    it('refuses an unknown key, a malformed header and two different keys', async () => {
      const attempts: Record<string, string>[] = [
        bearer('rg_not-a-real-key'),
        { 'x-api-key': 'rg_not-a-real-key' },
        { authorization: `Basic ${Buffer.from(`user:${server.keys.admin}`).toString('base64')}` },
        { authorization: server.keys.admin },
        { ...bearer(server.keys.admin), 'x-api-key': server.keys.analyst },
      ];
      for (const headers of attempts) {
        const response = await server.app.inject({ method: 'GET', url: '/v1/rules', headers });
        expect(response.statusCode, JSON.stringify(headers)).toBe(401);
        expect(response.json().status).toBe(401);
      }
    });

    it('refuses a revoked key', async () => {
      const headers = bearer(server.keys.analyst);
      expect((await server.app.inject({ method: 'GET', url: '/v1/rules', headers })).statusCode).toBe(200);
      await revokeApiKey(server.store, server.keyIds.analyst, Date.now);
      const response = await server.app.inject({ method: 'GET', url: '/v1/rules', headers });
      expect(response.statusCode).toBe(401);
      expect(response.json().detail).toBe('The API key is unknown or revoked.');
    });

    it('accepts the key as Bearer or X-API-Key, the same key in both too', async () => {
      for (const headers of [
        bearer(server.keys.analyst),
        { authorization: `bearer   ${server.keys.analyst}` },
        { 'x-api-key': server.keys.analyst },
        { ...bearer(server.keys.analyst), 'x-api-key': server.keys.analyst },
      ]) {
        expect((await server.app.inject({ method: 'GET', url: '/v1/rules', headers })).statusCode).toBe(200);
      }
    });

    it("refuses what the key's role does not allow (403 problem)", async () => {
      const forbidden = [
        { role: 'analyst', method: 'POST', url: '/v1/events' },
        { role: 'analyst', method: 'POST', url: '/v1/refunds/assess' },
        { role: 'ingest', method: 'GET', url: '/v1/assessments' },
        { role: 'ingest', method: 'GET', url: '/v1/rules' },
      ] as const;
      for (const { role, method, url } of forbidden) {
        const response = await server.app.inject({
          method,
          url,
          headers: bearer(server.keys[role]),
          payload: method === 'POST' ? refundStory('forbidden') : undefined,
        });
        expect(response.statusCode, `${role} ${method} ${url}`).toBe(403);
        expect(response.headers['content-type']).toMatch(PROBLEM_JSON);
        expect(response.json()).toMatchObject({ type: 'urn:refundguard:problem:forbidden', status: 403 });
      }
      // Nothing was stored by the refused requests.
      expect(await server.store.countEvents()).toBe(0);
    });

    it('lets admin do everything', async () => {
      const headers = bearer(server.keys.admin);
      for (const { method, url, payload } of [
        { method: 'POST', url: '/v1/events', payload: refundStory('admin') },
        { method: 'GET', url: '/v1/refunds/admin-refund/assessment' },
        { method: 'GET', url: '/v1/assessments' },
        { method: 'GET', url: '/v1/rules' },
      ] as const) {
        expect((await server.app.inject({ method, url, headers, payload })).statusCode, url).toBe(200);
      }
    });
  });

  describe('errors', () => {
    it('answers an unknown route with a 404 problem', async () => {
      const response = await server.app.inject({ method: 'GET', url: '/v2/nothing?x=1' });
      expect(response.statusCode).toBe(404);
      expect(response.headers['content-type']).toMatch(PROBLEM_JSON);
      expect(response.json()).toMatchObject({ status: 404, detail: 'No route GET /v2/nothing.' });
    });

    it('answers a body that is not JSON with a 400 problem', async () => {
      const response = await server.app.inject({
        method: 'POST',
        url: '/v1/events',
        headers: { ...bearer(server.keys.ingest), 'content-type': 'application/json' },
        payload: '{"id": ',
      });
      expect(response.statusCode).toBe(400);
      expect(response.headers['content-type']).toMatch(PROBLEM_JSON);
      expect(response.json()).toMatchObject({
        type: 'urn:refundguard:problem:validation',
        status: 400,
        errors: [{ field: '(root)', reason: expect.stringMatching(/^the body is not valid JSON \(.+\)$/) }],
      });
    });

    it('hides the cause of a server failure (500 problem, no stack, a request id)', async () => {
      const store = await openStore(':memory:');
      const app = buildServer({
        engine: new RiskEngine(store, loadRulePack(), Date.now),
        store,
        clock: Date.now,
      });
      try {
        await store.close(); // the database goes away under the server
        const response = await app.inject({ method: 'GET', url: '/health' });
        expect(response.statusCode).toBe(500);
        expect(response.headers['content-type']).toMatch(PROBLEM_JSON);
        expect(response.json()).toEqual({
          type: 'about:blank',
          title: 'Internal Server Error',
          status: 500,
          detail: 'The request could not be completed.',
          requestId: expect.any(String),
        });
        expect(response.body).not.toMatch(/at .*\.ts|stack|sqlite|database/i);
      } finally {
        await app.close();
      }
    });
  });

  describe('OpenAPI', () => {
    it('documents every route, generated from the zod schemas, with the API-key scheme on /v1', async () => {
      const response = await server.app.inject({ method: 'GET', url: '/openapi.json' });
      expect(response.statusCode).toBe(200);
      const spec = response.json();
      expect(spec.openapi).toBe('3.1.0');
      expect(Object.keys(spec.paths).sort()).toEqual([
        '/health',
        '/v1/assessments',
        '/v1/events',
        '/v1/refunds/assess',
        '/v1/refunds/{refundId}/assessment',
        '/v1/rules',
      ]);
      expect(spec.components.securitySchemes).toEqual({
        bearerAuth: expect.objectContaining({ type: 'http', scheme: 'bearer' }),
        apiKeyHeader: { type: 'apiKey', in: 'header', name: 'X-API-Key' },
      });
      for (const [path, operations] of Object.entries<
        Record<string, { security?: unknown; responses: object }>
      >(spec.paths)) {
        for (const operation of Object.values(operations)) {
          if (path.startsWith('/v1/')) {
            expect(operation.security, path).toEqual([{ bearerAuth: [] }, { apiKeyHeader: [] }]);
            expect(Object.keys(operation.responses), path).toEqual(
              expect.arrayContaining(['200', '401', '403']),
            );
          } else expect(operation.security ?? [], path).toEqual([]);
        }
      }
      const events = spec.paths['/v1/events'].post;
      expect(Object.keys(events.requestBody.content)).toEqual(['application/json', 'application/x-ndjson']);
      const assess = spec.paths['/v1/refunds/assess'].post.requestBody.content['application/json'].schema;
      expect(assess.required).toEqual(
        expect.arrayContaining([
          'refundId',
          'orderId',
          'accountId',
          'amountMinor',
          'currency',
          'reason',
          'channel',
        ]),
      );
      expect(assess.properties.reason.enum).toContain('empty_box');
      expect(assess.properties.time).toBeDefined();
      const query = spec.paths['/v1/assessments'].get.parameters.map(
        (parameter: { name: string }) => parameter.name,
      );
      expect(query).toEqual(['decision', 'accountId', 'subjectType', 'kind', 'limit', 'offset']);
    });

    it('serves swagger-ui at /docs', async () => {
      const response = await server.app.inject({ method: 'GET', url: '/docs' });
      expect(response.statusCode).toBe(200);
      expect(response.headers['content-type']).toMatch(/text\/html/);
      expect(response.body).toContain('swagger-ui');
    });
  });
});

describe('logging', () => {
  it('never writes an API key to the log', async () => {
    const lines: string[] = [];
    const stream = new Writable({
      write(chunk, _encoding, callback) {
        lines.push(String(chunk));
        callback();
      },
    });
    const server = await createTestServer({ logger: { level: 'trace', stream } });
    try {
      const revoked = await createApiKey(server.store, { name: 'old', role: 'ingest' }, Date.now);
      await revokeApiKey(server.store, revoked.id, Date.now);
      const secrets = [server.keys.ingest, server.keys.analyst, revoked.secret, 'rg_guessed-key'];
      await server.app.inject({
        method: 'POST',
        url: '/v1/events',
        headers: bearer(server.keys.ingest),
        payload: [{}],
      });
      await server.app.inject({
        method: 'GET',
        url: '/v1/rules',
        headers: { 'x-api-key': server.keys.analyst },
      });
      await server.app.inject({ method: 'GET', url: '/v1/rules', headers: bearer(revoked.secret) });
      await server.app.inject({ method: 'GET', url: '/v1/rules', headers: bearer('rg_guessed-key') });
      // Even a log call that includes the headers has them redacted.
      server.app.log.info({ req: { headers: { authorization: `Bearer ${server.keys.ingest}` } } }, 'headers');
      server.app.log.info({ headers: { 'x-api-key': server.keys.analyst } }, 'headers');

      const log = lines.join('');
      expect(lines.length).toBeGreaterThanOrEqual(6);
      for (const secret of secrets) expect(log).not.toContain(secret);
      expect(log).toContain('[redacted]');
      // The key's id (not its secret) is on the request's log lines, for the audit trail.
      expect(log).toContain(server.keyIds.analyst);
    } finally {
      await server.close();
    }
  });
});

describe('request logs', () => {
  it('writes one JSON line per request with its id, route, status and latency, and each 500 with its stack; the level holds', async () => {
    const lines: string[] = [];
    const server = await createTestServer({
      logger: { level: 'info', stream: { write: (line: string) => void lines.push(line) } },
    });
    try {
      await server.app.inject({ method: 'GET', url: '/v1/rules?x=1', headers: bearer(server.keys.analyst) });
      await server.store.close(); // the database goes away under the server: a 500
      await server.app.inject({ method: 'GET', url: '/health' });
      const entries = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
      const rules = entries.find((entry) => entry.msg === 'request' && entry.route === '/v1/rules');
      expect(rules).toMatchObject({ method: 'GET', path: '/v1/rules', status: 200, level: 30 });
      expect(typeof rules?.reqId).toBe('string');
      expect(typeof rules?.ms).toBe('number');
      const failed = entries.find((entry) => entry.msg === 'request failed');
      expect(failed).toMatchObject({ level: 50, err: { type: expect.any(String) } });
      expect(String((failed?.err as { stack?: string } | undefined)?.stack)).toMatch(/\n\s+at /);
      expect(entries.find((entry) => entry.msg === 'request' && entry.route === '/health')).toMatchObject({
        status: 500,
        reqId: failed?.reqId,
      });
    } finally {
      await server.app.close();
    }
    const quiet: string[] = [];
    const warnOnly = await createTestServer({
      logger: { level: 'warn', stream: { write: (line: string) => void quiet.push(line) } },
    });
    try {
      await warnOnly.app.inject({ method: 'GET', url: '/v1/rules', headers: bearer(warnOnly.keys.analyst) });
      expect(quiet).toEqual([]);
    } finally {
      await warnOnly.close();
    }
  });
});

describe('startServer', () => {
  let running: RunningServer | undefined;
  afterEach(async () => {
    await running?.app.close();
  });

  it('listens on a loopback port and answers over real HTTP', async () => {
    const store = await openStore(':memory:');
    try {
      const engine = new RiskEngine(store, loadRulePack(), Date.now);
      await engine.load();
      const { secret } = await createApiKey(store, { name: 'support desk', role: 'ingest' }, Date.now);
      running = await startServer({ engine, store, clock: Date.now, port: 0, host: '127.0.0.1' });
      expect(running.port).toBeGreaterThan(0);
      expect(running.address).toBe(`http://127.0.0.1:${running.port}`);

      const health = await fetch(`${running.address}/health`);
      expect(health.status).toBe(200);
      expect(await health.json()).toEqual({ status: 'ok', events: 0 });

      const ndjson = refundStory('wire')
        .map((event) => JSON.stringify(event))
        .join('\n');
      const sent = await fetch(`${running.address}/v1/events`, {
        method: 'POST',
        headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/x-ndjson' },
        body: ndjson,
      });
      expect(sent.status).toBe(200);
      expect(await sent.json()).toEqual({
        received: 4,
        inserted: 4,
        duplicates: 0,
        assessed: 2,
        rejected: [],
      });

      const assessed = await fetch(`${running.address}/v1/refunds/wire-refund/assessment`, {
        headers: { 'x-api-key': secret },
      });
      expect(assessed.status).toBe(200);
      expect(await assessed.json()).toMatchObject({ subjectId: 'wire-refund', kind: 'request' });

      const anonymous = await fetch(`${running.address}/v1/events`, { method: 'POST', body: ndjson });
      expect(anonymous.status).toBe(401);
      expect(anonymous.headers.get('content-type')).toMatch(PROBLEM_JSON);
    } finally {
      await running?.app.close();
      running = undefined;
      await store.close();
    }
  });
});
