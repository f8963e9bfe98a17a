// The Store queries both dialects share, written once with Kysely. Each dialect subclass adds
// its own fast `appendBatch` (and may replace a hot lookup with a cached statement).
import type { Kysely } from 'kysely';
import type {
  ApiKeyRecord,
  AssessmentKind,
  AssessmentQuery,
  AssessmentRecord,
  PolicyRecord,
  ShadowRecord,
  Store,
  StoredModel,
} from '../../app/ports.ts';
import type { RefundguardEvent } from '../../core/events.ts';
import type { ModelStatus, RefundModel } from '../../core/evidence/refund-model.ts';
import { ORDER_FOLLOW_UP_TYPES, REFUND_FOLLOW_UP_TYPES } from './event-columns.ts';
import { migrateToLatest } from './migrations/index.ts';
import { fromApiKeyRow, fromAssessmentRow, fromEventRow, toApiKeyRow, toAssessmentRow } from './rows.ts';
import type { Database, StoreDialect } from './schema.ts';

export const DEFAULT_PAGE_SIZE = 1000;
const EVENT_COLUMNS = ['seq', 'id', 'type', 'time', 'at', 'payload'] as const;
// SQLite accepts OFFSET only after a LIMIT; this one means "no limit" on both dialects.
const NO_LIMIT = Number.MAX_SAFE_INTEGER;

export abstract class KyselyStore implements Store {
  abstract readonly dialect: StoreDialect;

  protected constructor(protected readonly db: Kysely<Database>) {}

  async migrate(): Promise<void> {
    await migrateToLatest(this.db, this.dialect);
  }

  async close(): Promise<void> {
    await this.db.destroy();
  }

  abstract appendBatch(
    events: RefundguardEvent[],
    assessments: AssessmentRecord[],
  ): Promise<{ inserted: number }>;

  /**
   * Keyset pages over (at, seq): each page is one indexed range scan, however deep. Not a
   * snapshot: an event committed meanwhile with an earlier time than the current page is skipped.
   */
  async *streamEvents(pageSize = DEFAULT_PAGE_SIZE): AsyncIterable<RefundguardEvent[]> {
    if (!Number.isInteger(pageSize) || pageSize < 1) {
      throw new RangeError(`page size must be a positive integer, got ${pageSize}`);
    }
    let after: { at: number; seq: number } | undefined;
    for (;;) {
      let query = this.db
        .selectFrom('events')
        .select(EVENT_COLUMNS)
        .orderBy('at')
        .orderBy('seq')
        .limit(pageSize);
      if (after !== undefined) {
        const { at, seq } = after;
        query = query.where(({ eb, refTuple, tuple }) => eb(refTuple('at', 'seq'), '>', tuple(at, seq)));
      }
      const rows = await query.execute();
      if (rows.length > 0) yield rows.map(fromEventRow);
      const last = rows.at(-1);
      if (last === undefined || rows.length < pageSize) return;
      after = { at: Number(last.at), seq: Number(last.seq) };
    }
  }

  async countEvents(): Promise<number> {
    const row = await this.db
      .selectFrom('events')
      .select((eb) => eb.fn.countAll().as('count'))
      .executeTakeFirstOrThrow();
    return Number(row.count);
  }

  /**
   * Events naming the account, plus the follow-ups of its orders and refunds (deliveries,
   * refund decisions, return scans), which name only the order or refund. Resolved at read
   * time, so a follow-up that arrived before its order is found too.
   */
  async eventsForAccount(accountId: string, limit?: number): Promise<RefundguardEvent[]> {
    const idsOf = (type: string) =>
      this.db
        .selectFrom('events')
        .select('subject_id')
        .where('account_id', '=', accountId)
        .where('type', '=', type);
    let query = this.db
      .selectFrom('events')
      .select(EVENT_COLUMNS)
      .where(({ eb, or, and }) =>
        or([
          eb('account_id', '=', accountId),
          and([eb('type', 'in', ORDER_FOLLOW_UP_TYPES), eb('subject_id', 'in', idsOf('order.placed'))]),
          and([eb('type', 'in', REFUND_FOLLOW_UP_TYPES), eb('subject_id', 'in', idsOf('refund.requested'))]),
        ]),
      )
      .orderBy('at')
      .orderBy('seq');
    if (limit !== undefined) query = query.limit(limit);
    const rows = await query.execute();
    return rows.map(fromEventRow);
  }

  async saveAssessment(record: AssessmentRecord): Promise<void> {
    const row = toAssessmentRow(record);
    const { subject_type: _type, subject_id: _id, kind: _kind, ...changes } = row;
    await this.db
      .insertInto('assessments')
      .values(row)
      .onConflict((conflict) => conflict.columns(['subject_type', 'subject_id', 'kind']).doUpdateSet(changes))
      .execute();
  }

  /** Without `kind`, the most recently made assessment of the subject. */
  async getAssessment(
    subjectType: 'refund' | 'signup',
    subjectId: string,
    kind?: AssessmentKind,
  ): Promise<AssessmentRecord | undefined> {
    let query = this.db
      .selectFrom('assessments')
      .selectAll()
      .where('subject_type', '=', subjectType)
      .where('subject_id', '=', subjectId);
    if (kind !== undefined) query = query.where('kind', '=', kind);
    const row = await query.orderBy('created_at', 'desc').orderBy('kind').limit(1).executeTakeFirst();
    return row === undefined ? undefined : fromAssessmentRow(row);
  }

  /** Newest decided moment first. An empty `decisions` list matches nothing. No limit unless given. */
  async listAssessments(filter: AssessmentQuery): Promise<AssessmentRecord[]> {
    if (filter.decisions?.length === 0) return [];
    let query = this.db.selectFrom('assessments').selectAll();
    if (filter.subjectType !== undefined) query = query.where('subject_type', '=', filter.subjectType);
    if (filter.kind !== undefined) query = query.where('kind', '=', filter.kind);
    if (filter.accountId !== undefined) query = query.where('account_id', '=', filter.accountId);
    if (filter.decisions !== undefined) query = query.where('decision', 'in', filter.decisions);
    query = query.orderBy('at', 'desc').orderBy('subject_type').orderBy('subject_id').orderBy('kind');
    if (filter.limit !== undefined || filter.offset !== undefined)
      query = query.limit(filter.limit ?? NO_LIMIT);
    if (filter.offset !== undefined) query = query.offset(filter.offset);
    const rows = await query.execute();
    return rows.map(fromAssessmentRow);
  }

  async createApiKey(record: ApiKeyRecord): Promise<void> {
    await this.db.insertInto('api_keys').values(toApiKeyRow(record)).execute();
  }

  /** Revoked keys are returned too, with `revokedAt` set: the caller decides what that means. */
  async findApiKeyByHash(hash: string): Promise<ApiKeyRecord | undefined> {
    const row = await this.db.selectFrom('api_keys').selectAll().where('hash', '=', hash).executeTakeFirst();
    return row === undefined ? undefined : fromApiKeyRow(row);
  }

  async listApiKeys(): Promise<ApiKeyRecord[]> {
    const rows = await this.db
      .selectFrom('api_keys')
      .selectAll()
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    return rows.map(fromApiKeyRow);
  }

  /** True when the key exists; revoking twice keeps the first revocation time. */
  async revokeApiKey(id: string, at: number): Promise<boolean> {
    const result = await this.db
      .updateTable('api_keys')
      .set((eb) => ({ revoked_at: eb.fn.coalesce('revoked_at', eb.val(at)) }))
      .where('id', '=', id)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  async saveModel(model: RefundModel, status: ModelStatus): Promise<void> {
    const row = {
      version: model.version,
      status,
      rule_pack_version: model.rulePackVersion,
      labels_before: model.labelsBefore,
      trained_at: model.trainedAt,
      promoted_at: null,
      body: JSON.stringify(model),
    };
    await this.db
      .insertInto('models')
      .values(row)
      .onConflict((conflict) => conflict.column('version').doUpdateSet({ status, body: row.body }))
      .execute();
  }

  async setModelStatus(version: string, status: ModelStatus, at: number): Promise<boolean> {
    return this.db.transaction().execute(async (transaction) => {
      const found = await transaction
        .selectFrom('models')
        .select('version')
        .where('version', '=', version)
        .executeTakeFirst();
      if (!found) return false;
      if (status === 'promoted')
        await transaction
          .updateTable('models')
          .set({ status: 'retired' })
          .where('status', '=', 'promoted')
          .where('version', '!=', version)
          .execute();
      await transaction
        .updateTable('models')
        .set(status === 'promoted' ? { status, promoted_at: at } : { status })
        .where('version', '=', version)
        .execute();
      return true;
    });
  }

  async listModels(): Promise<StoredModel[]> {
    const rows = await this.db
      .selectFrom('models')
      .selectAll()
      .orderBy('trained_at', 'desc')
      .orderBy('version', 'desc')
      .execute();
    return rows.map((row) => ({
      model: JSON.parse(row.body) as RefundModel,
      status: row.status as ModelStatus,
      promotedAt: row.promoted_at === null ? null : Number(row.promoted_at),
    }));
  }

  async savePolicy(record: Omit<PolicyRecord, 'version'>): Promise<number> {
    return this.db.transaction().execute(async (transaction) => {
      const latest = await transaction
        .selectFrom('decision_policies')
        .select((eb) => eb.fn.max('version').as('version'))
        .executeTakeFirst();
      const version = Number(latest?.version ?? 0) + 1;
      await transaction
        .insertInto('decision_policies')
        .values({
          version,
          body: JSON.stringify(record.policy),
          created_at: record.createdAt,
          created_by: record.createdBy,
          note: record.note,
        })
        .execute();
      return version;
    });
  }

  async listPolicies(): Promise<PolicyRecord[]> {
    const rows = await this.db
      .selectFrom('decision_policies')
      .selectAll()
      .orderBy('version', 'desc')
      .execute();
    return rows.map((row) => ({
      version: Number(row.version),
      policy: JSON.parse(row.body),
      createdAt: Number(row.created_at),
      createdBy: row.created_by,
      note: row.note,
    }));
  }

  async saveShadowRecords(records: readonly ShadowRecord[]): Promise<void> {
    if (records.length === 0) return;
    await this.db.transaction().execute(async (transaction) => {
      for (const record of records) {
        const row = {
          subject_id: record.subjectId,
          candidate: record.candidate,
          at: record.at,
          live_decision: record.liveDecision,
          live_score: record.liveScore,
          decision: record.decision,
          score: record.score,
          amount_usd_minor: record.amountUsdMinor,
          reasons: JSON.stringify(record.reasons),
        };
        const { subject_id: _subject, candidate: _candidate, ...changes } = row;
        await transaction
          .insertInto('shadow_assessments')
          .values(row)
          .onConflict((conflict) => conflict.columns(['candidate', 'subject_id']).doUpdateSet(changes))
          .execute();
      }
    });
  }

  async listShadowRecords(candidate: string, limit?: number): Promise<ShadowRecord[]> {
    let query = this.db
      .selectFrom('shadow_assessments')
      .selectAll()
      .where('candidate', '=', candidate)
      .orderBy('at', 'desc')
      .orderBy('subject_id');
    if (limit !== undefined) query = query.limit(limit);
    const rows = await query.execute();
    return rows.map((row) => ({
      subjectId: row.subject_id,
      candidate: row.candidate,
      at: Number(row.at),
      liveDecision: row.live_decision,
      liveScore: Number(row.live_score),
      decision: row.decision,
      score: Number(row.score),
      amountUsdMinor: row.amount_usd_minor === null ? null : Number(row.amount_usd_minor),
      reasons: JSON.parse(row.reasons),
    }));
  }

  async getMeta(key: string): Promise<string | undefined> {
    const row = await this.db.selectFrom('meta').select('value').where('key', '=', key).executeTakeFirst();
    return row?.value;
  }

  async setMeta(key: string, value: string): Promise<void> {
    await this.db
      .insertInto('meta')
      .values({ key, value })
      .onConflict((conflict) => conflict.column('key').doUpdateSet({ value }))
      .execute();
  }
}
