import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { accountCreated, refundStory, toNdjson } from './testing/events.ts';
import { bearer, createTestServer, type TestServer } from './testing/test-server.ts';

const NDJSON = 'application/x-ndjson';

describe('POST /v1/events', () => {
  let server: TestServer;
  let headers: Record<string, string>;
  beforeEach(async () => {
    server = await createTestServer({ eventsBodyLimit: 256 * 1024 });
    headers = bearer(server.keys.ingest);
  });
  afterEach(async () => {
    await server.close();
  });

  const post = (payload: unknown, contentType?: string) =>
    server.app.inject({
      method: 'POST',
      url: '/v1/events',
      headers: contentType === undefined ? headers : { ...headers, 'content-type': contentType },
      payload: payload as string,
    });

  it('stores a JSON array of events and assesses the refund request and the sign-up', async () => {
    const response = await post(refundStory('array'));
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ received: 4, inserted: 4, duplicates: 0, assessed: 2, rejected: [] });
    expect(await server.store.countEvents()).toBe(4);
    const stored = await server.store.getAssessment('refund', 'array-refund', 'request');
    expect(stored).toMatchObject({ subjectId: 'array-refund', accountId: 'array-account', kind: 'request' });
    expect(await server.store.getAssessment('signup', 'array-account', 'request')).toBeDefined();
  });

  it('stores a single event object', async () => {
    const response = await post(accountCreated('single-1', 'single-account', '2026-05-01T12:00:00Z'));
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ received: 1, inserted: 1, duplicates: 0, assessed: 1, rejected: [] });
  });

  it('treats a re-sent batch as a no-op (idempotent by event id)', async () => {
    const story = refundStory('again');
    expect((await post(story)).json()).toMatchObject({ inserted: 4, duplicates: 0, assessed: 2 });
    const before = await server.store.getAssessment('refund', 'again-refund', 'request');

    const again = await post(story);
    expect(again.statusCode).toBe(200);
    expect(again.json()).toEqual({ received: 4, inserted: 0, duplicates: 4, assessed: 0, rejected: [] });
    expect(await server.store.countEvents()).toBe(4);
    expect(await server.store.getAssessment('refund', 'again-refund', 'request')).toEqual(before);

    const ndjsonAgain = await post(toNdjson(story), NDJSON);
    expect(ndjsonAgain.json()).toMatchObject({ inserted: 0, duplicates: 4 });
  });

  it('stores the valid events of a mixed batch and reports each invalid one with field and reason', async () => {
    const [created, placed, delivered, requested] = refundStory('mixed');
    const badAmount = { ...requested, id: 'mixed-bad-1', data: { ...requested?.data, amountMinor: 12.5 } };
    const unknownType = {
      id: 'mixed-bad-2',
      type: 'order.teleported',
      time: '2026-05-01T12:00:00Z',
      data: {},
    };
    const response = await post([created, badAmount, placed, unknownType, delivered, requested, 'text']);
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body).toMatchObject({ received: 7, inserted: 4, duplicates: 0, assessed: 2 });
    expect(body.rejected).toEqual([
      {
        index: 1,
        eventId: 'mixed-bad-1',
        problems: [{ field: 'data.amountMinor', reason: 'must be an integer number of minor units (cents)' }],
      },
      {
        index: 3,
        eventId: 'mixed-bad-2',
        problems: [{ field: 'type', reason: expect.stringMatching(/^must be one of account\.created, /) }],
      },
      { index: 6, problems: [expect.objectContaining({ field: '(root)' })] },
    ]);
  });

  it('takes NDJSON, reporting a line that is not JSON by its line number while the rest go in', async () => {
    const [created, placed, delivered, requested] = refundStory('ndjson');
    const missingTime = { id: 'ndjson-bad', type: 'account.login', data: { accountId: 'ndjson-account' } };
    const body = toNdjson([
      created!,
      '{"id": "broken", ',
      '',
      placed!,
      JSON.stringify(missingTime),
      delivered!,
      requested!,
    ]);
    const response = await post(`${body}\r\n\n`, `${NDJSON}; charset=utf-8`);
    expect(response.statusCode).toBe(200);
    const result = response.json();
    expect(result).toMatchObject({ received: 6, inserted: 4, duplicates: 0, assessed: 2 });
    expect(result.rejected).toEqual([
      {
        index: 1,
        line: 2,
        problems: [{ field: '(root)', reason: expect.stringMatching(/^is not valid JSON/) }],
      },
      { index: 3, line: 5, eventId: 'ndjson-bad', problems: [expect.objectContaining({ field: 'time' })] },
    ]);
    expect(await server.store.getAssessment('refund', 'ndjson-refund', 'request')).toBeDefined();
  });

  it('accepts an empty batch', async () => {
    expect((await post([])).json()).toEqual({
      received: 0,
      inserted: 0,
      duplicates: 0,
      assessed: 0,
      rejected: [],
    });
    expect((await post('', NDJSON)).json()).toEqual({
      received: 0,
      inserted: 0,
      duplicates: 0,
      assessed: 0,
      rejected: [],
    });
  });

  it('answers 400 with the rejected list when every event is rejected', async () => {
    const response = await post(
      toNdjson(['nope', JSON.stringify({ id: 'x', type: 'account.login' })]),
      NDJSON,
    );
    expect(response.statusCode).toBe(400);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.json()).toEqual({
      type: 'urn:refundguard:problem:events-rejected',
      title: 'No event was accepted',
      status: 400,
      detail: 'All 2 events were rejected; see `rejected`.',
      received: 2,
      rejected: [
        { index: 0, line: 1, problems: [expect.objectContaining({ field: '(root)' })] },
        {
          index: 1,
          line: 2,
          eventId: 'x',
          problems: expect.arrayContaining([expect.objectContaining({ field: 'time' })]),
        },
      ],
      requestId: expect.any(String),
    });
    expect(await server.store.countEvents()).toBe(0);
  });

  it('refuses a body that is neither events nor NDJSON', async () => {
    const scalar = await post('42', 'application/json');
    expect(scalar.statusCode).toBe(400);
    expect(scalar.json()).toMatchObject({
      type: 'urn:refundguard:problem:validation',
      errors: [
        { field: '(root)', reason: 'the body must be an event object or an array of events, not a number' },
      ],
    });
    // A JSON string is JSON, not a media type the route lacks: a 400 naming the body (it was a 415).
    const string = await post('"hello"', 'application/json');
    expect(string.statusCode).toBe(400);
    expect(string.json().errors).toEqual([
      { field: '(root)', reason: 'the body must be an event object or an array of events, not a string' },
    ]);

    const text = await post('hello', 'text/plain');
    expect(text.statusCode).toBe(415);
    expect(text.json()).toMatchObject({
      type: 'urn:refundguard:problem:unsupported-media-type',
      status: 415,
    });

    const xml = await post('<event/>', 'application/xml');
    expect(xml.statusCode).toBe(415);
    expect(xml.headers['content-type']).toMatch(/^application\/problem\+json/);
  });

  it('refuses a body over the limit with a 413 problem', async () => {
    const large = toNdjson(
      Array.from({ length: 2_000 }, (_, index) =>
        accountCreated(`big-${index}`, `big-${index}`, '2026-05-01T12:00:00Z'),
      ),
    );
    expect(large.length).toBeGreaterThan(256 * 1024);
    const response = await post(large, NDJSON);
    expect(response.statusCode).toBe(413);
    expect(response.json()).toMatchObject({ type: 'about:blank', title: 'Payload Too Large', status: 413 });
    expect(await server.store.countEvents()).toBe(0);
  });
});

describe('POST /v1/events body limit', () => {
  it('accepts bodies of several megabytes by default (64 MiB limit)', async () => {
    const server = await createTestServer();
    try {
      const events = Array.from({ length: 20_000 }, (_, index) =>
        accountCreated(
          `bulk-${index}`,
          `bulk-${index}`,
          new Date(Date.UTC(2026, 0, 1) + index * 60_000).toISOString(),
        ),
      );
      const body = toNdjson(events);
      expect(body.length).toBeGreaterThan(4 * 1024 * 1024);
      const response = await server.app.inject({
        method: 'POST',
        url: '/v1/events',
        headers: { ...bearer(server.keys.ingest), 'content-type': NDJSON },
        payload: body,
      });
      expect(response.statusCode).toBe(200);
      expect(response.json()).toMatchObject({ received: 20_000, inserted: 20_000, rejected: [] });
    } finally {
      await server.close();
    }
  });
});
