// The risk state's indexes of shared values, when events repeat what an account used before and
// when they arrive out of time order: the shortcuts for repeats must not hide an earlier use.
import { describe, expect, it } from 'vitest';
import { loadRulePack } from '../app/rule-pack-file.ts';
import { RiskState } from './risk-state.ts';
import { EventBuilder } from './testing/event-builder.ts';

const pack = loadRulePack().pack;
const DAY = 86_400_000;

function stateOf(world: EventBuilder): RiskState {
  const state = new RiskState(pack);
  for (const event of world.events()) state.apply(event);
  return state;
}

describe('risk state: first uses of shared values', () => {
  it('moves an account’s first use of a card and an address earlier when an older order arrives late', () => {
    const world = new EventBuilder()
      .customer('acc-a')
      .order('ord-2', 'acc-a', 5, 1_000, { card: 'card-x' })
      .order('ord-3', 'acc-a', 6, 1_000, { card: 'card-x' })
      .order('ord-1', 'acc-a', 2, 1_000, { card: 'card-x' });
    const state = stateOf(world);
    const start = Date.parse('2026-10-01T00:00:00Z');
    expect(state.usersOf.get('card:card-x')?.get('acc-a')).toBe(start + 2 * DAY);
    expect(state.identities.get('card:card-x')?.get('acc-a')).toBe(start + 2 * DAY);
    const addressKey = state.orders.get('ord-1')?.addressKey;
    expect(addressKey).toBe(state.orders.get('ord-3')?.addressKey);
    expect(state.usersOf.get(`address:${addressKey}`)?.get('acc-a')).toBe(start + 2 * DAY);
  });

  it('indexes a new card, address, device and IP range even right after a repeat', () => {
    const world = new EventBuilder()
      .customer('acc-a', { deviceId: 'dev-1', ip: '10.0.0.1' })
      .login('acc-a', 1, { deviceId: 'dev-1', ip: '10.0.0.1' })
      .login('acc-a', 2, { deviceId: 'dev-1', ip: '10.0.0.1' })
      .login('acc-a', 3, { deviceId: 'dev-2', ip: '10.0.0.2' })
      .login('acc-a', 4, { deviceId: 'dev-2', ip: '10.9.0.1' })
      .order('ord-1', 'acc-a', 5, 1_000, { card: 'card-x' })
      .order('ord-2', 'acc-a', 6, 1_000, { card: 'card-y' });
    const state = stateOf(world);
    const start = Date.parse('2026-10-01T00:00:00Z');
    const account = state.accounts.get('acc-a');
    expect(account?.devices.get('dev-2')).toBe(start + 3 * DAY);
    expect(account?.ipPrefixes.get('10.0.0')).toBe(start);
    expect(account?.ipPrefixes.get('10.9.0')).toBe(start + 4 * DAY);
    expect(state.usersOf.get('device:dev-2')?.get('acc-a')).toBe(start + 3 * DAY);
    expect(state.usersOf.get('range:10.9.0')?.get('acc-a')).toBe(start + 4 * DAY);
    expect(state.usersOf.get('card:card-y')?.get('acc-a')).toBe(start + 6 * DAY);
  });

  it('records a login that came in late, before the one it repeats', () => {
    const world = new EventBuilder()
      .customer('acc-a', { day: 0, deviceId: 'dev-1', ip: '10.0.0.1' })
      .login('acc-a', 5, { deviceId: 'dev-2', ip: '10.1.0.1' })
      .login('acc-a', 3, { deviceId: 'dev-2', ip: '10.1.0.1' });
    const state = stateOf(world);
    const start = Date.parse('2026-10-01T00:00:00Z');
    expect(state.accounts.get('acc-a')?.devices.get('dev-2')).toBe(start + 3 * DAY);
    expect(state.usersOf.get('range:10.1.0')?.get('acc-a')).toBe(start + 3 * DAY);
  });
});
