// What an attacker with write access to the database does before editing the audit log: drop the
// triggers that keep it append-only. Tests use it to make edits directly and see `verify` name them.
import { type Kysely, sql } from 'kysely';
import type { StoreDialect } from '../schema.ts';

export async function dropAuditGuard<DB>(db: Kysely<DB>, dialect: StoreDialect): Promise<void> {
  if (dialect === 'sqlite') {
    await sql`DROP TRIGGER IF EXISTS audit_log_no_update`.execute(db);
    await sql`DROP TRIGGER IF EXISTS audit_log_no_delete`.execute(db);
  } else {
    await sql`DROP TRIGGER IF EXISTS audit_log_no_change ON audit_log`.execute(db);
    await sql`DROP TRIGGER IF EXISTS audit_log_no_truncate ON audit_log`.execute(db);
  }
}
