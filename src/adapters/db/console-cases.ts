// Cases with their history, notes and evidence, and the flagged assessments that open them. Adding
// evidence recomputes the case's totals in the same transaction.
import { type Kysely, type Selectable, sql } from 'kysely';
import type {
  CaseCounts,
  CaseHistoryRecord,
  CaseNoteRecord,
  CaseQuery,
  CaseRecord,
  CaseStore,
  CaseTotals,
  EvidenceRecord,
  FlaggedAssessment,
} from '../../app/console-ports.ts';
import {
  type CaseStatus,
  type CaseSubjectType,
  type CaseType,
  JOINABLE_STATUSES,
} from '../../core/cases/case-machine.ts';
import { type ConsoleConnection, escapeLike } from './console-connection.ts';
import type { CaseEvidenceTable, CaseTable, ConsoleDatabase } from './console-schema.ts';

function toCaseRow(record: CaseRecord): CaseTable {
  return {
    id: record.id,
    type: record.type,
    subject_type: record.subjectType,
    subject_id: record.subjectId,
    title: record.title,
    status: record.status,
    priority_usd_minor: record.priorityUsdMinor,
    marketplace: record.marketplace,
    assignee_id: record.assigneeId,
    opened_at: record.openedAt,
    updated_at: record.updatedAt,
    refund_count: record.refundCount,
    top_reasons: JSON.stringify(record.topReasons),
    agent_ids: JSON.stringify(record.agentIds),
    outcome: record.outcome === null ? null : JSON.stringify(record.outcome),
  };
}

function fromCaseRow(row: Selectable<CaseTable>): CaseRecord {
  return {
    id: row.id,
    type: row.type as CaseType,
    subjectType: row.subject_type as CaseSubjectType,
    subjectId: row.subject_id,
    title: row.title,
    status: row.status as CaseStatus,
    priorityUsdMinor: Number(row.priority_usd_minor),
    marketplace: row.marketplace,
    assigneeId: row.assignee_id,
    openedAt: Number(row.opened_at),
    updatedAt: Number(row.updated_at),
    refundCount: Number(row.refund_count),
    topReasons: JSON.parse(row.top_reasons),
    agentIds: JSON.parse(row.agent_ids),
    outcome: row.outcome === null ? null : JSON.parse(row.outcome),
  };
}

function fromEvidenceRow(row: Selectable<CaseEvidenceTable>): EvidenceRecord {
  return {
    caseId: row.case_id,
    kind: row.kind as EvidenceRecord['kind'],
    refId: row.ref_id,
    summary: row.summary,
    at: Number(row.at),
    amountUsdMinor: row.amount_usd_minor === null ? null : Number(row.amount_usd_minor),
    data: JSON.parse(row.data),
  };
}

function toEvidenceRow(evidence: EvidenceRecord): CaseEvidenceTable {
  return {
    case_id: evidence.caseId,
    kind: evidence.kind,
    ref_id: evidence.refId,
    summary: evidence.summary,
    at: evidence.at,
    amount_usd_minor: evidence.amountUsdMinor,
    data: JSON.stringify(evidence.data),
  };
}

const insertEvidence = (db: Kysely<ConsoleDatabase>, evidence: EvidenceRecord) =>
  db
    .insertInto('case_evidence')
    .values(toEvidenceRow(evidence))
    .onConflict((conflict) => conflict.columns(['case_id', 'kind', 'ref_id']).doNothing());

const selectCase = (db: Kysely<ConsoleDatabase>, id: string) =>
  db.selectFrom('cases').selectAll().where('id', '=', id);

const selectEvidence = (db: Kysely<ConsoleDatabase>, caseId: string) =>
  db.selectFrom('case_evidence').selectAll().where('case_id', '=', caseId).orderBy('at').orderBy('ref_id');

/** What adding evidence recomputes (CaseTotals). */
const updateTotals = (db: Kysely<ConsoleDatabase>, updated: CaseRecord) =>
  db
    .updateTable('cases')
    .set({
      priority_usd_minor: updated.priorityUsdMinor,
      refund_count: updated.refundCount,
      top_reasons: JSON.stringify(updated.topReasons),
      agent_ids: JSON.stringify(updated.agentIds),
      updated_at: updated.updatedAt,
      title: updated.title,
      subject_id: updated.subjectId,
    })
    .where('id', '=', updated.id);

export function caseStore({ db, sqlite }: ConsoleConnection): CaseStore {
  const findJoinableCase = async (
    type: CaseType,
    subjectType: CaseSubjectType,
    subjectId: string,
  ): Promise<CaseRecord | undefined> => {
    const row = await db
      .selectFrom('cases')
      .selectAll()
      .where('subject_type', '=', subjectType)
      .where('subject_id', '=', subjectId)
      .where('type', '=', type)
      .where('status', 'in', [...JOINABLE_STATUSES])
      .orderBy('opened_at', 'desc')
      .limit(1)
      .executeTakeFirst();
    return row === undefined ? undefined : fromCaseRow(row);
  };

  return {
    async flaggedAssessmentsSince(
      createdAtFrom: number,
      after: { createdAt: number; subjectType: string; refundId: string; kind: string } | undefined,
      limit: number,
    ): Promise<FlaggedAssessment[]> {
      let query = db
        .selectFrom('assessments')
        .select([
          'subject_type',
          'subject_id',
          'kind',
          'account_id',
          'at',
          'decision',
          'reasons',
          'amount_usd_minor',
          'created_at',
        ])
        .where((eb) =>
          eb.or([
            eb.and([eb('subject_type', '=', 'refund'), eb('decision', 'in', ['review', 'deny'])]),
            eb.and([eb('subject_type', '=', 'signup'), eb('decision', 'in', ['review', 'block'])]),
          ]),
        )
        .where('created_at', '>=', createdAtFrom);
      if (after !== undefined) {
        const { createdAt, subjectType, refundId, kind } = after;
        query = query.where(({ eb, refTuple, tuple }) =>
          eb(
            refTuple('created_at', 'subject_type', 'subject_id', 'kind'),
            '>',
            tuple(createdAt, subjectType as 'refund' | 'signup', refundId, kind),
          ),
        );
      }
      const rows = await query
        .orderBy('created_at')
        .orderBy('subject_type')
        .orderBy('subject_id')
        .orderBy('kind')
        .limit(limit)
        .execute();
      return rows.map((row) => ({
        subjectType: row.subject_type,
        refundId: row.subject_id,
        kind: row.kind,
        accountId: row.account_id,
        at: Number(row.at),
        decision: row.decision,
        reasonCodes: (JSON.parse(row.reasons) as { code: string }[]).map((reason) => reason.code),
        amountUsdMinor: row.amount_usd_minor === null ? null : Number(row.amount_usd_minor),
        createdAt: Number(row.created_at),
      }));
    },

    findJoinableCase,

    async createCase(record: CaseRecord): Promise<void> {
      await db.insertInto('cases').values(toCaseRow(record)).execute();
    },

    async createCaseOnce(record: CaseRecord): Promise<{ record: CaseRecord; created: boolean }> {
      // The partial unique index cases_one_joinable (migration 0003) refuses a second joinable case
      // for the same type and subject: whoever loses the race joins the winner's case.
      for (let attempt = 0; attempt < 3; attempt += 1) {
        const result = await db
          .insertInto('cases')
          .values(toCaseRow(record))
          .onConflict((conflict) => conflict.doNothing())
          .executeTakeFirst();
        if (Number(result.numInsertedOrUpdatedRows ?? 0n) > 0) return { record, created: true };
        const existing = await findJoinableCase(record.type, record.subjectType, record.subjectId);
        if (existing !== undefined) return { record: existing, created: false };
        // The case that blocked the insert left the joinable statuses in between: try again.
      }
      throw new Error(
        `could not open or join a ${record.type} case for ${record.subjectType} ${record.subjectId}`,
      );
    },

    addEvidenceAndRefresh(
      evidence: EvidenceRecord,
      refresh: (all: EvidenceRecord[], current: CaseRecord) => CaseTotals,
    ): Promise<{ added: boolean; record: CaseRecord | undefined }> {
      if (sqlite !== undefined)
        return sqlite.transaction(() => {
          const inserted = sqlite.run(insertEvidence(db, evidence));
          const row = sqlite.first(selectCase(db, evidence.caseId));
          const current = row === undefined ? undefined : fromCaseRow(row);
          if (inserted === 0 || current === undefined) return { added: false, record: current };
          const all = sqlite.all(selectEvidence(db, evidence.caseId)).map(fromEvidenceRow);
          const updated: CaseRecord = { ...current, ...refresh(all, current) };
          sqlite.run(updateTotals(db, updated));
          return { added: true, record: updated };
        });
      return db.transaction().execute(async (trx) => {
        // PostgreSQL: lock the case row first (on SQLite the transaction holds the write lock).
        await trx.selectFrom('cases').select('id').where('id', '=', evidence.caseId).forUpdate().execute();
        const inserted = await insertEvidence(trx, evidence).executeTakeFirst();
        const row = await selectCase(trx, evidence.caseId).executeTakeFirst();
        const current = row === undefined ? undefined : fromCaseRow(row);
        if (Number(inserted.numInsertedOrUpdatedRows ?? 0n) === 0 || current === undefined)
          return { added: false, record: current };
        const all = (await selectEvidence(trx, evidence.caseId).execute()).map(fromEvidenceRow);
        const updated: CaseRecord = { ...current, ...refresh(all, current) };
        await updateTotals(trx, updated).execute();
        return { added: true, record: updated };
      });
    },

    async updateCase(record: CaseRecord): Promise<void> {
      const { id, ...changes } = toCaseRow(record);
      await db.updateTable('cases').set(changes).where('id', '=', id).execute();
    },

    async getCase(id: string): Promise<CaseRecord | undefined> {
      const row = await selectCase(db, id).executeTakeFirst();
      return row === undefined ? undefined : fromCaseRow(row);
    },

    async listCases(query: CaseQuery): Promise<{ items: CaseRecord[]; total: number; counts: CaseCounts }> {
      // Counts answer "how many of each" under the other filters, so they ignore their own dimension.
      let base = db.selectFrom('cases');
      if (query.marketplace !== undefined) base = base.where('marketplace', '=', query.marketplace);
      if (query.minUsdMinor !== undefined) base = base.where('priority_usd_minor', '>=', query.minUsdMinor);
      if (query.openedSince !== undefined) base = base.where('opened_at', '>=', query.openedSince);
      if (query.assigneeId === null) base = base.where('assignee_id', 'is', null);
      else if (query.assigneeId !== undefined) base = base.where('assignee_id', '=', query.assigneeId);
      if (query.excludeAgentId !== undefined) {
        const agent = query.excludeAgentId;
        const named = `%${escapeLike(JSON.stringify(agent))}%`;
        base = base.where((eb) =>
          eb.not(
            eb.or([
              eb.and([eb('subject_type', '=', 'agent'), eb('subject_id', '=', agent)]),
              eb.and([
                eb('type', 'in', ['insider', 'ring']),
                sql<boolean>`agent_ids like ${named} escape '\\'`,
              ]),
            ]),
          ),
        );
      }
      const withStatus = query.statuses?.length ? base.where('status', 'in', query.statuses) : base;
      const withType = query.types?.length ? base.where('type', 'in', query.types) : base;
      const filtered = query.types?.length ? withStatus.where('type', 'in', query.types) : withStatus;

      const [rows, total, statusCounts, typeCounts] = await Promise.all([
        filtered
          .selectAll()
          .orderBy('priority_usd_minor', 'desc')
          .orderBy('opened_at')
          .orderBy('id')
          .limit(query.limit)
          .offset(query.offset)
          .execute(),
        filtered.select((eb) => eb.fn.countAll().as('count')).executeTakeFirstOrThrow(),
        withType
          .select((eb) => ['status', eb.fn.countAll().as('count')] as const)
          .groupBy('status')
          .execute(),
        withStatus
          .select((eb) => ['type', eb.fn.countAll().as('count')] as const)
          .groupBy('type')
          .execute(),
      ]);
      const counts: CaseCounts = { status: {}, type: {} };
      for (const row of statusCounts) counts.status[row.status] = Number(row.count);
      for (const row of typeCounts) counts.type[row.type] = Number(row.count);
      return { items: rows.map(fromCaseRow), total: Number(total.count), counts };
    },

    async addHistory(entry: CaseHistoryRecord): Promise<void> {
      await db
        .insertInto('case_history')
        .values({
          case_id: entry.caseId,
          from_status: entry.from,
          to_status: entry.to,
          by_user: entry.by,
          at: entry.at,
          note: entry.note,
        })
        .execute();
    },

    async listHistory(caseId: string): Promise<CaseHistoryRecord[]> {
      const rows = await db
        .selectFrom('case_history')
        .selectAll()
        .where('case_id', '=', caseId)
        .orderBy('at')
        .execute();
      return rows.map((row) => ({
        caseId: row.case_id,
        from: row.from_status as CaseStatus | null,
        to: row.to_status as CaseStatus,
        by: row.by_user,
        at: Number(row.at),
        note: row.note,
      }));
    },

    async addNote(note: CaseNoteRecord): Promise<void> {
      await db
        .insertInto('case_notes')
        .values({ id: note.id, case_id: note.caseId, by_user: note.by, at: note.at, text: note.text })
        .execute();
    },

    async listNotes(caseId: string): Promise<CaseNoteRecord[]> {
      const rows = await db
        .selectFrom('case_notes')
        .selectAll()
        .where('case_id', '=', caseId)
        .orderBy('at')
        .orderBy('id')
        .execute();
      return rows.map((row) => ({
        id: row.id,
        caseId: row.case_id,
        by: row.by_user,
        at: Number(row.at),
        text: row.text,
      }));
    },

    async addEvidence(evidence: EvidenceRecord): Promise<boolean> {
      const result = await insertEvidence(db, evidence).executeTakeFirst();
      return Number(result.numInsertedOrUpdatedRows ?? 0n) > 0;
    },

    async listEvidence(caseId: string): Promise<EvidenceRecord[]> {
      return (await selectEvidence(db, caseId).execute()).map(fromEvidenceRow);
    },

    // ---- the console's settings: case opening keeps its cursor there ----

    async getConsoleMeta(key: string): Promise<string | undefined> {
      const row = await db.selectFrom('meta').select('value').where('key', '=', key).executeTakeFirst();
      return row?.value;
    },

    async setConsoleMeta(key: string, value: string): Promise<void> {
      await db
        .insertInto('meta')
        .values({ key, value })
        .onConflict((conflict) => conflict.column('key').doUpdateSet({ value }))
        .execute();
    },
  };
}
