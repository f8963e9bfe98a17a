import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountClosed, refundStory } from './testing/events.ts';
import { bearer, createTestServer, type TestServer } from './testing/test-server.ts';

describe('read routes', () => {
  let server: TestServer;
  const list = (query: string) =>
    server.app.inject({
      method: 'GET',
      url: `/v1/assessments${query}`,
      headers: bearer(server.keys.analyst),
    });

  beforeAll(async () => {
    server = await createTestServer();
    // Two honest stories and one on an account closed for fraud before its refund request.
    const risky = refundStory('risky', Date.parse('2026-06-01T12:00:00Z'));
    const events = [
      ...refundStory('calm', Date.parse('2026-05-01T12:00:00Z')),
      ...refundStory('quiet', Date.parse('2026-05-10T12:00:00Z')),
      ...risky.slice(0, 3),
      accountClosed('risky-e5', 'risky-account', '2026-06-13T00:00:00Z'),
      risky[3],
    ];
    const response = await server.app.inject({
      method: 'POST',
      url: '/v1/events',
      headers: bearer(server.keys.ingest),
      payload: events,
    });
    expect(response.json()).toMatchObject({ inserted: 13, assessed: 6, rejected: [] });
  });
  afterAll(async () => {
    await server.close();
  });

  describe('GET /v1/assessments', () => {
    it('lists every assessment, newest decided moment first, with the default page', async () => {
      const response = await list('');
      expect(response.statusCode).toBe(200);
      const body = response.json();
      expect(body.limit).toBe(100);
      expect(body.offset).toBe(0);
      expect(body.items).toHaveLength(6);
      const times = body.items.map((item: { at: string }) => item.at);
      expect(times).toEqual([...times].sort().reverse());
      expect(body.items[0]).toMatchObject({
        subjectType: 'refund',
        subjectId: 'risky-refund',
        decision: 'deny',
      });
    });

    it('filters by decision (comma-separated or repeated), account, subject type and kind', async () => {
      const all = (await list('')).json().items as { subjectId: string; decision: string }[];
      const flagged = (await list('?decision=review,deny')).json();
      const expected = all.filter((item) => item.decision === 'review' || item.decision === 'deny');
      expect(expected.map((item) => item.subjectId)).toContain('risky-refund');
      expect(flagged.items).toEqual(expected);
      const repeated = (await list('?decision=review&decision=deny')).json();
      expect(repeated.items).toEqual(flagged.items);

      const calm = (await list('?accountId=calm-account')).json();
      expect(calm.items.map((item: { subjectType: string }) => item.subjectType).sort()).toEqual([
        'refund',
        'signup',
      ]);

      const signups = (await list('?subjectType=signup&kind=request')).json();
      expect(signups.items).toHaveLength(3);
      expect(signups.items.every((item: { subjectType: string }) => item.subjectType === 'signup')).toBe(
        true,
      );
    });

    it('pages with limit and offset', async () => {
      const first = (await list('?limit=4')).json();
      const second = (await list('?limit=4&offset=4')).json();
      expect(first.items).toHaveLength(4);
      expect(second).toMatchObject({ limit: 4, offset: 4 });
      expect(second.items).toHaveLength(2);
      const ids = [...first.items, ...second.items].map(
        (item: { subjectId: string; subjectType: string }) => `${item.subjectType}:${item.subjectId}`,
      );
      expect(new Set(ids).size).toBe(6);
    });

    it('names each invalid query parameter and why', async () => {
      const response = await list('?decision=maybe&limit=0&offset=-1&subjectType=order&sort=at');
      expect(response.statusCode).toBe(400);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(response.json().errors).toEqual(
        expect.arrayContaining([
          { field: 'decision.0', reason: 'must be one of approve, return_first, review, deny, allow, block' },
          { field: 'limit', reason: 'must be at least 1' },
          { field: 'offset', reason: 'must be at least 0' },
          expect.objectContaining({ field: 'subjectType' }),
          { field: 'sort', reason: 'is not a known field' },
        ]),
      );
      expect((await list('?limit=ten')).json().errors).toEqual([
        { field: 'limit', reason: 'must be a whole number' },
      ]);
      expect((await list('?limit=1001')).json().errors).toEqual([
        { field: 'limit', reason: 'must be at most 1000' },
      ]);
    });
  });

  describe('GET /v1/rules', () => {
    it('shows the active rule pack', async () => {
      const response = await server.app.inject({
        method: 'GET',
        url: '/v1/rules',
        headers: bearer(server.keys.analyst),
      });
      expect(response.statusCode).toBe(200);
      const body = response.json();
      const pack = server.engine.rules.pack;
      expect(body).toMatchObject({ name: pack.name, version: pack.version });
      expect(body.evidence).toHaveLength(pack.evidence.length);
      expect(body.evidence[0]).toMatchObject({
        family: pack.evidence[0]?.family,
        levels: expect.arrayContaining([
          expect.objectContaining({
            id: pack.evidence[0]?.levels[0]?.id,
            when: pack.evidence[0]?.levels[0]?.when,
          }),
        ]),
      });
      expect(body.policies.map((policy: { id: string }) => policy.id)).toEqual(
        pack.policies.map((policy) => policy.id),
      );
      expect(body.policy).toEqual(pack.policy);
      expect(body.modelVersion).toBeNull();
      expect(body.signupRules).toHaveLength(pack.signupRules.length);
    });
  });
});
