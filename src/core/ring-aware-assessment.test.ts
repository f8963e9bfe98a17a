// Ring-aware assessment, end to end through the risk state: rings are detected as event time moves
// on, and a refund on a member account, or asked for from a ring's refunder device, caller id or
// network, is assessed with the ring named in its reasons — never with a ring found after it.
import { describe, expect, it } from 'vitest';
import { loadRulePack } from '../app/rule-pack-file.ts';
import { accountNodeKey, valueNodeKey } from './rings/link-graph.ts';
import { assessFinal, assessInFlow, codesOf, riskCodesOf, stateAfter } from './testing/assess-in-flow.ts';
import { EventBuilder } from './testing/event-builder.ts';

const rules = loadRulePack();

const SCRIPT =
  'The box arrived completely empty. The carrier weight shows it was light, 200 g. I want a supervisor right now or I open a chargeback, I already filed a police report.';

/** Five clients worked from one refunder laptop and VPN range (days 14–18), then what follows. */
function gangWorld(): EventBuilder {
  return new EventBuilder().refunderWorking(5, SCRIPT);
}

function reasonText(assessment: ReturnType<typeof assessInFlow>, code: string): string {
  const reason = assessment.reasons.find((candidate) => candidate.code === code);
  if (!reason) throw new Error(`no ${code} in ${codesOf(assessment).join(', ')}`);
  return reason.text;
}

/** Four clients phoned about by one refunder line (not their own numbers), then a new client called from it. */
function phoneRefunderWorld(): EventBuilder {
  const world = new EventBuilder();
  for (let index = 1; index <= 4; index += 1) {
    const client = `caller-client-${index}`;
    world
      .customer(client, { ip: `99.${index}.1.7`, phone: `+1 614 555 01${10 + index}` })
      .order(`corder-${index}`, client, 10 + index, 69_900, {
        hot: true,
        deliveredDay: 12 + index,
        ip: `99.${index}.1.7`,
      })
      .phoneContact(`ccontact-${index}`, client, 13 + index, {
        callerId: '+1 202 555 0199',
        text: SCRIPT,
        orderId: `corder-${index}`,
      })
      .refund(`crefund-${index}`, `corder-${index}`, client, 13.01 + index, 69_900, {
        reason: 'empty_box',
        contactId: `ccontact-${index}`,
      });
  }
  world
    .customer('caller-newbie', { ip: '71.4.4.4', phone: '+1 614 555 0177' })
    .order('corder-n', 'caller-newbie', 25, 29_900, { deliveredDay: 27, ip: '71.4.4.4' })
    .phoneContact('ccontact-n', 'caller-newbie', 31, {
      callerId: '(202) 555-0199',
      text: 'Where is my parcel?',
    })
    .refund('crefund-n', 'corder-n', 'caller-newbie', 31.01, 29_900, { contactId: 'ccontact-n' });
  return world;
}

describe('ring-aware refund assessment', () => {
  it('assesses a later self-service refund on a member account with the ring, naming it', () => {
    const world = gangWorld()
      .order('order-1b', 'client-1', 25, 79_900, { hot: true, deliveredDay: 27 })
      .refund('refund-1b', 'order-1b', 'client-1', 30, 79_900);
    const events = world.events();
    const result = assessInFlow(rules, events, 'refund-1b');
    const state = stateAfter(rules, events);
    const ring = state.gangs.latest?.rings.find((candidate) => candidate.accountIds.includes('client-1'));
    expect(ring?.accountIds).toEqual(['client-1', 'client-2', 'client-3', 'client-4', 'client-5']);
    expect(result.signals.ring).toMatchObject({
      found: true,
      id: ring?.ringId,
      via: 'account',
      members: 5,
      valueUsd: 4495,
    });
    // No contact, no story: the ring is the first reason, and enough for a person to look.
    expect(riskCodesOf(result)[0]).toBe('ACCOUNT_IN_REFUND_RING');
    expect(result.decision).toBe('review');
    expect(reasonText(result, 'ACCOUNT_IN_REFUND_RING')).toContain(`refund ring ${ring?.ringId} (5 accounts`);
  });

  it('does not put the same later refund in a ring when the refunder worked too few clients to make one', () => {
    const world = new EventBuilder()
      .refunderWorking(2, SCRIPT)
      .order('order-1b', 'client-1', 25, 79_900, { hot: true, deliveredDay: 27 })
      .refund('refund-1b', 'order-1b', 'client-1', 30, 79_900);
    const result = assessInFlow(rules, world.events(), 'refund-1b');
    expect(result.signals.ring.found).toBe(false);
    expect(codesOf(result)).not.toContain('ACCOUNT_IN_REFUND_RING');
  });

  it("flags a new client contacted from the ring's refunder device as the ring's, naming it", () => {
    const world = gangWorld()
      .customer('newbie', { ip: '71.3.3.3' })
      .order('order-n', 'newbie', 25, 89_900, { hot: true, deliveredDay: 27, ip: '71.3.3.3' })
      // From the newbie's own network, but on the refunder's laptop.
      .contact('contact-n', 'newbie', 31, {
        deviceId: 'dev-refunder',
        ip: '71.3.3.3',
        text: 'Hello, my parcel did not come, can you help me please?',
      })
      .refund('refund-n', 'order-n', 'newbie', 31.01, 89_900, { contactId: 'contact-n' });
    const result = assessInFlow(rules, world.events(), 'refund-n');
    expect(result.signals.ring).toMatchObject({ found: true, via: 'origin', members: 5 });
    expect(result.signals.ring.id).toMatch(/^ring-[0-9a-f]{16}$/);
    expect(codesOf(result)).toContain('CONTACT_FROM_RING_REFUNDER');
    expect(codesOf(result)).not.toContain('ACCOUNT_IN_REFUND_RING');
    expect(reasonText(result, 'CONTACT_FROM_RING_REFUNDER')).toContain(
      `refund ring ${result.signals.ring.id}'s`,
    );
    expect(result.decision).toBe('deny');
  });

  it("flags a self-service request in a session the ring's refunder device opened, naming the ring", () => {
    const world = gangWorld()
      .customer('newbie', { ip: '71.3.3.3' })
      .order('order-n', 'newbie', 25, 89_900, { hot: true, deliveredDay: 27, ip: '71.3.3.3' })
      // No contact: the refunder signs in to the client's account on his laptop and asks himself.
      .login('newbie', 31, { deviceId: 'dev-refunder', ip: '45.134.22.77' })
      .refund('refund-n', 'order-n', 'newbie', 31.01, 89_900, { reason: 'defective', returnRequired: true });
    const result = assessInFlow(rules, world.events(), 'refund-n');
    expect(result.signals.session.newDevice).toBe(true);
    expect(result.signals.ring).toMatchObject({ found: true, via: 'session', members: 5 });
    expect(codesOf(result)).toContain('SESSION_FROM_RING_REFUNDER');
    expect(reasonText(result, 'SESSION_FROM_RING_REFUNDER')).toContain(
      `refund ring ${result.signals.ring.id}'s`,
    );
    expect(result.decision).toBe('deny');
  });

  it("flags a new client contacted from a fresh device on the ring's refunder network (range)", () => {
    const world = gangWorld()
      .customer('newbie', { ip: '71.3.3.3' })
      .order('order-n', 'newbie', 25, 19_900, { deliveredDay: 27, ip: '71.3.3.3' })
      .contact('contact-n', 'newbie', 31, {
        deviceId: 'dev-fresh-vm',
        ip: '45.134.22.201',
        text: 'Hello, my parcel did not come, can you help me please?',
      })
      .refund('refund-n', 'order-n', 'newbie', 31.01, 19_900, { contactId: 'contact-n' });
    const result = assessInFlow(rules, world.events(), 'refund-n');
    expect(result.signals.ring).toMatchObject({ found: true, via: 'range', members: 5 });
    expect(codesOf(result)).toContain('CONTACT_FROM_RING_NETWORK');
    expect(reasonText(result, 'CONTACT_FROM_RING_NETWORK')).toContain(result.signals.ring.id);
    expect(codesOf(result)).not.toContain('CONTACT_FROM_RING_REFUNDER');
  });

  it("flags a call from a phone refunder's line, whatever its formatting, as the ring's", () => {
    const world = phoneRefunderWorld();
    const result = assessInFlow(rules, world.events(), 'crefund-n');
    expect(result.signals.contact.deviceKnown).toBe(false);
    expect(result.signals.contact.thirdParty).toBe(true);
    expect(result.signals.ring).toMatchObject({ found: true, via: 'origin', members: 4 });
    expect(codesOf(result)).toContain('CONTACT_FROM_RING_REFUNDER');
    expect(reasonText(result, 'CONTACT_FROM_RING_REFUNDER')).toContain(result.signals.ring.id);
    const state = stateAfter(rules, world.events());
    // The line, keyed by its last nine digits (however each call's number was written or read).
    expect(state.gangs.latest?.rings[0]?.fingerprints.origins).toEqual(['caller:025550199']);
  });

  it('counts the other accounts a phone refunder called about (REFUNDER_DEVICE by caller id)', () => {
    const world = phoneRefunderWorld();
    const result = assessInFlow(rules, world.events(), 'crefund-n');
    expect(result.signals.contact.deviceForeignAccounts30d).toBe(4);
    expect(codesOf(result)).toContain('REFUNDER_DEVICE');
  });

  it('never looks ahead: a ring found after the request is not used then, but is at the final stage', () => {
    const world = gangWorld()
      .order('order-1b', 'client-1', 25, 79_900, { hot: true, deliveredDay: 27 })
      .refund('refund-1b', 'order-1b', 'client-1', 30, 79_900);
    const events = world.events();

    // The first client's refund came before any ring existed.
    const atRequest = assessInFlow(rules, events, 'refund-1');
    expect(atRequest.signals.ring.found).toBe(false);
    expect(codesOf(atRequest)).not.toContain('ACCOUNT_IN_REFUND_RING');
    // Even on the state holding everything, asked as of the request's moment.
    const state = stateAfter(rules, events);
    const lateRequestTime = assessFinal(rules, events, 'refund-1', state);
    expect(lateRequestTime.signals.ring).toMatchObject({ found: true, via: 'account', members: 5 });
    expect(lateRequestTime.signals.evidence.inView).toBe(true);
    expect(codesOf(lateRequestTime)).toContain('ACCOUNT_IN_REFUND_RING');
    expect(reasonText(lateRequestTime, 'ACCOUNT_IN_REFUND_RING')).toContain(
      state.gangs.latest?.rings[0]?.ringId as string,
    );

    // The fifth client's refund sees the ring of the four before it, not itself.
    const fifth = assessInFlow(rules, events, 'refund-5');
    expect(fifth.signals.ring).toMatchObject({ found: true, via: 'origin', members: 4 });
    expect(fifth.signals.ring.valueUsd).toBe(4 * 899);
  });

  it('a request-time assessment on the full state ignores a ring detected after the request', async () => {
    const { assessRefund } = await import('./assessment.ts');
    const events = gangWorld()
      .order('order-1b', 'client-1', 25, 79_900, { hot: true, deliveredDay: 27 })
      .refund('refund-1b', 'order-1b', 'client-1', 30, 79_900)
      .events();
    const state = stateAfter(rules, events);
    const request = events.find(
      (event) => event.type === 'refund.requested' && event.data.refundId === 'refund-2',
    );
    if (request?.type !== 'refund.requested') throw new Error('no refund-2');
    expect(state.gangs.latest?.asOf).toBeGreaterThan(request.at);
    const result = assessRefund(state, rules, request.data, request.at);
    expect(result.signals.ring.found).toBe(false);
  });
});

describe('fake return tracking (FTID) in the link graph and rings', () => {
  /** Clients whose returns the carrier "delivers" to a drop, with tracking ids bought in one batch. */
  function ftidWorld(clients: number, options: { withWarehouseReturn?: boolean } = {}): EventBuilder {
    const world = new EventBuilder().warehouseReturns(6, 8, '40299');
    for (let index = 1; index <= clients; index += 1) {
      const account = `ftid-${index}`;
      world
        .customer(account, { day: 9, ip: `66.${index}.2.2` })
        .order(`forder-${index}`, account, 10, 129_900, {
          hot: true,
          deliveredDay: 12,
          ip: `66.${index}.2.2`,
        })
        .refund(`frefund-${index}`, `forder-${index}`, account, 13 + index / 10, 129_900, {
          reason: 'defective',
          returnRequired: true,
        })
        .returnScan(`frefund-${index}`, 16 + index / 10, {
          status: 'delivered',
          trackingId: `1ZFTID99${String(400_100 + index * 37)}`,
          destinationPostalCode: index % 2 === 0 ? '10001' : '10002',
        });
    }
    if (options.withWarehouseReturn) {
      world
        .customer('honest-returner', { day: 9, ip: '66.90.2.2' })
        .order('horder', 'honest-returner', 10, 129_900, { hot: true, deliveredDay: 12, ip: '66.90.2.2' })
        .refund('hrefund', 'horder', 'honest-returner', 13.5, 129_900, {
          reason: 'defective',
          returnRequired: true,
        })
        // Same batch of labels (same prefix), but it reached the warehouse: no FTID.
        .returnScan('hrefund', 16.5, {
          status: 'delivered',
          trackingId: '1ZFTID99400999',
          destinationPostalCode: '40299',
        });
    }
    return world;
  }

  it('links two accounts whose returns went elsewhere than the learned warehouse by their tracking prefix', () => {
    const events = ftidWorld(2, { withWarehouseReturn: true }).events();
    const state = stateAfter(rules, events);
    expect(state.isWarehousePostalCode('40299')).toBe(true);
    expect(state.isWarehousePostalCode('10001')).toBe(false);
    const graph = state.gangs.links.graph;
    const prefix = valueNodeKey('tracking-prefix', '1ZFTID99');
    expect(graph.hasNode(prefix)).toBe(true);
    expect(graph.neighbors(prefix).sort()).toEqual([accountNodeKey('ftid-1'), accountNodeKey('ftid-2')]);
    for (const account of ['ftid-1', 'ftid-2']) {
      const link = graph.getEdgeAttributes(graph.edge(accountNodeKey(account), prefix) as string);
      expect(link.suspectCount).toBe(1);
    }
    // The return that reached the (learned) warehouse is not linked to the batch.
    expect(graph.hasEdge(accountNodeKey('honest-returner'), prefix)).toBe(false);
    expect(graph.hasEdge(accountNodeKey('honest-returner'), valueNodeKey('drop', '40299'))).toBe(false);
  });

  it('holds an FTID account to its returns, and clears a later return that came back intact', () => {
    const world = ftidWorld(1)
      .order('forder-1b', 'ftid-1', 20, 4_900, { deliveredDay: 22, ip: '66.1.2.2' })
      .refund('frefund-1b', 'forder-1b', 'ftid-1', 25, 4_900, {
        reason: 'changed_mind',
        returnRequired: true,
      });
    const atRequest = assessInFlow(rules, world.events(), 'frefund-1b');
    expect(atRequest.signals.account.priorFakeReturns).toBe(1);
    expect(codesOf(atRequest)).toContain('EARLIER_FAKE_RETURN');
    expect(atRequest.decision).not.toBe('approve');

    // The carrier took it to the warehouse, which checked it in as expected: the goods are back.
    const intact = world
      .returnScan('frefund-1b', 27, {
        status: 'delivered',
        trackingId: '1ZWH9999999999',
        destinationPostalCode: '40299',
      })
      .returnScan('frefund-1b', 28, { status: 'received', condition: 'as_expected' })
      .events();
    const final = assessFinal(rules, intact, 'frefund-1b');
    expect(final.signals.evidence.returnReceivedIntact).toBe(true);
    expect(codesOf(final)).not.toContain('EARLIER_FAKE_RETURN');
    expect(final.decision).toBe('approve');
  });

  it('does not count a receipt marked without any carrier scan as an intact return', () => {
    const world = ftidWorld(1)
      .order('forder-1b', 'ftid-1', 20, 4_900, { deliveredDay: 22, ip: '66.1.2.2' })
      .refund('frefund-1b', 'forder-1b', 'ftid-1', 25, 4_900, {
        reason: 'changed_mind',
        returnRequired: true,
      })
      .returnScan('frefund-1b', 26, { status: 'received', condition: 'as_expected' });
    const final = assessFinal(rules, world.events(), 'frefund-1b');
    expect(final.signals.evidence.returnReceivedIntact).toBe(false);
    expect(codesOf(final)).toContain('EARLIER_FAKE_RETURN');
  });

  it('does not make a ring of honest returns that reached the warehouse before it was learned', () => {
    // The first six returns are "delivered elsewhere" when scanned (no warehouse known yet), and
    // the retailer's own return labels share one tracking prefix (its shipper number).
    const world = new EventBuilder()
      .warehouseReturns(6, 8, '40299')
      .customer('later', { day: 9, ip: '66.77.2.2' })
      .order('lorder', 'later', 10, 5_000, { deliveredDay: 11, ip: '66.77.2.2' })
      .refund('lrefund', 'lorder', 'later', 12, 5_000, { reason: 'changed_mind' });
    const events = world.events();
    const state = stateAfter(rules, events);
    const graph = state.gangs.links.graph;
    expect(graph.hasNode(valueNodeKey('tracking-prefix', '1ZWH0000'))).toBe(true);
    expect(state.isWarehousePostalCode('40299')).toBe(true);
    expect(state.gangs.latest?.rings).toEqual([]);
    const again = new EventBuilder()
      .warehouseReturns(6, 8, '40299')
      .order('wo-0b', 'returner-0', 10, 5_000, { deliveredDay: 11, ip: '72.1.9.9' })
      .refund('wr-0b', 'wo-0b', 'returner-0', 12, 5_000, { reason: 'changed_mind' });
    const result = assessInFlow(rules, again.events(), 'wr-0b');
    expect(result.signals.ring.found).toBe(false);
    expect(result.signals.account.priorFakeReturns).toBe(0);
    expect(result.decision).toBe('approve');
  });

  it('finds three FTID accounts as a ring, and a later refund on one of them is assessed with it', () => {
    const world = ftidWorld(3)
      .order('forder-1b', 'ftid-1', 20, 99_900, { hot: true, deliveredDay: 22, ip: '66.1.2.2' })
      .refund('frefund-1b', 'forder-1b', 'ftid-1', 25, 99_900, { reason: 'not_received' });
    const events = world.events();
    const result = assessInFlow(rules, events, 'frefund-1b');
    const state = stateAfter(rules, events);
    const ring = state.gangs.latest?.rings[0];
    expect(ring?.accountIds).toEqual(['ftid-1', 'ftid-2', 'ftid-3']);
    expect(ring?.fingerprints.returns).toContain(valueNodeKey('tracking-prefix', '1ZFTID99'));
    expect(ring?.reasons.map((reason) => reason.code)).toContain('RING_FAKE_RETURN_PATTERN');
    expect(result.signals.ring).toMatchObject({ found: true, via: 'account', id: ring?.ringId });
    expect(result.signals.account.priorFakeReturns).toBe(1);
    expect(codesOf(result)).toEqual(
      expect.arrayContaining(['ACCOUNT_IN_REFUND_RING', 'EARLIER_FAKE_RETURN']),
    );
    expect(result.decision).toBe('deny');
  });
});
