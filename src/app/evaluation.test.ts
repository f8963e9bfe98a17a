import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { evaluate, formatEvaluation, toUsdReference } from './evaluation.ts';
import { type LabelRecord, parseLabelsText, readLabels } from './labels.ts';

const refund = (subjectId: string, fields: Partial<LabelRecord>): LabelRecord => ({
  subject: 'refund',
  subjectId,
  label: 'fraud',
  ...fields,
});

const LABELS: LabelRecord[] = [
  refund('rf-1', {
    scheme: 'refund_service',
    method: 'dnr',
    gangId: 'gang-1',
    amountMinor: 10_000,
    currency: 'USD',
  }),
  refund('rf-2', {
    scheme: 'refund_service',
    method: 'ftid',
    gangId: 'gang-1',
    amountMinor: 20_000,
    currency: 'EUR',
  }),
  refund('rf-3', { scheme: 'insider', method: 'dnr', gangId: 'gang-2', amountMinor: 5_000, currency: 'GBP' }),
  refund('rf-4', { label: 'legit', scheme: 'honest', method: 'return', amountMinor: 3_000, currency: 'CAD' }),
  refund('rf-5', {
    label: 'legit',
    scheme: 'honest',
    method: 'lost_parcel',
    amountMinor: 4_000,
    currency: 'USD',
  }),
  refund('rf-6', { label: 'legit', scheme: 'honest', method: 'return', amountMinor: 1_000, currency: 'USD' }),
  { subject: 'account', subjectId: 'acc-1', label: 'fraud' },
  { subject: 'agent', subjectId: 'agent-1', label: 'insider' },
];

const RESULTS: unknown[] = [
  { refundId: 'rf-1', decision: 'deny', score: 0.9, reasons: [{ code: 'x', text: 'x' }] },
  {
    refundId: 'rf-2',
    decision: 'return_first',
    score: 0.5,
    reasons: [],
    finalDecision: 'review',
    finalReasons: [],
  },
  // rf-3 is missing: it counts as approved.
  { refundId: 'rf-4', decision: 'review', score: 0.6, reasons: [], finalDecision: 'approve' },
  { refundId: 'rf-5', decision: 'return_first', score: 0.3, reasons: [] },
  { refundId: 'rf-6', decision: 'approve', score: 0.1, reasons: [] },
  { refundId: 'rf-99', decision: 'approve', score: 0.1, reasons: [] },
  { refundId: 'rf-bad', decision: 'maybe' },
];

describe('evaluate', () => {
  const evaluation = evaluate(LABELS, RESULTS);
  const fraudValue = 100 + 216 + 63.5;

  it('counts labels, results, missing, unlabelled and invalid entries', () => {
    expect(evaluation.labelledRefunds).toBe(6);
    expect(evaluation.fraudRefunds).toBe(3);
    expect(evaluation.honestRefunds).toBe(3);
    expect(evaluation.missingResults).toBe(1);
    expect(evaluation.missingSample).toEqual(['rf-3']);
    expect(evaluation.unlabelledResults).toBe(1);
    expect(evaluation.invalidResults).toBe(1);
    expect(evaluation.results).toBe(6);
  });

  it('scores decisions at request time', () => {
    const view = evaluation.atRequest;
    expect([view.truePositives, view.falsePositives, view.falseNegatives, view.trueNegatives]).toEqual([
      1, 1, 2, 2,
    ]);
    expect(view.precision).toBeCloseTo(0.5);
    expect(view.recall).toBeCloseTo(1 / 3);
    expect(view.f1).toBeCloseTo(0.4);
    expect(view.fraudValueUsd).toBeCloseTo(fraudValue);
    expect(view.stoppedValueUsd).toBeCloseTo(100);
    expect(view.stoppedValueShare).toBeCloseTo(100 / fraudValue);
    expect(view.honestFlaggedShare).toBeCloseTo(1 / 3);
    expect(view.honestNotApproved).toBe(2);
    expect(view.honestNotApprovedShare).toBeCloseTo(2 / 3);
    expect(view.decisions.approve).toEqual({ fraud: 1, honest: 1 });
    expect(view.decisions.return_first).toEqual({ fraud: 1, honest: 1 });
  });

  it('scores the final decision, falling back to the request-time one', () => {
    const view = evaluation.final;
    expect([view.truePositives, view.falsePositives, view.falseNegatives, view.trueNegatives]).toEqual([
      2, 0, 1, 3,
    ]);
    expect(view.precision).toBeCloseTo(1);
    expect(view.recall).toBeCloseTo(2 / 3);
    expect(view.f1).toBeCloseTo(0.8);
    expect(view.stoppedValueUsd).toBeCloseTo(316);
    expect(view.honestNotApproved).toBe(1);
  });

  it('reports recall and value recall per scheme and per method', () => {
    const group = (name: string) => evaluation.atRequest.groups.find((entry) => entry.group === name)!;
    const service = group('fraud scheme:refund_service');
    expect(service.refunds).toBe(2);
    expect(service.flagged).toBe(1);
    expect(service.flaggedShare).toBeCloseTo(0.5);
    expect(service.valueUsd).toBeCloseTo(316);
    expect(service.flaggedValueShare).toBeCloseTo(100 / 316);
    const insider = group('fraud scheme:insider');
    expect(insider.flaggedShare).toBe(0);
    expect(insider.notApproved).toBe(0);
    const dnr = group('fraud method:dnr');
    expect(dnr.refunds).toBe(2);
    expect(dnr.flaggedValueUsd).toBeCloseTo(100);
    const honestReturns = group('honest method:return');
    expect(honestReturns.refunds).toBe(2);
    expect(honestReturns.flaggedShare).toBeCloseTo(0.5);
    expect(group('honest method:lost_parcel').notApprovedShare).toBe(1);
  });

  it('converts with fixed reference rates', () => {
    expect(toUsdReference(10_000, 'CAD')).toBeCloseTo(73);
    expect(toUsdReference(10_000, 'EUR')).toBeCloseTo(108);
    expect(toUsdReference(10_000, 'GBP')).toBeCloseTo(127);
    expect(toUsdReference(10_000, 'JPY')).toBeCloseTo(100);
  });

  it('keeps the last of duplicate labels and has no ratios on empty input', () => {
    const twice = evaluate(
      [...LABELS, refund('rf-6', { label: 'fraud', scheme: 'refund_service', amountMinor: 1_000 })],
      RESULTS,
    );
    expect(twice.duplicateLabels).toBe(1);
    expect(twice.fraudRefunds).toBe(4);
    const empty = evaluate([], []);
    expect(empty.atRequest.precision).toBeNull();
    expect(empty.atRequest.recall).toBeNull();
    expect(formatEvaluation(empty)).toContain('precision –');
  });

  it('formats an aligned table and JSON', () => {
    const text = formatEvaluation(evaluation);
    expect(text).toContain('precision 50.0%   recall 33.3%   F1 40.0%');
    expect(text).toContain('fraud value stopped $100 of $380');
    expect(text).toContain('missing results 1 (counted as approved), e.g. rf-3');
    const rows = text.split('\n').filter((line) => line.includes('scheme refund_service'));
    expect(rows).toHaveLength(2);
    const header = text.split('\n').find((line) => line.trimStart().startsWith('group'))!;
    expect(rows[0]!.length).toBe(header.length);
    expect(JSON.parse(formatEvaluation(evaluation, { format: 'json' })).atRequest.truePositives).toBe(1);
  });
});

describe('labels', () => {
  const lines = [
    JSON.stringify({
      subject: 'refund',
      subjectId: 'rf-1',
      label: 'fraud',
      scheme: 'refund_service',
      method: 'dnr',
      amountMinor: 100,
      currency: 'USD',
    }),
    '',
    JSON.stringify({
      id: 'ev-1',
      type: 'label.set',
      time: '2026-09-01T00:00:00Z',
      data: { subject: 'refund', subjectId: 'rf-2', label: 'legit' },
    }),
    JSON.stringify({ id: 'ev-2', type: 'order.placed', time: '2026-09-01T00:00:00Z', data: {} }),
    '{not json',
    JSON.stringify({ subject: 'refund', subjectId: 'rf-3', label: 'maybe' }),
    JSON.stringify({ subject: 'refund', subjectId: 'rf-4', label: 'fraud', amountMinor: 1.5 }),
    '[1,2]',
  ];

  it('reads bare and enveloped labels and reports bad lines with their numbers', async () => {
    const result = await readLabels(lines);
    expect(result.labels.map((label) => label.subjectId)).toEqual(['rf-1', 'rf-2']);
    expect(result.labels[0]!.scheme).toBe('refund_service');
    expect(result.ignored).toBe(1);
    expect(result.problems.map((problem) => problem.line)).toEqual([5, 6, 7, 8]);
    expect(result.problems[1]!.message).toContain('label');
    expect(parseLabelsText(lines.join('\r\n'))).toEqual(result);
  });

  it('reads a file by path and rejects a missing one', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'labels-'));
    const path = join(directory, 'labels.jsonl');
    writeFileSync(path, `${lines.join('\n')}\n`);
    const result = await readLabels(path);
    expect(result.labels).toHaveLength(2);
    expect(result.problems).toHaveLength(4);
    await expect(readLabels(join(directory, 'missing.jsonl'))).rejects.toThrow(/ENOENT/);
  });
});
