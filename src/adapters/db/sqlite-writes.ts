// The SQLite write path, shared by the store's own connection (':memory:') and the writer
// thread (a file): connection settings, cached prepared statements, one transaction per batch.
// Everything here takes rows already turned into plain strings and numbers, which is what
// crosses to the writer thread cheaply.
import type BetterSqlite3 from 'better-sqlite3';
import type { RefundguardEvent } from '../../core/events.ts';
import { eventAccountId, eventSubjectId } from './event-columns.ts';
import type { AssessmentTable } from './schema.ts';

/** A batch's events, flattened: `EVENT_COLUMNS.length` values per event, in column order. */
export type EventValues = (string | number | null)[];

const EVENT_COLUMNS = ['id', 'type', 'time', 'at', 'account_id', 'subject_id', 'payload'] as const;
const WIDTH = EVENT_COLUMNS.length;

const INSERT_EVENT = `
  INSERT INTO events (${EVENT_COLUMNS.join(', ')})
  VALUES (${EVENT_COLUMNS.map(() => '?').join(', ')})
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

/** Every connection to a store file gets the same settings, the writer thread's included. */
export function configureConnection(database: BetterSqlite3.Database): void {
  // WAL + NORMAL: a killed process loses no committed batch; only a power cut may lose the last ones.
  database.pragma('journal_mode = WAL');
  database.pragma('synchronous = NORMAL');
  // Checkpoint every ~40 MB of WAL instead of 4 MB: index pages rewritten by consecutive batches
  // are copied back once, which makes bulk imports about a third faster. The WAL file is cut
  // back to 64 MB after a checkpoint.
  database.pragma('wal_autocheckpoint = 10000');
  database.pragma('journal_size_limit = 67108864');
  // Another connection (the writer thread, or a CLI next to the server) may hold the write lock for a moment.
  database.pragma('busy_timeout = 5000');
}

/** The same values as `toEventRow` (rows.ts), flattened; the payload is serialised here, once. */
export function toEventValues(events: readonly RefundguardEvent[]): EventValues {
  const values: EventValues = new Array(events.length * WIDTH);
  let at = 0;
  for (const event of events) {
    values[at++] = event.id;
    values[at++] = event.type;
    values[at++] = event.time;
    values[at++] = event.at;
    values[at++] = eventAccountId(event);
    values[at++] = eventSubjectId(event);
    values[at++] = JSON.stringify(event.data);
  }
  return values;
}

/** Writes through statements prepared on first use, after migrations have created the tables. */
export class SqliteWrites {
  #statements:
    | {
        upsertAssessment: BetterSqlite3.Statement;
        append: (events: EventValues, assessments: readonly AssessmentTable[]) => number;
      }
    | undefined;

  constructor(private readonly database: BetterSqlite3.Database) {}

  /**
   * One transaction: the events not stored yet, then the assessments; returns how many events
   * were inserted. DO NOTHING skips an id already stored or repeated earlier in the batch. Any
   * error rolls the whole batch back.
   */
  append(events: EventValues, assessments: readonly AssessmentTable[]): number {
    return this.#prepared().append(events, assessments);
  }

  saveAssessment(row: AssessmentTable): void {
    this.#prepared().upsertAssessment.run(row);
  }

  #prepared() {
    if (this.#statements !== undefined) return this.#statements;
    const insertEvent = this.database.prepare(INSERT_EVENT);
    const upsertAssessment = this.database.prepare(UPSERT_ASSESSMENT);
    const append = this.database.transaction(
      (events: EventValues, assessments: readonly AssessmentTable[]): number => {
        let inserted = 0;
        for (let at = 0; at < events.length; at += WIDTH) {
          inserted += insertEvent.run(
            events[at],
            events[at + 1],
            events[at + 2],
            events[at + 3],
            events[at + 4],
            events[at + 5],
            events[at + 6],
          ).changes;
        }
        for (const row of assessments) upsertAssessment.run(row);
        return inserted;
      },
    );
    this.#statements = { upsertAssessment, append };
    return this.#statements;
  }
}
