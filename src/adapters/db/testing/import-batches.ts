// Child process of sqlite-crash.test.ts: imports numbered batches through the engine as
// `refundguard import` does (validated, assessed, written by the store with batches in flight,
// payloads cut from the lines, a first load building its indexes at the end) and prints each batch number once it is committed; at the end, `done INSERTED
// DUPLICATES`. The test kills it mid-way. Each batch is one account: an account.created (assessed
// as a sign-up) and logins.
// Usage: node --import tsx import-batches.ts LOCATION BATCHES EVENTS_PER_BATCH
import { RiskEngine } from '../../../app/engine.ts';
import type { RawBatch } from '../../../app/ingest-batch.ts';
import { loadRulePack } from '../../../app/rule-pack-file.ts';
import { beginFirstLoad } from '../../cli/import-file.ts';
import { openStore } from '../open-store.ts';

const [location, batchesText, batchSizeText] = process.argv.slice(2);
if (location === undefined) throw new Error('usage: import-batches.ts LOCATION BATCHES EVENTS_PER_BATCH');
const batchCount = Number(batchesText);
const batchSize = Number(batchSizeText);

async function* batches(): AsyncIterable<RawBatch> {
  for (let batch = 0; batch < batchCount; batch++) {
    const accountId = `crash-account-${batch}`;
    const items: unknown[] = [
      {
        id: `crash-${batch}-0`,
        type: 'account.created',
        time: '2026-10-01T12:00:00Z',
        data: { accountId, email: `${accountId}@example.com`, name: `Customer ${batch}` },
      },
    ];
    for (let index = 1; index < batchSize; index++) {
      items.push({
        id: `crash-${batch}-${index}`,
        type: 'account.login',
        time: '2026-10-01T12:00:01Z',
        data: { accountId, deviceId: `device-${batch}` },
      });
    }
    yield { items, texts: items.map((item) => JSON.stringify(item)) };
  }
}

const store = await openStore(location);
const engine = new RiskEngine(store, loadRulePack(), Date.now);
await engine.load();
let reported = 0;
const finishFirstLoad = await beginFirstLoad(store);
const result = await engine.ingestStream(batches(), (items) => {
  for (; reported < items / batchSize; reported++) process.stdout.write(`${reported}\n`);
});
await finishFirstLoad?.();
process.stdout.write(`done ${result.inserted} ${result.duplicates}\n`);
await store.close();
