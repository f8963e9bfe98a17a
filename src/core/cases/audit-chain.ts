// The audit log's hash chain: each row's hash is sha256(prevHash + canonical JSON of the row), so
// changing, removing or reordering a row breaks every hash after it. Pure (hashing is computation).
import { createHash } from 'node:crypto';

/** The hash the first row chains from. */
export const GENESIS_HASH = '0'.repeat(64);

export interface AuditEntry {
  seq: number;
  /** Epoch ms. */
  at: number;
  /** `user:<id>`, `key:<id>`, `system` or `anonymous`. */
  actor: string;
  action: string;
  subject: string;
  detail: Record<string, unknown>;
}

export interface AuditRow extends AuditEntry {
  prevHash: string;
  hash: string;
}

/** JSON with object keys sorted at every depth, no spaces: one text per value. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    const text = JSON.stringify(value);
    return text === undefined ? 'null' : text;
  }
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, item]) => item !== undefined)
    .sort(([left], [right]) => (left < right ? -1 : left > right ? 1 : 0));
  return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`;
}

export function auditHash(prevHash: string, entry: AuditEntry): string {
  const { seq, at, actor, action, subject, detail } = entry;
  return createHash('sha256')
    .update(prevHash + canonicalJson({ seq, at, actor, action, subject, detail, prevHash }), 'utf8')
    .digest('hex');
}

export function chainEntry(previous: AuditRow | undefined, entry: Omit<AuditEntry, 'seq'>): AuditRow {
  const seq = (previous?.seq ?? 0) + 1;
  const prevHash = previous?.hash ?? GENESIS_HASH;
  const full = { ...entry, seq };
  return { ...full, prevHash, hash: auditHash(prevHash, full) };
}

export type ChainCheck =
  | { ok: true; rows: number }
  | { ok: false; rows: number; brokenSeq: number; problem: string };

/** Checks rows given in seq order; reports the first that does not chain. */
export class AuditChainVerifier {
  #previous: AuditRow | undefined;
  #rows = 0;
  #broken: { brokenSeq: number; problem: string } | undefined;

  add(row: AuditRow): boolean {
    if (this.#broken) return false;
    this.#rows += 1;
    const expectedSeq = (this.#previous?.seq ?? 0) + 1;
    const expectedPrev = this.#previous?.hash ?? GENESIS_HASH;
    let problem: string | undefined;
    if (row.seq !== expectedSeq)
      problem = `expected row ${expectedSeq}, found row ${row.seq} (a row was removed)`;
    else if (row.prevHash !== expectedPrev) problem = 'prevHash does not match the previous row';
    else if (auditHash(row.prevHash, row) !== row.hash) problem = 'the row was changed after it was written';
    if (problem !== undefined) {
      this.#broken = { brokenSeq: row.seq, problem };
      return false;
    }
    this.#previous = row;
    return true;
  }

  result(): ChainCheck {
    return this.#broken ? { ok: false, rows: this.#rows, ...this.#broken } : { ok: true, rows: this.#rows };
  }
}
