// JSON Lines files (optionally gzipped), read as a stream with line numbers so a bad line can
// be reported precisely while the rest goes on.
import { createReadStream, createWriteStream, statSync } from 'node:fs';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';

export type JsonLine = { line: number; value: unknown } | { line: number; error: string };

export interface JsonLinesReader {
  lines: AsyncIterable<JsonLine>;
  /** Bytes of the file read so far (compressed bytes for .gz), for progress. */
  bytesRead: () => number;
  totalBytes: number;
}

export function readJsonLines(path: string): JsonLinesReader {
  const file = createReadStream(path);
  const input = path.endsWith('.gz') ? file.pipe(createGunzip()) : file;
  const reader = createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY });
  async function* lines(): AsyncIterable<JsonLine> {
    let line = 0;
    for await (const text of reader) {
      line += 1;
      if (text.trim() === '') continue;
      try {
        yield { line, value: JSON.parse(text) };
      } catch (error) {
        yield { line, error: `not valid JSON: ${(error as Error).message}` };
      }
    }
  }
  return { lines: lines(), bytesRead: () => file.bytesRead, totalBytes: statSync(path).size };
}

/** Writes one JSON object per line, waiting for the stream when it is full. */
export async function writeJsonLines(path: string, rows: Iterable<unknown>): Promise<number> {
  const out = createWriteStream(path);
  let count = 0;
  for (const row of rows) {
    if (!out.write(`${JSON.stringify(row)}\n`)) await once(out, 'drain');
    count += 1;
  }
  out.end();
  await once(out, 'finish');
  return count;
}
