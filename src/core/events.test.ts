import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { EVENT_TYPES, parseEvent } from './events.ts';

const EXAMPLES = new URL('../../../shared/contract/examples.jsonl', import.meta.url);

describe('parseEvent', () => {
  it.runIf(existsSync(EXAMPLES))('accepts every example of the contract', () => {
    const lines = readFileSync(EXAMPLES, 'utf8').split('\n').filter(Boolean);
    const types = new Set<string>();
    for (const line of lines) {
      const result = parseEvent(JSON.parse(line));
      expect(result.ok, line).toBe(true);
      if (result.ok) types.add(result.event.type);
    }
    expect(types.size).toBe(EVENT_TYPES.length);
  });

  it('keeps unknown fields inside data', () => {
    const result = parseEvent({
      id: 'e1',
      type: 'account.login',
      time: '2026-05-03T08:15:00Z',
      data: { accountId: 'a1', browserLanguage: 'fr-CA' },
    });
    expect(result.ok && result.event.data).toMatchObject({ browserLanguage: 'fr-CA' });
  });

  it('names the field and the reason of a bad event', () => {
    const result = parseEvent({
      id: 'e2',
      type: 'refund.requested',
      time: '2026-05-03T08:15:00Z',
      data: {
        refundId: 'r',
        orderId: 'o',
        accountId: 'a',
        amountMinor: 12.5,
        currency: 'usd',
        reason: 'bored',
        channel: 'chat',
      },
    });
    expect(result.ok).toBe(false);
    const fields = result.ok ? [] : result.problems.map((problem) => problem.field);
    expect(fields).toEqual(expect.arrayContaining(['data.amountMinor', 'data.currency', 'data.reason']));
  });

  it('rejects an unknown type and a time without a timezone', () => {
    const unknownType = parseEvent({
      id: 'e3',
      type: 'order.teleported',
      time: '2026-05-03T08:15:00Z',
      data: {},
    });
    expect(unknownType.ok ? [] : unknownType.problems.map((problem) => problem.field)).toEqual(['type']);
    const noZone = parseEvent({
      id: 'e4',
      type: 'account.login',
      time: '2026-05-03T08:15:00',
      data: { accountId: 'a' },
    });
    expect(noZone.ok ? [] : noZone.problems.map((problem) => problem.field)).toEqual(['time']);
  });
});
