// Bulk statements for PostgreSQL. A batch travels as ONE JSON text parameter expanded by
// json_to_recordset: node-postgres serialises array parameters (unnest) about 30x slower
// than JSON.stringify, which made that the bottleneck of writing a batch.
import type { EventRow } from './rows.ts';
import type { AssessmentTable } from './schema.ts';

type Column<Row> = readonly [name: keyof Row & string, postgresType: string];

const EVENT_COLUMNS: readonly Column<EventRow>[] = [
  ['id', 'text'],
  ['type', 'text'],
  ['time', 'text'],
  ['at', 'int8'],
  ['account_id', 'text'],
  ['subject_id', 'text'],
  ['payload', 'text'],
];

const ASSESSMENT_KEY = ['subject_type', 'subject_id', 'kind'];
const ASSESSMENT_COLUMNS: readonly Column<AssessmentTable>[] = [
  ['subject_type', 'text'],
  ['subject_id', 'text'],
  ['kind', 'text'],
  ['account_id', 'text'],
  ['at', 'int8'],
  ['decision', 'text'],
  ['score', 'float8'],
  ['reasons', 'text'],
  ['signals', 'text'],
  ['rule_pack_version', 'text'],
  ['model_version', 'text'],
  ['amount_minor', 'int8'],
  ['currency', 'text'],
  ['amount_usd_minor', 'int8'],
  ['created_at', 'int8'],
];

function names<Row>(columns: readonly Column<Row>[]): string {
  return columns.map(([name]) => name).join(', ');
}

/** The `$1` JSON array of row objects as a table, with each row's position in the batch. */
function batchTable<Row>(columns: readonly Column<Row>[]): string {
  const definitions = columns.map(([name, type]) => `${name} ${type}`).join(', ');
  return `ROWS FROM (json_to_recordset($1::json) AS (${definitions}))
    WITH ORDINALITY AS batch(${names(columns)}, position)`;
}

/** Ordered by position so that seq follows the batch's order. Its row count is the number inserted. */
export const INSERT_EVENTS = `
  INSERT INTO events (${names(EVENT_COLUMNS)})
  SELECT ${names(EVENT_COLUMNS)} FROM ${batchTable(EVENT_COLUMNS)}
  ORDER BY position
  ON CONFLICT (id) DO NOTHING`;

const ASSESSMENT_CHANGES = ASSESSMENT_COLUMNS.map(([name]) => name)
  .filter((name) => !ASSESSMENT_KEY.includes(name))
  .map((name) => `${name} = excluded.${name}`)
  .join(', ');

export const UPSERT_ASSESSMENTS = `
  INSERT INTO assessments (${names(ASSESSMENT_COLUMNS)})
  SELECT ${names(ASSESSMENT_COLUMNS)} FROM ${batchTable(ASSESSMENT_COLUMNS)}
  ON CONFLICT (${ASSESSMENT_KEY.join(', ')}) DO UPDATE SET ${ASSESSMENT_CHANGES}`;

/** The rows' keys are the column names, which is what json_to_recordset matches on. */
export function batchParameter(rows: readonly EventRow[] | readonly AssessmentTable[]): [string] {
  return [JSON.stringify(rows)];
}
