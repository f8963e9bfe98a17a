// The ring index the hot path reads: the ring of an account, of a refunder device, of a
// refunder range; and the ring's own graph.
import { describe, expect, it } from 'vitest';
import { addGang, addHonestCrowd, DAY, T0, World } from '../testing/ring-world.ts';
import { indexRings, ringGraph, ringOf } from './ring-index.ts';

describe('the ring index', () => {
  it('names the ring of an account, of a refunder device and of a refunder range; draws its graph', () => {
    const world = new World();
    addHonestCrowd(world, 30);
    const clients = addGang(world);
    const asOf = T0 + 60 * DAY;
    const { rings } = world.detect(asOf);
    const index = indexRings(rings);
    const ring = rings[0];
    expect(ringOf(index, { accountId: 'client-3' })).toMatchObject({ ring, via: 'account' });
    expect(ringOf(index, { accountId: 'new-client', originKey: 'device:refunder-laptop-2' })).toMatchObject({
      via: 'origin',
      fingerprint: 'device:refunder-laptop-2',
    });
    expect(ringOf(index, { accountId: 'new-client', ip: '5.188.62.201' })).toMatchObject({ via: 'range' });
    expect(ringOf(index, { accountId: 'honest-1', originKey: 'device:phone-honest-1' })).toBeUndefined();

    const graph = ringGraph(world.links, ring as NonNullable<typeof ring>, asOf);
    const keys = graph.nodes.map((node) => node.key);
    expect(keys).toEqual(expect.arrayContaining(clients.map((client) => `account:${client}`)));
    expect(keys).toEqual(
      expect.arrayContaining(['device:refunder-laptop-1', 'range:5.188.62', 'agent:agent-bribed']),
    );
    expect(graph.edges.length).toBeGreaterThanOrEqual(8 * 3);
  });
});
