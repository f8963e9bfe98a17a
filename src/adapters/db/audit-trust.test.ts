// The audit trail the database protects, on each database: the app's own connection cannot change
// or delete audit rows (triggers), and when an attacker drops the triggers and edits the table
// directly, `verify` — the keyed chain against the anchor outside the database — names the break:
// an edit (re-chained or not), a deletion, a cut tail, a wiped table, a reordering. Rows written
// before the chain was keyed stay checkable as "legacy up to row N".
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { AuditLog, type AuditTrust } from '../../app/audit.ts';
import { auditHash, canonicalJson, GENESIS_HASH } from '../../core/cases/audit-chain.ts';
import { fileAuditAnchor } from '../files/audit-anchor.ts';
import { type KyselyConsoleStore, openConsoleStore } from './console-store.ts';
import { dropAuditGuard } from './testing/audit-tamper.ts';
import { createTestLocation, dialectsToTest } from './testing/test-locations.ts';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()?.();
});

let tick = 1_700_000_000_000;
const clock = () => (tick += 1000);

interface Trail {
  store: KyselyConsoleStore;
  log: AuditLog;
  trust: AuditTrust;
  anchorPath: string;
  /** A second look with a fresh AuditLog (as `refundguard audit verify` in another process). */
  verify(): ReturnType<AuditLog['verify']>;
}

async function trail(dialect: 'sqlite' | 'postgres', rows = 6, keyed = true): Promise<Trail> {
  const location = await createTestLocation(dialect);
  const folder = await mkdtemp(join(tmpdir(), 'refundguard-anchor-'));
  const store = await openConsoleStore(location.location);
  cleanups.push(async () => {
    await store.close();
    await location.dispose();
    await rm(folder, { recursive: true, force: true });
  });
  const anchorPath = join(folder, 'audit-anchor.jsonl');
  const trust: AuditTrust = { key: randomBytes(32), anchor: fileAuditAnchor(anchorPath) };
  const log = new AuditLog(store, clock, keyed ? trust : undefined);
  for (let index = 1; index <= rows; index += 1)
    await log.record(`user:u${index}`, 'case.view', `case:c${index}`, { note: `row ${index}` });
  return {
    store,
    log,
    trust,
    anchorPath,
    verify: () =>
      new AuditLog(store, clock, { key: trust.key, anchor: fileAuditAnchor(anchorPath) }).verify(),
  };
}

/** Recomputes every hash from `fromSeq` on, as an attacker with the database (and maybe the key) would. */
async function rechain(store: KyselyConsoleStore, key?: Uint8Array): Promise<void> {
  const rows = await store.db.selectFrom('audit_log').selectAll().orderBy('seq').execute();
  let prevHash = GENESIS_HASH;
  for (const row of rows) {
    const entry = {
      seq: Number(row.seq),
      at: Number(row.at),
      actor: row.actor,
      action: row.action,
      subject: row.subject,
      detail: JSON.parse(row.detail),
    };
    const hash = auditHash(prevHash, entry, key);
    // prev_hash is unique: park it on a placeholder first so that no two rows share one mid-update.
    await sql`UPDATE audit_log SET prev_hash = ${`tmp-${row.seq}`} WHERE seq = ${row.seq}`.execute(store.db);
    await sql`UPDATE audit_log SET prev_hash = ${prevHash}, hash = ${hash} WHERE seq = ${row.seq}`.execute(
      store.db,
    );
    prevHash = hash;
  }
}

for (const dialect of dialectsToTest()) {
  describe(`audit trail on ${dialect}`, () => {
    it("refuses UPDATE and DELETE of audit rows on the app's own connection", async () => {
      const { store, verify } = await trail(dialect, 3);
      await expect(sql`UPDATE audit_log SET detail = '{}' WHERE seq = 2`.execute(store.db)).rejects.toThrow(
        /append-only/,
      );
      await expect(sql`DELETE FROM audit_log WHERE seq = 3`.execute(store.db)).rejects.toThrow(/append-only/);
      await expect(sql`DELETE FROM audit_log`.execute(store.db)).rejects.toThrow(/append-only/);
      if (dialect === 'postgres')
        await expect(sql`TRUNCATE audit_log`.execute(store.db)).rejects.toThrow(/append-only/);
      expect(await verify()).toEqual({ ok: true, rows: 3, warnings: [] });
    });

    it('records every append in the anchor file, never the key', async () => {
      const { anchorPath, trust } = await trail(dialect, 4);
      const text = await readFile(anchorPath, 'utf8');
      const lines = text
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line));
      expect(lines[0]).toMatchObject({ begin: true, legacyUpTo: 0, seq: 0 });
      expect(lines.slice(1).map((line) => line.seq)).toEqual([1, 2, 3, 4]);
      expect(text).not.toContain(Buffer.from(trust.key).toString('hex'));
    });

    it('names an edited row, also when the attacker recomputes the unkeyed SHA-256 chain', async () => {
      const { store, verify } = await trail(dialect);
      await dropAuditGuard(store.db, dialect);
      await sql`UPDATE audit_log SET detail = ${canonicalJson({ note: 'nothing to see' })} WHERE seq = 3`.execute(
        store.db,
      );
      expect(await verify()).toMatchObject({ ok: false, brokenSeq: 3, kind: 'edited' });
      await rechain(store);
      expect(await verify()).toMatchObject({ ok: false, brokenSeq: 1, kind: 'edited' });
    });

    it('names an edit re-chained even with the key, by the anchor', async () => {
      const { store, verify, trust } = await trail(dialect);
      await dropAuditGuard(store.db, dialect);
      await sql`UPDATE audit_log SET actor = 'user:someone-else' WHERE seq = 4`.execute(store.db);
      await rechain(store, trust.key);
      const check = await verify();
      expect(check).toMatchObject({ ok: false, brokenSeq: 4, kind: 'edited' });
      expect(check.ok === false && check.problem).toMatch(/anchor/);
    });

    it('names a deleted row in the middle and at the start', async () => {
      const { store, verify } = await trail(dialect);
      await dropAuditGuard(store.db, dialect);
      await sql`DELETE FROM audit_log WHERE seq = 3`.execute(store.db);
      expect(await verify()).toMatchObject({ ok: false, brokenSeq: 4, kind: 'deleted' });
      await sql`DELETE FROM audit_log WHERE seq <= 2`.execute(store.db);
      expect(await verify()).toMatchObject({ ok: false, brokenSeq: 4, kind: 'deleted' });
    });

    it('names a cut tail and a wiped table', async () => {
      const { store, verify } = await trail(dialect);
      await dropAuditGuard(store.db, dialect);
      await sql`DELETE FROM audit_log WHERE seq >= 5`.execute(store.db);
      const cut = await verify();
      expect(cut).toMatchObject({ ok: false, rows: 4, brokenSeq: 5, kind: 'truncated' });
      expect(cut.ok === false && cut.problem).toMatch(/5–6/);
      await sql`DELETE FROM audit_log`.execute(store.db);
      expect(await verify()).toMatchObject({ ok: false, rows: 0, kind: 'wiped' });
    });

    it('names two rows swapped', async () => {
      const { store, verify } = await trail(dialect);
      await dropAuditGuard(store.db, dialect);
      await sql`UPDATE audit_log SET seq = -1 WHERE seq = 3`.execute(store.db);
      await sql`UPDATE audit_log SET seq = 3 WHERE seq = 4`.execute(store.db);
      await sql`UPDATE audit_log SET seq = 4 WHERE seq = -1`.execute(store.db);
      const check = await verify();
      expect(check).toMatchObject({ ok: false, brokenSeq: 3, kind: 'reordered' });
      expect(check.ok === false && check.problem).toMatch(/written as 4/);
    });

    it('keeps rows from before the key as legacy up to row N, and still sees them tampered with', async () => {
      // Written as before this change: plain SHA-256, no anchor.
      const { store, trust, anchorPath } = await trail(dialect, 3, false);
      const log = new AuditLog(store, clock, trust);
      await log.record('system', 'after.upgrade', 'x:1');
      const anchor = (await readFile(anchorPath, 'utf8'))
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line));
      expect(anchor[0]).toMatchObject({ begin: true, legacyUpTo: 3, seq: 3 });
      expect(await log.verify()).toEqual({ ok: true, rows: 4, warnings: [] });
      const rows = await store.listAudit({ limit: 10 });
      const fourth = rows.find((row) => row.seq === 4);
      // Row 4 is keyed: a plain SHA-256 of it does not match.
      expect(fourth && auditHash(fourth.prevHash, fourth)).not.toBe(fourth?.hash);
      await dropAuditGuard(store.db, dialect);
      await sql`UPDATE audit_log SET subject = 'case:other' WHERE seq = 2`.execute(store.db);
      await rechain(store);
      expect(await log.verify()).toMatchObject({ ok: false, kind: 'edited' });
    });

    it('says so when the anchor file was lost while keyed rows exist', async () => {
      const { store, trust, anchorPath } = await trail(dialect, 3);
      await rm(anchorPath);
      const check = await new AuditLog(store, clock, trust).verify();
      expect(check.ok).toBe(true);
      expect(check.warnings.join(' ')).toMatch(/anchor was missing/);
    });
  });
}
