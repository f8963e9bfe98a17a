import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseEvent } from '../core/events.ts';
import {
  MIX_NAMES,
  type SimulationOptionsInput,
  simulateWorld,
  simulationOptionsSchema,
  writeWorld,
} from './index.ts';

const SMALL: SimulationOptionsInput = {
  seed: 7,
  customers: 2500,
  days: 30,
  gangs: 3,
  clientsPerGang: 12,
  insiders: 3,
  agents: 40,
  banEvaders: 8,
  intelPosts: 60,
};

describe('simulateWorld', () => {
  const world = simulateWorld(SMALL);
  const refundRequests = world.events.filter((event) => event.type === 'refund.requested');
  const refundLabels = world.labels.filter((label) => label.subject === 'refund');

  it('writes only contract-valid events, sorted by time, with unique ids', () => {
    let previous = '';
    const ids = new Set<string>();
    for (const event of world.events) {
      const parsed = parseEvent(event);
      if (!parsed.ok) throw new Error(`${event.id}: ${JSON.stringify(parsed.problems)}`);
      expect(event.time >= previous).toBe(true);
      previous = event.time;
      ids.add(event.id);
    }
    expect(ids.size).toBe(world.events.length);
    expect(world.summary.events).toBe(world.events.length);
  });

  it('has every kind of event, some with fields the contract does not name', () => {
    const types = new Set(world.events.map((event) => event.type));
    for (const type of [
      'account.created',
      'account.login',
      'account.closed',
      'order.placed',
      'order.delivered',
      'contact.created',
      'refund.requested',
      'refund.decided',
      'return.updated',
      'agent.action',
      'intel.post',
    ]) {
      expect(types.has(type as never), type).toBe(true);
    }
    const extras = world.events.filter(
      (event) => 'deliveryLocation' in event.data || 'callerId' in event.data || 'promoCode' in event.data,
    );
    expect(extras.length).toBeGreaterThan(0);
  });

  it('labels every refund exactly once, and only refunds that exist', () => {
    const requested = refundRequests.map((event) => event.data.refundId as string);
    expect(new Set(requested).size).toBe(requested.length);
    expect(refundLabels.map((label) => label.subjectId).sort()).toEqual([...requested].sort());
    const byId = new Map(refundRequests.map((event) => [event.data.refundId as string, event.data]));
    for (const label of refundLabels) {
      const request = byId.get(label.subjectId)!;
      expect(label.amountMinor).toBe(request.amountMinor);
      expect(label.currency).toBe(request.currency);
      expect(label.accountId).toBe(request.accountId);
      expect(label.label === 'fraud').toBe(label.scheme !== 'honest');
      if (label.label === 'fraud') expect(label.gangId).toMatch(/^gang-\d+$/);
    }
  });

  it('labels every account and agent that exists', () => {
    const accounts = new Set(
      world.events.filter((event) => event.type === 'account.created').map((event) => event.data.accountId),
    );
    const accountLabels = world.labels.filter((label) => label.subject === 'account');
    expect(accountLabels.length).toBe(accounts.size);
    for (const label of accountLabels) expect(accounts.has(label.subjectId)).toBe(true);
    const agents = new Set(
      world.events.filter((event) => event.type === 'agent.action').map((event) => event.data.agentId),
    );
    const insiders = world.labels.filter((label) => label.subject === 'agent' && label.label === 'insider');
    expect(insiders).toHaveLength(3);
    for (const label of insiders) expect(agents.has(label.subjectId)).toBe(true);
    const evaders = accountLabels.filter((label) => label.label === 'ban_evasion');
    expect(evaders.length).toBeGreaterThan(0);
    expect(evaders.length).toBeLessThanOrEqual(8);
  });

  it('has plausible proportions', () => {
    const fraud = refundLabels.filter((label) => label.label === 'fraud');
    const share = fraud.length / refundLabels.length;
    expect(share).toBeGreaterThan(0.02);
    expect(share).toBeLessThan(0.25);
    const methods = new Set(refundLabels.map((label) => label.method));
    for (const method of ['return', 'lost_parcel']) expect(methods.has(method)).toBe(true);
    const schemes = new Set(fraud.map((label) => label.scheme));
    expect(schemes.has('refund_service')).toBe(true);
    // Honest refunds are not all one reason, and fraud is not always the dearest item.
    const honestReasons = new Set(
      refundRequests
        .filter(
          (event) => refundLabels.find((label) => label.subjectId === event.data.refundId)?.label === 'legit',
        )
        .map((event) => event.data.reason),
    );
    expect(honestReasons.size).toBeGreaterThanOrEqual(6);
    expect(new Set(fraud.map((label) => label.amountMinor)).size).toBeGreaterThan(fraud.length / 3);
    const orders = world.events.filter((event) => event.type === 'order.placed').length;
    expect(refundLabels.length / orders).toBeGreaterThan(0.03);
    expect(refundLabels.length / orders).toBeLessThan(0.2);
  });

  it('uses neutral identifiers', () => {
    const accountIds = world.events
      .filter((event) => event.type === 'account.created')
      .map((event) => String(event.data.accountId));
    for (const id of accountIds) expect(id).toMatch(/^acc-[0-9a-z]{10}$/);
    for (const event of refundRequests) expect(String(event.data.refundId)).toMatch(/^rf-[0-9a-z]{10}$/);
    const devices = world.events.flatMap((event) =>
      typeof event.data.deviceId === 'string' ? [event.data.deviceId] : [],
    );
    for (const id of devices) expect(id).toMatch(/^dev-[0-9a-f]{12}$/);
  });

  it('is deterministic: same seed same world, another seed another world', () => {
    const again = simulateWorld(SMALL);
    expect(JSON.stringify(again.events)).toBe(JSON.stringify(world.events));
    expect(JSON.stringify(again.labels)).toBe(JSON.stringify(world.labels));
    const other = simulateWorld({ ...SMALL, seed: 8 });
    expect(JSON.stringify(other.events)).not.toBe(JSON.stringify(world.events));
  });
});

describe('writeWorld', () => {
  it('writes the same bytes for the same options, and what simulateWorld returns', async () => {
    const options: SimulationOptionsInput = {
      ...SMALL,
      customers: 800,
      days: 20,
      gangs: 2,
      clientsPerGang: 10,
    };
    const first = mkdtempSync(join(tmpdir(), 'sim-a-'));
    const second = mkdtempSync(join(tmpdir(), 'sim-b-'));
    const calls: string[] = [];
    const written = await writeWorld(options, first, (_done, _total, phase) => calls.push(phase));
    await writeWorld(simulationOptionsSchema.parse(options), second);
    const eventsA = readFileSync(join(first, 'events.jsonl'));
    expect(eventsA.equals(readFileSync(join(second, 'events.jsonl')))).toBe(true);
    expect(readFileSync(join(first, 'labels.jsonl')).equals(readFileSync(join(second, 'labels.jsonl')))).toBe(
      true,
    );
    const inMemory = simulateWorld(options);
    const lines = eventsA.toString('utf8').trimEnd().split('\n');
    expect(lines).toHaveLength(written.events);
    expect(lines.map((line) => JSON.parse(line))).toEqual(inMemory.events);
    expect(calls).toContain('generate');
    expect(calls).toContain('write');
  });
});

describe('options', () => {
  it('fills defaults from the base and the mix preset, explicit values winning', () => {
    const defaults = simulationOptionsSchema.parse({});
    expect(defaults).toMatchObject({
      seed: '1',
      customers: 20_000,
      days: 60,
      gangs: 4,
      insiders: 3,
      agents: 120,
      banEvaders: 30,
    });
    expect(defaults.start).toBe('2026-09-01T00:00:00Z');
    expect(simulationOptionsSchema.parse({ mix: 'insider-heavy' }).insiders).toBe(10);
    expect(simulationOptionsSchema.parse({ mix: 'insider-heavy', insiders: 4 }).insiders).toBe(4);
    expect(simulationOptionsSchema.parse({ seed: '1' }).seed).toBe(
      simulationOptionsSchema.parse({ seed: 1 }).seed,
    );
    expect(simulationOptionsSchema.parse({ customers: '900' }).customers).toBe(900);
  });

  it('rejects nonsense', () => {
    expect(simulationOptionsSchema.safeParse({ customers: -1 }).success).toBe(false);
    expect(simulationOptionsSchema.safeParse({ mix: 'chaos' }).success).toBe(false);
    expect(simulationOptionsSchema.safeParse({ start: 'yesterday' }).success).toBe(false);
    expect(simulationOptionsSchema.safeParse({ customers: 100, gangs: 10, clientsPerGang: 40 }).success).toBe(
      false,
    );
    expect(simulationOptionsSchema.safeParse({ colour: 'blue' }).success).toBe(false);
  });

  it('makes a valid world with every mix, with returns abuse that looks like itself', () => {
    let ftid = 0;
    let boxing = 0;
    for (const mix of MIX_NAMES) {
      const world = simulateWorld({
        seed: 3,
        customers: 1500,
        days: 25,
        mix,
        agents: 40,
        clientsPerGang: 15,
        intelPosts: 20,
      });
      const invalid = world.events.filter((event) => !parseEvent(event).ok);
      expect(invalid, mix).toHaveLength(0);
      expect(
        world.labels.some((label) => label.label === 'fraud'),
        mix,
      ).toBe(true);
      const returns = new Map<string, Record<string, unknown>[]>();
      for (const event of world.events) {
        if (event.type !== 'return.updated') continue;
        const list = returns.get(String(event.data.refundId)) ?? [];
        list.push(event.data);
        returns.set(String(event.data.refundId), list);
      }
      for (const label of world.labels) {
        const updates = returns.get(label.subjectId);
        if (!updates || label.label !== 'fraud') continue;
        const created = updates.find((update) => update.status === 'label_created');
        const delivered = updates.find((update) => update.status === 'delivered');
        const received = updates.find((update) => update.status === 'received');
        if (label.method === 'ftid' && delivered) {
          // FTID: delivered somewhere other than the warehouse on the label, never received there.
          expect(delivered.destinationPostalCode).not.toBe(created?.destinationPostalCode);
          expect(received).toBeUndefined();
          ftid++;
        }
        if (label.method === 'boxing' && received) {
          const light = typeof received.weightGrams === 'number' && received.weightGrams < 500;
          expect(received.condition === 'empty' || received.condition === 'as_expected').toBe(true);
          if (received.condition === 'empty' || light) boxing++;
        }
      }
    }
    expect(ftid).toBeGreaterThan(0);
    expect(boxing).toBeGreaterThan(0);
  });
});

describe('random worlds: retailers unlike each other', () => {
  const worlds = [41, 42, 43, 44].map((seed) =>
    simulateWorld({ seed, mix: 'random', customers: 3_000, days: 40 }),
  );

  it('draws each world’s honest and fraud behaviour from wide ranges, and the world follows its draw', () => {
    const shares = worlds.map((world) => {
      const refunds = world.labels.filter((label) => label.subject === 'refund');
      const honest = refunds.filter((label) => label.label === 'legit');
      const deliveries = world.events.filter((event) => event.type === 'order.delivered');
      return {
        profile: world.summary.profile,
        notReceived: honest.filter((label) => label.method === 'lost_parcel').length / honest.length,
        photo: deliveries.filter((event) => event.data.photo === true).length / deliveries.length,
        fraud: (refunds.length - honest.length) / refunds.length,
      };
    });
    const spread = (values: number[]) => Math.max(...values) - Math.min(...values);
    expect(spread(shares.map((entry) => entry.profile.honest.notReceivedShare))).toBeGreaterThan(0.05);
    for (const entry of shares) {
      expect(Math.abs(entry.notReceived - entry.profile.honest.notReceivedShare)).toBeLessThan(0.1);
      // Photos are taken where no signature was: a little under the drawn rate overall.
      expect(entry.photo).toBeLessThanOrEqual((entry.profile.honest.photoRate ?? 1) + 0.03);
      expect(entry.photo).toBeGreaterThan((entry.profile.honest.photoRate ?? 0) * 0.8);
      expect(entry.fraud).toBeGreaterThan(0);
    }
    expect(new Set(worlds.map((world) => world.summary.counts.gangs)).size).toBeGreaterThan(1);
  });

  it('writes investigators’ outcomes into the stream when asked: some weeks later, a few wrong', () => {
    const options = { seed: 35, mix: 'random' as const, customers: 3_000, days: 60 };
    const plain = simulateWorld(options);
    const labelled = simulateWorld({ ...options, labelShare: 0.5, labelNoise: 0.05 });
    expect(plain.events.some((event) => event.type === 'label.set')).toBe(false);
    const truth = new Map(
      labelled.labels.filter((label) => label.subject === 'refund').map((label) => [label.subjectId, label]),
    );
    const requested = new Map(
      labelled.events
        .filter((event) => event.type === 'refund.requested')
        .map((event) => [event.data.refundId as string, event.time]),
    );
    const outcomes = labelled.events.filter((event) => event.type === 'label.set');
    expect(outcomes.length).toBeGreaterThan(50);
    let wrong = 0;
    for (const outcome of outcomes) {
      const refundId = outcome.data.subjectId as string;
      const delayDays = (Date.parse(outcome.time) - Date.parse(requested.get(refundId) ?? '')) / 86_400_000;
      expect(delayDays).toBeGreaterThanOrEqual(14 - 1e-6);
      expect(delayDays).toBeLessThanOrEqual(35 + 1e-6);
      const fraud = truth.get(refundId)?.label !== 'legit';
      if ((outcome.data.label === 'fraud') !== fraud) wrong += 1;
    }
    expect(wrong).toBeGreaterThan(0);
    expect(wrong / outcomes.length).toBeLessThan(0.12);
    // Outcomes change nothing else: the same refunds, the same ground truth.
    expect(labelled.labels).toEqual(plain.labels);
  });
});
