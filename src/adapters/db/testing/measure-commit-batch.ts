// Quick throughput figure for commitBatch: node --import tsx src/adapters/db/testing/measure-commit-batch.ts LOCATION [BATCHES] [BATCH_SIZE]
// LOCATION is a SQLite path or a postgres:// URL (use an empty, disposable database).
import { openStore } from '../open-store.ts';
import { assessment, orderPlaced } from './test-events.ts';

const [location, batchesText = '40', batchSizeText = '5000'] = process.argv.slice(2);
if (location === undefined) throw new Error('usage: measure-commit-batch.ts LOCATION [BATCHES] [BATCH_SIZE]');
const batches = Number(batchesText);
const batchSize = Number(batchSizeText);

const store = await openStore(location);
const runId = Date.now().toString(36);
const prepared = Array.from({ length: batches }, (_, batch) =>
  Array.from({ length: batchSize }, (_, index) => {
    const second = String(index % 60).padStart(2, '0');
    const id = `${runId}-${batch}-${index}`;
    return orderPlaced(id, `account-${index % 997}`, `order-${id}`, `2026-10-01T12:00:${second}Z`);
  }),
);

const started = performance.now();
let inserted = 0;
for (const [batch, events] of prepared.entries()) {
  // A trivial decide: one assessment per batch.
  const result = await store.commitBatch(events, () => [assessment({ subjectId: `${runId}-${batch}` })]);
  inserted += result.inserted;
}
const seconds = (performance.now() - started) / 1000;
console.log(
  `${store.dialect}: ${inserted} events in ${batches} batches of ${batchSize}: ` +
    `${seconds.toFixed(2)} s, ${Math.round(inserted / seconds).toLocaleString('en-US')} events/s`,
);
await store.close();
