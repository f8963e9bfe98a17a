// `refundguard import FILE`: streams a JSON Lines file into the store in transactional batches.
// A crash loses nothing committed and a re-run skips what is already stored (ids are idempotent).
import type { RejectedEvent, RiskEngine } from '../../app/engine.ts';
import { readJsonLines } from '../files/json-lines.ts';
import type { Progress } from './progress.ts';

export interface ImportSummary {
  lines: number;
  inserted: number;
  duplicates: number;
  assessed: number;
  rejected: RejectedEvent[];
  seconds: number;
}

const BATCH = 5_000;

export async function importFile(
  engine: RiskEngine,
  path: string,
  progress?: Progress,
): Promise<ImportSummary> {
  const reader = readJsonLines(path);
  const started = performance.now();
  const summary: ImportSummary = {
    lines: 0,
    inserted: 0,
    duplicates: 0,
    assessed: 0,
    rejected: [],
    seconds: 0,
  };
  let items: unknown[] = [];
  let lineNumbers: number[] = [];
  const flush = async () => {
    if (items.length === 0) return;
    const result = await engine.ingest(items, lineNumbers);
    summary.inserted += result.inserted;
    summary.duplicates += result.duplicates;
    summary.assessed += result.assessed;
    summary.rejected.push(...result.rejected);
    items = [];
    lineNumbers = [];
    progress?.update(reader.bytesRead(), reader.totalBytes);
  };
  for await (const entry of reader.lines) {
    summary.lines += 1;
    if ('error' in entry) {
      summary.rejected.push({
        index: entry.line - 1,
        line: entry.line,
        problems: [{ field: '(line)', reason: entry.error }],
      });
      continue;
    }
    items.push(entry.value);
    lineNumbers.push(entry.line);
    if (items.length >= BATCH) await flush();
  }
  await flush();
  progress?.update(reader.totalBytes, reader.totalBytes);
  progress?.stop();
  summary.seconds = (performance.now() - started) / 1000;
  return summary;
}
