// Store over an embedded SQLite file (the default). Kysely serves migrations and reads on the
// main connection. Batches and assessments are written with cached prepared statements: for a
// file by a writer thread with its own connection (sqlite-writer.ts), so that SQLite works
// while the engine assesses the next batch; for ':memory:' on the one connection there is,
// since a second connection would open a different, empty database.
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import type { ApiKeyRecord, AssessmentRecord } from '../../app/ports.ts';
import type { RefundguardEvent } from '../../core/events.ts';
import { KyselyStore } from './kysely-store.ts';
import { fromApiKeyRow, toAssessmentRow } from './rows.ts';
import type { ApiKeyTable, Database } from './schema.ts';
import { SqliteWriter } from './sqlite-writer.ts';
import {
  configureConnection,
  createDeferrableIndexes,
  SqliteWrites,
  toEventValues,
} from './sqlite-writes.ts';

const SELECT_API_KEY_BY_HASH = 'SELECT * FROM api_keys WHERE hash = ?';

export class SqliteStore extends KyselyStore {
  readonly dialect = 'sqlite' as const;
  readonly #database: BetterSqlite3.Database;
  /** Where writes go: the writer thread (a file) or this connection (in memory). */
  readonly #writes: SqliteWriter | SqliteWrites;
  #selectApiKeyByHash: BetterSqlite3.Statement<[string], ApiKeyTable> | undefined;

  /** Opens (creating if missing) the file at `location`, or an in-memory database for ':memory:'. */
  static open(location: string): SqliteStore {
    // '' is a private temporary database: like ':memory:', only this connection can see it.
    const inMemory = location === ':memory:' || location === '';
    if (!inMemory) mkdirSync(dirname(resolve(location)), { recursive: true });
    const database = new BetterSqlite3(location);
    configureConnection(database);
    return new SqliteStore(database, inMemory ? undefined : resolve(location));
  }

  private constructor(database: BetterSqlite3.Database, file: string | undefined) {
    super(new Kysely<Database>({ dialect: new SqliteDialect({ database }) }));
    this.#database = database;
    this.#writes = file === undefined ? new SqliteWrites(database) : new SqliteWriter(file);
  }

  /** Migrations, then any index a bulk load put off and did not live to rebuild. */
  override async migrate(): Promise<void> {
    await super.migrate();
    createDeferrableIndexes(this.#database);
  }

  /** Puts off the events' random-order indexes until `finish` (see DEFERRABLE_EVENT_INDEXES). */
  async beginBulkLoad(): Promise<{ finish: () => Promise<void> }> {
    const writes = this.#writes;
    await writes.deferIndexes();
    return { finish: async () => writes.restoreIndexes() };
  }

  appendBatch(
    events: RefundguardEvent[],
    assessments: AssessmentRecord[],
    sources?: readonly (string | undefined)[],
  ): Promise<{ inserted: number }> {
    // Not an async function: its frame would hold the batch's events until the commit, long
    // enough for the garbage collector to copy them to the old generation. The rows are all
    // the write needs.
    try {
      const written = this.#writes.append(toEventValues(events, sources), assessments.map(toAssessmentRow));
      return Promise.resolve(written).then((inserted) => ({ inserted }));
    } catch (error) {
      return Promise.reject(error);
    }
  }

  override async saveAssessment(record: AssessmentRecord): Promise<void> {
    await this.#writes.saveAssessment(toAssessmentRow(record));
  }

  override async findApiKeyByHash(hash: string): Promise<ApiKeyRecord | undefined> {
    this.#selectApiKeyByHash ??= this.#database.prepare<[string], ApiKeyTable>(SELECT_API_KEY_BY_HASH);
    const row = this.#selectApiKeyByHash.get(hash);
    return row === undefined ? undefined : fromApiKeyRow(row);
  }

  /** The writer thread first: its last writes commit before the main connection closes. */
  override async close(): Promise<void> {
    if (this.#writes instanceof SqliteWriter) await this.#writes.close();
    await super.close();
  }
}
