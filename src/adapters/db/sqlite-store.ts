// Store over an embedded SQLite file (the default). Writes go through cached prepared
// statements on the better-sqlite3 handle; Kysely serves migrations and the other reads.
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import type { ApiKeyRecord, AssessmentRecord } from '../../app/ports.ts';
import type { RefundguardEvent } from '../../core/events.ts';
import { eventAccountId, eventSubjectId } from './event-columns.ts';
import { KyselyStore } from './kysely-store.ts';
import { fromApiKeyRow, toAssessmentRow } from './rows.ts';
import type { ApiKeyTable, Database } from './schema.ts';

const INSERT_EVENT = `
  INSERT INTO events (id, type, time, at, account_id, subject_id, payload)
  VALUES (?, ?, ?, ?, ?, ?, ?)
  ON CONFLICT (id) DO NOTHING`;

const UPSERT_ASSESSMENT = `
  INSERT INTO assessments (subject_type, subject_id, kind, account_id, at, decision, score, reasons,
    signals, rule_pack_version, amount_minor, currency, amount_usd_minor, created_at)
  VALUES (@subject_type, @subject_id, @kind, @account_id, @at, @decision, @score, @reasons,
    @signals, @rule_pack_version, @amount_minor, @currency, @amount_usd_minor, @created_at)
  ON CONFLICT (subject_type, subject_id, kind) DO UPDATE SET
    account_id = excluded.account_id, at = excluded.at, decision = excluded.decision,
    score = excluded.score, reasons = excluded.reasons, signals = excluded.signals,
    rule_pack_version = excluded.rule_pack_version, amount_minor = excluded.amount_minor,
    currency = excluded.currency, amount_usd_minor = excluded.amount_usd_minor,
    created_at = excluded.created_at`;

const SELECT_API_KEY_BY_HASH = 'SELECT * FROM api_keys WHERE hash = ?';

type Decide = (inserted: RefundguardEvent[]) => AssessmentRecord[];
type BatchResult = { inserted: number; duplicates: number };

interface Statements {
  insertEvent: BetterSqlite3.Statement;
  upsertAssessment: BetterSqlite3.Statement;
  selectApiKeyByHash: BetterSqlite3.Statement<[string], ApiKeyTable>;
  commitBatch: (events: RefundguardEvent[], decide: Decide) => BatchResult;
}

export class SqliteStore extends KyselyStore {
  readonly dialect = 'sqlite' as const;
  readonly #database: BetterSqlite3.Database;
  #statements: Statements | undefined;

  /** Opens (creating if missing) the file at `location`, or an in-memory database for ':memory:'. */
  static open(location: string): SqliteStore {
    if (location !== ':memory:' && location !== '')
      mkdirSync(dirname(resolve(location)), { recursive: true });
    const database = new BetterSqlite3(location);
    // WAL + NORMAL: a killed process loses no committed batch; only a power cut may lose the last ones.
    database.pragma('journal_mode = WAL');
    database.pragma('synchronous = NORMAL');
    // Checkpoint every ~40 MB of WAL instead of 4 MB: index pages rewritten by consecutive batches
    // are copied back once, which makes bulk imports about a third faster. The WAL file is cut
    // back to 64 MB after a checkpoint.
    database.pragma('wal_autocheckpoint = 10000');
    database.pragma('journal_size_limit = 67108864');
    // Another process (a CLI next to the server) may hold the write lock for a moment.
    database.pragma('busy_timeout = 5000');
    return new SqliteStore(database);
  }

  private constructor(database: BetterSqlite3.Database) {
    super(new Kysely<Database>({ dialect: new SqliteDialect({ database }) }));
    this.#database = database;
  }

  async commitBatch(events: RefundguardEvent[], decide: Decide): Promise<BatchResult> {
    return this.#prepared().commitBatch(events, decide);
  }

  override async saveAssessment(record: AssessmentRecord): Promise<void> {
    this.#prepared().upsertAssessment.run(toAssessmentRow(record));
  }

  override async findApiKeyByHash(hash: string): Promise<ApiKeyRecord | undefined> {
    const row = this.#prepared().selectApiKeyByHash.get(hash);
    return row === undefined ? undefined : fromApiKeyRow(row);
  }

  /** Prepared on first use, after migrations have created the tables. */
  #prepared(): Statements {
    if (this.#statements !== undefined) return this.#statements;
    const insertEvent = this.#database.prepare(INSERT_EVENT);
    const upsertAssessment = this.#database.prepare(UPSERT_ASSESSMENT);
    const selectApiKeyByHash = this.#database.prepare<[string], ApiKeyTable>(SELECT_API_KEY_BY_HASH);
    // db.transaction rolls everything back when the function throws, decide included.
    const commitBatch = this.#database.transaction((events: RefundguardEvent[], decide: Decide) => {
      const inserted: RefundguardEvent[] = [];
      for (const event of events) {
        // DO NOTHING reports 0 changes for an id already stored, or repeated earlier in this batch.
        const { changes } = insertEvent.run(
          event.id,
          event.type,
          event.time,
          event.at,
          eventAccountId(event),
          eventSubjectId(event),
          JSON.stringify(event.data),
        );
        if (changes > 0) inserted.push(event);
      }
      for (const record of decide(inserted)) upsertAssessment.run(toAssessmentRow(record));
      return { inserted: inserted.length, duplicates: events.length - inserted.length };
    });
    this.#statements = { insertEvent, upsertAssessment, selectApiKeyByHash, commitBatch };
    return this.#statements;
  }
}
