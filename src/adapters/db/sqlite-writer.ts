// A file-backed SqliteStore writes through a worker thread with its own connection, so that
// SQLite's inserts (index upkeep, checkpoints) run beside the engine's work on the main thread
// instead of after it. Requests are plain rows, answered in the order they were sent; each
// promise settles once its transaction has committed, or with the error that rolled it back.
import { Worker } from 'node:worker_threads';
import type { AssessmentTable } from './schema.ts';
import type { EventValues } from './sqlite-writes.ts';

export interface WriterData {
  location: string;
}

type Write =
  | { op: 'append'; events: EventValues; assessments: AssessmentTable[] }
  | { op: 'saveAssessment'; row: AssessmentTable }
  | { op: 'deferIndexes' }
  | { op: 'restoreIndexes' };

export type WriterRequest = (Write & { id: number }) | { op: 'close' };

export type WriterReply =
  | { id: number; ok: true; inserted: number }
  | { id: number; ok: false; error: { name: string; message: string; code: string | undefined } };

// The thread runs what this module runs: the compiled sibling when built (dist/node), the
// TypeScript one under tsx (the CLI in development, vitest). A tsx loader given in execArgv does not
// reach worker threads on Node 20, so the thread then registers tsx itself, resolved from this file
// so the working directory does not matter; built code never loads tsx.
const SOURCE_EXTENSION = import.meta.url.endsWith('.ts') ? '.ts' : '.js';
function bootstrap(name: string): string {
  const url = JSON.stringify(new URL(`./${name}${SOURCE_EXTENSION}`, import.meta.url).href);
  if (SOURCE_EXTENSION === '.js') return `import(${url});`;
  const tsx = JSON.stringify(import.meta.resolve('tsx/esm/api'));
  return `import(${tsx}).then((tsx) => { tsx.register(); return import(${url}); });`;
}
const BOOTSTRAP = bootstrap('sqlite-writer-thread');
const CHECKPOINT_BOOTSTRAP = bootstrap('sqlite-checkpoint-thread');

export class SqliteWriterError extends Error {
  override readonly name = 'SqliteWriterError';
}

export class SqliteWriter {
  #worker: Worker | undefined;
  #exited: Promise<void> | undefined;
  /** Copies the WAL back into the database beside the writer, so that no commit stalls doing it. */
  #checkpointer: Worker | undefined;
  #nextId = 0;
  readonly #pending = new Map<
    number,
    { resolve: (inserted: number) => void; reject: (error: Error) => void }
  >();
  /** Set once the thread failed or the writer was closed: later requests are refused with it. */
  #unusable: Error | undefined;

  /** Starts no thread yet: the first write does, so read-only uses of the store never pay for it. */
  constructor(private readonly location: string) {}

  append(events: EventValues, assessments: AssessmentTable[]): Promise<number> {
    return this.#send({ op: 'append', events, assessments });
  }

  async saveAssessment(row: AssessmentTable): Promise<void> {
    await this.#send({ op: 'saveAssessment', row });
  }

  async deferIndexes(): Promise<void> {
    await this.#send({ op: 'deferIndexes' });
  }

  async restoreIndexes(): Promise<void> {
    await this.#send({ op: 'restoreIndexes' });
  }

  /** Lets the writes already sent commit, then ends the thread and its connection. */
  async close(): Promise<void> {
    this.#unusable ??= new SqliteWriterError('the store is closed');
    if (this.#worker === undefined) return;
    const checkpointer = this.#checkpointer;
    if (checkpointer) {
      const stopped = new Promise((resolve) => checkpointer.once('exit', resolve));
      checkpointer.ref();
      checkpointer.postMessage({ op: 'close' });
      await stopped;
    }
    this.#worker.ref();
    this.#worker.postMessage({ op: 'close' } satisfies WriterRequest);
    await this.#exited;
  }

  #send(write: Write): Promise<number> {
    if (this.#unusable !== undefined) return Promise.reject(this.#unusable);
    const worker = this.#worker ?? this.#start();
    const id = this.#nextId++;
    return new Promise<number>((resolve, reject) => {
      // Only a thread with writes under way keeps the process alive; an idle one never does.
      if (this.#pending.size === 0) worker.ref();
      this.#pending.set(id, { resolve, reject });
      worker.postMessage({ ...write, id } satisfies WriterRequest);
    });
  }

  #start(): Worker {
    const worker = new Worker(BOOTSTRAP, {
      eval: true,
      workerData: { location: this.location } satisfies WriterData,
    });
    worker.unref();
    worker.on('message', (reply: WriterReply) => {
      const pending = this.#pending.get(reply.id);
      if (pending === undefined) return;
      this.#pending.delete(reply.id);
      if (this.#pending.size === 0) worker.unref();
      if (reply.ok) pending.resolve(reply.inserted);
      else pending.reject(rebuildError(reply.error));
    });
    worker.on('error', (error) => {
      this.#fail(
        new SqliteWriterError(`the SQLite writer thread failed: ${error.message}`, { cause: error }),
      );
    });
    this.#exited = new Promise((resolve) => {
      worker.once('exit', (code) => {
        this.#fail(new SqliteWriterError(`the SQLite writer thread exited (code ${code})`));
        resolve();
      });
    });
    this.#worker = worker;
    const checkpointer = new Worker(CHECKPOINT_BOOTSTRAP, {
      eval: true,
      workerData: { location: this.location } satisfies WriterData,
    });
    // Never keeps the process alive; if it fails, the writer's own last-resort checkpoint remains.
    checkpointer.unref();
    checkpointer.on('error', () => undefined);
    this.#checkpointer = checkpointer;
    return worker;
  }

  /** Refuses what is still waiting (its outcome is unknown to this process) and everything after. */
  #fail(error: Error): void {
    this.#unusable ??= error;
    for (const { reject } of this.#pending.values()) reject(error);
    this.#pending.clear();
  }
}

/** The thread's error as the caller would have got it on its own connection: name, message and SQLite code. */
function rebuildError(sent: Extract<WriterReply, { ok: false }>['error']): Error {
  const error: Error & { code?: string } = new Error(sent.message);
  error.name = sent.name;
  if (sent.code !== undefined) error.code = sent.code;
  return error;
}
