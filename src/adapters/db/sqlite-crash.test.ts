// A process killed with SIGKILL in the middle of an import (through the engine, with batches in
// flight in the store's writer thread) leaves no partial batch behind, and running the import
// again completes it without duplicates.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Store } from '../../app/ports.ts';
import { openStore } from './open-store.ts';
import { eventIndexes } from './testing/event-indexes.ts';

const IMPORT_SCRIPT = join(import.meta.dirname, 'testing', 'import-batches.ts');
const BATCHES = 80;
const EVENTS_PER_BATCH = 2000;

function startImport(location: string): ChildProcess {
  return spawn(
    process.execPath,
    ['--import', 'tsx', IMPORT_SCRIPT, location, `${BATCHES}`, `${EVENTS_PER_BATCH}`],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
}

function exited(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
}

/** Resolves once the child has reported `count` committed batches. */
function committedBatches(child: ChildProcess, count: number): Promise<void> {
  return new Promise((resolve, reject) => {
    let reported = 0;
    let errors = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      errors += chunk.toString();
    });
    child.stdout?.on('data', (chunk: Buffer) => {
      reported += chunk.toString().split('\n').filter(Boolean).length;
      if (reported >= count) resolve();
    });
    child.once('exit', (code) => reject(new Error(`import ended early (exit ${code}): ${errors}`)));
  });
}

/** Every stored assessment's batch is complete, and there are no events outside those batches. */
async function expectOnlyWholeBatches(store: Store): Promise<number> {
  const assessments = await store.listAssessments({ subjectType: 'signup' });
  for (const record of assessments) {
    expect((await store.eventsForAccount(record.accountId)).length).toBe(EVENTS_PER_BATCH);
  }
  expect(await store.countEvents()).toBe(assessments.length * EVENTS_PER_BATCH);
  return assessments.length;
}

describe('sqlite store killed mid-import', () => {
  let folder: string;

  beforeEach(async () => {
    folder = await mkdtemp(join(tmpdir(), 'refundguard-crash-'));
  });

  afterEach(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  it('keeps whole batches only, and a re-run completes without duplicates', async () => {
    const location = join(folder, 'store.sqlite');
    const child = startImport(location);
    const exit = exited(child);
    await committedBatches(child, 5);
    child.kill('SIGKILL');
    expect((await exit).signal).toBe('SIGKILL');

    // The first run was a first load: killed before it built its indexes, which opening restores.
    expect(eventIndexes(location)).not.toContain('events_account_at');
    const afterCrash = await openStore(location);
    expect(eventIndexes(location)).toEqual(expect.arrayContaining(['events_account_at', 'events_subject']));
    const committed = await expectOnlyWholeBatches(afterCrash);
    await afterCrash.close();
    expect(committed).toBeGreaterThanOrEqual(5);
    expect(committed).toBeLessThan(BATCHES);

    const rerun = startImport(location);
    let output = '';
    rerun.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    rerun.stderr?.resume();
    expect(await exited(rerun)).toEqual({ code: 0, signal: null });
    // The re-run skips the stored batches and adds exactly the missing ones.
    const stored = committed * EVENTS_PER_BATCH;
    const total = BATCHES * EVENTS_PER_BATCH;
    expect(output).toMatch(new RegExp(`^done ${total - stored} ${stored}$`, 'm'));

    const afterRerun = await openStore(location);
    expect(await expectOnlyWholeBatches(afterRerun)).toBe(BATCHES);
    await afterRerun.close();
  });
});
