// Communities: two gangs stay apart (a shared VPN exit, shared flats, however many other gangs
// there are); one gang's refunder crews are joined by an insider's overrides or a refunder device.
import { describe, expect, it } from 'vitest';
import {
  addCrew,
  addGang,
  addHonestCrowd,
  decide,
  GANG_SCRIPT,
  home,
  OTHER_GANG_SCRIPT,
  World,
} from '../testing/ring-world.ts';

describe('communities', () => {
  it('tells two gangs apart', () => {
    const world = new World();
    addHonestCrowd(world, 100);
    const first = addGang(world, 'alpha', 1, ['alpha-1', 'alpha-2']);
    const second = addGang(world, 'beta', 3, ['beta-1', 'beta-2'], '146.70.117', OTHER_GANG_SCRIPT);
    const { rings } = world.detect();
    expect(rings.map((ring) => ring.accountIds).sort()).toEqual(
      [[...first].sort(), [...second].sort()].sort(),
    );
  });

  it('keeps two gangs tied by one shared VPN exit apart, however many other gangs there are', () => {
    const gangs: string[][] = [];
    const rings = (otherCrews: number) => {
      const world = new World();
      addHonestCrowd(world, 50);
      gangs[0] = addCrew(world, 'alpha', { size: 8, range: '5.188.62' }).clients;
      gangs[1] = addCrew(world, 'beta', { size: 8, range: '146.70.117' }).clients;
      // Both refunders once went through the same VPN exit: a weak tie between the gangs.
      for (const [accountId, device] of [
        ['alpha-7', 'alpha-laptop'],
        ['beta-0', 'beta-laptop'],
      ] as const)
        world.refund(accountId, 30, home(accountId, 9000 + accountId.charCodeAt(0)), {
          device,
          ip: `77.1.2.${accountId.length}`,
          ownOrigin: false,
          ownRange: false,
          text: 'refund please',
        });
      for (let crew = 0; crew < otherCrews; crew += 1) addCrew(world, `crew${crew}`, { size: 8 });
      const found = world.detect().rings.map((ring) => ring.accountIds);
      return found.filter((ids) => ids.some((id) => id.startsWith('alpha') || id.startsWith('beta')));
    };
    const alone = rings(0);
    expect([...alone].sort()).toEqual(gangs.map((clients) => [...clients].sort()).sort());
    // Louvain over the whole projection let the tie weigh against every other account's links:
    // among hundreds of other gangs, the two came out as one community.
    expect(rings(300)).toEqual(alone);
  });

  it('keeps two gangs apart when some of their clients share flats', () => {
    // Roommates buy from different refund services: a shared address is a household, not a gang.
    // Each gang: six refunders with two clients each, one script; three flats hold a client of each.
    const world = new World();
    addHonestCrowd(world, 100);
    const gangs: string[][] = [];
    for (const [gang, script, range] of [
      ['alpha', GANG_SCRIPT, '5.188.62'],
      ['beta', OTHER_GANG_SCRIPT, '146.70.117'],
    ] as const) {
      const clients: string[] = [];
      for (let client = 0; client < 12; client += 1) {
        const accountId = `${gang}-${client}`;
        clients.push(accountId);
        // Clients 0-2 of both gangs live in the same three flats.
        const flat = client < 3 ? 7000 + client : (gang === 'alpha' ? 7100 : 7200) + client;
        world.refund(accountId, 1 + client, home(accountId, flat), {
          device: `${gang}-laptop-${client % 6}`,
          ip: `${range}.${10 + client}`,
          ownOrigin: false,
          ownRange: false,
          text: script(
            `Client ${gang} ${client}`,
            `ord-${gang}-${client}`,
            client % 2 ? 'iPad Air' : 'MacBook Pro',
          ),
        });
      }
      gangs.push(clients);
    }
    const { rings } = world.detect();
    const mixed = rings.filter(
      (ring) =>
        ring.accountIds.some((id) => id.startsWith('alpha')) &&
        ring.accountIds.some((id) => id.startsWith('beta')),
    );
    expect(mixed).toEqual([]);
    for (const clients of gangs)
      expect(rings.some((ring) => clients.every((id) => ring.accountIds.includes(id)))).toBe(true);
  });

  it("joins one gang's refunder crews through an insider who overrode policy for clients of both", () => {
    const world = new World();
    addHonestCrowd(world, 100);
    const north = addCrew(world, 'north', { agents: ['insider', 'insider', 'insider'] });
    const south = addCrew(world, 'south', { firstDay: 20, agents: ['insider', 'insider'] });
    for (const crew of [north, south])
      crew.refunds.forEach((refundId, client) => {
        if (client < 3) decide(world, crew.clients[client] as string, refundId, 'insider', true);
      });
    const { rings } = world.detect();
    expect(rings.map((ring) => ring.accountIds)).toEqual([[...north.clients, ...south.clients].sort()]);
    expect(rings[0]?.agentIds[0]).toBe('insider');
  });

  it('keeps crews apart when an agent only handled clients of both, or overrode policy once on one side', () => {
    const world = new World();
    addHonestCrowd(world, 100);
    // A busy agent of the usual queue handles clients of two gangs, and approves within policy.
    const north = addCrew(world, 'north', { agents: ['busy', 'busy', 'busy'] });
    const south = addCrew(world, 'south', { firstDay: 20, agents: ['busy', 'busy', 'busy'] });
    for (const crew of [north, south])
      crew.refunds.forEach((refundId, client) => {
        decide(world, crew.clients[client] as string, refundId, 'busy', false);
      });
    // An override on one client of a third crew, beside north's insider overrides, is no tie.
    const east = addCrew(world, 'east', { firstDay: 30, agents: ['insider'] });
    north.refunds.forEach((refundId, client) => {
      decide(world, north.clients[client] as string, refundId, 'insider', true);
    });
    decide(world, east.clients[0] as string, east.refunds[0] as string, 'insider', true);
    const { rings } = world.detect();
    expect(rings.map((ring) => ring.accountIds).sort()).toEqual(
      [north.clients, south.clients, east.clients].map((clients) => [...clients].sort()).sort(),
    );
  });

  it('joins crews through a refunder device used on both', () => {
    const world = new World();
    addHonestCrowd(world, 100);
    const north = addCrew(world, 'north');
    const south = addCrew(world, 'south', { firstDay: 20 });
    const west = addCrew(world, 'west', { firstDay: 40 });
    // South's refunder once worked a client from north's laptop, through another network.
    world.refund('south-0', 30, home('south-0', 9100), {
      device: 'north-laptop',
      ip: '81.2.3.4',
      ownOrigin: false,
      ownRange: false,
      text: 'refund please',
    });
    const { rings } = world.detect();
    expect(rings.map((ring) => ring.accountIds).sort()).toEqual(
      [[...north.clients, ...south.clients], west.clients].map((clients) => [...clients].sort()).sort(),
    );
  });
});
