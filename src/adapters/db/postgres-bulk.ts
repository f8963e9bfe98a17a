// Bulk statements for PostgreSQL: one array parameter per column, expanded by unnest, so a
// batch of thousands of rows is a single statement with a fixed text (planned once).
import type { AssessmentTable } from './schema.ts';
import type { EventRow } from './rows.ts';

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
  ['amount_minor', 'int8'],
  ['currency', 'text'],
  ['amount_usd_minor', 'int8'],
  ['created_at', 'int8'],
];

function names<Row>(columns: readonly Column<Row>[]): string {
  return columns.map(([name]) => name).join(', ');
}

function unnestArguments<Row>(columns: readonly Column<Row>[]): string {
  return columns.map(([, type], index) => `$${index + 1}::${type}[]`).join(', ');
}

/** `WITH ORDINALITY ... ORDER BY` makes seq follow the batch's order. Returns the ids inserted. */
export const INSERT_EVENTS = `
  INSERT INTO events (${names(EVENT_COLUMNS)})
  SELECT ${names(EVENT_COLUMNS)}
  FROM unnest(${unnestArguments(EVENT_COLUMNS)}) WITH ORDINALITY AS batch(${names(EVENT_COLUMNS)}, position)
  ORDER BY position
  ON CONFLICT (id) DO NOTHING
  RETURNING id`;

const ASSESSMENT_CHANGES = ASSESSMENT_COLUMNS.map(([name]) => name)
  .filter((name) => !ASSESSMENT_KEY.includes(name))
  .map((name) => `${name} = excluded.${name}`)
  .join(', ');

export const UPSERT_ASSESSMENTS = `
  INSERT INTO assessments (${names(ASSESSMENT_COLUMNS)})
  SELECT * FROM unnest(${unnestArguments(ASSESSMENT_COLUMNS)})
  ON CONFLICT (${ASSESSMENT_KEY.join(', ')}) DO UPDATE SET ${ASSESSMENT_CHANGES}`;

function columnArrays<Row>(rows: readonly Row[], columns: readonly Column<Row>[]): unknown[][] {
  return columns.map(([name]) => rows.map((row) => row[name]));
}

export function eventParameters(rows: readonly EventRow[]): unknown[][] {
  return columnArrays(rows, EVENT_COLUMNS);
}

export function assessmentParameters(rows: readonly AssessmentTable[]): unknown[][] {
  return columnArrays(rows, ASSESSMENT_COLUMNS);
}
