// The SQLite write path, shared by the store's own connection (':memory:') and the writer
// thread (a file): connection settings, cached prepared statements, one transaction per batch.
// Everything here takes rows already turned into plain strings and numbers, which is what
// crosses to the writer thread cheaply.
import type BetterSqlite3 from 'better-sqlite3';
import type { RefundguardEvent } from '../../core/events.ts';
import { eventAccountId, eventSubjectId } from './event-columns.ts';
import type { AssessmentTable } from './schema.ts';

/**
 * A batch's events, flattened: per event the `EVENT_COLUMNS` values in order, then whether the
 * payload value is the event's whole line as read (1) rather than its data as JSON (0).
 */
export type EventValues = (string | number | null)[];

const EVENT_COLUMNS = ['id', 'type', 'time', 'at', 'account_id', 'subject_id', 'payload'] as const;
const PAYLOAD = 6;
const FROM_LINE = 7;
const WIDTH = EVENT_COLUMNS.length + 1;

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

/**
 * The events table's indexes in random key order (account, subject). Inserting into them costs
 * most of a bulk import's writing (measured on 1M events: 15 s with them, 5.6 s without, and
 * 1.4 s to build both afterwards), so a bulk load builds them once at the end. The same
 * definitions as migration 0001; `migrate` restores any a crash left missing.
 */
export const DEFERRABLE_EVENT_INDEXES = [
  'CREATE INDEX IF NOT EXISTS events_account_at ON events (account_id, at)',
  'CREATE INDEX IF NOT EXISTS events_subject ON events (subject_id)',
] as const;
const DEFERRABLE_INDEX_NAMES = ['events_account_at', 'events_subject'] as const;

/** Creates the deferrable indexes that are missing; a no-op when all are there. */
export function createDeferrableIndexes(database: BetterSqlite3.Database): void {
  // Sorting with a helper thread: the build runs once the engine has nothing else to do.
  database.pragma('threads = 2');
  for (const statement of DEFERRABLE_EVENT_INDEXES) database.exec(statement);
}

export function dropDeferrableIndexes(database: BetterSqlite3.Database): void {
  for (const name of DEFERRABLE_INDEX_NAMES) database.exec(`DROP INDEX IF EXISTS ${name}`);
}

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

/**
 * The same values as `toEventRow` (rows.ts), flattened. An event with its line at hand sends the
 * line, whose data the writer cuts out (`payloadOf`); the others are serialised here.
 */
export function toEventValues(
  events: readonly RefundguardEvent[],
  sources?: readonly (string | undefined)[],
): EventValues {
  const values: EventValues = new Array(events.length * WIDTH);
  let at = 0;
  for (let index = 0; index < events.length; index += 1) {
    const event = events[index] as RefundguardEvent;
    const line = sources?.[index];
    values[at++] = event.id;
    values[at++] = event.type;
    values[at++] = event.time;
    values[at++] = event.at;
    values[at++] = eventAccountId(event);
    values[at++] = eventSubjectId(event);
    values[at++] = line ?? JSON.stringify(event.data);
    values[at++] = line === undefined ? 0 : 1;
  }
  return values;
}

/** Keys that, after the data's opening, would mean the line's end is not the data's end. */
const ENVELOPE_KEYS = ['"data":', '"id":', '"type":', '"time":'] as const;

/**
 * The data's JSON text from an event's line: the line is exactly `{"id":…,"type":…,"time":…,
 * "data":` + the data + `}` when it starts with that envelope as JSON.stringify writes it and no
 * envelope key comes again (which could be a second top-level member). Anything else, e.g. a
 * line with spaces or a transcript whose messages carry times, is parsed and serialised.
 */
export function payloadOf(line: string, id: string, type: string, time: string): string {
  const prefix = `{"id":${JSON.stringify(id)},"type":${JSON.stringify(type)},"time":${JSON.stringify(time)},"data":`;
  if (line.startsWith(prefix) && line.endsWith('}')) {
    const data = line.slice(prefix.length, -1);
    if (!ENVELOPE_KEYS.some((key) => data.includes(key))) return data;
  }
  return JSON.stringify((JSON.parse(line) as { data: unknown }).data);
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

  deferIndexes(): void {
    dropDeferrableIndexes(this.database);
  }

  restoreIndexes(): void {
    createDeferrableIndexes(this.database);
  }

  #prepared() {
    if (this.#statements !== undefined) return this.#statements;
    const insertEvent = this.database.prepare(INSERT_EVENT);
    const upsertAssessment = this.database.prepare(UPSERT_ASSESSMENT);
    const append = this.database.transaction(
      (events: EventValues, assessments: readonly AssessmentTable[]): number => {
        let inserted = 0;
        for (let at = 0; at < events.length; at += WIDTH) {
          const payload =
            events[at + FROM_LINE] === 1
              ? payloadOf(
                  events[at + PAYLOAD] as string,
                  events[at] as string,
                  events[at + 1] as string,
                  events[at + 2] as string,
                )
              : events[at + PAYLOAD];
          inserted += insertEvent.run(
            events[at],
            events[at + 1],
            events[at + 2],
            events[at + 3],
            events[at + 4],
            events[at + 5],
            payload,
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
