// Webhooks, the log of their deliveries, and the outbox: each delivery's row waits there until it
// is delivered or given up, leased by one sender at a time.
import type { Selectable } from 'kysely';
import type { DeliveryRecord, DueDelivery, OutboxStore, WebhookRecord } from '../../app/console-ports.ts';
import { type ConsoleConnection, writeInOneTransaction } from './console-connection.ts';
import type { WebhookDeliveryTable, WebhookTable } from './console-schema.ts';

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

export function outboxStore(connection: ConsoleConnection): OutboxStore {
  const { db } = connection;
  const getWebhook = async (id: string): Promise<WebhookRecord | undefined> => {
    const row = await db.selectFrom('webhooks').selectAll().where('id', '=', id).executeTakeFirst();
    return row === undefined ? undefined : fromWebhookRow(row);
  };

  return {
    async createWebhook(webhook: WebhookRecord): Promise<void> {
      await db
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
    },

    async listWebhooks(): Promise<WebhookRecord[]> {
      const rows = await db.selectFrom('webhooks').selectAll().orderBy('created_at').orderBy('id').execute();
      return rows.map(fromWebhookRow);
    },

    getWebhook,

    async setWebhookActive(id: string, active: boolean): Promise<boolean> {
      const result = await db
        .updateTable('webhooks')
        .set({ active: active ? 1 : 0 })
        .where('id', '=', id)
        .executeTakeFirst();
      return result.numUpdatedRows > 0n;
    },

    async saveDelivery(delivery: DeliveryRecord): Promise<void> {
      const row = toDeliveryRow(delivery);
      const { id: _id, ...changes } = row;
      await db
        .insertInto('webhook_deliveries')
        .values(row)
        .onConflict((conflict) => conflict.column('id').doUpdateSet(changes))
        .execute();
    },

    async listDeliveries(query: { actionId?: string; limit: number }): Promise<DeliveryRecord[]> {
      let select = db
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
    },

    async enqueueDelivery(delivery: DeliveryRecord, nextAt: number): Promise<boolean> {
      // The log row first, once per id; the outbox row only beside a new one.
      const logRow = db
        .insertInto('webhook_deliveries')
        .values(toDeliveryRow(delivery))
        .onConflict((conflict) => conflict.column('id').doNothing());
      const outboxRow = db.insertInto('webhook_outbox').values({
        delivery_id: delivery.id,
        webhook_id: delivery.webhookId,
        attempts: delivery.attempts,
        next_at: nextAt,
        claimed_until: 0,
      });
      const { sqlite } = connection;
      if (sqlite !== undefined)
        return sqlite.transaction(() => {
          if (sqlite.run(logRow) === 0) return false;
          sqlite.run(outboxRow);
          return true;
        });
      return db.transaction().execute(async (trx) => {
        const inserted = await trx.executeQuery(logRow);
        if (Number(inserted.numAffectedRows ?? 0n) === 0) return false;
        await trx.executeQuery(outboxRow);
        return true;
      });
    },

    async claimDueDeliveries(now: number, leaseMs: number, limit: number): Promise<DueDelivery[]> {
      const candidates = await db
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
        const claimed = await db
          .updateTable('webhook_outbox')
          .set({ claimed_until: now + leaseMs })
          .where('delivery_id', '=', candidate.delivery_id)
          .where('claimed_until', '=', candidate.claimed_until)
          .executeTakeFirst();
        if (claimed.numUpdatedRows === 0n) continue;
        const row = await db
          .selectFrom('webhook_deliveries')
          .selectAll()
          .where('id', '=', candidate.delivery_id)
          .executeTakeFirst();
        if (row === undefined) {
          await db.deleteFrom('webhook_outbox').where('delivery_id', '=', candidate.delivery_id).execute();
          continue;
        }
        const delivery = fromDeliveryRow(row);
        due.push({ delivery, webhook: await getWebhook(delivery.webhookId) });
      }
      return due;
    },

    finishAttempt(delivery: DeliveryRecord, nextAt: number | null): Promise<void> {
      // An attempt changes what the log says of it; what was sent, to whom, stays as enqueued.
      const row = toDeliveryRow(delivery);
      return writeInOneTransaction(connection, [
        db
          .updateTable('webhook_deliveries')
          .set({
            status: row.status,
            attempts: row.attempts,
            last_attempt_at: row.last_attempt_at,
            last_status_code: row.last_status_code,
            last_error: row.last_error,
          })
          .where('id', '=', delivery.id),
        nextAt === null
          ? db.deleteFrom('webhook_outbox').where('delivery_id', '=', delivery.id)
          : db
              .updateTable('webhook_outbox')
              .set({ attempts: delivery.attempts, next_at: nextAt, claimed_until: 0 })
              .where('delivery_id', '=', delivery.id),
      ]);
    },

    async nextOutboxAt(): Promise<number | undefined> {
      const row = await db
        .selectFrom('webhook_outbox')
        .select((eb) => eb.fn.min('next_at').as('next'))
        .executeTakeFirst();
      return row?.next === null || row?.next === undefined ? undefined : Number(row.next);
    },
  };
}
