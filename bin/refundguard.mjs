#!/usr/bin/env node
// Runs the CLI compiled into dist/node (npm run build) while it is newer than every source file;
// otherwise, in development, runs the TypeScript in src through tsx, so an edit needs no rebuild.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = resolve(import.meta.dirname, '..');
const BUILT_MAIN = join(ROOT, 'dist', 'node', 'adapters', 'cli', 'main.js');

/** The newest modification time among the sources dist/node is compiled from (0 without src/). */
function newestSource(folder) {
  if (!existsSync(folder)) return 0;
  let newest = 0;
  for (const entry of readdirSync(folder, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.ts') || entry.name.endsWith('.test.ts')) continue;
    if (entry.parentPath.split(sep).includes('testing')) continue;
    newest = Math.max(newest, statSync(join(entry.parentPath, entry.name)).mtimeMs);
  }
  return newest;
}

function builtIsFresh() {
  return existsSync(BUILT_MAIN) && statSync(BUILT_MAIN).mtimeMs >= newestSource(join(ROOT, 'src'));
}

// `import`, `replay` and `start` (which imports on its first run) keep a batch of parsed events
// alive while it is assessed and written: with V8's default 16 MB semi-spaces most of it is copied
// by the young-generation GC before it dies. With 64 MB, the main thread used ~12 % less CPU
// importing the default world (9.5 s instead of 10.7-11.2 s, 275k events); with 128 MB the 1M
// world imported in 19.2 s instead of 19.9 s (mean of four runs each, alternated). The flag must
// be there when the process starts, so the command runs in a child process that has it (signals
// sent to this one are passed on).
const SEMI_SPACE = '--max-semi-space-size=128';
const hasSemiSpace = [...process.execArgv, ...(process.env.NODE_OPTIONS ?? '').split(/\s+/)].some((arg) =>
  arg.startsWith('--max-semi-space-size'),
);
// The child dies with this launcher even when the launcher is killed with SIGKILL (which it
// cannot pass on): once its parent is gone, the child is handed to another process, so it checks
// who its parent is, twice a second.
const launcher = Number(process.env.REFUNDGUARD_LAUNCHER_PID);
if (launcher > 0) {
  const orphaned = () => process.ppid !== launcher && process.kill(process.pid, 'SIGKILL');
  orphaned();
  setInterval(orphaned, 500).unref();
}
if (['import', 'replay', 'start'].includes(process.argv[2] ?? '') && !hasSemiSpace) {
  const child = spawn(
    process.execPath,
    [...process.execArgv, SEMI_SPACE, fileURLToPath(import.meta.url), ...process.argv.slice(2)],
    { stdio: 'inherit', env: { ...process.env, REFUNDGUARD_LAUNCHER_PID: String(process.pid) } },
  );
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => {
    if (signal !== null) process.kill(process.pid, signal);
    else process.exit(code ?? 1);
  });
} else if (builtIsFresh()) {
  await import(pathToFileURL(BUILT_MAIN).href);
} else {
  let tsx;
  try {
    tsx = await import('tsx/esm/api');
  } catch {
    console.error(
      `refundguard: ${existsSync(BUILT_MAIN) ? 'dist/node is older than src' : 'dist/node is not built'}, ` +
        'and tsx (a development dependency) is not installed to run the sources: run `npm run build`.',
    );
    process.exit(1);
  }
  tsx.register();
  await import('../src/adapters/cli/main.ts');
}
