// The SQLite paths a file import takes: payloads cut from the lines as read, and a first load
// that builds the events' random-order indexes once at the end.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EventBuilder } from '../../core/testing/event-builder.ts';
import { openStore } from './open-store.ts';
import { rowFromLine } from './sqlite-writes.ts';
import { eventIndexes } from './testing/event-indexes.ts';

const line = (event: object) => JSON.stringify(event);

// A folder of its own for each test's store file.
let folder: string;
beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), 'refundguard-bulk-'));
});
afterEach(async () => {
  await rm(folder, { recursive: true, force: true });
});

describe('an event row from the line as read', () => {
  const event = {
    id: 'ev-1',
    type: 'account.login',
    time: '2026-10-01T00:00:00Z',
    data: { accountId: 'a', ip: '1.2.3.4' },
  };
  const expected = [
    'ev-1',
    'account.login',
    '2026-10-01T00:00:00Z',
    Date.parse('2026-10-01T00:00:00Z'),
    'a',
    null,
    JSON.stringify(event.data),
  ];

  it('takes the envelope and the data text from a compact line', () => {
    expect(rowFromLine(line(event), 'a', null)).toEqual(expected);
  });

  it('parses and serialises again a line it cannot cut safely', () => {
    // Spaces after the colons: the envelope is not the one JSON.stringify writes.
    const spaced =
      '{"id": "ev-1", "type": "account.login", "time": "2026-10-01T00:00:00Z", "data": {"accountId": "a", "ip": "1.2.3.4"}}';
    expect(rowFromLine(spaced, 'a', null)).toEqual(expected);
    // A second "id" after the data: cutting at the last brace would keep it.
    expect(rowFromLine(`${line(event).slice(0, -1)},"id":"ev-1"}`, 'a', null)).toEqual(expected);
    // An escaped character in the id: the text between the quotes is not the id.
    const quoted = { ...event, id: 'ev-"1"' };
    expect(rowFromLine(line(quoted), 'a', null)[0]).toBe('ev-"1"');
    // Keys in another order.
    const reordered = JSON.stringify({ type: event.type, id: event.id, time: event.time, data: event.data });
    expect(rowFromLine(reordered, 'a', null)).toEqual(expected);
  });

  it('keeps escapes in the data as they were written: the same JSON value', () => {
    const payload = rowFromLine(line(event).replace('"a"', '"\\u0061"'), 'a', null)[6];
    expect(payload).toContain('\\u0061');
    expect(JSON.parse(payload)).toEqual(event.data);
  });

  it('keeps a transcript whose messages carry their own times whole', () => {
    const contact = {
      id: 'ev-2',
      type: 'contact.created',
      time: '2026-10-01T00:00:00Z',
      data: {
        contactId: 'c',
        accountId: 'a',
        channel: 'chat',
        messages: [{ from: 'customer', time: '2026-10-01T00:00:00Z', text: 'hi "data": }' }],
      },
    };
    expect(JSON.parse(rowFromLine(line(contact), 'a', 'c')[6])).toEqual(contact.data);
  });
});

describe.each(['file', 'memory'])('sqlite store (%s) fed lines as read', (kind) => {
  it('stores each event as the line says, whatever form the line takes', async () => {
    const location = kind === 'file' ? join(folder, 'store.sqlite') : ':memory:';
    const store = await openStore(location);
    const world = new EventBuilder()
      .customer('acc-1', { deviceId: 'd1' })
      .login('acc-1', 1, { deviceId: 'd1', ip: '10.0.0.1' })
      .order('ord-1', 'acc-1', 2, 4_999)
      .contact('con-1', 'acc-1', 3, { text: 'My parcel "arrived" empty: {"data": 1}' })
      .login('acc-1', 4, { deviceId: 'd2' });
    const events = world.events();
    const sources = world.raw.map((raw, index) =>
      index === 1 ? JSON.stringify(raw, null, 1) : index === 4 ? undefined : JSON.stringify(raw),
    );
    expect((await store.appendBatch(events, [], sources)).inserted).toBe(events.length);
    const stored = [];
    for await (const page of store.streamEvents()) stored.push(...page);
    expect(stored).toEqual(events);
    await store.close();
  });
});

describe('sqlite first load', () => {
  it('builds the account and subject indexes once the load finishes, and they answer as before', async () => {
    const location = join(folder, 'store.sqlite');
    const store = await openStore(location);
    const all = eventIndexes(location);
    expect(all).toEqual(expect.arrayContaining(['events_account_at', 'events_subject']));
    const bulkLoad = await store.beginBulkLoad?.();
    expect(bulkLoad).toBeDefined();
    expect(eventIndexes(location)).not.toContain('events_account_at');
    const world = new EventBuilder().customer('acc-1').order('ord-1', 'acc-1', 1, 4_999, { deliveredDay: 2 });
    await store.appendBatch(world.events(), []);
    await bulkLoad?.finish();
    expect(eventIndexes(location)).toEqual(all);
    expect((await store.eventsForAccount('acc-1')).map((event) => event.type)).toEqual([
      'account.created',
      'order.placed',
      'order.delivered',
    ]);
    await store.close();
  });

  it('gets back the indexes a load that died left out, when the store is next opened', async () => {
    const location = join(folder, 'store.sqlite');
    const store = await openStore(location);
    const all = eventIndexes(location);
    await store.beginBulkLoad?.();
    await store.close();
    expect(eventIndexes(location)).not.toContain('events_subject');
    const reopened = await openStore(location);
    expect(eventIndexes(location)).toEqual(all);
    await reopened.close();
  });
});
