// `import FILE` under attack, on every dialect: a file of good events, mutated ones, lines that
// are not JSON and lines that are not UTF-8. Each bad line is reported with its line number and a
// named field, the rest goes in, every good event is stored once, nothing throws.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { RiskEngine } from '../../app/engine.ts';
import { loadRulePack } from '../../app/rule-pack-file.ts';
import { FUZZ_SEED, mixedBatch } from '../../core/testing/event-arbitraries.ts';
import { openStore } from '../db/open-store.ts';
import { createTestLocation, dialectsToTest } from '../db/testing/test-locations.ts';
import { importFile } from './import-file.ts';

const dir = mkdtempSync(join(tmpdir(), 'refundguard-import-fuzz-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const RULES = loadRulePack();
const NOW = Date.parse('2026-07-01T00:00:00Z');

/** One line per item; every fourth bad one is broken JSON or bytes that are not UTF-8 instead. */
function fileOf(items: unknown[], bad: number[]): { bytes: Buffer; badLines: number[] } {
  const lines = items.map((item, index) => {
    if (!bad.includes(index)) return Buffer.from(JSON.stringify(item));
    if (index % 4 === 1) return Buffer.from('{"id": ');
    if (index % 4 === 3)
      return Buffer.concat([Buffer.from('{"id":"'), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from('"}')]);
    return Buffer.from(JSON.stringify(item) ?? 'null');
  });
  return {
    bytes: Buffer.concat(lines.flatMap((line) => [line, Buffer.from('\n')])),
    badLines: bad.map((index) => index + 1),
  };
}

describe.each(dialectsToTest())('import of a hostile file (%s)', (dialect) => {
  it('reports each bad line by number with a named field and stores every good event once (fuzz)', async () => {
    const location = await createTestLocation(dialect);
    const store = await openStore(location.location);
    const engine = new RiskEngine(store, RULES, () => NOW);
    await engine.load();
    const seen = new Set<string>();
    let run = 0;
    try {
      await fc.assert(
        fc.asyncProperty(mixedBatch, async ({ items, good, bad }) => {
          const { bytes, badLines } = fileOf(items, bad);
          const path = join(dir, `${dialect}-${run++}.jsonl`);
          writeFileSync(path, bytes);
          const before = await store.countEvents();
          const summary = await importFile(engine, path);
          expect(summary.lines).toBe(items.length);
          expect(summary.rejected.map((rejection) => rejection.line)).toEqual(badLines);
          for (const rejection of summary.rejected)
            for (const problem of rejection.problems) expect(problem.field).toMatch(/\S/);
          const fresh = new Set(good.filter((id) => !seen.has(id)));
          for (const id of good) seen.add(id);
          expect(summary.inserted).toBe(fresh.size);
          expect((await store.countEvents()) - before).toBe(fresh.size);
        }),
        { seed: FUZZ_SEED, numRuns: 20 },
      );
    } finally {
      await store.close();
      await location.dispose();
    }
  }, 60_000);
});
