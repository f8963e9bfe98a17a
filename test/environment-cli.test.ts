// A bad environment stops the command before it does anything: the variable, the reason, exit 2.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const BIN = join(import.meta.dirname, '..', 'bin', 'refundguard.mjs');

function run(args: string[], env: Record<string, string>) {
  const result = spawnSync(process.execPath, [BIN, ...args], {
    encoding: 'utf8',
    env: { ...process.env, ...env },
    timeout: 30_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** A port nothing listens on right now. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (typeof address !== 'object' || address === null) throw new Error('no port');
  return address.port;
}

describe('refundguard and its environment', () => {
  it('serves on the PORT and HOST the environment gives', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'refundguard-environment-'));
    const port = await freePort();
    const child = spawn(process.execPath, [BIN, 'serve', '--db', join(dir, 'store.sqlite')], {
      env: { ...process.env, PORT: String(port), HOST: '127.0.0.1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => {
      output += String(chunk);
    });
    child.stderr.on('data', (chunk) => {
      output += String(chunk);
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    try {
      await new Promise<void>((resolve, reject) => {
        const timer = setInterval(() => {
          if (output.includes('Press Ctrl+C')) {
            clearInterval(timer);
            resolve();
          }
        }, 50);
        void exited.then(() => {
          clearInterval(timer);
          reject(new Error(`serve exited: ${output}`));
        });
      });
      expect(output).toContain(`serving on http://127.0.0.1:${port}`);
      const health = await fetch(`http://127.0.0.1:${port}/health`);
      expect(health.status).toBe(200);
      // The request is logged as a JSON line on stdout, with its route, status and latency.
      for (let wait = 0; wait < 100 && !output.includes('"route":"/health"'); wait += 1)
        await new Promise((resolve) => setTimeout(resolve, 50));
      const line = output.split('\n').find((text) => text.includes('"route":"/health"'));
      expect(JSON.parse(line ?? '{}')).toMatchObject({ msg: 'request', status: 200, level: 30 });
      // The audit key was created beside the store, said so, never shown.
      expect(output).toMatch(/created the audit chain key in .*audit\.key/);
      const key = readFileSync(join(dir, 'audit.key'), 'utf8').trim();
      expect(output).not.toContain(key);
    } finally {
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses PORT=abc with a clear message and exit status 2, no stack trace', () => {
    const result = run(['serve', '--db', ':memory:', '--host', '127.0.0.1'], { PORT: 'abc' });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('refundguard: PORT: expected an integer 1–65535, got "abc"\n');
    expect(result.stdout).toBe('');
  });

  it('never echoes the password, even next to another bad variable', () => {
    const result = run(['users', 'list', '--db', ':memory:'], {
      REFUNDGUARD_RETRAIN_HOURS: 'weekly',
      REFUNDGUARD_PASSWORD: 'a secret nobody may see',
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^refundguard: REFUNDGUARD_RETRAIN_HOURS: expected a number of hours/);
    expect(result.stderr).not.toContain('a secret nobody may see');
  });
});
