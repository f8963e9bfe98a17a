// Simulated worlds the benchmarks share, written once under bench/out/ and reused by later runs.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { progressBar } from '../src/adapters/cli/progress.ts';
import { writeWorld } from '../src/sim/index.ts';

export const BENCH_OUT = join(import.meta.dirname, 'out');

/** The events file of world `name` (simulated with a progress bar if it is not there yet). */
export async function cachedWorld(
  name: string,
  seed: number,
  customers: number,
  days: number,
): Promise<string> {
  const dir = join(BENCH_OUT, name);
  const events = join(dir, 'events.jsonl');
  if (existsSync(events)) return events;
  const bar = progressBar(`Sim ${name}`, 'steps');
  await writeWorld({ seed, customers, days }, dir, (done, total) => bar.update(done, total));
  bar.stop();
  return events;
}
