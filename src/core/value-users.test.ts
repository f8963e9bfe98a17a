import { describe, expect, it } from 'vitest';
import { ValueUsers } from './value-users.ts';

/** What a Map<accountId, firstAt> shows after the same uses. */
function asMap(uses: [string, number][]): Map<string, number> {
  const map = new Map<string, number>();
  for (const [accountId, at] of uses) {
    const previous = map.get(accountId);
    if (previous === undefined || at < previous) map.set(accountId, at);
  }
  return map;
}

describe('ValueUsers', () => {
  const cases: [string, number][][] = [
    [['a', 5]],
    [
      ['a', 5],
      ['a', 3],
      ['a', 9],
    ],
    [
      ['a', 5],
      ['b', 2],
      ['a', 1],
      ['c', 7],
      ['b', 8],
      ['b', 1],
    ],
  ];
  it.each(cases)('shows what a map of first uses would, in the same order (%#)', (...uses) => {
    const [first, ...rest] = uses as [string, number][];
    const users = new ValueUsers(first![0], first![1]);
    for (const [accountId, at] of rest) users.recordUse(accountId, at);
    const expected = asMap(uses as [string, number][]);
    expect(users.size).toBe(expected.size);
    expect([...users]).toEqual([...expected]);
    expect([...users.keys()]).toEqual([...expected.keys()]);
    const visited: [number, string][] = [];
    users.forEach((at, accountId) => {
      visited.push([at, accountId]);
    });
    expect(visited).toEqual([...expected].map(([accountId, at]) => [at, accountId]));
    for (const accountId of ['a', 'b', 'c', 'z']) expect(users.get(accountId)).toBe(expected.get(accountId));
  });
});
