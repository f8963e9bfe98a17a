import { describe, expect, it } from 'vitest';
import { loadRulePack } from '../app/rule-pack-file.ts';
import { assessRefund, assessSignup } from './assessment.ts';
import type { EventOf, RefundguardEvent } from './events.ts';
import { RiskState } from './risk-state.ts';
import { GANG_REASON_CODES, riskCodesOf } from './testing/assess-in-flow.ts';
import { EventBuilder } from './testing/event-builder.ts';

const rules = loadRulePack();

function stateOf(events: RefundguardEvent[]): RiskState {
  const state = new RiskState(rules.pack);
  for (const event of events) state.apply(event);
  return state;
}

function assess(events: RefundguardEvent[], refundId: string, options: { final?: boolean } = {}) {
  const state = stateOf(events);
  const request = events.find(
    (event): event is EventOf<'refund.requested'> =>
      event.type === 'refund.requested' && event.data.refundId === refundId,
  );
  if (!request) throw new Error(`no refund ${refundId}`);
  const last = Math.max(...events.map((event) => event.at));
  return assessRefund(state, rules, request.data, request.at, options.final ? last : undefined);
}

const SCRIPT =
  'The box arrived completely empty. The carrier weight shows it was light, 200 g. I want a supervisor right now or I open a chargeback, I already filed a police report.';

function refundRing(clients: number): EventBuilder {
  return new EventBuilder().refunderWorking(clients, SCRIPT);
}

describe('refund assessment', () => {
  it('flags the refunder once the same device has worked other accounts, naming why', () => {
    const events = refundRing(4).events();
    const third = assess(events, 'refund-3');
    expect(['review', 'deny']).toContain(third.decision);
    expect(third.reasons.map((reason) => reason.code)).toContain('REFUNDER_DEVICE');
    expect(third.signals.contact.deviceForeignAccounts30d).toBe(2);
    expect(third.signals.contact.thirdParty).toBe(true);
  });

  it('never looks ahead: later events do not change a decision at request time', () => {
    const small = refundRing(1).events();
    const large = refundRing(6).events();
    const alone = assess(small, 'refund-1');
    const withFuture = assess(large, 'refund-1');
    expect(withFuture.signals).toEqual(alone.signals);
    expect(withFuture.decision).toBe(alone.decision);
  });

  it('approves a customer who really lost a parcel and wrote from their own device', () => {
    const world = new EventBuilder()
      .customer('dana')
      .order('order-1', 'dana', 5, 4_500, { deliveredDay: 7 })
      .contact('contact-1', 'dana', 9, {
        text: "Hi, my parcel hasn't arrived, tracking has not moved for days.",
      })
      .refund('refund-1', 'order-1', 'dana', 9.01, 4_500, { contactId: 'contact-1' });
    const result = assess(world.events(), 'refund-1');
    expect(result.decision).toBe('approve');
    expect(result.signals.contact.thirdParty).toBe(false);
  });

  it('does not treat a family sharing one device as a refunder', () => {
    const world = new EventBuilder();
    for (const member of ['parent', 'teen', 'grandma']) {
      world.customer(member, { deviceId: 'dev-family-tablet', ip: '98.7.7.7' });
      world.order(`order-${member}`, member, 40, 6_900, {
        deliveredDay: 42,
        deviceId: 'dev-family-tablet',
        ip: '98.7.7.7',
      });
      world.contact(`contact-${member}`, member, 45, {
        deviceId: 'dev-family-tablet',
        ip: '98.7.7.7',
        text: 'Our parcel never arrived.',
      });
      world.refund(`refund-${member}`, `order-${member}`, member, 45.01, 6_900, {
        contactId: `contact-${member}`,
      });
    }
    const result = assess(world.events(), 'refund-grandma');
    expect(result.signals.contact.deviceForeignAccounts30d).toBe(0);
    const risk = riskCodesOf(result);
    for (const code of GANG_REASON_CODES) expect(risk).not.toContain(code);
    expect(result.decision).toBe('approve');
  });

  it('does not treat a university network shared by many students as a refunder network', () => {
    const world = new EventBuilder();
    for (let index = 0; index < 40; index += 1) {
      const student = `student-${index}`;
      world.customer(student, { ip: `130.91.4.${index + 1}` });
      world.order(`order-${index}`, student, 2, 12_900, { deliveredDay: 4, ip: `130.91.4.${index + 1}` });
      world.contact(`contact-${index}`, student, 6 + index / 100, {
        ip: `130.91.4.${(index % 200) + 20}`,
        text: 'Item missing from my order, only the charger was in the box.',
      });
      world.refund(`refund-${index}`, `order-${index}`, student, 6.001 + index / 100, 12_900, {
        reason: 'missing_item',
        contactId: `contact-${index}`,
      });
    }
    const result = assess(world.events(), 'refund-39');
    expect(result.signals.contact.rangeForeignAccounts30d).toBe(0);
    expect(result.decision).toBe('approve');
  });

  it('turns a fake return tracking number into a denial once the scan arrives (final decision)', () => {
    const world = new EventBuilder()
      .customer('mallory')
      .order('order-1', 'mallory', 1, 129_900, { hot: true, deliveredDay: 3 })
      .refund('refund-1', 'order-1', 'mallory', 5, 129_900, { reason: 'defective' });
    // Returns reaching the real warehouse teach where it is.
    for (let index = 0; index < 6; index += 1) {
      world
        .customer(`honest-${index}`)
        .order(`ho-${index}`, `honest-${index}`, 1, 5_000, { deliveredDay: 2 })
        .refund(`hr-${index}`, `ho-${index}`, `honest-${index}`, 3, 5_000, { reason: 'changed_mind' });
      world.add('return.updated', 6, {
        refundId: `hr-${index}`,
        status: 'delivered',
        destinationPostalCode: '40299',
      });
      world.add('return.updated', 7, {
        refundId: `hr-${index}`,
        status: 'received',
        destinationPostalCode: '40299',
        condition: 'as_expected',
      });
    }
    world.add('return.updated', 9, {
      refundId: 'refund-1',
      status: 'delivered',
      trackingId: '1ZFAKE',
      destinationPostalCode: '10001',
    });
    const events = world.events();
    const atRequest = assess(events, 'refund-1');
    const final = assess(events, 'refund-1', { final: true });
    expect(atRequest.decision).toBe('approve');
    expect(final.decision).toBe('deny');
    expect(final.reasons.map((reason) => reason.code)).toContain('RETURN_DELIVERED_ELSEWHERE');
  });
});

describe('sign-up assessment', () => {
  it('blocks a banned person re-registering with a dotted gmail address, and allows a stranger', () => {
    const world = new EventBuilder();
    world.add('account.created', 0, {
      accountId: 'banned',
      email: 'rekk.client@gmail.com',
      name: 'R Client',
      deviceId: 'dev-x',
    });
    world.add('account.closed', 5, { accountId: 'banned', reason: 'fraud' });
    world.add('account.created', 6, {
      accountId: 'again',
      email: 'rekkclient+new@gmail.com',
      name: 'R. Client',
      deviceId: 'dev-y',
    });
    world.add('account.created', 6, {
      accountId: 'stranger',
      email: 'someone.else@example.com',
      name: 'S Else',
      deviceId: 'dev-z',
    });
    const events = world.events();
    const state = stateOf(events);
    const again = assessSignup(state, rules, events[2] as EventOf<'account.created'>);
    expect(again.decision).toBe('block');
    expect(again.matches[0]).toMatchObject({ accountId: 'banned' });
    expect(assessSignup(state, rules, events[3] as EventOf<'account.created'>).decision).toBe('allow');
  });

  it('does not match against an account closed only after the sign-up', () => {
    const world = new EventBuilder();
    world.add('account.created', 0, {
      accountId: 'first',
      email: 'same@example.com',
      name: 'A',
      deviceId: 'dev-1',
    });
    world.add('account.created', 2, {
      accountId: 'second',
      email: 'same@example.com',
      name: 'A',
      deviceId: 'dev-1',
    });
    world.add('account.closed', 5, { accountId: 'first', reason: 'fraud' });
    const events = world.events();
    expect(assessSignup(stateOf(events), rules, events[1] as EventOf<'account.created'>).decision).toBe(
      'allow',
    );
  });

  it('holds a closed account’s return until it is checked, and denies its claims that need none', () => {
    const world = new EventBuilder()
      .customer('closed', { ip: '98.5.5.5' })
      .order('o-return', 'closed', 2, 4_900, { deliveredDay: 4, ip: '98.5.5.5' })
      .order('o-claim', 'closed', 2, 4_900, { deliveredDay: 4, ip: '98.5.5.5' })
      .add('account.closed', 5, { accountId: 'closed', reason: 'fraud' })
      .refund('r-return', 'o-return', 'closed', 6, 4_900, { reason: 'changed_mind', returnRequired: true })
      .refund('r-claim', 'o-claim', 'closed', 6.5, 4_900, { reason: 'not_received' });
    const events = world.events();
    const heldReturn = assess(events, 'r-return');
    expect(riskCodesOf(heldReturn)[0]).toBe('ACCOUNT_CLOSED_RETURN_FIRST');
    expect(heldReturn.decision).toBe('return_first');
    const claim = assess(events, 'r-claim');
    expect(claim.reasons.map((reason) => reason.code)).toContain('ACCOUNT_CLOSED');
    expect(claim.decision).toBe('deny');
  });

  it('does not hold a small everyday ticket against the agent who handles it, only expensive ones', () => {
    // An agent who overrode policy on most of their 30 days' decisions (an insider's pattern).
    const world = new EventBuilder();
    for (let index = 0; index < 6; index += 1) {
      world
        .customer(`c-${index}`, { ip: `98.6.${index}.5` })
        .order(`o-${index}`, `c-${index}`, 1, 89_900, { hot: true, deliveredDay: 3, ip: `98.6.${index}.5` })
        .refund(`r-${index}`, `o-${index}`, `c-${index}`, 4 + index / 10, 89_900, { agentId: 'agent-x' })
        .add('refund.decided', 4.05 + index / 10, {
          refundId: `r-${index}`,
          outcome: 'approved',
          agentId: 'agent-x',
          policyOverride: true,
        });
    }
    world
      .customer('small', { ip: '98.7.1.5' })
      .order('o-small', 'small', 1, 2_500, { deliveredDay: 3, ip: '98.7.1.5' })
      .order('o-big', 'small', 1, 89_900, { hot: true, deliveredDay: 3, ip: '98.7.1.5' })
      .refund('r-small', 'o-small', 'small', 6, 2_500, { agentId: 'agent-x' })
      .refund('r-big', 'o-big', 'small', 6.1, 89_900, { agentId: 'agent-x' });
    const events = world.events();
    const small = assess(events, 'r-small');
    expect(small.signals.agent.overrideRate30d).toBe(1);
    expect(small.reasons.map((reason) => reason.code)).not.toContain('AGENT_FREQUENT_OVERRIDES');
    expect(assess(events, 'r-big').reasons.map((reason) => reason.code)).toContain(
      'AGENT_FREQUENT_OVERRIDES',
    );
  });
});
