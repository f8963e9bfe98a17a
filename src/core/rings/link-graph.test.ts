import { describe, expect, it } from 'vitest';
import type { ContactFacts, OrderFacts, RefundFacts } from '../risk-facts.ts';
import { type AccountNodeAttributes, LinkGraph, type ValueNodeAttributes } from './link-graph.ts';

/** The risk state's own records go in as they are (checked by the type checker). */
function feedFromRiskState(
  links: LinkGraph,
  refund: RefundFacts,
  order: OrderFacts | undefined,
  contact: ContactFacts | undefined,
  scriptFamily: string | undefined,
): void {
  links.addRefund(refund, order, contact && { ...contact, scriptFamily });
  if (contact) links.addContact(contact);
}

const DAY = 86_400_000;
const T0 = Date.parse('2026-10-01T00:00:00Z');

function refund(accountId: string, refundId: string, day: number, amountUsd = 500) {
  return { refundId, accountId, at: T0 + day * DAY, amountUsdMinor: amountUsd * 100, reason: 'not_received' };
}

describe('LinkGraph', () => {
  it("takes the risk state's own records as they are", () => {
    expect(feedFromRiskState).toBeTypeOf('function');
  });

  it('adds an account with its first refund; a value seen on one account waits outside the graph', () => {
    const links = new LinkGraph();
    links.addRefund(
      refund('a1', 'r1', 1),
      {
        paymentFingerprint: 'card-1',
        addressKey: 'us|43215|1 main st',
        deviceId: 'phone-a1',
        ip: '98.12.7.4',
      },
      {
        contactId: 'c1',
        accountId: 'a1',
        at: T0 + DAY - 60_000,
        originKey: 'device:phone-a1',
        ip: '98.12.7.4',
        agentId: 'agent-1',
        deviceKnown: true,
        ipRangeKnown: true,
      },
    );
    expect(links.hasAccount('a1')).toBe(true);
    expect(links.graph.order).toBe(1);
    expect(links.stats).toMatchObject({ accounts: 1, valueNodes: 0, edges: 0 });
    // card, address, device (order and contact: one value), range, the contact's exact IP, agent
    expect(links.stats.waitingValues).toBe(6);
    const account = links.account('a1') as AccountNodeAttributes;
    expect(account.refunds.map((entry) => entry.refundId)).toEqual(['r1']);
    expect(account.contacts).toEqual([
      { contactId: 'c1', at: T0 + DAY - 60_000, foreignOrigin: false, thirdParty: false },
    ]);
  });

  it('turns a value into a node with both edges when a second account uses it', () => {
    const links = new LinkGraph();
    links.addRefund(refund('a1', 'r1', 1), { paymentFingerprint: 'card-shared' });
    links.addRefund(refund('a1', 'r2', 3), { paymentFingerprint: 'card-shared' });
    links.addRefund(refund('a2', 'r3', 5), { paymentFingerprint: 'card-shared' });
    expect(links.graph.hasNode('card:card-shared')).toBe(true);
    expect(links.graph.getNodeAttributes('card:card-shared') as ValueNodeAttributes).toMatchObject({
      kind: 'card',
      value: 'card-shared',
      firstAt: T0 + DAY,
    });
    expect(links.graph.neighbors('card:card-shared').sort()).toEqual(['account:a1', 'account:a2']);
    expect(links.graph.getEdgeAttributes('account:a1', 'card:card-shared')).toMatchObject({
      firstAt: T0 + DAY,
      lastAt: T0 + 3 * DAY,
      count: 2,
      suspectCount: 0,
    });
    expect(links.stats).toMatchObject({ accounts: 2, valueNodes: 1, edges: 2, waitingValues: 0, links: 2 });
  });

  it('marks contacts from a device or range the account never used as suspect (third party)', () => {
    const links = new LinkGraph();
    for (const [client, known] of [
      ['a1', false],
      ['a2', false],
      ['a3', true],
    ] as const) {
      links.addRefund(refund(client, `r-${client}`, 2), undefined, {
        contactId: `c-${client}`,
        accountId: client,
        at: T0 + 2 * DAY,
        originKey: 'device:refunder-laptop',
        ip: '5.188.62.17',
        deviceKnown: known,
        ipRangeKnown: known,
      });
    }
    expect(links.graph.getEdgeAttributes('account:a1', 'device:refunder-laptop').suspectFirstAt).toBe(
      T0 + 2 * DAY,
    );
    expect(links.graph.getEdgeAttributes('account:a3', 'device:refunder-laptop').suspectFirstAt).toBe(
      Number.POSITIVE_INFINITY,
    );
    expect(links.graph.getEdgeAttributes('account:a2', 'range:5.188.62').suspectCount).toBe(1);
    expect((links.account('a1') as AccountNodeAttributes).contacts[0]).toMatchObject({
      foreignOrigin: true,
      thirdParty: true,
    });
  });

  it('links phone contacts by caller id, and scripts by family', () => {
    const links = new LinkGraph();
    for (const client of ['a1', 'a2']) {
      links.addRefund(refund(client, `r-${client}`, 1), undefined, {
        contactId: `c-${client}`,
        accountId: client,
        at: T0 + DAY,
        originKey: 'caller:+15550100',
        deviceKnown: false,
        scriptFamily: 'ct-first',
      });
    }
    expect(links.graph.hasNode('caller:+15550100')).toBe(true);
    expect(links.graph.hasNode('script:ct-first')).toBe(true);
  });

  it('ignores contacts of accounts without refunds, and takes follow-ups of those with one', () => {
    const links = new LinkGraph();
    const contact = { contactId: 'c0', accountId: 'nobody', at: T0, originKey: 'device:x' };
    expect(links.addContact(contact)).toBe(false);
    expect(links.graph.order).toBe(0);
    links.addRefund(refund('a1', 'r1', 1));
    expect(links.addContact({ ...contact, contactId: 'c1', accountId: 'a1' })).toBe(true);
    expect(links.addContact({ ...contact, contactId: 'c1', accountId: 'a1' })).toBe(false);
  });

  it('links returns by tracking id, and FTID returns by drop postal code and tracking prefix', () => {
    const links = new LinkGraph();
    links.addRefund(refund('a1', 'r1', 1));
    links.addRefund(refund('a2', 'r2', 1));
    const scan = (accountId: string, refundId: string, tracking: string, elsewhere: boolean) =>
      links.addReturnScan({
        refundId,
        accountId,
        at: T0 + 4 * DAY,
        status: 'delivered',
        trackingId: tracking,
        destinationPostalCode: elsewhere ? '75 012' : '43215',
        deliveredElsewhere: elsewhere,
      });
    scan('a1', 'r1', '1Z A81 234 0312345678', true);
    scan('a2', 'r2', '1ZA81234 0398765432', true);
    expect(links.graph.hasNode('drop:75012')).toBe(true);
    expect(links.graph.hasNode('tracking-prefix:1ZA81234')).toBe(true);
    expect(links.graph.getEdgeAttributes('account:a1', 'drop:75012').suspectCount).toBe(1);
    expect(links.graph.hasNode('drop:43215')).toBe(false);
  });

  it('records decisions on the refund and links the deciding agent', () => {
    const links = new LinkGraph();
    links.addRefund({ ...refund('a1', 'r1', 1), agentId: 'agent-7' });
    links.addDecision({
      refundId: 'r1',
      accountId: 'a1',
      at: T0 + 2 * DAY,
      outcome: 'approved',
      agentId: 'agent-9',
      policyOverride: true,
    });
    const record = (links.account('a1') as AccountNodeAttributes).refunds[0];
    expect(record).toMatchObject({
      outcome: 'approved',
      policyOverride: true,
      agentIds: ['agent-7', 'agent-9'],
    });
  });
});
