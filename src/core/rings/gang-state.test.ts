// How often the gang state detects rings as event time moves on: daily on an ordinary graph,
// spaced out in proportion on a large one (a run costs seconds at a million accounts).
import { describe, expect, it } from 'vitest';
import { DEFAULT_GANG_STATE_OPTIONS, GangState } from './gang-state.ts';

const DAY = 86_400_000;
const context = { valueUsers: () => undefined, isWarehousePostalCode: () => false };

function withAccounts(accounts: number, accountsPerRunInterval = 10): GangState {
  const gangs = new GangState(context, { ...DEFAULT_GANG_STATE_OPTIONS, accountsPerRunInterval });
  for (let index = 0; index < accounts; index += 1)
    gangs.addRefund({
      refundId: `r-${index}`,
      accountId: `a-${index}`,
      at: 0,
      amountUsdMinor: 100,
      reason: 'damaged',
    });
  return gangs;
}

describe('GangState run cadence', () => {
  it('does not detect on an empty graph, then detects once a day of event time', () => {
    expect(withAccounts(0).due(DAY)).toBe(false);
    const gangs = withAccounts(5);
    expect(gangs.due(DAY)).toBe(true);
    gangs.detect(DAY);
    expect(gangs.due(DAY + DAY / 2)).toBe(false);
    expect(gangs.due(2 * DAY)).toBe(true);
  });

  it('spaces runs out in proportion once the graph holds more accounts than the interval is set for', () => {
    const gangs = withAccounts(40, 10);
    expect(gangs.runInterval()).toBe(4 * DAY);
    gangs.detect(DAY);
    expect(gangs.due(4 * DAY)).toBe(false);
    expect(gangs.due(5 * DAY)).toBe(true);
  });

  it('leaves runs to the caller when told to (a live server detecting on a timer)', () => {
    const gangs = new GangState(context, {
      ...DEFAULT_GANG_STATE_OPTIONS,
      detectEveryMs: Number.POSITIVE_INFINITY,
    });
    gangs.addRefund({ refundId: 'r', accountId: 'a', at: 0, amountUsdMinor: 100, reason: 'damaged' });
    expect(gangs.due(365 * DAY)).toBe(false);
  });
});
