// Actions proposed on cases (one per case, type and target: the key), and the notice templates.
import type { Selectable } from 'kysely';
import type { ActionRecord, ActionStore } from '../../app/console-ports.ts';
import type { ActionStatus, ActionType } from '../../core/cases/actions.ts';
import type { ConsoleConnection } from './console-connection.ts';
import type { ActionTable } from './console-schema.ts';

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

export function actionStore({ db }: ConsoleConnection): ActionStore {
  return {
    async insertActionOnce(action: ActionRecord): Promise<{ action: ActionRecord; created: boolean }> {
      const result = await db
        .insertInto('actions')
        .values(toActionRow(action))
        .onConflict((conflict) => conflict.column('key').doNothing())
        .executeTakeFirst();
      const created = Number(result.numInsertedOrUpdatedRows ?? 0n) > 0;
      const row = await db
        .selectFrom('actions')
        .selectAll()
        .where('key', '=', action.key)
        .executeTakeFirstOrThrow();
      return { action: fromActionRow(row), created };
    },

    async getAction(id: string): Promise<ActionRecord | undefined> {
      const row = await db.selectFrom('actions').selectAll().where('id', '=', id).executeTakeFirst();
      return row === undefined ? undefined : fromActionRow(row);
    },

    async updateActionFrom(from: ActionStatus, action: ActionRecord): Promise<boolean> {
      const { id, ...changes } = toActionRow(action);
      // One statement, so the check and the write are atomic on both databases (PostgreSQL
      // re-checks the WHERE on the row it locks; SQLite runs one writer at a time).
      const result = await db
        .updateTable('actions')
        .set(changes)
        .where('id', '=', id)
        .where('status', '=', from)
        .executeTakeFirst();
      return result.numUpdatedRows === 1n;
    },

    async listActions(caseId: string): Promise<ActionRecord[]> {
      const rows = await db
        .selectFrom('actions')
        .selectAll()
        .where('case_id', '=', caseId)
        .orderBy('proposed_at')
        .orderBy('id')
        .execute();
      return rows.map(fromActionRow);
    },

    async listActionsWithStatus(status: ActionStatus): Promise<ActionRecord[]> {
      const rows = await db
        .selectFrom('actions')
        .selectAll()
        .where('status', '=', status)
        .orderBy('proposed_at')
        .orderBy('id')
        .execute();
      return rows.map(fromActionRow);
    },

    async listBatch(batchId: string): Promise<ActionRecord[]> {
      const rows = await db
        .selectFrom('actions')
        .selectAll()
        .where('batch_id', '=', batchId)
        .orderBy('account_id')
        .orderBy('id')
        .execute();
      return rows.map(fromActionRow);
    },

    // ---- the templates notices are written from ----

    async getTemplate(name: string): Promise<string | undefined> {
      const row = await db.selectFrom('templates').select('body').where('name', '=', name).executeTakeFirst();
      return row?.body;
    },

    async setTemplate(name: string, body: string, at: number): Promise<void> {
      await db
        .insertInto('templates')
        .values({ name, body, updated_at: at })
        .onConflict((conflict) => conflict.column('name').doUpdateSet({ body, updated_at: at }))
        .execute();
    },
  };
}
