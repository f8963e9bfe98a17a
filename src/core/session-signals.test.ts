// Sessions opened on a refunder's device, end to end through the risk state: a device new to
// the account that signed in to other accounts or chatted for them, its network new as well.
import { describe, expect, it } from 'vitest';
import { loadRulePack } from '../app/rule-pack-file.ts';
import { assessInFlow, codesOf, GANG_REASON_CODES, riskCodesOf } from './testing/assess-in-flow.ts';
import { EventBuilder } from './testing/event-builder.ts';

const rules = loadRulePack();

describe('sessions on a refunder’s device', () => {
  /** A refunder signs in to each client's account from his laptop and asks for a refund himself. */
  function loginRefunder(clients: number): EventBuilder {
    const world = new EventBuilder();
    for (let index = 1; index <= clients; index += 1) {
      const client = `client-${index}`;
      world
        .customer(client, { ip: `98.${index}.1.7` })
        .order(`order-${index}`, client, 10, 59_900, { hot: true, deliveredDay: 12, ip: `98.${index}.1.7` })
        .login(client, 13 + index, { deviceId: 'dev-refunder-laptop', ip: `45.134.22.${index}` })
        .refund(`refund-${index}`, `order-${index}`, client, 13.02 + index, 59_900, {
          reason: 'not_received',
        });
    }
    return world;
  }

  it('flags a request made in a session the refunder’s laptop opened after three other accounts', () => {
    const events = loginRefunder(4).events();
    const fourth = assessInFlow(rules, events, 'refund-4');
    expect(fourth.signals.session).toEqual({
      newDevice: true,
      newNetwork: true,
      deviceOtherAccounts: 3,
      deviceContactAccounts30d: 0,
    });
    expect(codesOf(fourth)).toContain('SESSION_FROM_SHARED_DEVICE');
    expect(fourth.reasons.find((reason) => reason.code === 'SESSION_FROM_SHARED_DEVICE')?.text).toContain(
      '3 other accounts have signed in from',
    );
    const first = assessInFlow(rules, events, 'refund-1');
    expect(first.signals.session).toEqual({
      newDevice: true,
      newNetwork: true,
      deviceOtherAccounts: 0,
      deviceContactAccounts30d: 0,
    });
    expect(codesOf(first)).not.toContain('SESSION_FROM_SHARED_DEVICE');
  });

  it('flags a session opened from a device that chatted with support about another customer’s account', () => {
    // The refunder chats for one client from his laptop, then signs in to another client's account
    // from it and asks for the refund in self-service.
    const world = new EventBuilder()
      .customer('client-a', { ip: '98.1.1.7' })
      .order('order-a', 'client-a', 10, 59_900, { hot: true, deliveredDay: 12, ip: '98.1.1.7' })
      .contact('contact-a', 'client-a', 14, { deviceId: 'dev-refunder-laptop', ip: '45.134.22.1' })
      .customer('client-b', { ip: '98.2.1.7' })
      // Not a sought-after item, so only the device's contacts for others speak here.
      .order('order-b', 'client-b', 10, 59_900, { deliveredDay: 12, ip: '98.2.1.7' })
      .login('client-b', 15, { deviceId: 'dev-refunder-laptop', ip: '45.134.22.2' })
      .refund('refund-b', 'order-b', 'client-b', 15.02, 59_900, {
        reason: 'defective',
        returnRequired: true,
      });
    const result = assessInFlow(rules, world.events(), 'refund-b');
    expect(result.signals.session).toMatchObject({ newDevice: true, deviceContactAccounts30d: 1 });
    expect(codesOf(result)).toContain('SESSION_FROM_DEVICE_THAT_CONTACTED_FOR_OTHERS');
    expect(result.decision).toBe('review');
  });

  it('does not flag a family member signing in on the shared tablet another member chatted from', () => {
    // The tablet is known to both accounts (the family signed in on it long ago): no new device.
    const world = new EventBuilder()
      .family(['mum', 'son'])
      .order('order-mum', 'mum', 5, 8_900, { deliveredDay: 7, ip: '98.7.7.7' })
      .order('order-son', 'son', 5, 59_900, { hot: true, deliveredDay: 7, ip: '98.7.7.7' })
      .contact('contact-mum', 'mum', 9, { deviceId: 'dev-family-tablet', ip: '98.7.7.7' })
      .login('son', 10, { deviceId: 'dev-family-tablet', ip: '98.7.7.7' })
      .refund('refund-son', 'order-son', 'son', 10.02, 59_900, { reason: 'defective', returnRequired: true });
    const result = assessInFlow(rules, world.events(), 'refund-son');
    expect(result.signals.session.newDevice).toBe(false);
    expect(result.signals.session.deviceContactAccounts30d).toBe(0);
    expect(result.decision).toBe('approve');
  });

  // An anti-detect browser shows a fresh fingerprint to every account: nothing is shared, only
  // the device and the network are both new to the account.
  it('flags a whole sought-after order claimed from a device and a network the account never used', () => {
    const world = new EventBuilder()
      .customer('client', { deviceId: 'dev-client', ip: '98.1.1.7' })
      .order('order-client', 'client', 10, 59_900, { hot: true, deliveredDay: 12, ip: '98.1.1.7' })
      .login('client', 14, { deviceId: 'dev-fresh-fingerprint-81', ip: '45.134.22.9' })
      .refund('refund-client', 'order-client', 'client', 14.02, 59_900, {
        reason: 'wrong_item',
        returnRequired: true,
      });
    const result = assessInFlow(rules, world.events(), 'refund-client');
    expect(result.signals.session).toMatchObject({
      newDevice: true,
      newNetwork: true,
      deviceOtherAccounts: 0,
    });
    expect(riskCodesOf(result)).toContain('SESSION_FROM_NEW_DEVICE_AND_NETWORK');
    for (const code of GANG_REASON_CODES) expect(riskCodesOf(result)).not.toContain(code);
    expect(result.decision).toBe('review');
  });

  it('does not send to review the customer’s new phone on the home network, nor a traveller’s new laptop', () => {
    const world = new EventBuilder()
      .customer('ava', { deviceId: 'dev-ava-old-phone', ip: '98.1.1.7' })
      .order('order-ava', 'ava', 10, 59_900, { hot: true, deliveredDay: 12, ip: '98.1.1.7' })
      .login('ava', 14, { deviceId: 'dev-ava-new-phone', ip: '98.1.1.9' })
      .refund('refund-ava', 'order-ava', 'ava', 14.02, 59_900, { reason: 'defective', returnRequired: true })
      .customer('ben', { deviceId: 'dev-ben', ip: '98.2.1.7' })
      .order('order-ben', 'ben', 10, 59_900, { hot: true, deliveredDay: 12, ip: '98.2.1.7' })
      // Ben is travelling: a hotel network and his new laptop, about one of the order's items.
      .login('ben', 14, { deviceId: 'dev-ben-laptop', ip: '81.7.3.3' })
      .refund('refund-ben', 'order-ben', 'ben', 14.02, 12_000, { reason: 'defective', returnRequired: true });
    const ava = assessInFlow(rules, world.events(), 'refund-ava');
    expect(ava.signals.session).toMatchObject({ newDevice: true, newNetwork: false });
    expect(ava.trace.levels.session).toBe('new-device-session');
    // A 599 USD return of sought-after goods from a two-week-old account may wait for the return; no more.
    expect(['approve', 'return_first']).toContain(ava.decision);
    const ben = assessInFlow(rules, world.events(), 'refund-ben');
    expect(ben.signals.session).toMatchObject({ newDevice: true, newNetwork: true });
    expect(ben.signals.refund.shareOfOrder).toBeLessThan(0.99);
    expect(['approve', 'return_first']).toContain(ben.decision);
  });

  it('does not tie a request to a sign-in hours earlier', () => {
    const world = loginRefunder(3)
      .customer('late', { ip: '98.99.1.7' })
      .order('order-late', 'late', 10, 59_900, { hot: true, deliveredDay: 12, ip: '98.99.1.7' })
      .login('late', 20, { deviceId: 'dev-refunder-laptop', ip: '45.134.22.99' })
      .refund('refund-late', 'order-late', 'late', 20.2, 59_900, { reason: 'not_received' });
    const result = assessInFlow(rules, world.events(), 'refund-late');
    expect(result.signals.session).toEqual({
      newDevice: false,
      newNetwork: false,
      deviceOtherAccounts: 0,
      deviceContactAccounts30d: 0,
    });
    expect(codesOf(result)).not.toContain('SESSION_FROM_SHARED_DEVICE');
  });
});
