// Ring detection end to end: a gang found as one ring with its fingerprints, reasons and
// score; the same ring whatever the order the facts came in; nothing seen at or after asOf.
import { describe, expect, it } from 'vitest';
import { addGang, addHonestCrowd, DAY, HOUR, T0, World } from '../testing/ring-world.ts';
import { ringIdOf } from './describe-ring.ts';

describe('detectRings', () => {
  it('finds a gang of eight clients worked from two refunder devices as one ring', () => {
    const world = new World();
    addHonestCrowd(world, 200);
    const clients = addGang(world);
    const { rings } = world.detect();
    expect(rings).toHaveLength(1);
    const ring = rings[0];
    if (!ring) throw new Error('no ring');
    expect(ring.accountIds).toEqual([...clients].sort());
    expect(ring.ringId).toBe(ringIdOf(clients));
    expect(ring.fingerprints.origins.sort()).toEqual([
      'device:refunder-laptop-1',
      'device:refunder-laptop-2',
    ]);
    expect(ring.fingerprints.ranges).toEqual(['range:5.188.62']);
    expect(ring.fingerprints.scripts).toHaveLength(1);
    expect(ring.refundIds).toHaveLength(8);
    expect(ring.valueUsd).toBe(8 * 900);
    expect(ring.agentIds).toEqual(['agent-bribed']);
    expect(ring.firstAt).toBeLessThan(ring.lastAt);
    expect(ring.score).toBeGreaterThan(0.8);
    const codes = ring.reasons.map((reason) => reason.code);
    expect(codes.slice(0, 2)).toEqual(['RING_SHARED_REFUNDER_DEVICE', 'RING_THIRD_PARTY_CONTACTS']);
    expect(codes).toEqual(expect.arrayContaining(['RING_SHARED_REFUNDER_NETWORK', 'RING_SHARED_SCRIPT']));
    expect(ring.reasons[0]?.text).toContain('8 of 8 accounts');
  });

  it('gives the same ring whatever the order the facts arrived in', () => {
    const forward = new World();
    addGang(forward);
    addHonestCrowd(forward, 50);
    const backward = new World();
    addHonestCrowd(backward, 50);
    addGang(backward);
    const [left] = forward.detect().rings;
    const [right] = backward.detect().rings;
    expect(left?.ringId).toBeDefined();
    expect(left?.ringId).toBe(right?.ringId);
  });

  it('sees nothing that happened at or after asOf', () => {
    const world = new World();
    addGang(world);
    // As of day 4 only four clients had been worked: a ring of four.
    const early = world.detect(T0 + 4 * DAY + 12 * HOUR);
    expect(early.rings).toHaveLength(1);
    expect(early.rings[0]?.accountIds).toHaveLength(4);
    expect(early.rings[0]?.lastAt).toBeLessThan(T0 + 4 * DAY + 12 * HOUR);
    expect(world.detect(T0 + DAY).rings).toEqual([]);
    // Outside the window, nothing either.
    expect(world.detect(T0 + 400 * DAY).rings).toEqual([]);
  });
});
