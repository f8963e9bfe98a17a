// Read models over the assessments and cases: refund search and the dashboard.
import { sql } from 'kysely';
import type {
  ConsoleReadModels,
  DecisionDay,
  RefundSearch,
  RefundSearchRow,
} from '../../app/console-ports.ts';
import type { ConsoleConnection } from './console-connection.ts';

export function consoleReadModels({ db }: ConsoleConnection): ConsoleReadModels {
  return {
    async searchRefunds(query: RefundSearch): Promise<{ items: RefundSearchRow[]; total: number }> {
      if (query.refundIds?.length === 0 || query.decisions?.length === 0) return { items: [], total: 0 };
      let base = db
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
    },

    async casesForAccounts(accountIds: string[]): Promise<Map<string, string>> {
      const map = new Map<string, string>();
      if (accountIds.length === 0) return map;
      const rows = await db
        .selectFrom('cases')
        .select(['id', 'subject_id', 'opened_at'])
        .where('subject_type', '=', 'account')
        .where('subject_id', 'in', [...new Set(accountIds)])
        .orderBy('opened_at')
        .execute();
      for (const row of rows) map.set(row.subject_id, row.id);
      return map;
    },

    async decisionsPerDay(from: number): Promise<DecisionDay[]> {
      const day = sql<number>`(at / 86400000)`;
      const rows = await db
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
    },

    async latestAssessmentAt(): Promise<number | undefined> {
      const row = await db
        .selectFrom('assessments')
        .where('subject_type', '=', 'refund')
        .select((eb) => eb.fn.max('at').as('latest'))
        .executeTakeFirst();
      return row?.latest === null || row?.latest === undefined ? undefined : Number(row.latest);
    },

    async flaggedReasonsSince(from: number): Promise<string[]> {
      const rows = await db
        .selectFrom('assessments')
        .select('reasons')
        .where('subject_type', '=', 'refund')
        .where('kind', '=', 'request')
        .where('decision', 'in', ['review', 'deny'])
        .where('at', '>=', from)
        .execute();
      return rows.map((row) => row.reasons);
    },

    async countCases(statuses: string[]): Promise<number> {
      if (statuses.length === 0) return 0;
      const row = await db
        .selectFrom('cases')
        .where('status', 'in', statuses)
        .select((eb) => eb.fn.countAll().as('count'))
        .executeTakeFirstOrThrow();
      return Number(row.count);
    },
  };
}
