// The writer thread of a file-backed SqliteStore (started by sqlite-writer.ts): its own
// connection to the file, with the same settings, runs every batch and assessment write, one
// message at a time in arrival order, and answers each once it has committed or failed.
import { parentPort, workerData } from 'node:worker_threads';
import BetterSqlite3 from 'better-sqlite3';
import type { WriterData, WriterReply, WriterRequest } from './sqlite-writer.ts';
import { configureConnection, SqliteWrites } from './sqlite-writes.ts';

const port = parentPort;
if (port === null) throw new Error('sqlite-writer-thread.ts runs only as a worker thread');

const { location } = workerData as WriterData;
const database = new BetterSqlite3(location);
configureConnection(database);
// A batch inserts into two indexes in random key order (account, subject): with SQLite's
// default 2 MB page cache their pages spill and are read back again within one transaction.
// 128 MB holds what a batch of tens of thousands of events dirties on a store of millions
// (measured on 1M events: 7.0 GB of WAL and database writes with 5,000-event batches and the
// default cache, 2.9 GB with 25,000-event batches and this cache).
database.pragma('cache_size = -131072');
// The checkpointer thread copies the WAL back; this connection only does so as a last resort,
// should the log grow past ~400 MB (a checkpointer far behind, or gone).
database.pragma('wal_autocheckpoint = 100000');
const writes = new SqliteWrites(database);

port.on('message', (request: WriterRequest) => {
  if (request.op === 'close') {
    database.close();
    // Nothing else keeps the thread alive: it ends, and the store sees it exit.
    port.close();
    return;
  }
  let reply: WriterReply;
  try {
    const inserted = write(request);
    reply = { id: request.id, ok: true, inserted };
  } catch (error) {
    const { name, message, code } = error as Error & { code?: unknown };
    reply = {
      id: request.id,
      ok: false,
      error: {
        name: String(name),
        message: String(message),
        code: typeof code === 'string' ? code : undefined,
      },
    };
  }
  port.postMessage(reply);
});

function write(request: Exclude<WriterRequest, { op: 'close' }>): number {
  switch (request.op) {
    case 'append':
      return writes.append(request.events, request.assessments);
    case 'saveAssessment':
      writes.saveAssessment(request.row);
      return 0;
    case 'deferIndexes':
      writes.deferIndexes();
      return 0;
    case 'restoreIndexes':
      writes.restoreIndexes();
      return 0;
  }
}
