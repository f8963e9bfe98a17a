// The projection: honest look-alikes whose shared values are their own, or too common to mean
// anything, never make a ring; rarer values weigh more.
import { describe, expect, it } from 'vitest';
import { addHonestCrowd, HONEST_TEXTS, home, World } from '../testing/ring-world.ts';
import { rarityWeight } from './projection.ts';

describe('the projection', () => {
  it('does not make a ring of a family sharing a device, a card and an address', () => {
    const world = new World();
    addHonestCrowd(world, 50);
    for (const [member, day] of [
      ['mum', 2],
      ['dad', 9],
      ['teen', 15],
      ['gran', 30],
    ] as const) {
      const order = {
        card: 'card-family',
        address: 'us|43215|12 oak st',
        device: 'family-ipad',
        ip: '73.45.12.9',
      };
      world.refund(
        member,
        day,
        order,
        {
          device: 'family-ipad',
          ip: '73.45.12.9',
          ownOrigin: true,
          ownRange: true,
          text: HONEST_TEXTS[day % 5] as string,
        },
        250,
      );
    }
    const detection = world.detect();
    expect(detection.rings).toEqual([]);
  });

  it('does not make a ring of a university range shared by hundreds of students', () => {
    const world = new World();
    for (let student = 0; student < 400; student += 1) {
      const accountId = `student-${student}`;
      const ip = `141.20.33.${(student % 250) + 2}`;
      const order = {
        card: `card-${accountId}`,
        address: `us|48109|dorm ${student}`,
        device: `laptop-${accountId}`,
        ip,
      };
      world.refund(accountId, student % 40, order, {
        device: `laptop-${accountId}`,
        ip,
        ownOrigin: true,
        ownRange: true,
        text: HONEST_TEXTS[student % 5] as string,
      });
    }
    const detection = world.detect();
    expect(detection.rings).toEqual([]);
    expect(detection.stats.valuesTooCommon).toBeGreaterThan(0);
  });

  it('does not make a ring of students writing from their phones on the campus network they never ordered from', () => {
    const world = new World();
    for (let student = 0; student < 60; student += 1) {
      const accountId = `student-${student}`;
      const order = {
        card: `card-${accountId}`,
        address: `us|48109|dorm ${student}`,
        device: `laptop-${accountId}`,
        ip: `98.7.${student}.4`,
      };
      world.refund(accountId, student % 20, order, {
        device: `laptop-${accountId}`,
        ip: `141.20.33.${(student % 250) + 2}`,
        ownOrigin: true,
        ownRange: false,
        text: HONEST_TEXTS[student % 5] as string,
      });
    }
    // Many more people use the campus range themselves than asked for refunds.
    for (let other = 0; other < 500; other += 1) {
      const users = world.ownUsers.get('range:141.20.33') ?? new Set<string>();
      users.add(`other-${other}`);
      world.ownUsers.set('range:141.20.33', users);
    }
    expect(world.detect().rings).toEqual([]);
  });

  it('does not flag a customer who really lost a parcel, even writing from a new phone', () => {
    const world = new World();
    addHonestCrowd(world, 100);
    const order = home('unlucky', 999);
    world.refund('unlucky', 20, order, {
      device: 'new-phone',
      ip: '172.56.3.9',
      ownOrigin: false,
      ownRange: false,
      text: "Hi, the app says my parcel was delivered yesterday but it isn't at my door and the neighbours don't have it. I'm writing from my new phone, the old one broke.",
    });
    expect(world.detect().rings).toEqual([]);
  });

  it('weighs rare shared values more than common ones', () => {
    expect(rarityWeight(2)).toBe(1);
    expect(rarityWeight(8)).toBeLessThan(rarityWeight(3));
    expect(rarityWeight(100)).toBeGreaterThan(0.15);
  });
});
