// The writer thread of a file-backed SQLite store, as a process sees it: it never keeps the
// process alive on its own, and a write under way still commits before the process ends.
import { spawn } from 'node:child_process';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EventBuilder } from '../../core/testing/event-builder.ts';
import { openStore } from './open-store.ts';

const SCRIPT = join(import.meta.dirname, 'testing', 'write-and-leave.ts');

describe('sqlite writer thread', () => {
  let folder: string;

  beforeEach(async () => {
    folder = await mkdtemp(join(tmpdir(), 'refundguard-writer-'));
  });

  afterEach(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  it('lets a process that never closes its store end, after its last write commits', async () => {
    const location = join(folder, 'store.sqlite');
    const child = spawn(process.execPath, ['--import', 'tsx', SCRIPT, location], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    const killer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    const exit = await new Promise((resolve) =>
      child.once('exit', (code, signal) => resolve({ code, signal })),
    );
    clearTimeout(killer);
    expect(exit, output).toEqual({ code: 0, signal: null });
    expect(output).toContain('second write committed: 1');

    const store = await openStore(location);
    expect(await store.countEvents()).toBe(2);
    await store.close();
  });

  it('copies the log back into the database beside the writer, so that commits need not', async () => {
    const location = join(folder, 'store.sqlite');
    const store = await openStore(location);
    const before = (await stat(location)).size;
    const world = new EventBuilder();
    for (let index = 0; index < 400; index += 1)
      world.customer(`c-${index}`).order(`o-${index}`, `c-${index}`, 1, 1_000);
    await store.appendBatch(world.events(), []);
    // The writer's own checkpoint only fires past ~400 MB of log: the database file grows only
    // because the checkpointer thread copied the committed pages back.
    let after = before;
    for (let waited = 0; waited < 100 && after <= before; waited += 1) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      after = (await stat(location)).size;
    }
    await store.close();
    expect(after).toBeGreaterThan(before);
  });
});
