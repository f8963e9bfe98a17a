// Child process of sqlite-crash.test.ts: imports numbered batches into a store, one
// commitBatch each, and prints each batch number once it is committed. The test kills it
// mid-way. Each batch is one account: an account.created, logins, and one assessment.
// Usage: node --import tsx import-batches.ts LOCATION BATCHES EVENTS_PER_BATCH
import { openStore } from '../open-store.ts';
import { accountCreated, accountLogin, assessment } from './test-events.ts';

const [location, batchesText, batchSizeText] = process.argv.slice(2);
if (location === undefined) throw new Error('usage: import-batches.ts LOCATION BATCHES EVENTS_PER_BATCH');
const batches = Number(batchesText);
const batchSize = Number(batchSizeText);

const store = await openStore(location);
for (let batch = 0; batch < batches; batch++) {
  const accountId = `crash-account-${batch}`;
  const events = [accountCreated(`crash-${batch}-0`, accountId, '2026-10-01T12:00:00Z')];
  for (let index = 1; index < batchSize; index++) {
    events.push(accountLogin(`crash-${batch}-${index}`, accountId, '2026-10-01T12:00:01Z'));
  }
  // Only a batch that inserted something writes its assessment, so a re-run adds none twice.
  await store.commitBatch(events, (inserted) =>
    inserted.length === 0 ? [] : [assessment({ subjectType: 'signup', subjectId: accountId, accountId })],
  );
  process.stdout.write(`${batch}\n`);
}
await store.close();
