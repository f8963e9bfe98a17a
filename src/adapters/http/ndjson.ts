// NDJSON (JSON Lines) bodies: one event per line. A line that is not JSON is reported with its line
// number and the others still go in; blank lines are skipped.
import { isUtf8 } from 'node:buffer';
import type { RejectedEvent } from '../../app/ingest-batch.ts';

export const NDJSON_CONTENT_TYPES = ['application/x-ndjson', 'application/jsonl', 'application/x-jsonlines'];

export interface NdjsonRecords {
  /** Non-blank lines seen. */
  received: number;
  /** Values of the lines that parsed as JSON. */
  items: unknown[];
  /** 1-based line number of each item. */
  lineNumbers: number[];
  /** Position of each item among the non-blank lines (the index reported for rejections). */
  recordIndexes: number[];
  /** Lines that are not JSON. */
  unreadable: RejectedEvent[];
}

/** The body's lines; a line that is not UTF-8 is undefined (refused on its own, not replaced). */
function linesOf(body: string | Buffer): (string | undefined)[] {
  if (typeof body === 'string') return body.split('\n');
  if (isUtf8(body)) return body.toString('utf8').split('\n');
  const lines: (string | undefined)[] = [];
  let start = 0;
  for (let end = body.indexOf(0x0a); ; end = body.indexOf(0x0a, start)) {
    const bytes = body.subarray(start, end === -1 ? body.length : end);
    lines.push(isUtf8(bytes) ? bytes.toString('utf8') : undefined);
    if (end === -1) return lines;
    start = end + 1;
  }
}

export function parseNdjson(body: string | Buffer): NdjsonRecords {
  const records: NdjsonRecords = {
    received: 0,
    items: [],
    lineNumbers: [],
    recordIndexes: [],
    unreadable: [],
  };
  const lines = linesOf(body);
  if (lines[0]?.charCodeAt(0) === 0xfeff) lines[0] = lines[0].slice(1);
  lines.forEach((raw, position) => {
    const lineNumber = position + 1;
    if (raw === undefined) {
      records.unreadable.push({
        index: records.received++,
        line: lineNumber,
        problems: [{ field: '(root)', reason: 'the line is not valid UTF-8' }],
      });
      return;
    }
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line.trim() === '') return;
    const index = records.received++;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error) {
      records.unreadable.push({
        index,
        line: lineNumber,
        problems: [{ field: '(root)', reason: `is not valid JSON (${(error as Error).message})` }],
      });
      return;
    }
    records.items.push(value);
    records.lineNumbers.push(lineNumber);
    records.recordIndexes.push(index);
  });
  return records;
}
