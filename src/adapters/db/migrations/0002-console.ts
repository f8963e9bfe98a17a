// The console's tables: people and their sessions, cases with history, notes and evidence,
// enforcement actions, webhooks and their deliveries, notice templates, and the hash-chained audit
// log. Every statement is `if not exists` (SQLite has no transactional DDL).
import type { Kysely, Migration } from 'kysely';
import type { StoreDialect } from '../schema.ts';

export function consoleMigration(_dialect: StoreDialect): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('users')
        .ifNotExists()
        .addColumn('id', 'text', (column) => column.primaryKey())
        .addColumn('email', 'text', (column) => column.notNull().unique())
        .addColumn('name', 'text', (column) => column.notNull())
        .addColumn('role', 'text', (column) => column.notNull())
        .addColumn('agent_id', 'text')
        .addColumn('password_hash', 'text', (column) => column.notNull())
        .addColumn('disabled', 'integer', (column) => column.notNull().defaultTo(0))
        .addColumn('created_at', 'bigint', (column) => column.notNull())
        .execute();
      await db.schema
        .createTable('sessions')
        .ifNotExists()
        .addColumn('id_hash', 'text', (column) => column.primaryKey())
        .addColumn('user_id', 'text', (column) => column.notNull())
        .addColumn('created_at', 'bigint', (column) => column.notNull())
        .addColumn('expires_at', 'bigint', (column) => column.notNull())
        .execute();
      await createIndex(db, 'sessions_user', 'sessions', ['user_id']);

      await db.schema
        .createTable('cases')
        .ifNotExists()
        .addColumn('id', 'text', (column) => column.primaryKey())
        .addColumn('type', 'text', (column) => column.notNull())
        .addColumn('subject_type', 'text', (column) => column.notNull())
        .addColumn('subject_id', 'text', (column) => column.notNull())
        .addColumn('title', 'text', (column) => column.notNull())
        .addColumn('status', 'text', (column) => column.notNull())
        .addColumn('priority_usd_minor', 'bigint', (column) => column.notNull())
        .addColumn('marketplace', 'text')
        .addColumn('assignee_id', 'text')
        .addColumn('opened_at', 'bigint', (column) => column.notNull())
        .addColumn('updated_at', 'bigint', (column) => column.notNull())
        .addColumn('refund_count', 'integer', (column) => column.notNull())
        .addColumn('top_reasons', 'text', (column) => column.notNull())
        .addColumn('agent_ids', 'text', (column) => column.notNull())
        .addColumn('outcome', 'text')
        .execute();
      await createIndex(db, 'cases_subject', 'cases', ['subject_type', 'subject_id', 'type']);
      await createIndex(db, 'cases_priority', 'cases', ['priority_usd_minor']);
      await createIndex(db, 'cases_status', 'cases', ['status']);

      await db.schema
        .createTable('case_history')
        .ifNotExists()
        .addColumn('case_id', 'text', (column) => column.notNull())
        .addColumn('from_status', 'text')
        .addColumn('to_status', 'text', (column) => column.notNull())
        .addColumn('by_user', 'text', (column) => column.notNull())
        .addColumn('at', 'bigint', (column) => column.notNull())
        .addColumn('note', 'text')
        .execute();
      await createIndex(db, 'case_history_case', 'case_history', ['case_id', 'at']);
      await db.schema
        .createTable('case_notes')
        .ifNotExists()
        .addColumn('id', 'text', (column) => column.primaryKey())
        .addColumn('case_id', 'text', (column) => column.notNull())
        .addColumn('by_user', 'text', (column) => column.notNull())
        .addColumn('at', 'bigint', (column) => column.notNull())
        .addColumn('text', 'text', (column) => column.notNull())
        .execute();
      await createIndex(db, 'case_notes_case', 'case_notes', ['case_id', 'at']);
      await db.schema
        .createTable('case_evidence')
        .ifNotExists()
        .addColumn('case_id', 'text', (column) => column.notNull())
        .addColumn('kind', 'text', (column) => column.notNull())
        .addColumn('ref_id', 'text', (column) => column.notNull())
        .addColumn('summary', 'text', (column) => column.notNull())
        .addColumn('at', 'bigint', (column) => column.notNull())
        .addColumn('amount_usd_minor', 'bigint')
        .addColumn('data', 'text', (column) => column.notNull())
        .addPrimaryKeyConstraint('case_evidence_pk', ['case_id', 'kind', 'ref_id'])
        .execute();
      // Which case holds a refund (refund search shows it).
      await createIndex(db, 'case_evidence_ref', 'case_evidence', ['ref_id']);

      await db.schema
        .createTable('actions')
        .ifNotExists()
        .addColumn('id', 'text', (column) => column.primaryKey())
        .addColumn('case_id', 'text', (column) => column.notNull())
        .addColumn('type', 'text', (column) => column.notNull())
        .addColumn('key', 'text', (column) => column.notNull().unique())
        .addColumn('account_id', 'text')
        .addColumn('refund_id', 'text')
        .addColumn('status', 'text', (column) => column.notNull())
        .addColumn('proposed_by', 'text', (column) => column.notNull())
        .addColumn('proposed_at', 'bigint', (column) => column.notNull())
        .addColumn('decided_by', 'text')
        .addColumn('decided_at', 'bigint')
        .addColumn('note', 'text')
        .addColumn('result', 'text')
        .execute();
      await createIndex(db, 'actions_case', 'actions', ['case_id']);

      await db.schema
        .createTable('webhooks')
        .ifNotExists()
        .addColumn('id', 'text', (column) => column.primaryKey())
        .addColumn('url', 'text', (column) => column.notNull())
        .addColumn('secret', 'text', (column) => column.notNull())
        .addColumn('events', 'text', (column) => column.notNull())
        .addColumn('active', 'integer', (column) => column.notNull())
        .addColumn('created_at', 'bigint', (column) => column.notNull())
        .execute();
      await db.schema
        .createTable('webhook_deliveries')
        .ifNotExists()
        .addColumn('id', 'text', (column) => column.primaryKey())
        .addColumn('webhook_id', 'text', (column) => column.notNull())
        .addColumn('action_id', 'text')
        .addColumn('event_type', 'text', (column) => column.notNull())
        .addColumn('body', 'text', (column) => column.notNull())
        .addColumn('status', 'text', (column) => column.notNull())
        .addColumn('attempts', 'integer', (column) => column.notNull())
        .addColumn('last_attempt_at', 'bigint')
        .addColumn('last_status_code', 'integer')
        .addColumn('last_error', 'text')
        .addColumn('created_at', 'bigint', (column) => column.notNull())
        .execute();
      await createIndex(db, 'webhook_deliveries_action', 'webhook_deliveries', ['action_id']);
      await createIndex(db, 'webhook_deliveries_created', 'webhook_deliveries', ['created_at']);

      await db.schema
        .createTable('templates')
        .ifNotExists()
        .addColumn('name', 'text', (column) => column.primaryKey())
        .addColumn('body', 'text', (column) => column.notNull())
        .addColumn('updated_at', 'bigint', (column) => column.notNull())
        .execute();

      await db.schema
        .createTable('audit_log')
        .ifNotExists()
        .addColumn('seq', 'bigint', (column) => column.primaryKey())
        .addColumn('at', 'bigint', (column) => column.notNull())
        .addColumn('actor', 'text', (column) => column.notNull())
        .addColumn('action', 'text', (column) => column.notNull())
        .addColumn('subject', 'text', (column) => column.notNull())
        .addColumn('detail', 'text', (column) => column.notNull())
        // Unique: two writers chaining from the same row cannot both commit (the chain never forks).
        .addColumn('prev_hash', 'text', (column) => column.notNull().unique())
        .addColumn('hash', 'text', (column) => column.notNull())
        .execute();
    },
    async down(db: Kysely<unknown>) {
      for (const table of [
        'audit_log',
        'templates',
        'webhook_deliveries',
        'webhooks',
        'actions',
        'case_evidence',
        'case_notes',
        'case_history',
        'cases',
        'sessions',
        'users',
      ]) {
        await db.schema.dropTable(table).ifExists().execute();
      }
    },
  };
}

async function createIndex(
  db: Kysely<unknown>,
  name: string,
  table: string,
  columns: string[],
): Promise<void> {
  await db.schema.createIndex(name).ifNotExists().on(table).columns(columns).execute();
}
