// `refundguard erase` and `refundguard retention apply` as an operator runs them: the pseudonym key
// is made beside the store, a legal hold refuses until overridden, the audit chain still verifies.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';

const BIN = join(import.meta.dirname, '..', 'bin', 'refundguard.mjs');
const dir = mkdtempSync(join(tmpdir(), 'refundguard-erase-cli-'));
const db = join(dir, 'store.sqlite');

function run(args: string[], env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, [BIN, ...args, '--db', db], {
    encoding: 'utf8',
    env: { ...process.env, REFUNDGUARD_PSEUDONYM_KEY: '', REFUNDGUARD_PSEUDONYM_KEY_FILE: '', ...env },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

afterAll(() => rmSync(dir, { recursive: true, force: true }));

// Years old, so that a transcript retention of 180 days has them due whenever the test runs.
const events = [
  {
    id: 'e1',
    type: 'account.created',
    time: '2021-03-01T10:00:00Z',
    data: { accountId: 'acc-ann', email: 'ann.lee@example.org', name: 'Ann Lee', phone: '+1 614 555 0142' },
  },
  {
    id: 'e2',
    type: 'account.login',
    time: '2021-03-02T10:00:00Z',
    data: { accountId: 'acc-ann', ip: '203.0.113.77', userAgent: 'Mozilla/5.0 AnnPhone' },
  },
  {
    id: 'e3',
    type: 'contact.created',
    time: '2021-03-03T10:00:00Z',
    data: {
      contactId: 'c1',
      accountId: 'acc-ann',
      channel: 'chat',
      messages: [{ from: 'customer', text: 'Hello, this is Ann from Elm Street, my kettle is broken.' }],
    },
  },
  {
    id: 'e4',
    type: 'account.created',
    time: '2021-03-01T11:00:00Z',
    data: { accountId: 'acc-bob', email: 'bob@example.org', name: 'Bob Roe' },
  },
  {
    id: 'e5',
    type: 'contact.created',
    time: '2021-03-04T10:00:00Z',
    data: {
      contactId: 'c2',
      accountId: 'acc-bob',
      channel: 'chat',
      messages: [{ from: 'customer', text: 'Where is my parcel, Bob here.' }],
    },
  },
  {
    id: 'e6',
    type: 'account.closed',
    time: '2021-04-01T10:00:00Z',
    data: { accountId: 'acc-bob', reason: 'fraud' },
  },
  // The latest event: the retention counts 180 days back from it (the clock is later still).
  {
    id: 'e7',
    type: 'account.created',
    time: '2022-01-01T10:00:00Z',
    data: { accountId: 'acc-cy', email: 'cy@example.org', name: 'Cy Doe' },
  },
];

describe('personal data CLI', () => {
  it('erases an account, refuses one under legal hold until overridden, and applies the retention', () => {
    const file = join(dir, 'events.jsonl');
    writeFileSync(file, `${events.map((event) => JSON.stringify(event)).join('\n')}\n`);
    const imported = run(['import', file]);
    expect(imported.code, imported.stderr).toBe(0);

    const erased = run(['erase', '--account', 'acc-ann']);
    expect(erased.code, erased.stderr).toBe(0);
    expect(erased.stdout).toMatch(
      /Erased account acc-ann: 3 events read; values replaced: email 1, name 1, phone 1, ip 1, userAgent 1, transcript 1/,
    );
    expect(erased.stdout).toMatch(/A running `serve` reloads its state/);
    // The key was made beside the store, readable by its owner only.
    const key = join(dir, 'pseudonym.key');
    expect(readFileSync(key, 'utf8').trim()).toMatch(/^[0-9a-f]{64}$/);
    expect(statSync(key).mode & 0o777).toBe(0o600);

    const refused = run(['erase', '--account', 'acc-bob']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/legal hold \(closed_for_fraud event:e6\)/);
    const tooShort = run(['retention', 'apply'], { REFUNDGUARD_TRANSCRIPT_RETENTION_DAYS: '30' });
    expect(tooShort.code).toBe(2);
    expect(tooShort.stderr).toMatch(
      /REFUNDGUARD_TRANSCRIPT_RETENTION_DAYS: expected a whole number of days 180/,
    );
    // Ann's transcript went with her; Bob's (held) is years old: the retention strips it.
    const retention = run(['retention', 'apply']);
    expect(retention.code, retention.stderr).toBe(0);
    expect(retention.stdout).toMatch(
      /Retention applied: 1 transcripts older than 180 days stripped, 0 API assessments/,
    );

    const overridden = run(['erase', '--account', 'acc-bob', '--override-hold', 'court order 7']);
    expect(overridden.code, overridden.stderr).toBe(0);
    expect(overridden.stdout).toMatch(/Legal hold overridden \(event:e6\)/);

    const verified = run(['audit', 'verify']);
    expect(verified.code, verified.stderr).toBe(0);
    const database = new BetterSqlite3(db, { readonly: true });
    try {
      const text = database
        .prepare<[], { payload: string }>('SELECT payload FROM events')
        .all()
        .map((row) => row.payload)
        .join('\n');
      for (const value of [
        'ann.lee@example.org',
        'Ann Lee',
        '555 0142',
        '203.0.113.77',
        'AnnPhone',
        'Elm Street',
        'Bob Roe',
      ])
        expect(text).not.toContain(value);
      const audit = database
        .prepare<[], { action: string; detail: string }>(
          "SELECT action, detail FROM audit_log WHERE action LIKE 'account.erase%' ORDER BY seq",
        )
        .all();
      expect(audit.map((row) => row.action)).toEqual([
        'account.erased',
        'account.erase_refused',
        'account.erased',
      ]);
      expect(JSON.parse(audit[2]?.detail ?? '{}')).toMatchObject({
        overrideReason: 'court order 7',
        holdsOverridden: ['event:e6'],
      });
    } finally {
      database.close();
    }
  }, 120_000);
});
