// Quick throughput figure for appendBatch (one assessment per batch), awaiting each batch, or
// with up to two in flight as the engine does (`pipelined`):
//   node --import tsx src/adapters/db/testing/measure-append-batch.ts LOCATION [orders|logins] [BATCHES] [BATCH_SIZE] [pipelined]
// LOCATION is a SQLite path or a postgres:// URL (use an empty, disposable database).
// `orders`: order.placed events (~260-byte payloads) over 997 accounts; `logins`: small account.login events.
import { openStore } from '../open-store.ts';
import { accountLogin, assessment, orderPlaced } from './test-events.ts';

const [location, kind = 'orders', batchesText = '40', batchSizeText = '5000', mode = 'awaited'] =
  process.argv.slice(2);
if (location === undefined || (kind !== 'orders' && kind !== 'logins')) {
  throw new Error(
    'usage: measure-append-batch.ts LOCATION [orders|logins] [BATCHES] [BATCH_SIZE] [awaited|pipelined]',
  );
}
const batches = Number(batchesText);
const batchSize = Number(batchSizeText);

const store = await openStore(location);
const runId = Date.now().toString(36);
const prepared = Array.from({ length: batches }, (_, batch) =>
  Array.from({ length: batchSize }, (_, index) => {
    const second = String(index % 60).padStart(2, '0');
    const id = `${runId}-${batch}-${index}`;
    const accountId = `account-${index % 997}`;
    const time = `2026-10-01T12:00:${second}Z`;
    return kind === 'orders'
      ? orderPlaced(id, accountId, `order-${id}`, time)
      : accountLogin(id, accountId, time);
  }),
);

const started = performance.now();
let inserted = 0;
const inFlight: Promise<{ inserted: number }>[] = [];
for (const [batch, events] of prepared.entries()) {
  inFlight.push(store.appendBatch(events, [assessment({ subjectId: `${runId}-${batch}` })]));
  if (mode !== 'pipelined' || inFlight.length >= 2) inserted += (await inFlight.shift()!).inserted;
}
for (const write of inFlight) inserted += (await write).inserted;
const seconds = (performance.now() - started) / 1000;
console.log(
  `${store.dialect}, ${kind}, ${mode}: ${inserted} events in ${batches} batches of ${batchSize}: ` +
    `${seconds.toFixed(2)} s, ${Math.round(inserted / seconds).toLocaleString('en-US')} events/s`,
);
await store.close();
