// Decisions that learn: the model version each assessment used, the models learned from the
// retailer's outcomes (their weights and holdout figures, which one is promoted), the retailer's
// decision policies (capacity, precision before denying) as they were changed, and the decisions a
// candidate made in shadow beside the live ones. Each step checks first whether it is done (SQLite
// has no transactional DDL).
import type { Kysely, Migration } from 'kysely';
import type { StoreDialect } from '../schema.ts';

export function modelsMigration(_dialect: StoreDialect): Migration {
  return {
    async up(db: Kysely<unknown>) {
      if (!(await hasColumn(db, 'assessments', 'model_version')))
        await db.schema.alterTable('assessments').addColumn('model_version', 'text').execute();
      await db.schema
        .createTable('models')
        .ifNotExists()
        .addColumn('version', 'text', (column) => column.primaryKey())
        .addColumn('status', 'text', (column) => column.notNull())
        .addColumn('rule_pack_version', 'text', (column) => column.notNull())
        .addColumn('labels_before', 'bigint', (column) => column.notNull())
        .addColumn('trained_at', 'bigint', (column) => column.notNull())
        .addColumn('promoted_at', 'bigint')
        /** JSON text of the whole model (weights, features, figures). */
        .addColumn('body', 'text', (column) => column.notNull())
        .execute();
      await db.schema.createIndex('models_status').ifNotExists().on('models').columns(['status']).execute();
      await db.schema
        .createTable('decision_policies')
        .ifNotExists()
        .addColumn('version', 'integer', (column) => column.primaryKey())
        .addColumn('body', 'text', (column) => column.notNull())
        .addColumn('created_at', 'bigint', (column) => column.notNull())
        .addColumn('created_by', 'text', (column) => column.notNull())
        .addColumn('note', 'text')
        .execute();
      await db.schema
        .createTable('shadow_assessments')
        .ifNotExists()
        .addColumn('subject_id', 'text', (column) => column.notNull())
        .addColumn('candidate', 'text', (column) => column.notNull())
        .addColumn('at', 'bigint', (column) => column.notNull())
        .addColumn('live_decision', 'text', (column) => column.notNull())
        .addColumn('live_score', 'double precision', (column) => column.notNull())
        .addColumn('decision', 'text', (column) => column.notNull())
        .addColumn('score', 'double precision', (column) => column.notNull())
        .addColumn('amount_usd_minor', 'bigint')
        /** JSON text of the candidate's reasons. */
        .addColumn('reasons', 'text', (column) => column.notNull())
        .addPrimaryKeyConstraint('shadow_assessments_key', ['candidate', 'subject_id'])
        .execute();
      await db.schema
        .createIndex('shadow_assessments_at')
        .ifNotExists()
        .on('shadow_assessments')
        .columns(['candidate', 'at'])
        .execute();
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropTable('shadow_assessments').ifExists().execute();
      await db.schema.dropTable('decision_policies').ifExists().execute();
      await db.schema.dropTable('models').ifExists().execute();
    },
  };
}

async function hasColumn(db: Kysely<unknown>, table: string, column: string): Promise<boolean> {
  const tables = await db.introspection.getTables();
  return tables.some((entry) => entry.name === table && entry.columns.some((entry) => entry.name === column));
}
