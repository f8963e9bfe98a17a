// `refundguard users create` and `refundguard audit verify` as an operator runs them.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';

const BIN = join(import.meta.dirname, '..', 'bin', 'refundguard.mjs');
const dir = mkdtempSync(join(tmpdir(), 'refundguard-console-cli-'));
const db = join(dir, 'store.sqlite');

function run(args: string[], options: { env?: Record<string, string>; input?: string } = {}) {
  const result = spawnSync(process.execPath, [BIN, ...args, '--db', db], {
    encoding: 'utf8',
    env: { ...process.env, REFUNDGUARD_PASSWORD: '', ...options.env },
    ...(options.input !== undefined ? { input: options.input } : {}),
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('console CLI', () => {
  it('creates users with the password from the environment or stdin, and audits it', () => {
    const fromEnv = run(
      [
        'users',
        'create',
        '--email',
        'Ivy@Example.test',
        '--name',
        'Ivy',
        '--role',
        'investigator',
        '--agent-id',
        'agent-3',
      ],
      {
        env: { REFUNDGUARD_PASSWORD: 'a long enough password' },
      },
    );
    expect(fromEnv.code, fromEnv.stderr).toBe(0);
    const fromStdin = run(
      ['users', 'create', '--email', 'sam@example.test', '--name', 'Sam', '--role', 'supervisor'],
      {
        input: 'another long password\n',
      },
    );
    expect(fromStdin.code, fromStdin.stderr).toBe(0);
    const short = run(['users', 'create', '--email', 'x@example.test', '--name', 'X', '--role', 'admin'], {
      input: 'short\n',
    });
    expect(short.code).not.toBe(0);
    expect(short.stderr).toMatch(/at least 10 characters/);
    const list = run(['users', 'list']);
    expect(list.stdout).toMatch(/ivy@example\.test\tIvy\tinvestigator\tagent-3/);
    expect(list.stdout).toMatch(/sam@example\.test/);
    const database = new BetterSqlite3(db, { readonly: true });
    const hash = (
      database.prepare("SELECT password_hash FROM users WHERE email = 'sam@example.test'").get() as {
        password_hash: string;
      }
    ).password_hash;
    database.close();
    expect(hash).toMatch(/^\$argon2id\$/);
  });

  it('audits API keys created and revoked at the command line, never their secret', () => {
    const created = run(['keys', 'create', '--name', 'warehouse-sync', '--role', 'ingest']);
    expect(created.code, created.stderr).toBe(0);
    const secret = created.stdout.trim();
    const id = /Created key (\S+)/.exec(created.stderr)?.[1] as string;
    expect(run(['keys', 'revoke', id]).code).toBe(0);
    const database = new BetterSqlite3(db, { readonly: true });
    const rows = database
      .prepare(
        "SELECT actor, action, subject, detail FROM audit_log WHERE action LIKE 'api_key.%' ORDER BY seq",
      )
      .all() as { actor: string; action: string; subject: string; detail: string }[];
    database.close();
    expect(rows.map((row) => [row.action, row.subject])).toEqual([
      ['api_key.created', `api_key:${id}`],
      ['api_key.revoked', `api_key:${id}`],
    ]);
    expect(rows[0]?.actor).toMatch(/^cli:/);
    expect(JSON.stringify(rows)).not.toContain(secret);
  });

  it('keys the chain with a key file it created beside the store, and anchors it there too', () => {
    const key = readFileSync(join(dir, 'audit.key'), 'utf8').trim();
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    expect(statSync(join(dir, 'audit.key')).mode & 0o777).toBe(0o600);
    const anchor = readFileSync(join(dir, 'store.sqlite.audit-anchor.jsonl'), 'utf8');
    expect(anchor.trim().split('\n')).toHaveLength(5);
    expect(anchor).not.toContain(key);
  });

  it('verifies the audit chain (exit 0) and names the break (exit 1): a cut tail, then an edit', () => {
    const intact = run(['audit', 'verify']);
    expect(intact.code, intact.stderr).toBe(0);
    expect(intact.stdout).toMatch(/intact: 4 rows/);
    const database = new BetterSqlite3(db);
    // The database refuses; an attacker drops the trigger first.
    expect(() => database.prepare('DELETE FROM audit_log WHERE seq = 4').run()).toThrow(/append-only/);
    database.exec('DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete');
    database.prepare('DELETE FROM audit_log WHERE seq = 4').run();
    const cut = run(['audit', 'verify']);
    expect(cut.code).toBe(1);
    expect(cut.stderr).toMatch(/broken at row 4 \(truncated\)/);
    database.prepare("UPDATE audit_log SET actor = 'someone else' WHERE seq = 1").run();
    database.close();
    const broken = run(['audit', 'verify']);
    expect(broken.code).toBe(1);
    expect(broken.stderr).toMatch(/broken at row 1 \(edited\)/);
  });
});
