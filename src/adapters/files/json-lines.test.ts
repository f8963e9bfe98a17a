import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { type JsonLine, readJsonLines, writeJsonLines } from './json-lines.ts';

const dir = mkdtempSync(join(tmpdir(), 'refundguard-jsonl-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function collect(lines: AsyncIterable<JsonLine>): Promise<JsonLine[]> {
  const all: JsonLine[] = [];
  for await (const entry of lines) all.push(entry);
  return all;
}

async function collectChunks(chunks: AsyncIterable<JsonLine[]>): Promise<JsonLine[]> {
  const all: JsonLine[] = [];
  for await (const entries of chunks) all.push(...entries);
  return all;
}

describe('JSON Lines files', () => {
  it('numbers every line, skips blank ones and reports bad JSON by line; \\r\\n and lone \\r break lines too', async () => {
    const path = join(dir, 'mixed.jsonl');
    writeFileSync(path, '{"a":1}\r\n\n   \n{"b":2}\rnot json\n{"c":"ü 🚚"}');
    const expected = [
      { line: 1, value: { a: 1 }, text: '{"a":1}' },
      { line: 4, value: { b: 2 }, text: '{"b":2}' },
      { line: 5, error: expect.stringMatching(/^not valid JSON: /) },
      { line: 6, value: { c: 'ü 🚚' }, text: '{"c":"ü 🚚"}' },
    ];
    expect(await collect(readJsonLines(path).lines)).toEqual(expected);
    expect(await collectChunks(readJsonLines(path).chunks)).toEqual(expected);
  });

  it('reports a line that is not UTF-8 by number instead of replacing its bytes; a real U+FFFD is kept', async () => {
    const path = join(dir, 'bytes.jsonl');
    writeFileSync(
      path,
      Buffer.concat([
        Buffer.from('{"a":"ok"}\n{"b":"'),
        Buffer.from([0xc3, 0x28]),
        Buffer.from('"}\n{"c":"\uFFFD"}\n'),
      ]),
    );
    expect(await collect(readJsonLines(path).lines)).toEqual([
      { line: 1, value: { a: 'ok' }, text: '{"a":"ok"}' },
      { line: 2, error: 'not valid UTF-8' },
      { line: 3, value: { c: '\uFFFD' }, text: '{"c":"\uFFFD"}' },
    ]);
  });

  it('reads lines and multi-byte characters that straddle chunks, and gzipped files', async () => {
    // About 3 MB: lines of varied lengths with 2- and 4-byte characters land across the 1 MB chunks.
    const rows = Array.from({ length: 12_000 }, (_, index) => ({
      index,
      text: `${'é'.repeat(index % 97)}🚚${'x'.repeat((index * 7) % 131)}`,
    }));
    const path = join(dir, 'big.jsonl');
    expect(await writeJsonLines(path, rows)).toBe(rows.length);
    const expected = rows.map((value, index) => ({ line: index + 1, value, text: JSON.stringify(value) }));
    const reader = readJsonLines(path);
    expect(await collectChunks(reader.chunks)).toEqual(expected);
    expect(reader.bytesRead()).toBe(reader.totalBytes);

    const gzipped = join(dir, 'big.jsonl.gz');
    writeFileSync(gzipped, gzipSync(Buffer.from(rows.map((row) => JSON.stringify(row)).join('\n'))));
    expect(await collect(readJsonLines(gzipped).lines)).toEqual(expected);
  });
});
