// Child process of sqlite-writer.test.ts: writes to a SQLite file store and ends without closing
// it, one write still under way. The writer thread must neither keep the process alive nor lose
// that write. Usage: node --import tsx write-and-leave.ts LOCATION
import { openStore } from '../open-store.ts';
import { accountLogin } from './test-events.ts';

const [location] = process.argv.slice(2);
if (location === undefined) throw new Error('usage: write-and-leave.ts LOCATION');
const store = await openStore(location);
await store.appendBatch([accountLogin('first', 'a1', '2026-10-01T12:00:00Z')], []);
void store.appendBatch([accountLogin('second', 'a1', '2026-10-01T12:00:01Z')], []).then(({ inserted }) => {
  process.stdout.write(`second write committed: ${inserted}\n`);
});
