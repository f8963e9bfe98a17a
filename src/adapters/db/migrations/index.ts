// Migrations are code, listed here in order. A new migration is a new file and a new line.
import { type Kysely, type Migration, Migrator } from 'kysely';
import type { Database, StoreDialect } from '../schema.ts';
import { initialMigration } from './0001-initial.ts';
import { consoleMigration } from './0002-console.ts';
import { consoleOutboxMigration } from './0003-console-outbox.ts';
import { modelsMigration } from './0004-models.ts';
import { personsMigration } from './0005-persons.ts';
import { trustMigration } from './0006-trust.ts';

function migrationsFor(dialect: StoreDialect): Record<string, Migration> {
  return {
    '0001-initial': initialMigration(dialect),
    '0002-console': consoleMigration(dialect),
    '0003-console-outbox': consoleOutboxMigration(dialect),
    '0004-models': modelsMigration(dialect),
    '0005-persons': personsMigration(dialect),
    '0006-trust': trustMigration(dialect),
  };
}

export class MigrationFailedError extends Error {
  override readonly name = 'MigrationFailedError';
}

/** Brings the schema to the latest version; a no-op when it is already there. */
export async function migrateToLatest(db: Kysely<Database>, dialect: StoreDialect): Promise<void> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrationsFor(dialect) },
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error === undefined) return;
  const failed = results?.find((result) => result.status === 'Error')?.migrationName ?? 'the migrator';
  throw new MigrationFailedError(`database migration failed in ${failed}: ${describe(error)}`, {
    cause: error,
  });
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
