// The SQLite write path, shared by the store's own connection (':memory:') and the writer
// thread (a file): connection settings, cached prepared statements, one transaction per batch.
// Everything here takes rows already turned into plain strings and numbers, which is what
// crosses to the writer thread cheaply.
import type BetterSqlite3 from 'better-sqlite3';
import type { RefundguardEvent } from '../../core/events.ts';
import { eventAccountId, eventSubjectId } from './event-columns.ts';
import type { AssessmentTable } from './schema.ts';

/** One event's row: `EVENT_COLUMNS` values in order. */
export type EventRowValues = [
  id: string,
  type: string,
  time: string,
  at: number,
  accountId: string | null,
  subjectId: string | null,
  payload: string,
];

/**
 * A batch's events for the writer, in order. An event read from a line goes as three values: the
 * line (the writer takes id, type, time and data from it, see `rowFromLine`), then its account
 * and subject columns. Any other event goes as one value, its row. Fewer values cost less to
 * send to the writer thread.
 */
export type EventValues = (string | null | EventRowValues)[];

const EVENT_COLUMNS = ['id', 'type', 'time', 'at', 'account_id', 'subject_id', 'payload'] as const;

const INSERT_EVENT = `
  INSERT INTO events (${EVENT_COLUMNS.join(', ')})
  VALUES (${EVENT_COLUMNS.map(() => '?').join(', ')})
  ON CONFLICT (id) DO NOTHING`;

const UPSERT_ASSESSMENT = `
  INSERT INTO assessments (subject_type, subject_id, kind, account_id, at, decision, score, reasons,
    signals, rule_pack_version, model_version, amount_minor, currency, amount_usd_minor, created_at)
  VALUES (@subject_type, @subject_id, @kind, @account_id, @at, @decision, @score, @reasons,
    @signals, @rule_pack_version, @model_version, @amount_minor, @currency, @amount_usd_minor, @created_at)
  ON CONFLICT (subject_type, subject_id, kind) DO UPDATE SET
    account_id = excluded.account_id, at = excluded.at, decision = excluded.decision,
    score = excluded.score, reasons = excluded.reasons, signals = excluded.signals,
    rule_pack_version = excluded.rule_pack_version, model_version = excluded.model_version,
    amount_minor = excluded.amount_minor,
    currency = excluded.currency, amount_usd_minor = excluded.amount_usd_minor,
    created_at = excluded.created_at`;

/**
 * The events table's indexes in random key order (account, subject). Inserting into them costs
 * most of a bulk import's writing (measured on 1M events: 15 s of the writer's CPU with them,
 * 5.6 s without, and 1.2 s to build both afterwards), so a bulk load builds them once at the
 * end. The same definitions as migration 0001; `migrate` restores any a crash left missing.
 */
const DEFERRABLE_EVENT_INDEXES = [
  { name: 'events_account_at', columns: 'account_id, at' },
  { name: 'events_subject', columns: 'subject_id' },
] as const;

/** Creates the deferrable indexes that are missing; a no-op when all are there. */
export function createDeferrableIndexes(database: BetterSqlite3.Database): void {
  // Sorted in small runs merged by two threads: the build runs once the engine has nothing else
  // to do, and a large page cache makes SQLite sort in one big single-threaded run instead
  // (1M events: 1.2 s with a 2 MB cache, 2.7 s with the writer's 128 MB).
  const cacheSize = database.pragma('cache_size', { simple: true }) as number;
  database.pragma('threads = 2');
  database.pragma('cache_size = -2000');
  try {
    for (const { name, columns } of DEFERRABLE_EVENT_INDEXES)
      database.exec(`CREATE INDEX IF NOT EXISTS ${name} ON events (${columns})`);
  } finally {
    database.pragma(`cache_size = ${cacheSize}`);
  }
}

export function dropDeferrableIndexes(database: BetterSqlite3.Database): void {
  for (const { name } of DEFERRABLE_EVENT_INDEXES) database.exec(`DROP INDEX IF EXISTS ${name}`);
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

/** The same values as `toEventRow` (rows.ts), for the writer (see `EventValues`). */
export function toEventValues(
  events: readonly RefundguardEvent[],
  sources?: readonly (string | undefined)[],
): EventValues {
  const values: EventValues = [];
  for (let index = 0; index < events.length; index += 1) {
    const event = events[index] as RefundguardEvent;
    const line = sources?.[index];
    if (line !== undefined) values.push(line, eventAccountId(event), eventSubjectId(event));
    else
      values.push([
        event.id,
        event.type,
        event.time,
        event.at,
        eventAccountId(event),
        eventSubjectId(event),
        JSON.stringify(event.data),
      ]);
  }
  return values;
}

/** A key that, after the data's opening, could be a second top-level member: the line's end is not the data's end. */
const ENVELOPE_KEY = /"(?:data|id|type|time)":/;

/**
 * An event's row from the line it was read from (an envelope of exactly id, type, time and data,
 * the data used as it is). The line is cut, not parsed, when it is `{"id":"…","type":"…","time":
 * "…","data":` + the data + `}` as JSON.stringify writes it, with no escape in the three strings
 * and no envelope key coming again after the data's opening (which could be a second top-level
 * member). Anything else, e.g. a line with spaces or a transcript whose messages carry times, is
 * parsed and its data serialised again. `at` is `Date.parse(time)`, as validation made it.
 */
export function rowFromLine(
  line: string,
  accountId: string | null,
  subjectId: string | null,
): EventRowValues {
  const { id, type, time, data } = cutEnvelope(line) ?? parsedEnvelope(line);
  return [id, type, time, Date.parse(time), accountId, subjectId, data];
}

interface EnvelopeText {
  id: string;
  type: string;
  time: string;
  /** The data as JSON text. */
  data: string;
}

function cutEnvelope(line: string): EnvelopeText | undefined {
  const id = quotedAfter(line, 0, '{"id":"');
  const type = id && quotedAfter(line, id.end, ',"type":"');
  const time = type && quotedAfter(line, type.end, ',"time":"');
  if (!time || !line.startsWith(',"data":', time.end) || !line.endsWith('}')) return undefined;
  const data = line.slice(time.end + 8, -1);
  return ENVELOPE_KEY.test(data) ? undefined : { id: id.text, type: type.text, time: time.text, data };
}

function parsedEnvelope(line: string): EnvelopeText {
  const { id, type, time, data } = JSON.parse(line) as {
    id: string;
    type: string;
    time: string;
    data: unknown;
  };
  return { id, type, time, data: JSON.stringify(data) };
}

/** The string after `opening` at `from`, up to its closing quote, if it has no escape. */
function quotedAfter(line: string, from: number, opening: string): { text: string; end: number } | undefined {
  if (!line.startsWith(opening, from)) return undefined;
  const start = from + opening.length;
  const close = line.indexOf('"', start);
  if (close === -1) return undefined;
  const text = line.slice(start, close);
  return text.includes('\\') ? undefined : { text, end: close + 1 };
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
        for (let at = 0; at < events.length; ) {
          const value = events[at];
          let row: EventRowValues;
          if (typeof value === 'string') {
            row = rowFromLine(value, events[at + 1] as string | null, events[at + 2] as string | null);
            at += 3;
          } else {
            row = value as EventRowValues;
            at += 1;
          }
          inserted += insertEvent.run(...row).changes;
        }
        for (const row of assessments) upsertAssessment.run(row);
        return inserted;
      },
    );
    this.#statements = { upsertAssessment, append };
    return this.#statements;
  }
}
