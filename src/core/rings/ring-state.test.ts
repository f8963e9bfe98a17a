// How often the ring state detects rings as event time moves on: daily on an ordinary graph,
// spaced out in proportion on a large one (a run costs seconds at a million accounts).
import { describe, expect, it } from 'vitest';
import { callerLineKey } from '../identity.ts';
import { DEFAULT_RING_STATE_OPTIONS, RingState } from './ring-state.ts';

const DAY = 86_400_000;
const context = { valueUsers: () => undefined, isWarehousePostalCode: () => false };

function withAccounts(accounts: number, accountsPerRunInterval = 10): RingState {
  const state = new RingState(context, { ...DEFAULT_RING_STATE_OPTIONS, accountsPerRunInterval });
  for (let index = 0; index < accounts; index += 1)
    state.addRefund({
      refundId: `r-${index}`,
      accountId: `a-${index}`,
      at: 0,
      amountUsdMinor: 100,
      reason: 'damaged',
    });
  return state;
}

describe('RingState run cadence', () => {
  it('does not detect on an empty graph, then detects once a day of event time', () => {
    expect(withAccounts(0).due(DAY)).toBe(false);
    const state = withAccounts(5);
    expect(state.due(DAY)).toBe(true);
    state.detect(DAY);
    expect(state.due(DAY + DAY / 2)).toBe(false);
    expect(state.due(2 * DAY)).toBe(true);
  });

  it('spaces runs out in proportion once the graph holds more accounts than the interval is set for', () => {
    const state = withAccounts(40, 10);
    expect(state.runInterval()).toBe(4 * DAY);
    state.detect(DAY);
    expect(state.due(4 * DAY)).toBe(false);
    expect(state.due(5 * DAY)).toBe(true);
  });

  it('leaves runs to the caller when told to (a live server detecting on a timer)', () => {
    const state = new RingState(context, {
      ...DEFAULT_RING_STATE_OPTIONS,
      detectEveryMs: Number.POSITIVE_INFINITY,
    });
    state.addRefund({ refundId: 'r', accountId: 'a', at: 0, amountUsdMinor: 100, reason: 'damaged' });
    expect(state.due(365 * DAY)).toBe(false);
  });
});

describe('RingState phone lines', () => {
  /**
   * Clients called for from one refunder line, its number read with each client's country; the
   * risk state hands over the contact's origin as the line (`callerLineKey`) and the number as read.
   */
  function calledFrom(state: RingState, numbers: string[], prefix = 'client') {
    numbers.forEach((number, index) => {
      const accountId = `${prefix}-${index}`;
      const at = DAY + index * 3_600_000;
      const contact = {
        contactId: `c-${prefix}-${index}`,
        accountId,
        at: at - 60_000,
        originKey: callerLineKey(`caller:${number}`),
        callerId: number,
        ip: `81.${index + 1}.2.3`,
        deviceKnown: false,
        ipRangeKnown: false,
      };
      state.addRefund(
        { refundId: `r-${prefix}-${index}`, accountId, at, amountUsdMinor: 90_000, reason: 'not_received' },
        {
          paymentFingerprint: `card-${accountId}`,
          addressKey: `addr-${accountId}`,
          deviceId: `phone-${accountId}`,
        },
        contact,
      );
    });
  }

  it('sees one refunder line in a national-form caller id read with two marketplaces’ countries', () => {
    const state = new RingState(context);
    // "07847 296070" on UK clients' calls reads as +44 7847 296070; on US clients' it stays as sent.
    calledFrom(state, ['+447847296070', '+447847296070', '07847296070', '07847296070', '+447847296070']);
    const { rings } = state.detect(10 * DAY);
    expect(rings.map((ring) => ring.accountIds)).toEqual([
      ['client-0', 'client-1', 'client-2', 'client-3', 'client-4'],
    ]);
    expect(rings[0]?.fingerprints.origins).toEqual(['caller:847296070']);
    // A later call from the line, in either form, is the ring's refunder.
    for (const number of ['07847296070', '+447847296070'])
      expect(
        state.ringFor({ accountId: 'next', at: 11 * DAY, originKey: callerLineKey(`caller:${number}`) })?.via,
      ).toBe('origin');
  });

  it('ignores a line many accounts use themselves, counting them under every number read as it', () => {
    // An office switchboard: six accounts have it as their own number in each of its two forms.
    const switchboard = new RingState({
      valueUsers: (kind, value) => (kind === 'caller' && value.endsWith('847296070') ? 6 : undefined),
      isWarehousePostalCode: () => false,
    });
    calledFrom(switchboard, [
      '+447847296070',
      '+447847296070',
      '07847296070',
      '07847296070',
      '+447847296070',
    ]);
    expect(switchboard.detect(10 * DAY).rings).toEqual([]);
  });
});
