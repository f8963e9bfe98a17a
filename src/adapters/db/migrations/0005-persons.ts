// Four-eyes binds to the person: every credential records who made it. An API key made in the
// console answers for the person who made it; a user made in the console answers for their
// maker too until a second, independent admin confirms them. Null: made at the shell (the CLI,
// `npm start`), the operator's bootstrap. Each step checks first whether it is done (SQLite has no
// transactional DDL).
import type { Kysely, Migration } from 'kysely';
import type { StoreDialect } from '../schema.ts';

export function personsMigration(_dialect: StoreDialect): Migration {
  return {
    async up(db: Kysely<unknown>) {
      for (const [table, column] of [
        ['api_keys', 'created_by'],
        ['users', 'created_by'],
        ['users', 'confirmed_by'],
      ] as const)
        if (!(await hasColumn(db, table, column)))
          await db.schema.alterTable(table).addColumn(column, 'text').execute();
    },
  };
}

async function hasColumn(db: Kysely<unknown>, table: string, column: string): Promise<boolean> {
  const tables = await db.introspection.getTables();
  return tables.some((entry) => entry.name === table && entry.columns.some((entry) => entry.name === column));
}
