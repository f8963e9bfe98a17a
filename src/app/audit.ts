// The append-only audit log: every view of personal data, every action, login and role change,
// and refused calls (in aggregate). Rows are chained with HMAC-SHA256 under a key kept outside the
// database (core/cases/audit-chain.ts), the database refuses to change or delete them (migration
// 0005's triggers), and every append is recorded in an anchor outside the database too, so that
// `verify` names an edit, a deletion, a cut tail, a wiped table or a reordering.
import {
  AuditChainVerifier,
  type AuditRow,
  auditHash,
  type ChainCheck,
  chainEntry,
  GENESIS_HASH,
} from '../core/cases/audit-chain.ts';
import type { AuditAnchor, AuditStore } from './console-ports.ts';
import type { Clock } from './ports.ts';

/** What keys and anchors the chain; without it rows are chained with plain SHA-256 (tests, tools). */
export interface AuditTrust {
  key: Uint8Array;
  anchor: AuditAnchor;
  /** Told each appended row's head (the server logs it: a second copy of the anchor). */
  onAppend?: (head: { seq: number; hash: string }) => void;
  /** Told once when the anchor is started, with what it says (never the key). */
  onBegin?: (message: string, level: 'info' | 'warn') => void;
}

export class AuditLog {
  #ready: Promise<void> | undefined;

  constructor(
    private readonly store: AuditStore,
    private readonly clock: Clock,
    private readonly trust?: AuditTrust,
  ) {}

  async record(
    actor: string,
    action: string,
    subject: string,
    detail: Record<string, unknown> = {},
  ): Promise<AuditRow> {
    await this.#prepare();
    const at = this.clock();
    const key = this.trust?.key;
    const row = await this.store.appendAudit((previous) =>
      chainEntry(previous, { at, actor, action, subject, detail }, key),
    );
    if (this.trust !== undefined) {
      this.trust.anchor.record({ seq: row.seq, hash: row.hash, at: row.at });
      this.trust.onAppend?.({ seq: row.seq, hash: row.hash });
    }
    return row;
  }

  list(limit: number, beforeSeq?: number): Promise<AuditRow[]> {
    return this.store.listAudit({ limit, ...(beforeSeq !== undefined ? { beforeSeq } : {}) });
  }

  /** Walks the whole chain against the anchor; the first break is named. */
  async verify(): Promise<ChainCheck> {
    await this.#prepare();
    const anchor = await this.trust?.anchor.read();
    const verifier = new AuditChainVerifier({
      ...(this.trust !== undefined ? { key: this.trust.key } : {}),
      ...(anchor !== undefined ? { anchor } : {}),
    });
    for await (const page of this.store.streamAudit(5000)) {
      for (const row of page) if (!verifier.add(row)) return verifier.result();
    }
    return verifier.result();
  }

  /** Starts the anchor the first time (a new store, or one whose rows predate the key). */
  #prepare(): Promise<void> {
    if (this.trust === undefined) return Promise.resolve();
    this.#ready ??= this.#begin(this.trust).catch((error: unknown) => {
      this.#ready = undefined;
      throw error;
    });
    return this.#ready;
  }

  async #begin(trust: AuditTrust): Promise<void> {
    if ((await trust.anchor.read()) !== undefined) return;
    // Rows from before the key are the prefix that chains with plain SHA-256; they are kept as
    // they are ("legacy up to row N"), and the anchor pins the last of them.
    let legacyUpTo = 0;
    let previousHash = GENESIS_HASH;
    let head: AuditRow | undefined;
    let keyedAfter = 0;
    for await (const page of this.store.streamAudit(5000)) {
      for (const row of page) {
        head = row;
        const legacy =
          keyedAfter === 0 &&
          row.seq === legacyUpTo + 1 &&
          row.prevHash === previousHash &&
          auditHash(row.prevHash, row) === row.hash;
        if (legacy) {
          legacyUpTo = row.seq;
          previousHash = row.hash;
        } else keyedAfter += 1;
      }
    }
    const note =
      keyedAfter > 0
        ? `the audit anchor was missing while the table held ${keyedAfter} keyed rows: anchored again at row ${head?.seq}; a tail cut before now cannot be seen`
        : undefined;
    trust.anchor.begin({
      legacyUpTo,
      head: head === undefined ? undefined : { seq: head.seq, hash: head.hash },
      ...(note !== undefined ? { note } : {}),
    });
    if (note !== undefined) trust.onBegin?.(note, 'warn');
    else
      trust.onBegin?.(
        legacyUpTo > 0
          ? `audit anchor started; rows 1–${legacyUpTo} predate the key and stay checked as a SHA-256 chain`
          : 'audit anchor started',
        'info',
      );
  }
}
