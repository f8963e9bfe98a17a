// The `refundguard` command as a user runs it: real processes, real files, a real server.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { eventIndexes } from '../src/adapters/db/testing/event-indexes.ts';

const BIN = join(import.meta.dirname, '..', 'bin', 'refundguard.mjs');
const dir = mkdtempSync(join(tmpdir(), 'refundguard-cli-'));
const world = join(dir, 'world');
const db = join(dir, 'store.sqlite');

function run(...args: string[]) {
  const result = spawnSync(process.execPath, [BIN, ...args], {
    encoding: 'utf8',
    env: { ...process.env, REFUNDGUARD_DB: db },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

function jsonLines(path: string): Record<string, unknown>[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('refundguard CLI', () => {
  it('simulates a world with ground truth, deterministically', () => {
    const first = run('simulate', '--seed', '9', '--customers', '1000', '--days', '25', '--out', world);
    expect(first.code, first.stderr).toBe(0);
    const again = run(
      'simulate',
      '--seed',
      '9',
      '--customers',
      '1000',
      '--days',
      '25',
      '--out',
      join(dir, 'again'),
    );
    expect(readFileSync(join(dir, 'again', 'events.jsonl'), 'utf8')).toBe(
      readFileSync(join(world, 'events.jsonl'), 'utf8'),
    );
    expect(again.code).toBe(0);
    expect(jsonLines(join(world, 'labels.jsonl')).length).toBeGreaterThan(0);
  });

  it('replays per the contract, reporting a malformed line by number and going on', () => {
    const events = readFileSync(join(world, 'events.jsonl'), 'utf8').split('\n').filter(Boolean);
    const withBadLines = [
      ...events.slice(0, 5),
      '{"id": "broken", "type": "order.placed"',
      ...events.slice(5),
      '{"id":"e-x","type":"refund.requested","time":"2026-13-01T00:00:00Z","data":{}}',
    ];
    const input = join(dir, 'with-bad-lines.jsonl');
    writeFileSync(input, `${withBadLines.join('\n')}\n`);
    const out = join(dir, 'replay');
    const result = run('replay', input, '--out', out);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/line 6: not valid JSON/);
    expect(result.stderr).toMatch(new RegExp(`line ${withBadLines.length}: .*time`));

    const requested = events.filter((line) => line.includes('"type":"refund.requested"')).length;
    const refunds = jsonLines(join(out, 'refunds.jsonl'));
    expect(refunds).toHaveLength(requested);
    for (const refund of refunds) {
      expect(['approve', 'return_first', 'review', 'deny']).toContain(refund.decision);
      expect(refund.score).toBeGreaterThanOrEqual(0);
      expect(refund.score).toBeLessThanOrEqual(1);
      expect(Array.isArray(refund.reasons)).toBe(true);
    }
    const signups = jsonLines(join(out, 'signups.jsonl'));
    expect(signups.length).toBe(events.filter((line) => line.includes('"type":"account.created"')).length);
    expect(signups[0]).toMatchObject({
      decision: expect.stringMatching(/^(allow|review|block)$/),
      matches: expect.any(Array),
    });

    const evaluation = run('eval', '--labels', join(world, 'labels.jsonl'), '--results', out, '--json');
    expect(evaluation.code, evaluation.stderr).toBe(0);
    const figures = JSON.parse(evaluation.stdout) as { labelledRefunds: number; missingResults: number };
    expect(figures.labelledRefunds).toBe(requested);
    expect(figures.missingResults).toBe(0);
  });

  it('imports idempotently: a second run adds nothing', () => {
    const first = run('import', join(world, 'events.jsonl'));
    expect(first.code, first.stderr).toBe(0);
    const lines = readFileSync(join(world, 'events.jsonl'), 'utf8').split('\n').filter(Boolean).length;
    expect(first.stdout).toContain(`${lines} new events`);
    // A first load: its put-off indexes are there at the end, and each payload is its line's data.
    expect(eventIndexes(db)).toEqual(expect.arrayContaining(['events_account_at', 'events_subject']));
    const stored = new BetterSqlite3(db, { readonly: true });
    const byId = new Map(
      (stored.prepare('SELECT id, payload FROM events').all() as { id: string; payload: string }[]).map(
        (row) => [row.id, row.payload],
      ),
    );
    stored.close();
    for (const line of readFileSync(join(world, 'events.jsonl'), 'utf8').split('\n').filter(Boolean)) {
      const event = JSON.parse(line) as { id: string; data: unknown };
      expect(JSON.parse(byId.get(event.id) ?? 'null')).toEqual(event.data);
    }
    const second = run('import', join(world, 'events.jsonl'));
    expect(second.stdout).toContain(`0 new events, ${lines} already stored`);
  });

  it('serves the stored world behind API keys', async () => {
    const server: ChildProcess = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--print-key'], {
      env: { ...process.env, REFUNDGUARD_DB: db },
    });
    try {
      let output = '';
      const ready = new Promise<void>((resolve, reject) => {
        server.stdout?.on('data', (chunk: Buffer) => {
          output += chunk.toString();
          if (/API key:\s+rg_\S+/.test(output)) resolve();
        });
        server.on('exit', (code) => reject(new Error(`server exited with ${code}: ${output}`)));
      });
      await ready;
      const url = /serving on (http:\/\/\S+)/.exec(output)?.[1];
      const key = /API key:\s+(rg_\S+)/.exec(output)?.[1];
      expect(url).toBeDefined();
      expect((await fetch(`${url}/v1/rules`)).status).toBe(401);
      const response = await fetch(`${url}/v1/assessments?decision=review,deny&limit=5`, {
        headers: { authorization: `Bearer ${key}` },
      });
      expect(response.status).toBe(200);
      const body = (await response.json()) as { items: unknown[] };
      expect(body.items.length).toBeGreaterThan(0);
    } finally {
      server.kill('SIGTERM');
    }
  });
});
