#!/usr/bin/env node
// Runs the TypeScript CLI through tsx so a fresh clone needs no build step.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

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
if (['import', 'replay', 'start'].includes(process.argv[2] ?? '') && !hasSemiSpace) {
  const child = spawn(
    process.execPath,
    [...process.execArgv, SEMI_SPACE, fileURLToPath(import.meta.url), ...process.argv.slice(2)],
    { stdio: 'inherit' },
  );
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => {
    if (signal !== null) process.kill(process.pid, signal);
    else process.exit(code ?? 1);
  });
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/adapters/cli/main.ts');
}
