// The ConsoleStore over Kysely for SQLite and PostgreSQL. It opens its own connection to the same
// location as the main Store (a second better-sqlite3 handle on the same WAL file, or a second small
// pg pool) and works on the tables of migration 0002, plus `assessments` (read) and `meta`.
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, PostgresDialect, type Selectable, SqliteDialect, sql } from 'kysely';
import pg from 'pg';
import type {
  ActionRecord,
  ApiKeyUsage,
  AuditQuery,
  CaseCounts,
  CaseTotals,
  DueDelivery,
  CaseHistoryRecord,
  CaseNoteRecord,
  CaseQuery,
  CaseRecord,
  ConsoleStore,
  DecisionDay,
  RefundSearch,
  RefundSearchRow,
  DeliveryRecord,
  EvidenceRecord,
  FlaggedAssessment,
  SessionRecord,
  UserRecord,
  WebhookRecord,
} from '../../app/console-ports.ts';
import type { ActionStatus, ActionType } from '../../core/cases/actions.ts';
import type { AuditRow } from '../../core/cases/audit-chain.ts';
import {
  JOINABLE_STATUSES,
  type CaseStatus,
  type CaseSubjectType,
  type CaseType,
} from '../../core/cases/case-machine.ts';
import type {
  ActionTable,
  AuditTable,
  CaseEvidenceTable,
  CaseTable,
  ConsoleDatabase,
  UserTable,
  WebhookDeliveryTable,
  WebhookTable,
} from './console-schema.ts';
import { migrateToLatest } from './migrations/index.ts';
import { isPostgresLocation } from './open-store.ts';
import type { Database, StoreDialect } from './schema.ts';

const AUDIT_LOCK = 0x7267_6175_6474; // "rgaudt"
const NO_LIMIT = Number.MAX_SAFE_INTEGER;

/** Opens the console's store at the same location as the main store and brings the schema up to date. */
export async function openConsoleStore(location: string): Promise<KyselyConsoleStore> {
  const store = isPostgresLocation(location) ? connectPostgres(location) : openSqlite(location);
  try {
    await migrateToLatest(store.db as unknown as Kysely<Database>, store.dialect);
  } catch (error) {
    await store.close();
    throw error;
  }
  return store;
}

function openSqlite(location: string): KyselyConsoleStore {
  if (location === ':memory:' || location === '')
    throw new Error('the console needs a SQLite file (its tables live next to the events), not :memory:');
  mkdirSync(dirname(resolve(location)), { recursive: true });
  const database = new BetterSqlite3(location);
  database.pragma('journal_mode = WAL');
  database.pragma('synchronous = NORMAL');
  database.pragma('busy_timeout = 5000');
  const db = new Kysely<ConsoleDatabase>({ dialect: new SqliteDialect({ database }) });
  // BEGIN IMMEDIATE takes the write lock before reading the last row: the next seq cannot be taken twice.
  const appendAudit = (build: (previous: AuditRow | undefined) => AuditRow): Promise<AuditRow> => {
    const last = database.prepare<[], AuditTable>('SELECT * FROM audit_log ORDER BY seq DESC LIMIT 1');
    const insert = database.prepare(
      'INSERT INTO audit_log (seq, at, actor, action, subject, detail, prev_hash, hash) VALUES (@seq, @at, @actor, @action, @subject, @detail, @prev_hash, @hash)',
    );
    const run = database.transaction(() => {
      const previousRow = last.get();
      const row = build(previousRow === undefined ? undefined : fromAuditRow(previousRow));
      insert.run(toAuditRow(row));
      return row;
    });
    return Promise.resolve(run.immediate());
  };
  return new KyselyConsoleStore('sqlite', db, appendAudit, database);
}

function connectPostgres(url: string): KyselyConsoleStore {
  const types = new pg.TypeOverrides();
  types.setTypeParser(pg.types.builtins.INT8, Number);
  const pool = new pg.Pool({ connectionString: url, types, max: 5 });
  pool.on('error', () => undefined);
  const db = new Kysely<ConsoleDatabase>({ dialect: new PostgresDialect({ pool }) });
  const appendAudit = (build: (previous: AuditRow | undefined) => AuditRow): Promise<AuditRow> =>
    db.transaction().execute(async (trx) => {
      await sql`SELECT pg_advisory_xact_lock(${sql.lit(AUDIT_LOCK)})`.execute(trx);
      const previousRow = await trx
        .selectFrom('audit_log')
        .selectAll()
        .orderBy('seq', 'desc')
        .limit(1)
        .executeTakeFirst();
      const row = build(previousRow === undefined ? undefined : fromAuditRow(previousRow));
      await trx.insertInto('audit_log').values(toAuditRow(row)).execute();
      return row;
    });
  return new KyselyConsoleStore('postgres', db, appendAudit);
}

function toAuditRow(row: AuditRow): AuditTable {
  return {
    seq: row.seq,
    at: row.at,
    actor: row.actor,
    action: row.action,
    subject: row.subject,
    detail: JSON.stringify(row.detail),
    prev_hash: row.prevHash,
    hash: row.hash,
  };
}

function fromAuditRow(row: Selectable<AuditTable>): AuditRow {
  return {
    seq: Number(row.seq),
    at: Number(row.at),
    actor: row.actor,
    action: row.action,
    subject: row.subject,
    detail: JSON.parse(row.detail),
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}

function fromUserRow(row: Selectable<UserTable>): UserRecord {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    role: row.role as UserRecord['role'],
    agentId: row.agent_id,
    passwordHash: row.password_hash,
    disabled: Number(row.disabled) !== 0,
    createdAt: Number(row.created_at),
  };
}

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

function toActionRow(action: ActionRecord): ActionTable {
  return {
    id: action.id,
    case_id: action.caseId,
    type: action.type,
    key: action.key,
    account_id: action.accountId,
    refund_id: action.refundId,
    status: action.status,
    proposed_by: action.proposedBy,
    proposed_at: action.proposedAt,
    decided_by: action.decidedBy,
    decided_at: action.decidedAt,
    note: action.note,
    result: action.result === null ? null : JSON.stringify(action.result),
    batch_id: action.batchId,
  };
}

function fromActionRow(row: Selectable<ActionTable>): ActionRecord {
  return {
    id: row.id,
    caseId: row.case_id,
    type: row.type as ActionType,
    key: row.key,
    accountId: row.account_id,
    refundId: row.refund_id,
    status: row.status as ActionStatus,
    proposedBy: row.proposed_by,
    proposedAt: Number(row.proposed_at),
    decidedBy: row.decided_by,
    decidedAt: row.decided_at === null ? null : Number(row.decided_at),
    note: row.note,
    result: row.result === null ? null : JSON.parse(row.result),
    batchId: row.batch_id ?? null,
  };
}

function fromWebhookRow(row: Selectable<WebhookTable>): WebhookRecord {
  return {
    id: row.id,
    url: row.url,
    secret: row.secret,
    events: JSON.parse(row.events),
    active: Number(row.active) !== 0,
    createdAt: Number(row.created_at),
  };
}

function toDeliveryRow(delivery: DeliveryRecord): WebhookDeliveryTable {
  return {
    id: delivery.id,
    webhook_id: delivery.webhookId,
    action_id: delivery.actionId,
    event_type: delivery.eventType,
    body: delivery.body,
    status: delivery.status,
    attempts: delivery.attempts,
    last_attempt_at: delivery.lastAttemptAt,
    last_status_code: delivery.lastStatusCode,
    last_error: delivery.lastError,
    created_at: delivery.createdAt,
  };
}

function fromDeliveryRow(
  row: Selectable<WebhookDeliveryTable> & { next_at?: number | null },
): DeliveryRecord {
  return {
    id: row.id,
    webhookId: row.webhook_id,
    actionId: row.action_id,
    eventType: row.event_type,
    body: row.body,
    status: row.status as DeliveryRecord['status'],
    attempts: Number(row.attempts),
    lastAttemptAt: row.last_attempt_at === null ? null : Number(row.last_attempt_at),
    lastStatusCode: row.last_status_code === null ? null : Number(row.last_status_code),
    lastError: row.last_error,
    createdAt: Number(row.created_at),
    ...(row.next_at !== undefined
      ? { nextAttemptAt: row.next_at === null ? null : Number(row.next_at) }
      : {}),
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

export class KyselyConsoleStore implements ConsoleStore {
  constructor(
    readonly dialect: StoreDialect,
    readonly db: Kysely<ConsoleDatabase>,
    private readonly appendAuditSerialised: (
      build: (previous: AuditRow | undefined) => AuditRow,
    ) => Promise<AuditRow>,
    /**
     * SQLite: the raw connection, for transactions run synchronously. A transaction held open
     * across an await would keep the write lock while another connection of this process (the
     * event store) waits on it without yielding: both would stall until busy_timeout.
     */
    private readonly sqlite?: BetterSqlite3.Database,
  ) {}

  /** Runs `work` in one synchronous SQLite transaction (BEGIN IMMEDIATE). */
  #sqliteTransaction<T>(database: BetterSqlite3.Database, work: () => T): Promise<T> {
    try {
      return Promise.resolve(database.transaction(work).immediate());
    } catch (error) {
      return Promise.reject(error);
    }
  }

  async close(): Promise<void> {
    await this.db.destroy();
  }

  // ---- users and sessions ----

  async createUser(user: UserRecord): Promise<void> {
    await this.db
      .insertInto('users')
      .values({
        id: user.id,
        email: user.email,
        name: user.name,
        role: user.role,
        agent_id: user.agentId,
        password_hash: user.passwordHash,
        disabled: user.disabled ? 1 : 0,
        created_at: user.createdAt,
      })
      .execute();
  }

  async getUser(id: string): Promise<UserRecord | undefined> {
    const row = await this.db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
    return row === undefined ? undefined : fromUserRow(row);
  }

  async findUserByEmail(email: string): Promise<UserRecord | undefined> {
    const row = await this.db.selectFrom('users').selectAll().where('email', '=', email).executeTakeFirst();
    return row === undefined ? undefined : fromUserRow(row);
  }

  async listUsers(): Promise<UserRecord[]> {
    const rows = await this.db.selectFrom('users').selectAll().orderBy('created_at').orderBy('id').execute();
    return rows.map(fromUserRow);
  }

  async updateUser(id: string, changes: Partial<Omit<UserRecord, 'id' | 'createdAt'>>): Promise<boolean> {
    const set: Partial<UserTable> = {};
    if (changes.email !== undefined) set.email = changes.email;
    if (changes.name !== undefined) set.name = changes.name;
    if (changes.role !== undefined) set.role = changes.role;
    if (changes.agentId !== undefined) set.agent_id = changes.agentId;
    if (changes.passwordHash !== undefined) set.password_hash = changes.passwordHash;
    if (changes.disabled !== undefined) set.disabled = changes.disabled ? 1 : 0;
    if (Object.keys(set).length === 0) return (await this.getUser(id)) !== undefined;
    const result = await this.db.updateTable('users').set(set).where('id', '=', id).executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  async countUsers(): Promise<number> {
    const row = await this.db
      .selectFrom('users')
      .select((eb) => eb.fn.countAll().as('count'))
      .executeTakeFirstOrThrow();
    return Number(row.count);
  }

  async createSession(session: SessionRecord): Promise<void> {
    await this.db
      .insertInto('sessions')
      .values({
        id_hash: session.idHash,
        user_id: session.userId,
        created_at: session.createdAt,
        expires_at: session.expiresAt,
      })
      .execute();
  }

  async findSession(idHash: string): Promise<SessionRecord | undefined> {
    const row = await this.db
      .selectFrom('sessions')
      .selectAll()
      .where('id_hash', '=', idHash)
      .executeTakeFirst();
    if (row === undefined) return undefined;
    return {
      idHash: row.id_hash,
      userId: row.user_id,
      createdAt: Number(row.created_at),
      expiresAt: Number(row.expires_at),
    };
  }

  async deleteSession(idHash: string): Promise<void> {
    await this.db.deleteFrom('sessions').where('id_hash', '=', idHash).execute();
  }

  async deleteSessionsOf(userId: string): Promise<void> {
    await this.db.deleteFrom('sessions').where('user_id', '=', userId).execute();
  }

  // ---- cases ----

  async flaggedAssessmentsSince(
    createdAtFrom: number,
    after: { createdAt: number; subjectType: string; refundId: string; kind: string } | undefined,
    limit: number,
  ): Promise<FlaggedAssessment[]> {
    let query = this.db
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
  }

  async findJoinableCase(
    type: CaseType,
    subjectType: CaseSubjectType,
    subjectId: string,
  ): Promise<CaseRecord | undefined> {
    const row = await this.db
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
  }

  async createCase(record: CaseRecord): Promise<void> {
    await this.db.insertInto('cases').values(toCaseRow(record)).execute();
  }

  async createCaseOnce(record: CaseRecord): Promise<{ record: CaseRecord; created: boolean }> {
    // The partial unique index cases_one_joinable (migration 0003) refuses a second joinable case
    // for the same type and subject: whoever loses the race joins the winner's case.
    for (let attempt = 0; attempt < 3; attempt += 1) {
      const result = await this.db
        .insertInto('cases')
        .values(toCaseRow(record))
        .onConflict((conflict) => conflict.doNothing())
        .executeTakeFirst();
      if (Number(result.numInsertedOrUpdatedRows ?? 0n) > 0) return { record, created: true };
      const existing = await this.findJoinableCase(record.type, record.subjectType, record.subjectId);
      if (existing !== undefined) return { record: existing, created: false };
      // The case that blocked the insert left the joinable statuses in between: try again.
    }
    throw new Error(
      `could not open or join a ${record.type} case for ${record.subjectType} ${record.subjectId}`,
    );
  }

  async addEvidenceAndRefresh(
    evidence: EvidenceRecord,
    refresh: (all: EvidenceRecord[], current: CaseRecord) => CaseTotals,
  ): Promise<{ added: boolean; record: CaseRecord | undefined }> {
    const database = this.sqlite;
    if (database !== undefined)
      return this.#sqliteTransaction(database, () => {
        const inserted = database
          .prepare(
            'INSERT INTO case_evidence (case_id, kind, ref_id, summary, at, amount_usd_minor, data) VALUES (@case_id, @kind, @ref_id, @summary, @at, @amount_usd_minor, @data) ON CONFLICT (case_id, kind, ref_id) DO NOTHING',
          )
          .run(toEvidenceRow(evidence));
        const row = database
          .prepare<[string], CaseTable>('SELECT * FROM cases WHERE id = ?')
          .get(evidence.caseId);
        const current = row === undefined ? undefined : fromCaseRow(row);
        if (inserted.changes === 0 || current === undefined) return { added: false, record: current };
        const all = database
          .prepare<[string], CaseEvidenceTable>(
            'SELECT * FROM case_evidence WHERE case_id = ? ORDER BY at, ref_id',
          )
          .all(evidence.caseId)
          .map(fromEvidenceRow);
        const updated: CaseRecord = { ...current, ...refresh(all, current) };
        database
          .prepare(
            'UPDATE cases SET priority_usd_minor = @priority, refund_count = @count, top_reasons = @reasons, agent_ids = @agents, updated_at = @updated, title = @title, subject_id = @subject WHERE id = @id',
          )
          .run({
            priority: updated.priorityUsdMinor,
            count: updated.refundCount,
            reasons: JSON.stringify(updated.topReasons),
            agents: JSON.stringify(updated.agentIds),
            updated: updated.updatedAt,
            title: updated.title,
            subject: updated.subjectId,
            id: updated.id,
          });
        return { added: true, record: updated };
      });
    return this.db.transaction().execute(async (trx) => {
      // PostgreSQL: lock the case row first. SQLite: the insert takes the database's write lock.
      if (this.dialect === 'postgres')
        await trx.selectFrom('cases').select('id').where('id', '=', evidence.caseId).forUpdate().execute();
      const inserted = await trx
        .insertInto('case_evidence')
        .values(toEvidenceRow(evidence))
        .onConflict((conflict) => conflict.columns(['case_id', 'kind', 'ref_id']).doNothing())
        .executeTakeFirst();
      const row = await trx
        .selectFrom('cases')
        .selectAll()
        .where('id', '=', evidence.caseId)
        .executeTakeFirst();
      const current = row === undefined ? undefined : fromCaseRow(row);
      if (Number(inserted.numInsertedOrUpdatedRows ?? 0n) === 0 || current === undefined)
        return { added: false, record: current };
      const all = (
        await trx
          .selectFrom('case_evidence')
          .selectAll()
          .where('case_id', '=', evidence.caseId)
          .orderBy('at')
          .orderBy('ref_id')
          .execute()
      ).map(fromEvidenceRow);
      const totals = refresh(all, current);
      const updated: CaseRecord = { ...current, ...totals };
      await trx
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
        .where('id', '=', evidence.caseId)
        .execute();
      return { added: true, record: updated };
    });
  }

  async updateCase(record: CaseRecord): Promise<void> {
    const { id, ...changes } = toCaseRow(record);
    await this.db.updateTable('cases').set(changes).where('id', '=', id).execute();
  }

  async getCase(id: string): Promise<CaseRecord | undefined> {
    const row = await this.db.selectFrom('cases').selectAll().where('id', '=', id).executeTakeFirst();
    return row === undefined ? undefined : fromCaseRow(row);
  }

  async listCases(query: CaseQuery): Promise<{ items: CaseRecord[]; total: number; counts: CaseCounts }> {
    // Counts answer "how many of each" under the other filters, so they ignore their own dimension.
    let base = this.db.selectFrom('cases');
    if (query.marketplace !== undefined) base = base.where('marketplace', '=', query.marketplace);
    if (query.minUsdMinor !== undefined) base = base.where('priority_usd_minor', '>=', query.minUsdMinor);
    if (query.openedSince !== undefined) base = base.where('opened_at', '>=', query.openedSince);
    if (query.assigneeId === null) base = base.where('assignee_id', 'is', null);
    else if (query.assigneeId !== undefined) base = base.where('assignee_id', '=', query.assigneeId);
    if (query.excludeAgentId !== undefined) {
      const agent = query.excludeAgentId;
      const named = `%${JSON.stringify(agent).replace(/[\\%_]/g, (character) => `\\${character}`)}%`;
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
  }

  /** refundId or accountId → case id, for the refunds the given evidence names. */
  async casesForAccounts(accountIds: string[]): Promise<Map<string, string>> {
    const map = new Map<string, string>();
    if (accountIds.length === 0) return map;
    const rows = await this.db
      .selectFrom('cases')
      .select(['id', 'subject_id', 'opened_at'])
      .where('subject_type', '=', 'account')
      .where('subject_id', 'in', [...new Set(accountIds)])
      .orderBy('opened_at')
      .execute();
    for (const row of rows) map.set(row.subject_id, row.id);
    return map;
  }

  async addHistory(entry: CaseHistoryRecord): Promise<void> {
    await this.db
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
  }

  async listHistory(caseId: string): Promise<CaseHistoryRecord[]> {
    const rows = await this.db
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
  }

  async addNote(note: CaseNoteRecord): Promise<void> {
    await this.db
      .insertInto('case_notes')
      .values({ id: note.id, case_id: note.caseId, by_user: note.by, at: note.at, text: note.text })
      .execute();
  }

  async listNotes(caseId: string): Promise<CaseNoteRecord[]> {
    const rows = await this.db
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
  }

  async addEvidence(evidence: EvidenceRecord): Promise<boolean> {
    const result = await this.db
      .insertInto('case_evidence')
      .values(toEvidenceRow(evidence))
      .onConflict((conflict) => conflict.columns(['case_id', 'kind', 'ref_id']).doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0n) > 0;
  }

  async listEvidence(caseId: string): Promise<EvidenceRecord[]> {
    const rows = await this.db
      .selectFrom('case_evidence')
      .selectAll()
      .where('case_id', '=', caseId)
      .orderBy('at')
      .orderBy('ref_id')
      .execute();
    return rows.map(fromEvidenceRow);
  }

  // ---- actions ----

  async insertActionOnce(action: ActionRecord): Promise<{ action: ActionRecord; created: boolean }> {
    const result = await this.db
      .insertInto('actions')
      .values(toActionRow(action))
      .onConflict((conflict) => conflict.column('key').doNothing())
      .executeTakeFirst();
    const created = Number(result.numInsertedOrUpdatedRows ?? 0n) > 0;
    const row = await this.db
      .selectFrom('actions')
      .selectAll()
      .where('key', '=', action.key)
      .executeTakeFirstOrThrow();
    return { action: fromActionRow(row), created };
  }

  async getAction(id: string): Promise<ActionRecord | undefined> {
    const row = await this.db.selectFrom('actions').selectAll().where('id', '=', id).executeTakeFirst();
    return row === undefined ? undefined : fromActionRow(row);
  }

  async updateAction(action: ActionRecord): Promise<void> {
    const { id, ...changes } = toActionRow(action);
    await this.db.updateTable('actions').set(changes).where('id', '=', id).execute();
  }

  async listActions(caseId: string): Promise<ActionRecord[]> {
    const rows = await this.db
      .selectFrom('actions')
      .selectAll()
      .where('case_id', '=', caseId)
      .orderBy('proposed_at')
      .orderBy('id')
      .execute();
    return rows.map(fromActionRow);
  }

  async listBatch(batchId: string): Promise<ActionRecord[]> {
    const rows = await this.db
      .selectFrom('actions')
      .selectAll()
      .where('batch_id', '=', batchId)
      .orderBy('account_id')
      .orderBy('id')
      .execute();
    return rows.map(fromActionRow);
  }

  // ---- webhooks ----

  async getWebhook(id: string): Promise<WebhookRecord | undefined> {
    const row = await this.db.selectFrom('webhooks').selectAll().where('id', '=', id).executeTakeFirst();
    return row === undefined ? undefined : fromWebhookRow(row);
  }

  async setWebhookActive(id: string, active: boolean): Promise<boolean> {
    const result = await this.db
      .updateTable('webhooks')
      .set({ active: active ? 1 : 0 })
      .where('id', '=', id)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  async enqueueDelivery(delivery: DeliveryRecord, nextAt: number): Promise<void> {
    const database = this.sqlite;
    if (database !== undefined)
      return this.#sqliteTransaction(database, () => {
        database
          .prepare(
            'INSERT INTO webhook_deliveries (id, webhook_id, action_id, event_type, body, status, attempts, last_attempt_at, last_status_code, last_error, created_at) VALUES (@id, @webhook_id, @action_id, @event_type, @body, @status, @attempts, @last_attempt_at, @last_status_code, @last_error, @created_at)',
          )
          .run(toDeliveryRow(delivery));
        database
          .prepare(
            'INSERT INTO webhook_outbox (delivery_id, webhook_id, attempts, next_at, claimed_until) VALUES (?, ?, ?, ?, 0)',
          )
          .run(delivery.id, delivery.webhookId, delivery.attempts, nextAt);
      });
    await this.db.transaction().execute(async (trx) => {
      await trx.insertInto('webhook_deliveries').values(toDeliveryRow(delivery)).execute();
      await trx
        .insertInto('webhook_outbox')
        .values({
          delivery_id: delivery.id,
          webhook_id: delivery.webhookId,
          attempts: delivery.attempts,
          next_at: nextAt,
          claimed_until: 0,
        })
        .execute();
    });
  }

  async claimDueDeliveries(now: number, leaseMs: number, limit: number): Promise<DueDelivery[]> {
    const candidates = await this.db
      .selectFrom('webhook_outbox')
      .select(['delivery_id', 'claimed_until'])
      .where('next_at', '<=', now)
      .where('claimed_until', '<=', now)
      .orderBy('next_at')
      .limit(limit)
      .execute();
    const due: DueDelivery[] = [];
    for (const candidate of candidates) {
      // Only one sender moves the lease forward from the value it read.
      const claimed = await this.db
        .updateTable('webhook_outbox')
        .set({ claimed_until: now + leaseMs })
        .where('delivery_id', '=', candidate.delivery_id)
        .where('claimed_until', '=', candidate.claimed_until)
        .executeTakeFirst();
      if (claimed.numUpdatedRows === 0n) continue;
      const row = await this.db
        .selectFrom('webhook_deliveries')
        .selectAll()
        .where('id', '=', candidate.delivery_id)
        .executeTakeFirst();
      if (row === undefined) {
        await this.db.deleteFrom('webhook_outbox').where('delivery_id', '=', candidate.delivery_id).execute();
        continue;
      }
      const delivery = fromDeliveryRow(row);
      due.push({ delivery, webhook: await this.getWebhook(delivery.webhookId) });
    }
    return due;
  }

  async finishAttempt(delivery: DeliveryRecord, nextAt: number | null): Promise<void> {
    const database = this.sqlite;
    if (database !== undefined)
      return this.#sqliteTransaction(database, () => {
        database
          .prepare(
            'UPDATE webhook_deliveries SET status = @status, attempts = @attempts, last_attempt_at = @last_attempt_at, last_status_code = @last_status_code, last_error = @last_error WHERE id = @id',
          )
          .run(toDeliveryRow(delivery));
        if (nextAt === null)
          database.prepare('DELETE FROM webhook_outbox WHERE delivery_id = ?').run(delivery.id);
        else
          database
            .prepare(
              'UPDATE webhook_outbox SET attempts = ?, next_at = ?, claimed_until = 0 WHERE delivery_id = ?',
            )
            .run(delivery.attempts, nextAt, delivery.id);
      });
    await this.db.transaction().execute(async (trx) => {
      const row = toDeliveryRow(delivery);
      const { id: _id, ...changes } = row;
      await trx.updateTable('webhook_deliveries').set(changes).where('id', '=', delivery.id).execute();
      if (nextAt === null)
        await trx.deleteFrom('webhook_outbox').where('delivery_id', '=', delivery.id).execute();
      else
        await trx
          .updateTable('webhook_outbox')
          .set({ attempts: delivery.attempts, next_at: nextAt, claimed_until: 0 })
          .where('delivery_id', '=', delivery.id)
          .execute();
    });
  }

  async nextOutboxAt(): Promise<number | undefined> {
    const row = await this.db
      .selectFrom('webhook_outbox')
      .select((eb) => eb.fn.min('next_at').as('next'))
      .executeTakeFirst();
    return row?.next === null || row?.next === undefined ? undefined : Number(row.next);
  }

  // ---- API keys: when each was last used ----

  async listApiKeyUsage(): Promise<ApiKeyUsage[]> {
    const rows = await this.db
      .selectFrom('api_keys')
      .select(['id', 'name', 'role', 'created_at', 'revoked_at', 'last_used_at'])
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    return rows.map((row) => ({
      id: row.id,
      name: row.name,
      role: row.role,
      createdAt: Number(row.created_at),
      revokedAt: row.revoked_at === null ? null : Number(row.revoked_at),
      lastUsedAt: row.last_used_at === null ? null : Number(row.last_used_at),
    }));
  }

  async touchApiKey(id: string, at: number): Promise<void> {
    await this.db.updateTable('api_keys').set({ last_used_at: at }).where('id', '=', id).execute();
  }

  async createWebhook(webhook: WebhookRecord): Promise<void> {
    await this.db
      .insertInto('webhooks')
      .values({
        id: webhook.id,
        url: webhook.url,
        secret: webhook.secret,
        events: JSON.stringify(webhook.events),
        active: webhook.active ? 1 : 0,
        created_at: webhook.createdAt,
      })
      .execute();
  }

  async listWebhooks(): Promise<WebhookRecord[]> {
    const rows = await this.db
      .selectFrom('webhooks')
      .selectAll()
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    return rows.map(fromWebhookRow);
  }

  async saveDelivery(delivery: DeliveryRecord): Promise<void> {
    const row = toDeliveryRow(delivery);
    const { id: _id, ...changes } = row;
    await this.db
      .insertInto('webhook_deliveries')
      .values(row)
      .onConflict((conflict) => conflict.column('id').doUpdateSet(changes))
      .execute();
  }

  async listDeliveries(query: { actionId?: string; limit: number }): Promise<DeliveryRecord[]> {
    let select = this.db
      .selectFrom('webhook_deliveries')
      .leftJoin('webhook_outbox', 'webhook_outbox.delivery_id', 'webhook_deliveries.id')
      .selectAll('webhook_deliveries')
      .select('webhook_outbox.next_at');
    if (query.actionId !== undefined) select = select.where('action_id', '=', query.actionId);
    const rows = await select
      .orderBy('webhook_deliveries.created_at', 'desc')
      .orderBy('webhook_deliveries.id')
      .limit(query.limit)
      .execute();
    return rows.map(fromDeliveryRow);
  }

  // ---- refund search and dashboard ----

  async searchRefunds(query: RefundSearch): Promise<{ items: RefundSearchRow[]; total: number }> {
    if (query.refundIds?.length === 0 || query.decisions?.length === 0) return { items: [], total: 0 };
    let base = this.db
      .selectFrom('assessments')
      .where('subject_type', '=', 'refund')
      .where('kind', '=', 'request');
    if (query.refundIds !== undefined) base = base.where('subject_id', 'in', query.refundIds);
    if (query.accountId !== undefined) base = base.where('account_id', '=', query.accountId);
    if (query.decisions !== undefined) base = base.where('decision', 'in', query.decisions);
    if (query.from !== undefined) base = base.where('at', '>=', query.from);
    if (query.to !== undefined) base = base.where('at', '<', query.to);
    const [rows, total] = await Promise.all([
      base
        .select([
          'subject_id',
          'account_id',
          'at',
          'amount_minor',
          'currency',
          'amount_usd_minor',
          'decision',
          'score',
          'reasons',
        ])
        .orderBy('at', 'desc')
        .orderBy('subject_id')
        .limit(query.limit)
        .offset(query.offset)
        .execute(),
      base.select((eb) => eb.fn.countAll().as('count')).executeTakeFirstOrThrow(),
    ]);
    return {
      total: Number(total.count),
      items: rows.map((row) => ({
        refundId: row.subject_id,
        accountId: row.account_id,
        at: Number(row.at),
        amountMinor: row.amount_minor === null ? null : Number(row.amount_minor),
        currency: row.currency,
        amountUsdMinor: row.amount_usd_minor === null ? null : Number(row.amount_usd_minor),
        decision: row.decision,
        score: Number(row.score),
        reasons: JSON.parse(row.reasons),
      })),
    };
  }

  async decisionsPerDay(from: number): Promise<DecisionDay[]> {
    const day = sql<number>`(at / 86400000)`;
    const rows = await this.db
      .selectFrom('assessments')
      .where('subject_type', '=', 'refund')
      .where('kind', '=', 'request')
      .where('at', '>=', from)
      .select((eb) => [
        day.as('day'),
        'decision',
        eb.fn.countAll().as('count'),
        eb.fn.coalesce(eb.fn.sum<number>('amount_usd_minor'), eb.val(0)).as('usd'),
      ])
      .groupBy([day, 'decision'])
      .orderBy(day)
      .execute();
    return rows.map((row) => ({
      day: Math.floor(Number(row.day)),
      decision: row.decision,
      count: Number(row.count),
      usdMinor: Number(row.usd),
    }));
  }

  async latestAssessmentAt(): Promise<number | undefined> {
    const row = await this.db
      .selectFrom('assessments')
      .where('subject_type', '=', 'refund')
      .select((eb) => eb.fn.max('at').as('latest'))
      .executeTakeFirst();
    return row?.latest === null || row?.latest === undefined ? undefined : Number(row.latest);
  }

  async flaggedReasonsSince(from: number): Promise<string[]> {
    const rows = await this.db
      .selectFrom('assessments')
      .select('reasons')
      .where('subject_type', '=', 'refund')
      .where('kind', '=', 'request')
      .where('decision', 'in', ['review', 'deny'])
      .where('at', '>=', from)
      .execute();
    return rows.map((row) => row.reasons);
  }

  async countCases(statuses: string[]): Promise<number> {
    if (statuses.length === 0) return 0;
    const row = await this.db
      .selectFrom('cases')
      .where('status', 'in', statuses)
      .select((eb) => eb.fn.countAll().as('count'))
      .executeTakeFirstOrThrow();
    return Number(row.count);
  }

  // ---- templates and meta ----

  async getTemplate(name: string): Promise<string | undefined> {
    const row = await this.db
      .selectFrom('templates')
      .select('body')
      .where('name', '=', name)
      .executeTakeFirst();
    return row?.body;
  }

  async setTemplate(name: string, body: string, at: number): Promise<void> {
    await this.db
      .insertInto('templates')
      .values({ name, body, updated_at: at })
      .onConflict((conflict) => conflict.column('name').doUpdateSet({ body, updated_at: at }))
      .execute();
  }

  async getConsoleMeta(key: string): Promise<string | undefined> {
    const row = await this.db.selectFrom('meta').select('value').where('key', '=', key).executeTakeFirst();
    return row?.value;
  }

  async setConsoleMeta(key: string, value: string): Promise<void> {
    await this.db
      .insertInto('meta')
      .values({ key, value })
      .onConflict((conflict) => conflict.column('key').doUpdateSet({ value }))
      .execute();
  }

  // ---- audit ----

  appendAudit(build: (previous: AuditRow | undefined) => AuditRow): Promise<AuditRow> {
    return this.appendAuditSerialised(build);
  }

  async listAudit(query: AuditQuery): Promise<AuditRow[]> {
    let select = this.db.selectFrom('audit_log').selectAll();
    if (query.beforeSeq !== undefined) select = select.where('seq', '<', query.beforeSeq);
    if (query.actor !== undefined) select = select.where('actor', '=', query.actor);
    if (query.action !== undefined)
      select = query.action.endsWith('.')
        ? select.where(sql<boolean>`action like ${`${escapeLike(query.action)}%`} escape '\\'`)
        : select.where('action', '=', query.action);
    if (query.subject !== undefined)
      select = select.where(sql<boolean>`subject like ${`%${escapeLike(query.subject)}%`} escape '\\'`);
    const rows = await select.orderBy('seq', 'desc').limit(query.limit).execute();
    return rows.map(fromAuditRow);
  }

  async *streamAudit(pageSize = 1000): AsyncIterable<AuditRow[]> {
    let after = 0;
    for (;;) {
      const rows = await this.db
        .selectFrom('audit_log')
        .selectAll()
        .where('seq', '>', after)
        .orderBy('seq')
        .limit(pageSize)
        .execute();
      if (rows.length > 0) yield rows.map(fromAuditRow);
      const last = rows.at(-1);
      if (last === undefined || rows.length < pageSize) return;
      after = Number(last.seq);
    }
  }
}

/** The text as a LIKE pattern that matches it literally (with `escape '\\'`). */
function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (character) => `\\${character}`);
}

export { NO_LIMIT as CONSOLE_NO_LIMIT };
