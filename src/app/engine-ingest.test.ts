// The engine's ingest pipeline: which events are new (decided from its own id set), how many
// batch writes it keeps in flight, and how it recovers when a write or an assessment fails. Runs
// on an in-memory SQLite store, wrapped to watch or hold back its appendBatch calls.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore } from '../adapters/db/open-store.ts';
import { accountCreated, accountLogin } from '../adapters/db/testing/test-events.ts';
import type { RefundguardEvent } from '../core/events.ts';
import { RiskEngine } from './engine.ts';
import type { AssessmentRecord, Store } from './ports.ts';
import { loadRulePack } from './rule-pack-file.ts';

const RULES = loadRulePack();
const TIME = '2026-10-01T12:00:00Z';

interface Append {
  ids: string[];
  assessments: AssessmentRecord[];
  release: () => void;
  fail: (error: Error) => void;
}

/** A store whose appendBatch calls are recorded and, while `hold` is set, wait to be released. */
function watched(store: Store, options: { hold?: boolean } = {}) {
  const appends: Append[] = [];
  let settled = 0;
  const wrapper: Store = Object.create(store);
  wrapper.appendBatch = (events, assessments) => {
    const ids = events.map((event) => event.id);
    return new Promise<void>((resolve, reject) => {
      const append: Append = { ids, assessments, release: resolve, fail: reject };
      appends.push(append);
      if (!options.hold) resolve();
    })
      .then(() => store.appendBatch(events, assessments))
      .finally(() => {
        settled += 1;
      });
  };
  return {
    store: wrapper,
    appends,
    inFlight: () => appends.length - settled,
    /** Lets the next calls through without being released. */
    stopHolding: () => {
      options.hold = false;
    },
  };
}

/** Batches of one account each: an account.created (a sign-up assessment) and logins. */
function accounts(count: number, eventsEach: number, prefix = 'acc'): RefundguardEvent[] {
  const events: RefundguardEvent[] = [];
  for (let account = 0; account < count; account++) {
    const accountId = `${prefix}-${account}`;
    events.push(accountCreated(`${accountId}-0`, accountId, TIME));
    for (let index = 1; index < eventsEach; index++) {
      events.push(accountLogin(`${accountId}-${index}`, accountId, TIME));
    }
  }
  return events;
}

/** Lets queued promise callbacks and timers run until `condition` holds. */
async function until(condition: () => boolean): Promise<void> {
  for (let round = 0; round < 1000 && !condition(); round++) {
    await new Promise((resolve) => setImmediate(resolve));
  }
  expect(condition()).toBe(true);
}

describe('RiskEngine ingestion', () => {
  let store: Store;

  beforeEach(async () => {
    store = await openStore(':memory:');
  });

  afterEach(async () => {
    await store.close();
  });

  it('tells new events from its own id set: re-sent ids and repeats in a batch reach neither state nor store', async () => {
    const spy = watched(store);
    const engine = new RiskEngine(spy.store, RULES, Date.now);
    const [created, login, other] = [
      accountCreated('e1', 'a1', TIME),
      accountLogin('e2', 'a1', TIME),
      accountLogin('e3', 'a1', TIME),
    ] as [RefundguardEvent, RefundguardEvent, RefundguardEvent];

    expect(await engine.ingestEvents([created, login, login, created])).toEqual({
      received: 4,
      inserted: 2,
      duplicates: 2,
      assessed: 1,
    });
    expect(await engine.ingestEvents([created, other])).toEqual({
      received: 2,
      inserted: 1,
      duplicates: 1,
      assessed: 0,
    });
    expect(spy.appends.map((append) => append.ids)).toEqual([['e1', 'e2'], ['e3']]);
    expect((await store.getAssessment('signup', 'a1'))?.decision).toBeDefined();

    // A new engine knows the stored ids once loaded: nothing is sent to the store at all.
    const restarted = new RiskEngine(spy.store, RULES, Date.now);
    await restarted.load();
    expect(await restarted.ingestEvents([created, login, other])).toEqual({
      received: 3,
      inserted: 0,
      duplicates: 3,
      assessed: 0,
    });
    expect(spy.appends).toHaveLength(2);
  });

  it('keeps at most two batch writes in flight and reports progress as they commit', async () => {
    const held = watched(store, { hold: true });
    const engine = new RiskEngine(held.store, RULES, Date.now);
    const progress: number[] = [];
    // 12 accounts of 1,000 events: batches of 5,000, 5,000 and 2,000 events.
    const ingesting = engine.ingestEvents(accounts(12, 1000), (done) => progress.push(done));

    await until(() => held.appends.length === 2);
    // The third batch is assessed but waits for the oldest write to commit.
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(held.appends).toHaveLength(2);
    expect(held.inFlight()).toBe(2);
    expect(progress).toEqual([]);

    held.appends[0]!.release();
    await until(() => held.appends.length === 3);
    expect(held.inFlight()).toBe(2);
    expect(progress).toEqual([5000]);

    held.appends[1]!.release();
    held.appends[2]!.release();
    expect(await ingesting).toEqual({ received: 12_000, inserted: 12_000, duplicates: 0, assessed: 12 });
    expect(progress).toEqual([5000, 10_000, 12_000]);
    expect(await store.countEvents()).toBe(12_000);
  });

  it('when a write fails, waits for the others, rebuilds state and ids from the store and throws', async () => {
    const held = watched(store, { hold: true });
    const engine = new RiskEngine(held.store, RULES, Date.now);
    const events = accounts(12, 1000);
    const ingesting = engine.ingestEvents(events);
    const failure = expect(ingesting).rejects.toThrow('disk on fire');

    await until(() => held.appends.length === 2);
    held.appends[1]!.fail(new Error('disk on fire'));
    held.appends[0]!.release();
    await until(() => held.appends.length === 3);
    held.appends[2]!.release();
    await failure;

    // Batches 1 and 3 are stored; the state is what the store holds, batch 2 is unknown again.
    expect(await store.countEvents()).toBe(7000);
    expect(engine.riskState.accounts.has('acc-0')).toBe(true);
    expect(engine.riskState.accounts.has('acc-5')).toBe(false);
    expect(engine.riskState.accounts.has('acc-11')).toBe(true);

    // Sent again, only the missing batch goes in.
    held.stopHolding();
    const result = await engine.ingestEvents(events);
    expect(result).toEqual({ received: 12_000, inserted: 5000, duplicates: 7000, assessed: 5 });
    expect(await store.countEvents()).toBe(12_000);
    expect(await store.listAssessments({ subjectType: 'signup' })).toHaveLength(12);
  });

  it('when an assessment throws, writes nothing of that batch and rebuilds the state', async () => {
    const engine = new RiskEngine(store, RULES, Date.now);
    let assessedSoFar = 0;
    engine.onAssessed = () => {
      assessedSoFar += 1;
      if (assessedSoFar === 6) throw new Error('detector exploded');
    };
    await expect(engine.ingestEvents(accounts(12, 1000))).rejects.toThrow('detector exploded');
    expect(await store.countEvents()).toBe(5000);
    expect(engine.riskState.accounts.size).toBe(5);

    engine.onAssessed = undefined;
    expect(await engine.ingestEvents(accounts(12, 1000))).toMatchObject({ inserted: 7000, duplicates: 5000 });
  });

  it('runs concurrent ingests one after another', async () => {
    const engine = new RiskEngine(store, RULES, Date.now);
    const first = accounts(6, 1000);
    const both = [...first, ...accounts(3, 1000, 'late')];
    const results = await Promise.all([engine.ingestEvents(first), engine.ingestEvents(both)]);
    expect(results).toEqual([
      { received: 6000, inserted: 6000, duplicates: 0, assessed: 6 },
      { received: 9000, inserted: 3000, duplicates: 6000, assessed: 3 },
    ]);
  });

  it('ingests a stream of raw batches, reporting invalid items by line and committed items', async () => {
    const engine = new RiskEngine(store, RULES, Date.now);
    const committed: number[] = [];
    async function* batches() {
      yield {
        items: [
          { id: 'e1', type: 'account.created', time: TIME, data: { accountId: 'a1', email: 'x', name: 'y' } },
          { id: 'bad', type: 'account.login', time: 'yesterday', data: { accountId: 'a1' } },
        ],
        lineNumbers: [1, 3],
      };
      yield { items: [{ id: 'e1', type: 'account.login', time: TIME, data: { accountId: 'a1' } }] };
      yield { items: [{ id: 'e2', type: 'account.login', time: TIME, data: { accountId: 'a1' } }] };
    }
    const result = await engine.ingestStream(batches(), (items) => committed.push(items));
    expect(result).toMatchObject({ received: 4, inserted: 2, duplicates: 1, assessed: 1 });
    expect(result.rejected).toMatchObject([{ index: 1, line: 3, eventId: 'bad' }]);
    expect(committed).toEqual([2, 3, 4]);
  });
  it('refuses events past the time window on their own, naming time, and the latest event stays put', async () => {
    const now = Date.parse('2026-10-02T00:00:00Z');
    const engine = new RiskEngine(store, RULES, () => now, {
      timeWindow: { maxFutureMs: 86_400_000, earliestMs: Date.parse('2020-01-01T00:00:00Z') },
    });
    const login = (id: string, time: string) => ({
      id,
      type: 'account.login',
      time,
      data: { accountId: 'a1' },
    });
    const result = await engine.ingest([
      login('ok', TIME),
      login('future', '9999-12-31T00:00:00Z'),
      login('day-ahead', '2026-10-02T23:59:59Z'),
      login('past-margin', '2026-10-03T00:00:01Z'),
      login('ancient', '0001-01-01T00:00:00Z'),
    ]);
    expect(result).toMatchObject({ received: 5, inserted: 2 });
    expect(
      result.rejected.map(({ index, eventId, problems }) => [index, eventId, problems[0]?.field]),
    ).toEqual([
      [1, 'future', 'time'],
      [3, 'past-margin', 'time'],
      [4, 'ancient', 'time'],
    ]);
    expect(result.rejected[0]?.problems[0]?.reason).toContain('after the server');
    expect(result.rejected[2]?.problems[0]?.reason).toContain('before 2020-01-01T00:00:00.000Z');
    expect(engine.riskState.lastEventAt).toBe(Date.parse('2026-10-02T23:59:59Z'));
    expect(await store.countEvents()).toBe(2);

    const assess = (time: number) =>
      engine.assessRefundRequest(
        {
          refundId: 'r1',
          orderId: 'o1',
          accountId: 'a1',
          amountMinor: 100,
          currency: 'USD',
          reason: 'damaged',
          channel: 'chat',
        },
        time,
      );
    expect(await assess(Date.parse('9999-01-01T00:00:00Z'))).toMatchObject({
      ok: false,
      problems: [{ field: 'time' }],
    });
    expect(await assess(Date.parse('1999-01-01T00:00:00Z'))).toMatchObject({ ok: false });
    expect(await assess(now)).toMatchObject({ ok: true });
  });

  it('refuses an event the state cannot take on its own: the rest is stored and nothing is rebuilt', async () => {
    const engine = new RiskEngine(store, RULES, Date.now);
    const state = engine.riskState;
    const apply = state.apply.bind(state);
    // A stand-in for a detector bug on one event (the limits leave no known input that does this).
    state.apply = (event) => {
      if (event.id === 'acc-1-2') throw new Error('no room for this one');
      apply(event);
    };
    let loads = 0;
    const load = engine.load.bind(engine);
    engine.load = async (...args) => {
      loads += 1;
      return load(...args);
    };
    const events = accounts(3, 4);
    const result = await engine.ingest(events.map(({ at: _at, ...event }) => event));
    expect(result).toMatchObject({ received: 12, inserted: 11, duplicates: 0 });
    expect(result.rejected).toEqual([
      {
        index: 6,
        eventId: 'acc-1-2',
        problems: [{ field: '(root)', reason: 'could not be applied: no room for this one' }],
      },
    ]);
    expect(loads).toBe(0);
    expect(engine.riskState).toBe(state);
    expect(await store.countEvents()).toBe(11);
    // Its id is forgotten: sent again once it can be applied, it goes in.
    state.apply = apply;
    expect(await engine.ingest([events[6]])).toMatchObject({ inserted: 1 });
  });
});
