// `refundguard backup` as an operator uses it: a store with events, decisions, console cases and
// audit rows is backed up by another process while this one holds it open, the copy is restored
// (used as the store), and it decides as the original did and its audit chain verifies.
import { spawnSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFile } from '../src/adapters/cli/import-file.ts';
import { openConsoleStore } from '../src/adapters/db/console-store.ts';
import { openStore } from '../src/adapters/db/open-store.ts';
import { backupSqlite } from '../src/adapters/db/sqlite-backup.ts';
import { AuditLog } from '../src/app/audit.ts';
import { type ConsoleServices, createConsoleServices } from '../src/app/console.ts';
import type { ConsoleStore } from '../src/app/console-ports.ts';
import { RiskEngine } from '../src/app/engine.ts';
import type { Store } from '../src/app/ports.ts';
import { loadRulePack } from '../src/app/rule-pack-file.ts';
import { writeWorld } from '../src/sim/index.ts';

const BIN = join(import.meta.dirname, '..', 'bin', 'refundguard.mjs');
const dir = mkdtempSync(join(tmpdir(), 'refundguard-backup-'));
const original = join(dir, 'live.sqlite');
const backup = join(dir, 'backup.sqlite');
const restored = join(dir, 'restored', 'refundguard.sqlite');
// A fixed clock: both engines decide API assessments at the same moment.
const clock = () => Date.parse('2026-12-01T00:00:00Z');

function cli(...args: string[]) {
  const result = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8' });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

let store: Store;
let engine: RiskEngine;
let services: ConsoleServices;
let refundRequests: Record<string, unknown>[];

beforeAll(async () => {
  await writeWorld({ seed: 7, customers: 1000, days: 20 }, join(dir, 'world'));
  const lines = readFileSync(join(dir, 'world', 'events.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean);
  refundRequests = lines
    .map((line) => JSON.parse(line) as { type: string; data: Record<string, unknown> })
    .filter((event) => event.type === 'refund.requested')
    .slice(0, 40)
    .map((event) => event.data);
  store = await openStore(original);
  engine = new RiskEngine(store, loadRulePack(), clock);
  await engine.load();
  await importFile(engine, join(dir, 'world', 'events.jsonl'));
  services = createConsoleServices({ engine, store, consoleStore: await openConsoleStore(original), clock });
  // Cases from the risky assessments; people and their audit rows.
  await services.cases.syncCases();
  await services.cases.idle();
  await services.people.createUser({
    email: 'ops@example.test',
    name: 'Ops',
    role: 'admin',
    password: 'a long enough password',
    agentId: null,
  });
}, 120_000);

afterAll(async () => {
  await services?.close();
  await store?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function contents(location: string, eventStore: Store, consoleStore: ConsoleStore) {
  return {
    location,
    events: await eventStore.countEvents(),
    assessments: await eventStore.listAssessments({ limit: 1_000_000 }),
    cases: (await consoleStore.listCases({ limit: 100_000, offset: 0 })).items,
    users: await consoleStore.listUsers(),
    audit: await consoleStore.listAudit({ limit: 100_000 }),
  };
}

describe('refundguard backup', () => {
  it('copies the store in use, with progress, and the restored copy holds everything and decides the same', async () => {
    const result = cli('backup', backup, '--db', original);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^Backed up .* to .*backup\.sqlite \(\d+ pages\)\./);
    expect(result.stderr).toMatch(/Backup +\[.*\] 100% \| (\d+)\/\1 pages/);
    expect(existsSync(`${backup}.partial`)).toBe(false);

    // Restoring is using the file as the store.
    mkdirSync(join(dir, 'restored'));
    copyFileSync(backup, restored);
    const copyStore = await openStore(restored);
    const copyConsole = await openConsoleStore(restored);
    try {
      const before = await contents(original, store, services.consoleStore);
      const after = await contents(restored, copyStore, copyConsole);
      expect(before.events).toBeGreaterThan(1000);
      expect(before.assessments.length).toBeGreaterThan(100);
      expect(before.cases.length).toBeGreaterThan(0);
      expect(before.audit.length).toBeGreaterThan(0);
      expect({ ...after, location: original }).toEqual(before);

      // The services wrote an unkeyed chain (no audit key given): verified the same way.
      const check = await new AuditLog(copyConsole, clock).verify();
      expect(check).toMatchObject({ ok: true, rows: before.audit.length });
      const cliCheck = cli('audit', 'verify', '--db', restored);
      expect(cliCheck.code, cliCheck.stderr).toBe(0);
      expect(cliCheck.stdout).toContain(`Audit log intact: ${before.audit.length} rows.`);

      // An engine rebuilt from the restored events decides as the live one does.
      const copyEngine = new RiskEngine(copyStore, loadRulePack(), clock);
      await copyEngine.load();
      expect(refundRequests.length).toBe(40);
      const decide = async (on: RiskEngine) => {
        const answers = [];
        for (const request of refundRequests) {
          const result = await on.assessRefundRequest(request);
          if (!result.ok) throw new Error(JSON.stringify(result.problems));
          answers.push({
            refundId: request.refundId,
            decision: result.assessment.decision,
            score: result.assessment.score,
            reasons: result.assessment.reasons.map((reason) => reason.code),
          });
        }
        return answers;
      };
      const live = await decide(engine);
      expect(new Set(live.map((answer) => answer.decision)).size).toBeGreaterThan(1);
      expect(await decide(copyEngine)).toEqual(live);
    } finally {
      await copyConsole.close();
      await copyStore.close();
    }
  });

  it('never overwrites a file, needs a store, and sends PostgreSQL stores to pg_dump', async () => {
    await expect(backupSqlite(join(dir, 'nothing-here.sqlite'), join(dir, 'unused.sqlite'))).rejects.toThrow(
      'no store at',
    );
    writeFileSync(join(dir, 'taken.sqlite'), 'precious');
    await expect(backupSqlite(original, join(dir, 'taken.sqlite'))).rejects.toThrow('exists already');
    expect(readFileSync(join(dir, 'taken.sqlite'), 'utf8')).toBe('precious');
    const postgres = cli(
      'backup',
      join(dir, 'pg.dump'),
      '--db',
      'postgres://postgres@127.0.0.1:1/refundguard',
    );
    expect(postgres.code).toBe(2);
    expect(postgres.stderr).toContain('pg_dump --format=custom');
    expect(existsSync(join(dir, 'pg.dump'))).toBe(false);
  });
});
