// JSON Lines files (optionally gzipped), read as a stream with line numbers so a bad line can
// be reported precisely while the rest goes on.

import { isUtf8 } from 'node:buffer';
import { once } from 'node:events';
import { createReadStream, createWriteStream, statSync } from 'node:fs';
import { createGunzip } from 'node:zlib';

/** A line read: its number, and its value and text, or why it is not JSON. */
export type JsonLine = { line: number; value: unknown; text: string } | { line: number; error: string };

export interface JsonLinesReader {
  /** The non-blank lines, one by one. Iterate this or `chunks`, not both. */
  lines: AsyncIterable<JsonLine>;
  /** The same lines, as arrays of those read at once (up to a megabyte): cheaper for bulk readers. */
  chunks: AsyncIterable<JsonLine[]>;
  /** Bytes of the file read so far (compressed bytes for .gz), for progress. */
  bytesRead: () => number;
  totalBytes: number;
}

const CHUNK_BYTES = 1 << 20;
const NEWLINE = 0x0a;

export function readJsonLines(path: string): JsonLinesReader {
  const file = createReadStream(path, { highWaterMark: CHUNK_BYTES });
  const input: AsyncIterable<Buffer> = path.endsWith('.gz') ? file.pipe(createGunzip()) : file;
  // Split as bytes, each line decoded on its own: a whole chunk decoded at once becomes a slower
  // two-byte string as soon as one line in it has a non-ASCII character. node:readline and one
  // promise per line cost about as much as JSON.parse here.
  async function* chunks(): AsyncGenerator<JsonLine[]> {
    let line = 0;
    let entries: JsonLine[] = [];
    const addLine = (piece: string, utf8: boolean) => {
      line += 1;
      if (!utf8) {
        entries.push({ line, error: 'not valid UTF-8' });
        return;
      }
      if (piece.trim() === '') return;
      try {
        entries.push({ line, value: JSON.parse(piece), text: piece });
      } catch (error) {
        entries.push({ line, error: `not valid JSON: ${(error as Error).message}` });
      }
    };
    const add = (bytes: Buffer, start: number, end: number) => {
      const text = bytes.toString('utf8', start, end);
      // Decoding replaces bad bytes with U+FFFD: only a line that has one is checked byte by byte.
      const utf8 = text.indexOf('\uFFFD') === -1 || isUtf8(bytes.subarray(start, end));
      // Almost every line has no carriage return: no array of pieces for it.
      if (text.indexOf('\r') === -1) addLine(text, utf8);
      else for (const piece of splitCarriageReturns(text)) addLine(piece, utf8);
    };
    /** The start of a line that continues in the next chunk. */
    let partial: Buffer[] = [];
    for await (const chunk of input) {
      let start = 0;
      for (let end = chunk.indexOf(NEWLINE); end !== -1; end = chunk.indexOf(NEWLINE, start)) {
        if (partial.length > 0) {
          const joined = Buffer.concat([...partial, chunk.subarray(0, end)]);
          add(joined, 0, joined.length);
          partial = [];
        } else add(chunk, start, end);
        start = end + 1;
      }
      if (start < chunk.length) partial.push(chunk.subarray(start));
      if (entries.length > 0) {
        yield entries;
        entries = [];
      }
    }
    if (partial.length > 0) {
      const joined = Buffer.concat(partial);
      add(joined, 0, joined.length);
    }
    if (entries.length > 0) yield entries;
  }
  async function* lines(): AsyncGenerator<JsonLine> {
    for await (const entries of chunks()) yield* entries;
  }
  return {
    lines: lines(),
    chunks: chunks(),
    bytesRead: () => file.bytesRead,
    totalBytes: statSync(path).size,
  };
}

/** Line breaks are \n, \r\n or a lone \r, as node:readline has them. */
function splitCarriageReturns(text: string): string[] {
  const cr = text.indexOf('\r');
  if (cr === -1) return [text];
  if (cr === text.length - 1) return [text.slice(0, cr)];
  return text.replace(/\r$/, '').split('\r');
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
