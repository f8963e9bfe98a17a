// Ground-truth labels: `label.set` payloads with extension fields saying which scheme and
// method a fraudulent refund belongs to, which gang ran it and how much it was for.
// A labels file holds one per line, either bare or wrapped in a contract envelope.
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';
import { z } from 'zod';
import { labelSetSchema } from '../core/events.ts';

/** Schemes the simulator writes; other labellers may use other names. */
export const LABEL_SCHEMES = ['refund_service', 'insider', 'ban_evasion', 'honest'] as const;
export type LabelScheme = (typeof LABEL_SCHEMES)[number];

/** Methods the simulator writes for refunds (fraudulent and honest). */
export const LABEL_METHODS = [
  'dnr',
  'empty_box',
  'missing_item',
  'ftid',
  'boxing',
  'wrong_item',
  'lost_parcel',
  'return',
  'returnless',
] as const;
export type LabelMethod = (typeof LABEL_METHODS)[number];

/**
 * One label line. `scheme` and `method` are open strings so that labels written by others
 * still load; known values are listed in LABEL_SCHEMES and LABEL_METHODS.
 */
export const labelRecordSchema = labelSetSchema.extend({
  scheme: z.string().min(1).optional(),
  method: z.string().min(1).optional(),
  gangId: z.string().min(1).optional(),
  amountMinor: z.number().int().nonnegative().optional(),
  currency: z
    .string()
    .regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as USD')
    .optional(),
  accountId: z.string().optional(),
  orderId: z.string().optional(),
});
export type LabelRecord = z.infer<typeof labelRecordSchema>;

export interface LineProblem {
  /** 1-based line number in the input. */
  line: number;
  message: string;
}

export interface LabelReadResult {
  labels: LabelRecord[];
  problems: LineProblem[];
  /** Envelopes of other event types (e.g. a whole events file was given), skipped on purpose. */
  ignored: number;
}

type ParsedLine =
  | { kind: 'label'; label: LabelRecord }
  | { kind: 'ignored' }
  | { kind: 'problem'; message: string };

/** Parses one non-empty line: a bare label or a `{id, type: "label.set", time, data}` envelope. */
export function parseLabelLine(text: string): ParsedLine {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { kind: 'problem', message: `not valid JSON (${(error as Error).message})` };
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return { kind: 'problem', message: 'a label line must be a JSON object' };
  }
  let payload: unknown = value;
  const record = value as Record<string, unknown>;
  if (typeof record.type === 'string' && 'data' in record) {
    if (record.type !== 'label.set') return { kind: 'ignored' };
    payload = record.data;
  }
  const parsed = labelRecordSchema.safeParse(payload);
  if (!parsed.success) {
    const message = parsed.error.issues
      .map((issue) => `${issue.path.map(String).join('.') || '(root)'}: ${issue.message}`)
      .join('; ');
    return { kind: 'problem', message };
  }
  return { kind: 'label', label: parsed.data };
}

/** Lines of a file (`.gz` is decompressed), read as a stream. */
function fileLines(path: string): AsyncIterable<string> {
  const file = createReadStream(path);
  const input = path.endsWith('.gz') ? file.pipe(createGunzip()) : file;
  return createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY });
}

/**
 * Reads labels from a file path (a string; `.jsonl` or `.jsonl.gz`) or from lines (any
 * iterable of strings, e.g. `text.split('\n')`). Bad lines are reported with their 1-based
 * line number and skipped; reading always goes on. A missing file rejects.
 */
export async function readLabels(
  source: string | Iterable<string> | AsyncIterable<string>,
): Promise<LabelReadResult> {
  const lines = typeof source === 'string' ? fileLines(source) : source;
  const result: LabelReadResult = { labels: [], problems: [], ignored: 0 };
  let lineNumber = 0;
  for await (const raw of lines) {
    lineNumber++;
    collect(result, raw, lineNumber);
  }
  return result;
}

/** The same as `readLabels` for text already in memory. */
export function parseLabelsText(text: string): LabelReadResult {
  const result: LabelReadResult = { labels: [], problems: [], ignored: 0 };
  text.split(/\r?\n/).forEach((raw, index) => {
    collect(result, raw, index + 1);
  });
  return result;
}

function collect(result: LabelReadResult, raw: string, lineNumber: number): void {
  const text = raw.trim();
  if (text === '') return;
  const parsed = parseLabelLine(text);
  if (parsed.kind === 'label') result.labels.push(parsed.label);
  else if (parsed.kind === 'ignored') result.ignored++;
  else result.problems.push({ line: lineNumber, message: parsed.message });
}

/** Refund labels count as fraud unless they say `legit`. */
export function isFraudLabel(label: LabelRecord): boolean {
  return label.label !== 'legit';
}
