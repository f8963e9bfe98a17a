// The first schema: events, assessments, api keys and meta. Every statement is
// `if not exists` because SQLite has no transactional DDL: a start that crashed half-way
// through this migration must be able to run it again.
import type { Kysely, Migration } from 'kysely';
import type { StoreDialect } from '../schema.ts';

export function initialMigration(dialect: StoreDialect): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await createEvents(db, dialect);
      await createAssessments(db);
      await createApiKeys(db);
      await db.schema
        .createTable('meta')
        .ifNotExists()
        .addColumn('key', 'text', (column) => column.primaryKey())
        .addColumn('value', 'text', (column) => column.notNull())
        .execute();
    },
    async down(db: Kysely<unknown>) {
      for (const table of ['meta', 'api_keys', 'assessments', 'events']) {
        await db.schema.dropTable(table).ifExists().execute();
      }
    },
  };
}

async function createEvents(db: Kysely<unknown>, dialect: StoreDialect): Promise<void> {
  let table = db.schema.createTable('events').ifNotExists();
  // SQLite: an integer primary key is the rowid, so appending in arrival order is cheapest.
  table =
    dialect === 'sqlite'
      ? table.addColumn('seq', 'integer', (column) => column.primaryKey().autoIncrement())
      : table.addColumn('seq', 'bigserial', (column) => column.primaryKey());
  await table
    .addColumn('id', 'text', (column) => column.notNull().unique())
    .addColumn('type', 'text', (column) => column.notNull())
    .addColumn('time', 'text', (column) => column.notNull())
    .addColumn('at', 'bigint', (column) => column.notNull())
    .addColumn('account_id', 'text')
    .addColumn('subject_id', 'text')
    .addColumn('payload', 'text', (column) => column.notNull())
    .execute();
  await createIndex(db, 'events_at_seq', 'events', ['at', 'seq']);
  await createIndex(db, 'events_account_at', 'events', ['account_id', 'at']);
  // Finds an order's or refund's follow-up events, which do not name the account.
  await createIndex(db, 'events_subject', 'events', ['subject_id']);
}

async function createAssessments(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('assessments')
    .ifNotExists()
    .addColumn('subject_type', 'text', (column) => column.notNull())
    .addColumn('subject_id', 'text', (column) => column.notNull())
    .addColumn('kind', 'text', (column) => column.notNull())
    .addColumn('account_id', 'text', (column) => column.notNull())
    .addColumn('at', 'bigint', (column) => column.notNull())
    .addColumn('decision', 'text', (column) => column.notNull())
    .addColumn('score', 'double precision', (column) => column.notNull())
    .addColumn('reasons', 'text', (column) => column.notNull())
    .addColumn('signals', 'text', (column) => column.notNull())
    .addColumn('rule_pack_version', 'text', (column) => column.notNull())
    .addColumn('amount_minor', 'bigint')
    .addColumn('currency', 'text')
    .addColumn('amount_usd_minor', 'bigint')
    .addColumn('created_at', 'bigint', (column) => column.notNull())
    .addPrimaryKeyConstraint('assessments_pk', ['subject_type', 'subject_id', 'kind'])
    .execute();
  await createIndex(db, 'assessments_account', 'assessments', ['account_id']);
  await createIndex(db, 'assessments_decision', 'assessments', ['decision']);
  await createIndex(db, 'assessments_amount_usd', 'assessments', ['amount_usd_minor']);
  // Lists are newest first.
  await createIndex(db, 'assessments_at', 'assessments', ['at']);
}

async function createApiKeys(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('api_keys')
    .ifNotExists()
    .addColumn('id', 'text', (column) => column.primaryKey())
    .addColumn('name', 'text', (column) => column.notNull())
    .addColumn('hash', 'text', (column) => column.notNull().unique())
    .addColumn('role', 'text', (column) => column.notNull())
    .addColumn('created_at', 'bigint', (column) => column.notNull())
    .addColumn('revoked_at', 'bigint')
    .execute();
}

async function createIndex(
  db: Kysely<unknown>,
  name: string,
  table: string,
  columns: string[],
): Promise<void> {
  await db.schema.createIndex(name).ifNotExists().on(table).columns(columns).execute();
}
