// Store over PostgreSQL. Kysely (on the same pool) serves migrations and reads; appendBatch
// runs hand-written bulk statements on one pooled connection inside one transaction. Its I/O
// is asynchronous already, so the engine's next batch is assessed while one is being written.
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { AssessmentRecord } from '../../app/ports.ts';
import type { RefundguardEvent } from '../../core/events.ts';
import { KyselyStore } from './kysely-store.ts';
import { batchParameter, INSERT_EVENTS, UPSERT_ASSESSMENTS } from './postgres-bulk.ts';
import { toAssessmentRow, toEventRow } from './rows.ts';
import type { Database } from './schema.ts';
import { SerialQueue } from './serial-queue.ts';

// Serialises appendBatch across processes sharing the database: batches whose ids overlap
// would otherwise wait on each other's unique-index entries and could deadlock.
const APPEND_BATCH_LOCK = 0x7265_6667_7264; // "refgrd"

export class PostgresStore extends KyselyStore {
  readonly dialect = 'postgres' as const;
  readonly #pool: pg.Pool;
  // Within a process, batches commit in call order, as they do on SQLite.
  readonly #batches = new SerialQueue();

  static connect(url: string): PostgresStore {
    // bigint columns (times in ms, seq, counts, money) come back as numbers, not strings.
    const types = new pg.TypeOverrides();
    types.setTypeParser(pg.types.builtins.INT8, Number);
    const pool = new pg.Pool({ connectionString: url, types });
    // An idle connection that breaks is dropped by the pool; the next query opens a new one.
    // Without a listener the 'error' event would end the process.
    pool.on('error', () => undefined);
    return new PostgresStore(pool);
  }

  private constructor(pool: pg.Pool) {
    super(new Kysely<Database>({ dialect: new PostgresDialect({ pool }) }));
    this.#pool = pool;
  }

  /** Lets the batches already sent commit, then closes the pool. */
  override async close(): Promise<void> {
    await this.#batches.run(async () => undefined);
    await super.close();
  }

  appendBatch(events: RefundguardEvent[], assessments: AssessmentRecord[]): Promise<{ inserted: number }> {
    return this.#batches.run(() => this.#appendBatchNow(events, assessments));
  }

  async #appendBatchNow(
    events: RefundguardEvent[],
    assessments: AssessmentRecord[],
  ): Promise<{ inserted: number }> {
    // Serialised before taking a connection, so that a bad value fails without touching the database.
    const eventRows = batchParameter(firstOfEachId(events).map(toEventRow));
    const assessmentRows = batchParameter(lastOfEachKey(assessments).map(toAssessmentRow));
    const client = await this.#pool.connect();
    let broken: Error | undefined;
    try {
      await client.query(`BEGIN; SELECT pg_advisory_xact_lock(${APPEND_BATCH_LOCK})`);
      const { rowCount } = await client.query(INSERT_EVENTS, eventRows);
      if (assessments.length > 0) await client.query(UPSERT_ASSESSMENTS, assessmentRows);
      await client.query('COMMIT');
      return { inserted: rowCount ?? 0 };
    } catch (error) {
      await client.query('ROLLBACK').catch((rollbackError: Error) => {
        broken = rollbackError;
      });
      throw error;
    } finally {
      // A connection whose rollback failed is in an unknown state: destroy it, don't reuse it.
      client.release(broken);
    }
  }
}

/** A batch may repeat an id: the first occurrence counts, the rest are duplicates. */
function firstOfEachId(events: RefundguardEvent[]): RefundguardEvent[] {
  const seen = new Set<string>();
  return events.filter((event) => {
    if (seen.has(event.id)) return false;
    seen.add(event.id);
    return true;
  });
}

/** One statement cannot upsert the same row twice; the last record for a key wins, as it would one by one. */
function lastOfEachKey(records: AssessmentRecord[]): AssessmentRecord[] {
  const byKey = new Map<string, AssessmentRecord>();
  for (const record of records) {
    const key = JSON.stringify([record.subjectType, record.subjectId, record.kind]);
    byKey.delete(key);
    byKey.set(key, record);
  }
  return [...byKey.values()];
}
