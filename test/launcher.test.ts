// `refundguard import` runs in a child process of the launcher (bin/refundguard.mjs, for a V8
// flag that must be set at start). A kill -9 of the launcher cannot be passed on, so the child
// must notice on its own that its parent is gone and stop too, instead of importing on as an
// orphan nobody can see or stop.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';

const BIN = join(import.meta.dirname, '..', 'bin', 'refundguard.mjs');
const dir = mkdtempSync(join(tmpdir(), 'refundguard-launcher-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The pids of `parent`'s children, from /proc (Linux). */
function childrenOf(parent: number): number[] {
  const children: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // /proc/PID/stat: "pid (command) state ppid ..."; the command may hold spaces and parentheses.
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === parent) children.push(Number(entry));
    } catch {
      // The process ended while being read.
    }
  }
  return children;
}

function tableExists(store: BetterSqlite3.Database): boolean {
  return (
    store.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'events'").get() !== undefined
  );
}

async function until(condition: () => boolean, what: string): Promise<void> {
  // A bound on waiting for the processes, not a timing assertion: each step takes milliseconds.
  for (let attempt = 0; attempt < 600; attempt += 1) {
    if (condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`gave up waiting: ${what}`);
}

describe('the launcher', () => {
  it('takes its import child with it when it is killed with SIGKILL', async () => {
    const world = join(dir, 'world');
    execFileSync(process.execPath, [
      BIN,
      'simulate',
      '--seed',
      '3',
      '--customers',
      '6000',
      '--days',
      '40',
      '--out',
      world,
    ]);
    const launcher = spawn(
      process.execPath,
      [BIN, 'import', join(world, 'events.jsonl'), '--db', join(dir, 'store.sqlite')],
      { stdio: 'ignore' },
    );
    const launcherPid = launcher.pid as number;
    let child: number | undefined;
    await until(() => {
      child = childrenOf(launcherPid)[0];
      return child !== undefined;
    }, 'the launcher to start its child');
    expect(alive(child as number)).toBe(true);
    const exited = new Promise((resolve) => launcher.once('exit', resolve));
    launcher.kill('SIGKILL');
    await exited;
    await until(() => !alive(child as number), 'the import child to stop');
    // Had it imported on as an orphan, every event would be stored by the time it ended.
    const total = readFileSync(join(world, 'events.jsonl'), 'utf8').split('\n').filter(Boolean).length;
    let stored = 0;
    if (existsSync(join(dir, 'store.sqlite'))) {
      const store = new BetterSqlite3(join(dir, 'store.sqlite'), { readonly: true });
      if (tableExists(store))
        stored = (store.prepare('SELECT count(*) AS n FROM events').get() as { n: number }).n;
      store.close();
    }
    expect(stored).toBeLessThan(total);
  }, 60_000);
});
