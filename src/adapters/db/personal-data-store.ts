// Where personal data is, for erasure and retention, over the console's connection (it reaches the
// events and every console table, so one erasure is one transaction). Rewrites compare and set: a
// row that changed since it was read refuses the whole rewrite.
import { type RawBuilder, sql } from 'kysely';
import {
  type LegalHold,
  type PersonalDataStore,
  RewriteConflictError,
  type RowChange,
  type StoredEventText,
  type TextRow,
} from '../../app/ports.ts';
import { type ConsoleConnection, escapeLike } from './console-connection.ts';
import { ORDER_FOLLOW_UP_TYPES, REFUND_FOLLOW_UP_TYPES } from './event-columns.ts';

/**
 * Every table that holds text about customers, with the columns that find a row again. Not here:
 * `audit_log` (append-only; its rows hold ids and counts), `users` and `sessions` (staff), models,
 * policies and templates (no customer data).
 */
const TEXT_TABLES: readonly { table: string; key: readonly string[]; text: readonly string[] }[] = [
  { table: 'events', key: ['seq'], text: ['payload'] },
  { table: 'assessments', key: ['subject_type', 'subject_id', 'kind'], text: ['reasons', 'signals'] },
  { table: 'shadow_assessments', key: ['candidate', 'subject_id'], text: ['reasons'] },
  { table: 'cases', key: ['id'], text: ['title', 'top_reasons', 'outcome'] },
  { table: 'case_history', key: ['case_id', 'at', 'to_status', 'by_user'], text: ['note'] },
  { table: 'case_notes', key: ['id'], text: ['text'] },
  { table: 'case_evidence', key: ['case_id', 'kind', 'ref_id'], text: ['summary', 'data'] },
  { table: 'actions', key: ['id'], text: ['note', 'result'] },
  { table: 'webhook_deliveries', key: ['id'], text: ['body', 'last_error'] },
  { table: 'meta', key: ['key'], text: ['value'] },
];
const TABLES = new Map(TEXT_TABLES.map((entry) => [entry.table, entry]));
const CLOSED_CASE_STATUSES = ['closed', 'dismissed'];
const ERASURE_MARK = 'erasure.latest';

interface EventRow {
  seq: number | string;
  type: string;
  at: number | string;
  payload: string;
}

const toStoredEvent = (row: EventRow): StoredEventText => ({
  seq: Number(row.seq),
  type: row.type,
  at: Number(row.at),
  payload: row.payload,
});

export function personalDataStore({ db, sqlite }: ConsoleConnection): PersonalDataStore {
  const rows = async <Row>(query: RawBuilder<Row>): Promise<Row[]> => (await query.execute(db)).rows;
  const refundIdsOf = (accountId: string) =>
    sql`SELECT subject_id FROM events WHERE account_id = ${accountId} AND type = 'refund.requested'`;
  const orderIdsOf = (accountId: string) =>
    sql`SELECT subject_id FROM events WHERE account_id = ${accountId} AND type = 'order.placed'`;

  return {
    async accountEvents(accountId) {
      const found = await rows<EventRow>(sql`
        SELECT seq, type, at, payload FROM events
        WHERE account_id = ${accountId}
          OR (type IN (${sql.join(ORDER_FOLLOW_UP_TYPES)}) AND subject_id IN (${orderIdsOf(accountId)}))
          OR (type IN (${sql.join(REFUND_FOLLOW_UP_TYPES)}) AND subject_id IN (${refundIdsOf(accountId)}))
          OR (type = 'label.set' AND (subject_id IN (${orderIdsOf(accountId)}) OR subject_id IN (${refundIdsOf(accountId)})))
        ORDER BY seq`);
      return found.map(toStoredEvent);
    },

    async legalHolds(accountId) {
      const holds: LegalHold[] = [];
      const closures = await rows<{ id: string; payload: string }>(
        sql`SELECT id, payload FROM events WHERE account_id = ${accountId} AND type = 'account.closed' ORDER BY seq`,
      );
      for (const closure of closures)
        if ((JSON.parse(closure.payload) as { reason?: unknown }).reason === 'fraud')
          holds.push({ kind: 'closed_for_fraud', ref: `event:${closure.id}` });
      // A ring case names its members in its ring evidence (JSON: the id as a whole string).
      const ringMember = `%${escapeLike(JSON.stringify(accountId))}%`;
      const cases = await rows<{ id: string }>(sql`
        SELECT id FROM cases c
        WHERE c.status NOT IN (${sql.join(CLOSED_CASE_STATUSES)})
          AND ((c.subject_type = 'account' AND c.subject_id = ${accountId})
            OR (c.subject_type = 'refund' AND c.subject_id IN (${refundIdsOf(accountId)}))
            OR EXISTS (SELECT 1 FROM case_evidence e WHERE e.case_id = c.id AND e.kind = 'ring'
                       AND e.data LIKE ${ringMember} ESCAPE '\\'))
        ORDER BY id`);
      for (const found of cases) holds.push({ kind: 'open_case', ref: `case:${found.id}` });
      return holds;
    },

    async accountCaseNotes(accountId) {
      const notes = await rows<{ id: string; text: string }>(sql`
        SELECT n.id, n.text FROM case_notes n JOIN cases c ON c.id = n.case_id
        WHERE (c.subject_type = 'account' AND c.subject_id = ${accountId})
          OR (c.subject_type = 'refund' AND c.subject_id IN (${refundIdsOf(accountId)}))
        ORDER BY n.id`);
      return notes.map((note) => ({ table: 'case_notes', key: { id: note.id }, text: { text: note.text } }));
    },

    async rowsContaining(needles) {
      const distinct = [...new Set(needles)].filter((needle) => needle !== '');
      if (distinct.length === 0) return [];
      const found: TextRow[] = [];
      const seen = new Set<number>();
      for (const { table, key, text } of TEXT_TABLES) {
        const patterns = distinct.map((needle) =>
          table === 'events' ? `%${escapeLike(JSON.stringify(needle))}%` : `%${escapeLike(needle)}%`,
        );
        const conditions = text.flatMap((column) =>
          patterns.map((pattern) => sql`${sql.ref(column)} LIKE ${pattern} ESCAPE '\\'`),
        );
        const result = await rows<Record<string, string | number | null>>(sql`
          SELECT ${sql.join([...key, ...text].map((column) => sql.ref(column)))} FROM ${sql.table(table)}
          WHERE ${sql.join(conditions, sql` OR `)}`);
        for (const row of result) {
          if (table === 'events') seen.add(Number(row.seq));
          found.push({
            table,
            key: Object.fromEntries(key.map((column) => [column, row[column] as string | number])),
            text: Object.fromEntries(text.map((column) => [column, row[column] as string | null])),
          });
        }
      }
      // Intel posts are free text: a post may quote the person anywhere in it.
      const intel = await rows<{ seq: number | string; payload: string }>(sql`
        SELECT seq, payload FROM events WHERE type = 'intel.post' AND (${sql.join(
          distinct.map((needle) => sql`payload LIKE ${`%${escapeLike(needle)}%`} ESCAPE '\\'`),
          sql` OR `,
        )})`);
      for (const row of intel)
        if (!seen.has(Number(row.seq)))
          found.push({ table: 'events', key: { seq: Number(row.seq) }, text: { payload: row.payload } });
      return found;
    },

    async rewrite(changes, options = {}) {
      const statements = changes.map(updateOf);
      const counted = (changed: readonly number[]) => {
        const perTable: Record<string, number> = {};
        changes.forEach((change, index) => {
          if ((changed[index] ?? 0) < 1)
            throw new RewriteConflictError(
              `a row of ${change.table} changed while it was being rewritten; nothing was written`,
            );
          perTable[change.table] = (perTable[change.table] ?? 0) + 1;
        });
        return perTable;
      };
      if (sqlite !== undefined) {
        // The old row versions are overwritten, not left in free space, and (flush) the WAL is
        // folded back into the file and emptied: the erased values are gone from the disk too. A
        // live server's daily retention only folds what it can without waiting on anyone.
        const secureDelete = sqlite.database.pragma('secure_delete', { simple: true });
        sqlite.database.pragma('secure_delete = ON');
        try {
          return await sqlite.transaction(() =>
            counted(statements.map((statement) => sqlite.run({ compile: () => statement.compile(db) }))),
          );
        } finally {
          sqlite.database.pragma(`secure_delete = ${Number(secureDelete) ? 'ON' : 'OFF'}`);
          sqlite.database.pragma(`wal_checkpoint(${options.flush ? 'TRUNCATE' : 'PASSIVE'})`);
        }
      }
      return db.transaction().execute(async (trx) => {
        const changed: number[] = [];
        for (const statement of statements) {
          const result = await trx.executeQuery(statement.compile(trx));
          changed.push(Number(result.numAffectedRows ?? 0n));
        }
        return counted(changed);
      });
    },

    async erasureMark() {
      const row = await db
        .selectFrom('meta')
        .select('value')
        .where('key', '=', ERASURE_MARK)
        .executeTakeFirst();
      return row?.value;
    },

    async setErasureMark(mark) {
      await db
        .insertInto('meta')
        .values({ key: ERASURE_MARK, value: mark })
        .onConflict((conflict) => conflict.column('key').doUpdateSet({ value: mark }))
        .execute();
    },

    async latestEventAt() {
      const [row] = await rows<{ at: number | string | null }>(sql`SELECT max(at) AS at FROM events`);
      return row?.at === null || row?.at === undefined ? undefined : Number(row.at);
    },

    async contactsBefore(before, afterSeq, limit) {
      const found = await rows<EventRow>(sql`
        SELECT seq, type, at, payload FROM events
        WHERE type = 'contact.created' AND at < ${before} AND seq > ${afterSeq}
          -- Only those that may still hold a transcript: a daily run does not re-read the redacted.
          AND payload LIKE '%"messages"%' AND payload NOT LIKE '%"transcriptRedacted":true%'
        ORDER BY seq LIMIT ${sql.lit(Math.max(1, Math.floor(limit)))}`);
      return found.map(toStoredEvent);
    },

    async deleteApiAssessmentsBefore(before) {
      const result = await db
        .deleteFrom('assessments')
        .where('kind', '=', 'api')
        .where('created_at', '<', before)
        .executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };
}

/** UPDATE … SET the new values WHERE the key matches and every changed column still holds what was read. */
function updateOf(change: RowChange): RawBuilder<unknown> {
  const table = TABLES.get(change.table);
  if (table === undefined) throw new Error(`no text table ${change.table}`);
  const columns = Object.keys(change.set);
  for (const column of columns)
    if (!table.text.includes(column)) throw new Error(`${change.table}.${column} is not a text column`);
  const sets = columns.map((column) => sql`${sql.ref(column)} = ${change.set[column] ?? null}`);
  const where = [
    ...table.key.map((column) => sql`${sql.ref(column)} = ${change.key[column]}`),
    ...columns.map((column) => {
      const expected = change.text[column];
      return expected === null || expected === undefined
        ? sql`${sql.ref(column)} IS NULL`
        : sql`${sql.ref(column)} = ${expected}`;
    }),
  ];
  return sql`UPDATE ${sql.table(change.table)} SET ${sql.join(sets)} WHERE ${sql.join(where, sql` AND `)}`;
}
