// The audit log's hash chain. Each row's hash is HMAC-SHA256, under a key kept outside the
// database, of prevHash + the canonical JSON of the row, so changing, removing or reordering a row
// breaks every hash after it, and someone who can write the database but lacks the key cannot
// recompute the chain. Rows written before the chain was keyed ("legacy", up to a seq the anchor
// records) are plain SHA-256. The anchor — every appended row's seq and hash, kept outside the
// database — lets the verifier also name a truncated tail, a wiped table and a re-chained edit.
// Pure (hashing is computation).
import { createHash, createHmac } from 'node:crypto';

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

/** The row's hash: HMAC-SHA256 under `key`, or (legacy rows, no key) plain SHA-256. */
export function auditHash(prevHash: string, entry: AuditEntry, key?: Uint8Array): string {
  const { seq, at, actor, action, subject, detail } = entry;
  const text = prevHash + canonicalJson({ seq, at, actor, action, subject, detail, prevHash });
  const digest = key === undefined ? createHash('sha256') : createHmac('sha256', key);
  return digest.update(text, 'utf8').digest('hex');
}

export function chainEntry(
  previous: AuditRow | undefined,
  entry: Omit<AuditEntry, 'seq'>,
  key?: Uint8Array,
): AuditRow {
  const seq = (previous?.seq ?? 0) + 1;
  const prevHash = previous?.hash ?? GENESIS_HASH;
  const full = { ...entry, seq };
  return { ...full, prevHash, hash: auditHash(prevHash, full, key) };
}

/** What kind of tampering a break is. */
export type AuditBreak = 'edited' | 'deleted' | 'truncated' | 'wiped' | 'reordered' | 'relinked';

export type ChainCheck =
  | { ok: true; rows: number; warnings: string[] }
  | { ok: false; rows: number; brokenSeq: number; kind: AuditBreak; problem: string; warnings: string[] };

/** The anchor as the verifier needs it: each anchored seq's hash, and the rows before keying. */
export interface AnchorView {
  /** seq → hash of every row recorded when it was appended. */
  hashes: ReadonlyMap<number, string>;
  /** Rows up to this seq were written before the chain was keyed (plain SHA-256). */
  legacyUpTo: number;
  /** The highest seq the anchor has seen (0: none). */
  head: number;
  /** Said when the anchor was started over rows already keyed (its file had been lost). */
  notes: readonly string[];
}

export interface VerifierOptions {
  /** The chain's HMAC key; without it every row is checked as plain SHA-256. */
  key?: Uint8Array;
  /** Without an anchor, only the rows' own links are checked (a cut tail or a wiped table pass). */
  anchor?: AnchorView;
}

/** Checks rows given in seq order; reports the first that does not chain, and what was done to it. */
export class AuditChainVerifier {
  #previous: AuditRow | undefined;
  #rows = 0;
  #broken: { brokenSeq: number; kind: AuditBreak; problem: string } | undefined;
  readonly #key: Uint8Array | undefined;
  readonly #anchor: AnchorView | undefined;
  /** hash → seq from the anchor, to recognise a row moved to another place. */
  #seqOfHash: Map<string, number> | undefined;

  constructor(options: VerifierOptions = {}) {
    this.#key = options.key;
    this.#anchor = options.anchor;
  }

  add(row: AuditRow): boolean {
    if (this.#broken) return false;
    this.#rows += 1;
    const problem = this.#check(row);
    if (problem !== undefined) {
      this.#broken = { brokenSeq: row.seq, ...problem };
      return false;
    }
    this.#previous = row;
    return true;
  }

  #check(row: AuditRow): { kind: AuditBreak; problem: string } | undefined {
    const expectedSeq = (this.#previous?.seq ?? 0) + 1;
    const expectedPrev = this.#previous?.hash ?? GENESIS_HASH;
    if (row.seq > expectedSeq) {
      const range = row.seq - 1 === expectedSeq ? `row ${expectedSeq}` : `rows ${expectedSeq}–${row.seq - 1}`;
      return { kind: 'deleted', problem: `${range} deleted (the next row present is ${row.seq})` };
    }
    if (row.seq < expectedSeq)
      return { kind: 'reordered', problem: `row ${row.seq} found after row ${expectedSeq - 1}` };
    const legacy = this.#anchor !== undefined && row.seq <= this.#anchor.legacyUpTo;
    const key = legacy ? undefined : this.#key;
    if (auditHash(row.prevHash, row, key) !== row.hash) {
      const movedFrom = this.#anchoredSeqOf(row.hash);
      if (movedFrom !== undefined && movedFrom !== row.seq)
        return {
          kind: 'reordered',
          problem: `row ${row.seq} holds the row written as ${movedFrom} (reordered)`,
        };
      return { kind: 'edited', problem: `row ${row.seq} was changed after it was written` };
    }
    const anchored = this.#anchor?.hashes.get(row.seq);
    if (anchored !== undefined && anchored !== row.hash)
      return {
        kind: 'edited',
        problem: `row ${row.seq} was rewritten and the chain recomputed: its hash differs from the anchor's`,
      };
    if (row.prevHash !== expectedPrev)
      return { kind: 'relinked', problem: `row ${row.seq} does not chain from row ${expectedSeq - 1}` };
    return undefined;
  }

  #anchoredSeqOf(hash: string): number | undefined {
    if (this.#anchor === undefined) return undefined;
    if (this.#seqOfHash === undefined) {
      this.#seqOfHash = new Map();
      for (const [seq, anchoredHash] of this.#anchor.hashes) this.#seqOfHash.set(anchoredHash, seq);
    }
    return this.#seqOfHash.get(hash);
  }

  /** The verdict once every row was added: the anchor names rows missing at the end. */
  result(): ChainCheck {
    const warnings = [...(this.#anchor?.notes ?? [])];
    if (this.#broken) return { ok: false, rows: this.#rows, ...this.#broken, warnings };
    const last = this.#previous?.seq ?? 0;
    const head = this.#anchor?.head ?? 0;
    if (head > last) {
      if (last === 0)
        return {
          ok: false,
          rows: 0,
          brokenSeq: 1,
          kind: 'wiped',
          problem: `the table was wiped: the anchor records ${head} rows, the table holds none`,
          warnings,
        };
      return {
        ok: false,
        rows: this.#rows,
        brokenSeq: last + 1,
        kind: 'truncated',
        problem: `rows ${last + 1}–${head} were removed from the end (the anchor records ${head} rows)`,
        warnings,
      };
    }
    if (this.#anchor !== undefined && last > head)
      warnings.push(
        `rows ${head + 1}–${last} are not in the anchor yet (written by a process that stopped before recording them); their hashes check`,
      );
    return { ok: true, rows: this.#rows, warnings };
  }
}
