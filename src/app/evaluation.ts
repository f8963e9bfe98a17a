// Scores refund decisions (replay's refunds.jsonl) against ground-truth labels.
//
// Definitions:
// - A refund is *flagged* when its decision is `review` or `deny`. `return_first` is not a
//   flag: it still pays out once a return is scanned, which is exactly what FTID defeats.
// - A label counts as fraud unless it says `legit`.
// - Precision, recall and F1 are reported overall. Per scheme and per method we report
//   recall (share of that group's refunds flagged) and value recall (share of its USD value
//   flagged), not precision: a flagged honest refund belongs to no scheme, so a per-scheme
//   precision would either ignore false alarms or charge every scheme with all of them.
// - For honest groups the flagged share is the false-alarm rate; "not approved" also counts
//   `return_first` (an honest customer asked to send the item back first is bothered too).
// - Amounts are converted to USD with fixed reference rates (USD 1, CAD 0.73, EUR 1.08,
//   GBP 1.27, anything else 1), so results compare across runs and currencies.
// - Every figure is computed twice: on `decision` (at request time) and on
//   `finalDecision ?? decision` (as of the end of the replay).
// - A labelled refund with no result counts as approved and is reported as missing.
import { z } from 'zod';
import { DECISIONS, type Decision } from '../core/decisions.ts';
import { isFraudLabel, type LabelRecord } from './labels.ts';

export const USD_REFERENCE_RATES: Readonly<Record<string, number>> = {
  USD: 1,
  CAD: 0.73,
  EUR: 1.08,
  GBP: 1.27,
};

export function toUsdReference(amountMinor: number, currency: string | undefined): number {
  return (amountMinor / 100) * (USD_REFERENCE_RATES[currency ?? 'USD'] ?? 1);
}

const reasonSchema = z.looseObject({ code: z.string(), text: z.string().optional() });

/** One line of replay's refunds.jsonl (extra fields are allowed). */
export const refundResultSchema = z.looseObject({
  refundId: z.string().min(1),
  decision: z.enum(DECISIONS),
  score: z.number().optional(),
  reasons: z.array(reasonSchema).optional(),
  finalDecision: z.enum(DECISIONS).optional(),
  finalReasons: z.array(reasonSchema).optional(),
});
export type RefundResult = z.infer<typeof refundResultSchema>;

export interface GroupFigures {
  /** `fraud`, `honest`, or `scheme:<name>` / `method:<name>` within one of them. */
  group: string;
  fraud: boolean;
  refunds: number;
  flagged: number;
  /** Flagged share: recall for fraud groups, false-alarm rate for honest groups. */
  flaggedShare: number | null;
  notApproved: number;
  notApprovedShare: number | null;
  valueUsd: number;
  flaggedValueUsd: number;
  /** Flagged share of the value: value recall for fraud groups. */
  flaggedValueShare: number | null;
}

export interface ViewFigures {
  /** True positives: fraud refunds flagged. */
  truePositives: number;
  falsePositives: number;
  falseNegatives: number;
  trueNegatives: number;
  precision: number | null;
  recall: number | null;
  f1: number | null;
  fraudValueUsd: number;
  /** Fraud value stopped: USD value of flagged fraud refunds. */
  stoppedValueUsd: number;
  stoppedValueShare: number | null;
  honestRefunds: number;
  honestFlaggedShare: number | null;
  honestNotApproved: number;
  honestNotApprovedShare: number | null;
  /** How many fraud and honest refunds got each decision. */
  decisions: Record<Decision, { fraud: number; honest: number }>;
  groups: GroupFigures[];
}

export interface Evaluation {
  labelledRefunds: number;
  fraudRefunds: number;
  honestRefunds: number;
  results: number;
  /** Labelled refunds with no result: counted as approved. */
  missingResults: number;
  missingSample: string[];
  /** Results for refunds that have no label: left out of every figure. */
  unlabelledResults: number;
  /** Results that are not valid refund results: left out. */
  invalidResults: number;
  invalidSample: string[];
  /** Refund labels given more than once: the last one counts. */
  duplicateLabels: number;
  atRequest: ViewFigures;
  final: ViewFigures;
  /**
   * At request time, except returns abuse (fake tracking, boxing) on its final decision: such a
   * return looks like any other when it is asked for, and is caught when it comes back.
   */
  atRequestReturnsFinal: ViewFigures;
  notes: string[];
}

const NOTES = [
  'flagged = decision review or deny; return_first is not a flag',
  'precision is overall only; per scheme and method: recall and value recall',
  'honest rows: flagged % is the false-alarm rate; not approved counts return_first, review and deny',
  'USD at fixed reference rates: CAD 0.73, EUR 1.08, GBP 1.27, others 1',
  'labelled refunds missing from the results count as approved',
];

/** Methods of returns abuse: decided for good when the return is scanned, not when it is asked for. */
export const RETURNS_ABUSE_METHODS: ReadonlySet<string> = new Set(['ftid', 'boxing', 'wrong_item']);

function ratio(part: number, whole: number): number | null {
  return whole === 0 ? null : part / whole;
}

function flaggedDecision(decision: Decision): boolean {
  return decision === 'review' || decision === 'deny';
}

interface Row {
  label: LabelRecord;
  fraud: boolean;
  valueUsd: number;
  atRequest: Decision;
  final: Decision;
}

function emptyGroup(group: string, fraud: boolean): GroupFigures {
  return {
    group,
    fraud,
    refunds: 0,
    flagged: 0,
    flaggedShare: null,
    notApproved: 0,
    notApprovedShare: null,
    valueUsd: 0,
    flaggedValueUsd: 0,
    flaggedValueShare: null,
  };
}

function view(rows: Row[], pick: (row: Row) => Decision): ViewFigures {
  const decisions = Object.fromEntries(
    DECISIONS.map((decision) => [decision, { fraud: 0, honest: 0 }]),
  ) as ViewFigures['decisions'];
  const groups = new Map<string, GroupFigures>();
  const order: string[] = [];
  const group = (name: string, fraud: boolean): GroupFigures => {
    let figures = groups.get(name);
    if (!figures) {
      figures = emptyGroup(name, fraud);
      groups.set(name, figures);
      order.push(name);
    }
    return figures;
  };
  group('fraud', true);
  let truePositives = 0;
  let falsePositives = 0;
  let falseNegatives = 0;
  let trueNegatives = 0;
  for (const row of rows) {
    const decision = pick(row);
    const flagged = flaggedDecision(decision);
    decisions[decision][row.fraud ? 'fraud' : 'honest']++;
    if (row.fraud && flagged) truePositives++;
    else if (row.fraud) falseNegatives++;
    else if (flagged) falsePositives++;
    else trueNegatives++;
    const kind = row.fraud ? 'fraud' : 'honest';
    const names = [kind, `${kind} scheme:${row.label.scheme ?? (row.fraud ? 'unknown' : 'honest')}`];
    names.push(`${kind} method:${row.label.method ?? 'unknown'}`);
    for (const name of names) {
      const figures = group(name, row.fraud);
      figures.refunds++;
      figures.valueUsd += row.valueUsd;
      if (flagged) {
        figures.flagged++;
        figures.flaggedValueUsd += row.valueUsd;
      }
      if (decision !== 'approve') figures.notApproved++;
    }
  }
  group('honest', false);
  const sorted = [...order].sort((left, right) => rank(left) - rank(right) || left.localeCompare(right));
  const figures = sorted.map((name) => {
    const entry = groups.get(name)!;
    entry.flaggedShare = ratio(entry.flagged, entry.refunds);
    entry.notApprovedShare = ratio(entry.notApproved, entry.refunds);
    entry.flaggedValueShare = ratio(entry.flaggedValueUsd, entry.valueUsd);
    return entry;
  });
  const fraud = groups.get('fraud')!;
  const honest = groups.get('honest')!;
  const precision = ratio(truePositives, truePositives + falsePositives);
  const recall = ratio(truePositives, truePositives + falseNegatives);
  const f1 =
    precision !== null && recall !== null && precision + recall > 0
      ? (2 * precision * recall) / (precision + recall)
      : null;
  return {
    truePositives,
    falsePositives,
    falseNegatives,
    trueNegatives,
    precision,
    recall,
    f1,
    fraudValueUsd: fraud.valueUsd,
    stoppedValueUsd: fraud.flaggedValueUsd,
    stoppedValueShare: ratio(fraud.flaggedValueUsd, fraud.valueUsd),
    honestRefunds: honest.refunds,
    honestFlaggedShare: ratio(honest.flagged, honest.refunds),
    honestNotApproved: honest.notApproved,
    honestNotApprovedShare: ratio(honest.notApproved, honest.refunds),
    decisions,
    groups: figures,
  };
}

/** Table order: fraud, its schemes, its methods, honest, its methods. */
function rank(name: string): number {
  if (name === 'fraud') return 0;
  if (name.startsWith('fraud scheme:')) return 1;
  if (name.startsWith('fraud method:')) return 2;
  if (name === 'honest') return 3;
  if (name.startsWith('honest scheme:')) return 4;
  return 5;
}

/**
 * Scores results against labels. `results` may be raw parsed JSON lines: invalid entries are
 * counted and left out. Only refund labels are used.
 */
export function evaluate(labels: readonly LabelRecord[], results: readonly unknown[]): Evaluation {
  const byRefund = new Map<string, LabelRecord>();
  let duplicateLabels = 0;
  for (const label of labels) {
    if (label.subject !== 'refund') continue;
    if (byRefund.has(label.subjectId)) duplicateLabels++;
    byRefund.set(label.subjectId, label);
  }
  const resultById = new Map<string, RefundResult>();
  let invalidResults = 0;
  const invalidSample: string[] = [];
  results.forEach((raw, index) => {
    const parsed = refundResultSchema.safeParse(raw);
    if (!parsed.success) {
      invalidResults++;
      if (invalidSample.length < 5) {
        const issue = parsed.error.issues[0];
        invalidSample.push(
          `#${index + 1}: ${issue ? `${issue.path.join('.') || '(root)'}: ${issue.message}` : 'invalid'}`,
        );
      }
      return;
    }
    resultById.set(parsed.data.refundId, parsed.data);
  });
  let unlabelledResults = 0;
  for (const refundId of resultById.keys()) if (!byRefund.has(refundId)) unlabelledResults++;
  const rows: Row[] = [];
  let missingResults = 0;
  const missingSample: string[] = [];
  for (const [refundId, label] of byRefund) {
    const result = resultById.get(refundId);
    if (!result) {
      missingResults++;
      if (missingSample.length < 10) missingSample.push(refundId);
    }
    const atRequest = result?.decision ?? 'approve';
    rows.push({
      label,
      fraud: isFraudLabel(label),
      valueUsd: toUsdReference(label.amountMinor ?? 0, label.currency),
      atRequest,
      final: result?.finalDecision ?? atRequest,
    });
  }
  const fraudRefunds = rows.filter((row) => row.fraud).length;
  return {
    labelledRefunds: rows.length,
    fraudRefunds,
    honestRefunds: rows.length - fraudRefunds,
    results: resultById.size,
    missingResults,
    missingSample,
    unlabelledResults,
    invalidResults,
    invalidSample,
    duplicateLabels,
    atRequest: view(rows, (row) => row.atRequest),
    final: view(rows, (row) => row.final),
    atRequestReturnsFinal: view(rows, (row) =>
      RETURNS_ABUSE_METHODS.has(row.label.method ?? '') ? row.final : row.atRequest,
    ),
    notes: NOTES,
  };
}

// --- Formatting ----------------------------------------------------------------------------

function percent(value: number | null): string {
  return value === null ? '–' : `${(value * 100).toFixed(1)}%`;
}

function whole(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}

function usd(value: number): string {
  return `$${whole(value)}`;
}

/** A plain-text table: the first `leftColumns` columns left-aligned, the others right-aligned (figures). */
export function table(header: string[], rows: string[][], leftColumns = 1): string[] {
  const widths = header.map((cell, column) =>
    Math.max(cell.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const render = (row: string[]) =>
    row
      .map((cell, column) =>
        column < leftColumns ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!),
      )
      .join('  ')
      .trimEnd();
  return [render(header), widths.map((width) => '─'.repeat(width)).join('  '), ...rows.map(render)];
}

function groupLabel(name: string): string {
  if (name === 'fraud') return 'fraud (all)';
  if (name === 'honest') return 'honest (all)';
  return `  ${name.replace(/^(fraud|honest) /, '').replace(':', ' ')}`;
}

function formatView(title: string, figures: ViewFigures): string[] {
  const lines = [
    title,
    `  precision ${percent(figures.precision)}   recall ${percent(figures.recall)}   F1 ${percent(figures.f1)}   (TP ${whole(figures.truePositives)}, FP ${whole(figures.falsePositives)}, FN ${whole(figures.falseNegatives)}, TN ${whole(figures.trueNegatives)})`,
    `  fraud value stopped ${usd(figures.stoppedValueUsd)} of ${usd(figures.fraudValueUsd)} (${percent(figures.stoppedValueShare)})`,
    `  honest refunds flagged ${percent(figures.honestFlaggedShare)}, not approved ${percent(figures.honestNotApprovedShare)} (${whole(figures.honestNotApproved)} of ${whole(figures.honestRefunds)})`,
    '',
  ];
  const header = [
    'group',
    'refunds',
    'flagged',
    'flagged %',
    'not approved %',
    'value USD',
    'flagged USD',
    'value %',
  ];
  const rows = figures.groups
    .filter((group) => group.group !== 'honest scheme:honest')
    .map((group) => [
      groupLabel(group.group),
      whole(group.refunds),
      whole(group.flagged),
      percent(group.flaggedShare),
      percent(group.notApprovedShare),
      whole(group.valueUsd),
      whole(group.flaggedValueUsd),
      percent(group.flaggedValueShare),
    ]);
  lines.push(...table(header, rows).map((line) => `  ${line}`), '');
  const decisionRows = DECISIONS.map((decision) => [
    decision,
    whole(figures.decisions[decision].fraud),
    whole(figures.decisions[decision].honest),
  ]);
  lines.push(...table(['decision', 'fraud', 'honest'], decisionRows).map((line) => `  ${line}`));
  return lines;
}

export interface FormatOptions {
  format?: 'text' | 'json';
}

/** A readable aligned report (default) or pretty JSON. */
export function formatEvaluation(evaluation: Evaluation, options: FormatOptions = {}): string {
  if (options.format === 'json') return JSON.stringify(evaluation, null, 2);
  const lines = [
    'Refund decisions against labels',
    `  labelled refunds ${whole(evaluation.labelledRefunds)} (${whole(evaluation.fraudRefunds)} fraud, ${whole(evaluation.honestRefunds)} honest); results ${whole(evaluation.results)}`,
    `  missing results ${whole(evaluation.missingResults)} (counted as approved)${evaluation.missingSample.length > 0 ? `, e.g. ${evaluation.missingSample.slice(0, 3).join(', ')}` : ''}; unlabelled results ${whole(evaluation.unlabelledResults)}; invalid results ${whole(evaluation.invalidResults)}; duplicate labels ${whole(evaluation.duplicateLabels)}`,
    '',
    ...formatView('At request (decision)', evaluation.atRequest),
    '',
    ...formatView('Final (finalDecision ?? decision)', evaluation.final),
    '',
    'Notes:',
    ...evaluation.notes.map((note) => `  - ${note}`),
  ];
  if (evaluation.invalidSample.length > 0)
    lines.push('Invalid results:', ...evaluation.invalidSample.map((entry) => `  ${entry}`));
  return lines.join('\n');
}
