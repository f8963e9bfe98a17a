// The console, second step: one open case per (type, subject) enforced by the database (a partial
// unique index: cases join under concurrency by insert-or-join), the webhook outbox (deliveries
// still to attempt, with their attempt count and next attempt time, so retries survive a restart),
// when each API key was last used, and the batch an action belongs to (a ring's bulk actions).
// Each step checks first whether it is done (SQLite has no transactional DDL: a crash halfway
// through must not stop the next start).
import { type Kysely, type Migration, sql } from 'kysely';
import type { StoreDialect } from '../schema.ts';

/** Statuses in which a case can be joined (core/cases/case-machine.ts JOINABLE_STATUSES). */
const JOINABLE = ['open', 'investigating', 'actioned'];

export function consoleOutboxMigration(_dialect: StoreDialect): Migration {
  return {
    async up(db: Kysely<unknown>) {
      // Older stores may hold two joinable cases for one subject (two processes syncing at once):
      // keep the oldest joinable, send the others back to `dismissed` with a history line.
      const duplicates = await sql<{ id: string }>`
        SELECT c.id FROM cases c
        WHERE c.status IN (${sql.join(JOINABLE)})
          AND EXISTS (
            SELECT 1 FROM cases o
            WHERE o.type = c.type AND o.subject_type = c.subject_type AND o.subject_id = c.subject_id
              AND o.status IN (${sql.join(JOINABLE)})
              AND (o.opened_at < c.opened_at OR (o.opened_at = c.opened_at AND o.id < c.id))
          )`.execute(db);
      // The history line is stamped with the real time the fix ran: a one-time repair of old data,
      // run once per store by the migrator, which no service's clock reaches (nor should it).
      for (const { id } of duplicates.rows) {
        await sql`UPDATE cases SET status = 'dismissed' WHERE id = ${id}`.execute(db);
        await sql`INSERT INTO case_history (case_id, from_status, to_status, by_user, at, note)
          VALUES (${id}, NULL, 'dismissed', 'system', ${Date.now()}, 'A duplicate of an older open case for the same subject (migration 0003).')`.execute(
          db,
        );
      }
      await db.schema
        .createIndex('cases_one_joinable')
        .ifNotExists()
        .unique()
        .on('cases')
        .columns(['type', 'subject_type', 'subject_id'])
        .where(sql.ref('status'), 'in', JOINABLE)
        .execute();

      await db.schema
        .createTable('webhook_outbox')
        .ifNotExists()
        .addColumn('delivery_id', 'text', (column) => column.primaryKey())
        .addColumn('webhook_id', 'text', (column) => column.notNull())
        .addColumn('attempts', 'integer', (column) => column.notNull())
        .addColumn('next_at', 'bigint', (column) => column.notNull())
        // A sender takes a row by moving this forward; another process skips it until then.
        .addColumn('claimed_until', 'bigint', (column) => column.notNull().defaultTo(0))
        .execute();
      await db.schema
        .createIndex('webhook_outbox_next')
        .ifNotExists()
        .on('webhook_outbox')
        .columns(['next_at'])
        .execute();
      // Deliveries left `pending` by the in-memory retries of earlier versions go into the outbox.
      await sql`INSERT INTO webhook_outbox (delivery_id, webhook_id, attempts, next_at, claimed_until)
        SELECT d.id, d.webhook_id, d.attempts, 0, 0 FROM webhook_deliveries d
        WHERE d.status = 'pending'
          AND NOT EXISTS (SELECT 1 FROM webhook_outbox o WHERE o.delivery_id = d.id)`.execute(db);

      if (!(await hasColumn(db, 'api_keys', 'last_used_at')))
        await db.schema.alterTable('api_keys').addColumn('last_used_at', 'bigint').execute();
      if (!(await hasColumn(db, 'actions', 'batch_id')))
        await db.schema.alterTable('actions').addColumn('batch_id', 'text').execute();
      await db.schema
        .createIndex('actions_batch')
        .ifNotExists()
        .on('actions')
        .columns(['batch_id'])
        .execute();
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropIndex('actions_batch').ifExists().execute();
      await db.schema.dropIndex('cases_one_joinable').ifExists().execute();
      await db.schema.dropTable('webhook_outbox').ifExists().execute();
    },
  };
}

async function hasColumn(db: Kysely<unknown>, table: string, column: string): Promise<boolean> {
  const tables = await db.introspection.getTables();
  return tables.some((entry) => entry.name === table && entry.columns.some((entry) => entry.name === column));
}
