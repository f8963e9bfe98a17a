// The bounds on one event (event-limits.ts) and strict timestamps: each refusal names the field,
// nothing the contract accepts is refused, and no input overflows the stack.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EVENT_LIMITS } from './event-limits.ts';
import { parseEvent, timestampMs } from './events.ts';
import { orderIdTokens } from './risk-state.ts';
import { FUZZ_SEED, goodEvent, mutation } from './testing/event-arbitraries.ts';

const post = {
  id: 'e1',
  type: 'intel.post',
  time: '2026-10-01T12:00:00Z',
  data: { postId: 'p1', source: 'telegram', channel: 'c', text: 'hello' },
};

function nested(depth: number): unknown {
  let value: unknown = 'bottom';
  for (let level = 0; level < depth; level += 1) value = { x: value };
  return value;
}

function problemsOf(input: unknown): { field: string; reason: string }[] {
  const result = parseEvent(input);
  return result.ok ? [] : result.problems;
}

describe('event limits', () => {
  it('refuses unknown fields nested past the depth limit, 10,000 levels included, and keeps 30', () => {
    expect(parseEvent({ ...post, data: { ...post.data, extra: nested(30) } }).ok).toBe(true);
    for (const depth of [40, 10_000]) {
      const [problem] = problemsOf({ ...post, data: { ...post.data, extra: nested(depth) } });
      expect(problem?.reason).toBe(`nests deeper than ${EVENT_LIMITS.depth} levels`);
      expect(problem?.field.startsWith('data.extra.x.x')).toBe(true);
    }
  });

  it('refuses a NUL in any string or key, naming the field', () => {
    expect(problemsOf({ ...post, id: 'e\u0000' })[0]?.field).toBe('id');
    expect(problemsOf({ ...post, data: { ...post.data, text: 'a\u0000b' } })[0]?.field).toBe('data.text');
    expect(problemsOf({ ...post, data: { ...post.data, more: { 'k\u0000': 1 } } })[0]?.field).toBe(
      'data.more.k\u0000',
    );
    expect(problemsOf({ ...post, data: { ...post.data, list: ['a', 'b\u0000'] } })[0]).toEqual({
      field: 'data.list.1',
      reason: expect.stringContaining('NUL'),
    });
  });

  it('refuses ids past 256 UTF-8 bytes, counted in bytes', () => {
    expect(parseEvent({ ...post, id: 'x'.repeat(256) }).ok).toBe(true);
    expect(problemsOf({ ...post, id: 'x'.repeat(257) })[0]?.field).toBe('id');
    // 100 three-byte characters: 300 bytes.
    expect(problemsOf({ ...post, data: { ...post.data, postId: '€'.repeat(100) } })[0]).toEqual({
      field: 'data.postId',
      reason: 'is longer than 256 bytes (UTF-8)',
    });
    expect(parseEvent({ ...post, data: { ...post.data, postId: '€'.repeat(85) } }).ok).toBe(true);
  });

  it('caps text fields and other strings at their documented lengths', () => {
    const long = (chars: number) => ({ ...post, data: { ...post.data, text: 'a'.repeat(chars) } });
    expect(parseEvent(long(EVENT_LIMITS.textChars)).ok).toBe(true);
    // An 8 MB unbroken run: refused by its length (the order-id scan would cope with it too).
    expect(problemsOf(long(8 * 1024 * 1024))[0]?.field).toBe('data.text');
    expect(problemsOf({ ...post, data: { ...post.data, url: 'u'.repeat(5000) } })[0]?.field).toBe('data.url');
    // Many texts each under their cap: bounded together, the text detectors read them all.
    const contact = (count: number) => ({
      id: 'c1',
      type: 'contact.created',
      time: '2026-10-01T12:00:00Z',
      data: {
        contactId: 'c',
        accountId: 'a',
        channel: 'chat',
        messages: Array.from({ length: count }, () => ({ from: 'customer', text: 't'.repeat(60_000) })),
      },
    });
    expect(parseEvent(contact(4)).ok).toBe(true);
    expect(problemsOf(contact(5))[0]).toEqual({
      field: 'data.messages.4.text',
      reason: expect.stringContaining('free texts longer than'),
    });
  });

  it('bounds the count and size of unknown fields', () => {
    const many = Object.fromEntries(Array.from({ length: 1001 }, (_, index) => [`k${index}`, index]));
    expect(problemsOf({ ...post, data: { ...post.data, ...many } })[0]?.reason).toContain('unknown fields');
    const big = { ...post, data: { ...post.data, blob: 'b'.repeat(EVENT_LIMITS.unknownChars + 1) } };
    expect(problemsOf(big)[0]).toEqual({
      field: 'data.blob',
      reason: expect.stringContaining('unknown fields'),
    });
    expect(parseEvent({ ...post, data: { ...post.data, blob: 'b'.repeat(1000) } }).ok).toBe(true);
    // A NUL is found in a long unknown string too.
    const nul = { ...post, data: { ...post.data, blob: `${'b'.repeat(10_000)}\u0000` } };
    expect(problemsOf(nul)[0]).toEqual({ field: 'data.blob', reason: expect.stringContaining('NUL') });
  });

  it('refuses __proto__, constructor and prototype keys anywhere, saying why', () => {
    const poisoned = JSON.parse(
      '{"id":"e","type":"intel.post","time":"2026-10-01T12:00:00Z","data":{"postId":"p","source":"telegram","channel":"c","meta":{"__proto__":{"admin":true}}}}',
    );
    expect(problemsOf(poisoned)[0]).toEqual({
      field: 'data.meta.__proto__',
      reason: expect.stringContaining('prototype poisoning'),
    });
    expect(problemsOf({ ...post, data: { ...post.data, constructor: { prototype: {} } } })[0]?.field).toBe(
      'data.constructor',
    );
  });

  it('refuses lone surrogates', () => {
    expect(problemsOf({ ...post, data: { ...post.data, text: 'a\ud800' } })[0]?.field).toBe('data.text');
    expect(parseEvent({ ...post, data: { ...post.data, text: 'a😀' } }).ok).toBe(true);
  });
});

describe('strict RFC 3339 timestamps', () => {
  it('refuses moments the calendar does not have, which Date.parse rolled over', () => {
    for (const bad of [
      '2026-02-30T00:00:00Z',
      '2026-02-29T00:00:00Z',
      '2026-04-31T00:00:00Z',
      '2026-13-01T00:00:00Z',
      '2026-00-10T00:00:00Z',
      '2026-01-01T24:00:00Z',
      '2026-01-01T23:60:00Z',
      '2026-01-01T23:59:60Z',
      '2026-01-01T10:00:00+24:00',
    ]) {
      expect(timestampMs(bad), bad).toBeUndefined();
      expect(problemsOf({ ...post, time: bad })[0]?.field, bad).toBe('time');
    }
    expect(timestampMs('2028-02-29T23:59:59.999+05:30')).toBe(Date.parse('2028-02-29T23:59:59.999+05:30'));
    expect(timestampMs('2000-02-29T00:00:00Z')).toBe(Date.parse('2000-02-29T00:00:00Z'));
    expect(timestampMs('1900-02-29T00:00:00Z')).toBeUndefined();
  });

  it('agrees with Date.parse on every real moment (property)', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('0001-01-01'), max: new Date('9999-12-31'), noInvalidDate: true }),
        (date) => {
          expect(timestampMs(date.toISOString())).toBe(date.getTime());
        },
      ),
      { seed: FUZZ_SEED, numRuns: 500 },
    );
  });
});

describe('the order-id scan of intel posts', () => {
  it('finds what the regex it replaced found (property), and copes with an 8 MB run', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom('a', 'Z', '7', '-', ' ', '.', 'é'), maxLength: 40 }),
        (text) => {
          expect([...orderIdTokens(text)]).toEqual(text.match(/[A-Za-z0-9][A-Za-z0-9-]{5,}/g) ?? []);
        },
      ),
      { seed: FUZZ_SEED, numRuns: 500 },
    );
    expect([...orderIdTokens('a'.repeat(8 * 1024 * 1024))]).toHaveLength(1);
  });
});

describe('parseEvent under fuzzing', () => {
  it('never throws, accepts every good event and refuses every mutation naming a field', () => {
    fc.assert(
      fc.property(goodEvent, fc.option(mutation, { nil: undefined }), (event, mutate) => {
        const whole = { id: 'fz-1', ...event };
        const input = mutate ? mutate(whole) : whole;
        const result = parseEvent(input);
        if (mutate === undefined) expect(result.ok).toBe(true);
        if (!result.ok) {
          expect(result.problems.length).toBeGreaterThan(0);
          for (const problem of result.problems) expect(problem.field).not.toBe('');
        }
      }),
      { seed: FUZZ_SEED, numRuns: 300 },
    );
  });
});
