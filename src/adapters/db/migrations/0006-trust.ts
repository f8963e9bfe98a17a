// Trust: the database itself keeps the audit log append-only (triggers refuse UPDATE, DELETE and,
// on PostgreSQL, TRUNCATE of audit rows, whatever connection asks), and a table of rate-limit
// counters that every process of a deployment shares (login attempts, API calls, refused calls).
// Existing rows are kept as they are: the app anchors them as "legacy up to row N" (see app/audit.ts).
import { type Kysely, type Migration, sql } from 'kysely';
import type { StoreDialect } from '../schema.ts';

const REFUSAL = 'audit_log is append-only: rows cannot be changed or deleted';

export function trustMigration(dialect: StoreDialect): Migration {
  return {
    async up(db: Kysely<unknown>) {
      if (dialect === 'sqlite') {
        for (const operation of ['UPDATE', 'DELETE'])
          await sql
            .raw(
              `CREATE TRIGGER IF NOT EXISTS audit_log_no_${operation.toLowerCase()} BEFORE ${operation} ON audit_log ` +
                `BEGIN SELECT RAISE(ABORT, '${REFUSAL}'); END`,
            )
            .execute(db);
      } else {
        await sql
          .raw(
            `CREATE OR REPLACE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ ` +
              `BEGIN RAISE EXCEPTION '${REFUSAL}' USING ERRCODE = 'insufficient_privilege'; END $$`,
          )
          .execute(db);
        await sql
          .raw(
            'CREATE OR REPLACE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log ' +
              'FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()',
          )
          .execute(db);
        await sql
          .raw(
            'CREATE OR REPLACE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log ' +
              'FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only()',
          )
          .execute(db);
      }
      await db.schema
        .createTable('rate_limits')
        .ifNotExists()
        .addColumn('key', 'text', (column) => column.primaryKey())
        .addColumn('hits', 'bigint', (column) => column.notNull())
        /** Epoch ms the current window (or lockout) started. */
        .addColumn('window_start', 'bigint', (column) => column.notNull())
        /** How long it lasts, in ms (grows with back-off). */
        .addColumn('ttl', 'bigint', (column) => column.notNull())
        /** Epoch ms after which the row may be swept. */
        .addColumn('expires_at', 'bigint', (column) => column.notNull())
        .execute();
      await db.schema
        .createIndex('rate_limits_expires')
        .ifNotExists()
        .on('rate_limits')
        .columns(['expires_at'])
        .execute();
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropTable('rate_limits').ifExists().execute();
      if (dialect === 'sqlite') {
        await sql`DROP TRIGGER IF EXISTS audit_log_no_update`.execute(db);
        await sql`DROP TRIGGER IF EXISTS audit_log_no_delete`.execute(db);
      } else {
        await sql`DROP TRIGGER IF EXISTS audit_log_no_change ON audit_log`.execute(db);
        await sql`DROP TRIGGER IF EXISTS audit_log_no_truncate ON audit_log`.execute(db);
        await sql`DROP FUNCTION IF EXISTS audit_log_append_only()`.execute(db);
      }
    },
  };
}
