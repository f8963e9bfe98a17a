import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DECISIONS } from '../../core/decisions.ts';
import { accountClosed, refundPayload, refundStory } from './testing/events.ts';
import { bearer, createTestServer, type TestServer } from './testing/test-server.ts';

describe('refund routes', () => {
  let server: TestServer;
  beforeEach(async () => {
    server = await createTestServer();
  });
  afterEach(async () => {
    await server.close();
  });

  const assess = (payload: unknown) =>
    server.app.inject({
      method: 'POST',
      url: '/v1/refunds/assess',
      headers: bearer(server.keys.ingest),
      payload: payload as object,
    });
  const readAssessment = (refundId: string) =>
    server.app.inject({
      method: 'GET',
      url: `/v1/refunds/${encodeURIComponent(refundId)}/assessment`,
      headers: bearer(server.keys.analyst),
    });
  const send = (events: unknown[]) =>
    server.app.inject({
      method: 'POST',
      url: '/v1/events',
      headers: bearer(server.keys.ingest),
      payload: events,
    });

  describe('POST /v1/refunds/assess', () => {
    it('decides with reasons and stores the assessment (kind api) without recording an event', async () => {
      await send(refundStory('known').slice(0, 3));
      const response = await assess({
        ...refundPayload('asked-1', 'known-account', 'known-order'),
        time: '2026-05-14T09:00:00Z',
      });
      expect(response.statusCode).toBe(200);
      const body = response.json();
      expect(Object.keys(body).sort()).toEqual([
        'decision',
        'modelVersion',
        'reasons',
        'refundId',
        'rulePackVersion',
        'score',
        'signals',
      ]);
      expect(body.refundId).toBe('asked-1');
      expect(DECISIONS).toContain(body.decision);
      expect(body.score).toBeGreaterThanOrEqual(0);
      expect(body.score).toBeLessThanOrEqual(1);
      expect(body.reasons.length).toBeGreaterThan(0);
      for (const reason of body.reasons)
        expect(reason).toMatchObject({ code: expect.any(String), text: expect.any(String) });
      // Every reason the evidence gave carries its weight in the score.
      expect(body.reasons.some((reason: { weight?: number }) => typeof reason.weight === 'number')).toBe(
        true,
      );
      expect(body.modelVersion).toBeNull();
      expect(body.rulePackVersion).toBe(server.engine.rules.pack.version);
      expect(body.signals).toMatchObject({ account: { known: true }, order: { found: true } });

      const stored = await server.store.getAssessment('refund', 'asked-1', 'api');
      expect(stored).toMatchObject({
        kind: 'api',
        decision: body.decision,
        score: body.score,
        at: Date.parse('2026-05-14T09:00:00Z'),
        accountId: 'known-account',
        amountMinor: 59_900,
      });
      expect(await server.store.countEvents()).toBe(3);
    });

    it('denies a refund on an account closed for fraud, with the reason', async () => {
      const story = refundStory('closed');
      await send([
        ...story.slice(0, 3),
        accountClosed('closed-e5', 'closed-account', '2026-05-13T00:00:00Z'),
      ]);
      const response = await assess({
        ...refundPayload('closed-ask', 'closed-account', 'closed-order'),
        time: '2026-05-14T00:00:00Z',
      });
      expect(response.json()).toMatchObject({
        decision: 'deny',
        reasons: expect.arrayContaining([expect.objectContaining({ code: 'ACCOUNT_CLOSED' })]),
      });
    });

    it('names each invalid field and why', async () => {
      const response = await assess({
        ...refundPayload('bad-1', 'account', 'order'),
        amountMinor: '599',
        currency: 'usd',
        reason: 'bored',
        refundId: undefined,
      });
      expect(response.statusCode).toBe(400);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      const body = response.json();
      expect(body).toMatchObject({
        type: 'urn:refundguard:problem:validation',
        title: 'The request is not valid',
        status: 400,
      });
      expect(body.errors.map((error: { field: string }) => error.field).sort()).toEqual([
        'amountMinor',
        'currency',
        'reason',
        'refundId',
      ]);
      expect(body.errors).toContainEqual({
        field: 'currency',
        reason: 'must be an ISO 4217 code such as USD',
      });
      expect(body.detail).toContain('currency: must be an ISO 4217 code such as USD');
      expect(await server.store.listAssessments({})).toEqual([]);
    });

    it('refuses a `time` that is not RFC 3339 and stores nothing', async () => {
      const response = await assess({ ...refundPayload('bad-time', 'account', 'order'), time: '14/05/2026' });
      expect(response.statusCode).toBe(400);
      expect(response.json().errors).toContainEqual({
        field: 'time',
        reason: 'must be an RFC 3339 timestamp with a timezone',
      });
      expect(await server.store.getAssessment('refund', 'bad-time')).toBeUndefined();
    });

    it('refuses a body that is not an object', async () => {
      for (const payload of [[refundPayload('a', 'b', 'c')], 'refund']) {
        const response = await server.app.inject({
          method: 'POST',
          url: '/v1/refunds/assess',
          headers: { ...bearer(server.keys.ingest), 'content-type': 'application/json' },
          payload: JSON.stringify(payload),
        });
        expect(response.statusCode).toBe(400);
        expect(response.json().errors).toEqual([{ field: '(root)', reason: 'must be a JSON object' }]);
      }
    });
  });

  describe('GET /v1/refunds/:refundId/assessment', () => {
    it('returns the assessment made when the request was ingested, with the final decision', async () => {
      await send(refundStory('ingested'));
      const response = await readAssessment('ingested-refund');
      expect(response.statusCode).toBe(200);
      const body = response.json();
      expect(body).toMatchObject({
        subjectType: 'refund',
        subjectId: 'ingested-refund',
        kind: 'request',
        accountId: 'ingested-account',
        at: '2026-05-14T12:00:00.000Z',
        amountMinor: 59_900,
        currency: 'USD',
        amountUsdMinor: 59_900,
        rulePackVersion: server.engine.rules.pack.version,
        createdAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
      });
      expect(DECISIONS).toContain(body.decision);
      expect(body.final).toMatchObject({ decision: expect.any(String), asOf: '2026-05-14T12:00:00.000Z' });
    });

    it('shows later evidence in `final`: the account closed for fraud after the request', async () => {
      await send([
        ...refundStory('later'),
        accountClosed('later-e5', 'later-account', '2026-05-20T00:00:00Z'),
      ]);
      const body = (await readAssessment('later-refund')).json();
      expect(body.kind).toBe('request');
      expect(body.reasons).not.toContainEqual(expect.objectContaining({ code: 'ACCOUNT_CLOSED' }));
      expect(body.final.asOf).toBe('2026-05-20T00:00:00.000Z');
    });

    it('prefers the ingested assessment over one asked through the API, else returns the API one', async () => {
      await assess({
        ...refundPayload('both-refund', 'both-account', 'both-order'),
        time: '2026-05-14T12:00:00Z',
      });
      const asked = (await readAssessment('both-refund')).json();
      expect(asked.kind).toBe('api');
      expect(asked.final).toBeUndefined();

      await send(refundStory('both'));
      expect((await readAssessment('both-refund')).json().kind).toBe('request');
    });

    it('answers 404 when nothing is stored for the refund', async () => {
      const response = await readAssessment('never-seen');
      expect(response.statusCode).toBe(404);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(response.json()).toMatchObject({
        type: 'urn:refundguard:problem:not-found',
        status: 404,
        detail: 'No assessment is stored for refund "never-seen".',
      });
    });

    it('lets an ingest key read the decision on a refund it sent', async () => {
      await send(refundStory('own'));
      const response = await server.app.inject({
        method: 'GET',
        url: '/v1/refunds/own-refund/assessment',
        headers: bearer(server.keys.ingest),
      });
      expect(response.statusCode).toBe(200);
    });
  });
});
