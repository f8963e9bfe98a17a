// The writer thread of a file-backed SQLite store, as a process sees it: it never keeps the
// process alive on its own, and a write under way still commits before the process ends.
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
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
});
