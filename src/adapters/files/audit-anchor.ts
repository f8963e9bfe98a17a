// The audit chain's anchor and key, outside the database. The anchor is an append-only JSON Lines
// file: a `begin` line, then the seq and hash of every row as it is appended (appends of one short
// line with O_APPEND do not interleave between processes). The key is 32 random bytes in a file
// of mode 0600, created beside the store on first start unless the configuration names one.
import { randomBytes } from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import type { AuditAnchor } from '../../app/console-ports.ts';
import type { AnchorView } from '../../core/cases/audit-chain.ts';

interface AnchorLine {
  seq: number;
  hash: string;
  begin?: true;
  legacyUpTo?: number;
  note?: string;
}

export function fileAuditAnchor(path: string): AuditAnchor {
  mkdirSync(dirname(resolve(path)), { recursive: true });
  return {
    async read(): Promise<AnchorView | undefined> {
      let text: string;
      try {
        text = await readFile(path, 'utf8');
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw error;
      }
      const hashes = new Map<number, string>();
      const notes: string[] = [];
      let legacyUpTo: number | undefined;
      let head = 0;
      for (const [index, line] of text.split('\n').entries()) {
        if (line.trim() === '') continue;
        let entry: AnchorLine;
        try {
          entry = JSON.parse(line) as AnchorLine;
        } catch {
          // A line cut by a crash mid-write is skipped; anything else unreadable is a finding.
          notes.push(`anchor line ${index + 1} is unreadable`);
          continue;
        }
        if (entry.begin === true) {
          legacyUpTo ??= entry.legacyUpTo ?? 0;
          if (entry.note !== undefined) notes.push(entry.note);
        }
        if (entry.seq > 0) hashes.set(entry.seq, entry.hash);
        head = Math.max(head, entry.seq);
      }
      if (legacyUpTo === undefined) return undefined;
      return { hashes, legacyUpTo, head, notes };
    },
    begin(start) {
      const line: AnchorLine = {
        begin: true,
        legacyUpTo: start.legacyUpTo,
        seq: start.head?.seq ?? 0,
        hash: start.head?.hash ?? '',
        ...(start.note !== undefined ? { note: start.note } : {}),
      };
      try {
        // Exclusive: a second process starting at the same moment keeps the first one's start.
        writeFileSync(path, `${JSON.stringify(line)}\n`, { flag: 'wx' });
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
    },
    record(row) {
      appendFileSync(path, `${JSON.stringify({ seq: row.seq, hash: row.hash, at: row.at })}\n`);
    },
  };
}

/** Where a store keeps its anchor and key by default: beside a SQLite file, or in ./data for PostgreSQL. */
export function defaultAuditPaths(location: string): { anchor: string; key: string } {
  if (/^postgres(ql)?:\/\//.test(location)) {
    const url = new URL(location);
    const name = `${url.hostname}-${url.port || '5432'}-${url.pathname.replace(/^\//, '') || 'postgres'}`;
    const safe = name.replace(/[^A-Za-z0-9._-]/g, '_');
    return { anchor: join('data', `${safe}.audit-anchor.jsonl`), key: join('data', 'audit.key') };
  }
  const folder = dirname(resolve(location));
  const file = basename(location);
  return { anchor: join(folder, `${file}.audit-anchor.jsonl`), key: join(folder, 'audit.key') };
}

export interface AuditKey {
  key: Buffer;
  /** Where it came from, for the log line (never the key). */
  source: string;
  created: boolean;
}

/**
 * The chain's key: given in the configuration (REFUNDGUARD_AUDIT_KEY, at least 32 characters), read
 * from a file, or created in that file (32 random bytes, hex, mode 0600) on first start.
 */
export function loadAuditKey(given: { key?: string | undefined; file: string }): AuditKey {
  if (given.key !== undefined)
    return { key: Buffer.from(given.key, 'utf8'), source: 'REFUNDGUARD_AUDIT_KEY', created: false };
  if (existsSync(given.file)) {
    const text = readFileSync(given.file, 'utf8').trim();
    if (text.length < 32) throw new Error(`the audit key in ${given.file} is shorter than 32 characters`);
    return { key: Buffer.from(text, 'utf8'), source: given.file, created: false };
  }
  mkdirSync(dirname(resolve(given.file)), { recursive: true });
  const text = randomBytes(32).toString('hex');
  try {
    writeFileSync(given.file, `${text}\n`, { flag: 'wx', mode: 0o600 });
  } catch (error) {
    // Another process created it first: use theirs.
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return loadAuditKey(given);
    throw error;
  }
  return { key: Buffer.from(text, 'utf8'), source: given.file, created: true };
}
