// NDJSON (JSON Lines) bodies: one event per line. A line that is not JSON is reported with its line
// number and the others still go in; blank lines are skipped.
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

export function parseNdjson(text: string): NdjsonRecords {
  const records: NdjsonRecords = {
    received: 0,
    items: [],
    lineNumbers: [],
    recordIndexes: [],
    unreadable: [],
  };
  const lines = (text.charCodeAt(0) === 0xfeff ? text.slice(1) : text).split('\n');
  lines.forEach((raw, position) => {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line.trim() === '') return;
    const index = records.received++;
    const lineNumber = position + 1;
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
