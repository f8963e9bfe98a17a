// The append-only audit log: every view of personal data, every action, login and role change,
// and every refused call. Rows are hash-chained (core/cases/audit-chain.ts); `verifyAudit` checks it.
import { AuditChainVerifier, type AuditRow, type ChainCheck, chainEntry } from '../core/cases/audit-chain.ts';
import type { AuditStore } from './console-ports.ts';
import type { Clock } from './ports.ts';

export class AuditLog {
  constructor(
    private readonly store: AuditStore,
    private readonly clock: Clock,
  ) {}

  record(
    actor: string,
    action: string,
    subject: string,
    detail: Record<string, unknown> = {},
  ): Promise<AuditRow> {
    const at = this.clock();
    return this.store.appendAudit((previous) => chainEntry(previous, { at, actor, action, subject, detail }));
  }

  list(limit: number, beforeSeq?: number): Promise<AuditRow[]> {
    return this.store.listAudit({ limit, ...(beforeSeq !== undefined ? { beforeSeq } : {}) });
  }
}

/** Walks the whole chain; the first row that does not chain is named. */
export async function verifyAudit(store: AuditStore): Promise<ChainCheck> {
  const verifier = new AuditChainVerifier();
  for await (const page of store.streamAudit(5000)) {
    for (const row of page) if (!verifier.add(row)) return verifier.result();
  }
  return verifier.result();
}
