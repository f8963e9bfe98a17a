// Crews: who in a community is a ring's member. Relatives are associated; look-alikes in stock
// phrases, another crew tied by wording only, a visitor on a client's network and another gang's
// client in the same drop area stay out; a client who told only the ring's script is in.
import { describe, expect, it } from 'vitest';
import {
  addCrew,
  addGang,
  addHonestCrowd,
  DAY,
  HONEST_TEXTS,
  home,
  OTHER_GANG_SCRIPT,
  T0,
  World,
} from '../testing/ring-world.ts';

describe('crews', () => {
  it('keeps a client’s relatives out of the ring, as associated accounts', () => {
    const world = new World();
    const clients = addGang(world);
    // The first client's partner shares their card and address, and writes from their own phone.
    const partner = { ...home('partner', 42), card: 'card-client-0', address: home('client-0', 500).address };
    world.refund('partner', 20, partner, {
      device: partner.device,
      ip: partner.ip,
      ownOrigin: true,
      ownRange: true,
      text: HONEST_TEXTS[1] as string,
    });
    const [ring] = world.detect().rings;
    expect(ring?.accountIds).toEqual([...clients].sort());
    expect(ring?.associatedAccountIds).toEqual(['partner']);
  });

  /** North's refunder tells `clients` stories from his laptop in a common complaint's phrases. */
  function northTells(world: World, clients: number[], item: string): void {
    for (const client of clients)
      world.refund(`north-${client}`, 10 + client, home(`north-${client}`, 7000 + client), {
        device: 'north-laptop',
        ip: `81.2.3.${client + 1}`,
        ownOrigin: false,
        ownRange: false,
        text: OTHER_GANG_SCRIPT(`North ${client}`, `ord-n-${client}`, item),
      });
  }

  it('keeps an honest customer writing from a new phone in the stock phrases two clients used out of the ring', () => {
    const world = new World();
    addHonestCrowd(world, 100);
    const north = addCrew(world, 'north', { size: 8 });
    // Two clients' stories, told from the refunder's laptop, use a common complaint's phrases...
    northTells(world, [0, 1], 'iPad Air');
    // ... as do two customers from their own phones, and one from a phone the account had not
    // used yet, at home.
    for (const customer of [0, 1]) {
      const order = home(`writer-${customer}`, 80 + customer);
      world.refund(`writer-${customer}`, 12, order, {
        device: order.device,
        ip: order.ip,
        ownOrigin: true,
        ownRange: true,
        text: OTHER_GANG_SCRIPT(`Writer ${customer}`, `ord-w-${customer}`, 'iPad Air'),
      });
    }
    const lookalike = home('lookalike', 77);
    world.refund('lookalike', 11, lookalike, {
      device: 'lookalike-new-phone',
      ip: lookalike.ip,
      ownOrigin: false,
      ownRange: true,
      text: OTHER_GANG_SCRIPT('Dana', 'ord-d-1', 'iPad Air'),
    });
    const { rings } = world.detect();
    expect(rings.map((ring) => ring.accountIds)).toEqual([[...north.clients].sort()]);
    // At most an associate (shown beside the ring), never a member the ring's actions reach.
    expect(rings.flatMap((ring) => ring.accountIds)).not.toContain('lookalike');
  });

  it('counts a client worked from another phone who told a script only the ring’s members told', () => {
    const world = new World();
    addHonestCrowd(world, 100);
    const north = addCrew(world, 'north', { size: 8 });
    northTells(world, [0, 1], 'iPad Air');
    // A client the refunder worked from a burner phone, with the crew's own story.
    world.refund('north-8', 11, home('north-8', 7008), {
      device: 'north-burner',
      ip: '81.2.3.9',
      ownOrigin: false,
      ownRange: false,
      text: OTHER_GANG_SCRIPT('North 8', 'ord-n-8', 'iPad Air'),
    });
    const { rings } = world.detect();
    expect(rings.map((ring) => ring.accountIds)).toEqual([[...north.clients, 'north-8'].sort()]);
  });

  it('keeps a pair of another crew’s clients, tied to a ring by similar wording only, out of it', () => {
    const world = new World();
    addHonestCrowd(world, 100);
    const north = addCrew(world, 'north', { size: 8 });
    northTells(world, [0, 1, 2], 'MacBook Pro');
    // Another refunder works two clients from their own laptop; one story borrows north's phrases.
    ['south-0', 'south-1'].forEach((accountId, client) => {
      world.refund(accountId, 11 + client, home(accountId, 8000 + client), {
        device: 'south-laptop',
        ip: `62.4.5.${client + 1}`,
        ownOrigin: false,
        ownRange: false,
        text: client === 0 ? OTHER_GANG_SCRIPT('South 0', 'ord-s-0', 'MacBook Pro') : 'refund please',
      });
    });
    const { rings } = world.detect();
    expect(rings.map((ring) => ring.accountIds)).toEqual([[...north.clients].sort()]);
  });

  it('makes a crew of another gang, tied to a ring by a phrase one client of each told, a ring of its own', () => {
    const world = new World();
    addHonestCrowd(world, 100);
    const north = addCrew(world, 'north', { size: 5 });
    const south = addCrew(world, 'south', { size: 3, firstDay: 6 });
    // Other refunders' crews elsewhere: against a projection this size, modularity joins the two.
    const others = Array.from(
      { length: 100 },
      (_, crew) => addCrew(world, `other${crew}`, { size: 4 }).clients,
    );
    // One client of each crew tells the same story (another gang's template, or stock phrases
    // both gangs borrowed), each from their crew's refunder laptop.
    northTells(world, [0], 'MacBook Pro');
    world.refund('south-0', 12, home('south-0', 8100), {
      device: 'south-laptop',
      ip: '62.4.5.1',
      ownOrigin: false,
      ownRange: false,
      text: OTHER_GANG_SCRIPT('South 0', 'ord-s-0', 'MacBook Pro'),
    });
    const { rings } = world.detect();
    expect(rings.map((ring) => ring.accountIds).sort()).toEqual(
      [
        [...north.clients].sort(),
        [...south.clients].sort(),
        ...others.map((clients) => [...clients].sort()),
      ].sort(),
    );
  });

  it('keeps a customer who wrote from their own phone on a network a client was worked from out of the ring', () => {
    const world = new World();
    addHonestCrowd(world, 100);
    const north = addCrew(world, 'north', { size: 5 });
    // A refunder on a residential proxy works one more client through a home range...
    world.refund('north-5', 8, home('north-5', 7105), {
      device: 'north-laptop',
      ip: '24.130.17.20',
      ownOrigin: false,
      ownRange: false,
      text: 'refund please',
    });
    // ... where a customer visiting a friend writes to support from their own phone.
    const visitor = home('visitor', 300);
    world.refund('visitor', 9, visitor, {
      device: visitor.device,
      ip: '24.130.17.77',
      ownOrigin: true,
      ownRange: false,
      text: 'where is my parcel',
    });
    const { rings } = world.detect();
    expect(rings.map((ring) => ring.accountIds)).toEqual([[...north.clients, 'north-5'].sort()]);
  });

  it("keeps another gang's client whose fake return went to the same drop area as one member's out of the ring", () => {
    const world = new World();
    addHonestCrowd(world, 100);
    const north = addCrew(world, 'north', { size: 5 });
    const returnTo = (accountId: string, refundId: string, trackingId: string, postalCode: string) =>
      world.links.addReturnScan({
        refundId,
        accountId,
        at: T0 + 30 * DAY,
        status: 'delivered',
        trackingId,
        destinationPostalCode: postalCode,
        deliveredElsewhere: true,
      });
    returnTo('north-0', north.refunds[0] as string, '1Z9NORTH000000001', '75017');
    // Another gang's client, worked by a refunder who left no other trace, ships to the same area.
    const outsider = home('outsider', 310);
    const refundId = world.refund('outsider', 9, outsider);
    returnTo('outsider', refundId, '1Z4OTHER000000002', '75017');
    const { rings } = world.detect();
    expect(rings.map((ring) => ring.accountIds)).toEqual([[...north.clients].sort()]);
  });
});
