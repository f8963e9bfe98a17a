import { describe, expect, it } from 'vitest';
import { parseNdjson } from './ndjson.ts';

describe('parseNdjson', () => {
  it('numbers lines from 1, skips blank ones and reports lines that are not JSON', () => {
    const records = parseNdjson('\uFEFF{"a":1}\r\n\n  \n[1,\n"text"\r\n{"b":2}');
    expect(records.received).toBe(4);
    expect(records.items).toEqual([{ a: 1 }, 'text', { b: 2 }]);
    expect(records.lineNumbers).toEqual([1, 5, 6]);
    expect(records.recordIndexes).toEqual([0, 2, 3]);
    expect(records.unreadable).toEqual([
      {
        index: 1,
        line: 4,
        problems: [{ field: '(root)', reason: expect.stringMatching(/^is not valid JSON \(/) }],
      },
    ]);
  });

  it('reads an empty body as no records', () => {
    expect(parseNdjson('')).toEqual({
      received: 0,
      items: [],
      lineNumbers: [],
      recordIndexes: [],
      unreadable: [],
    });
  });
});
