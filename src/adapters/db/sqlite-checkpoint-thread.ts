// The checkpointer of a file-backed SqliteStore (started by sqlite-writer.ts beside the writer
// thread): its own connection copies the WAL back into the database every few hundred
// milliseconds, PASSIVE, so that no commit ever has to. With the writer checkpointing itself
// (autocheckpoint), every ~1.5 s at 1,000 assessments/s one commit stalled 70–230 ms while it
// copied the log back, and every API answer waiting on a commit waited with it.
import { parentPort, workerData } from 'node:worker_threads';
import BetterSqlite3 from 'better-sqlite3';
import type { WriterData } from './sqlite-writer.ts';
import { configureConnection } from './sqlite-writes.ts';

const port = parentPort;
if (port === null) throw new Error('sqlite-checkpoint-thread.ts runs only as a worker thread');

const CHECKPOINT_EVERY_MS = 250;
const { location } = workerData as WriterData;
const database = new BetterSqlite3(location);
configureConnection(database);
database.pragma('wal_autocheckpoint = 0');

const timer = setInterval(() => {
  try {
    // PASSIVE: copies what no reader still needs, never waits for a lock, never blocks a writer.
    database.pragma('wal_checkpoint(PASSIVE)');
  } catch {
    // Busy or the file went away: the next tick tries again; the writer's own limit still holds.
  }
}, CHECKPOINT_EVERY_MS);

port.on('message', (message: { op: string }) => {
  if (message.op !== 'close') return;
  clearInterval(timer);
  database.close();
  port.close();
});
