// Opening cases from detections: risky refund decisions open a case for the account or join its
// open one (as the engine records them; a scan at start catches up), sign-ups flagged as banned
// people open ban-evasion cases, and ring detection runs open or join ring cases. One queue runs
// all of it, one opening at a time.
import { randomUUID } from 'node:crypto';
import { JOINABLE_STATUSES } from '../core/cases/case-machine.ts';
import type { Ring } from '../core/rings/ring.ts';
import { assessmentCaseTotals, ringCaseTotals } from './case-totals.ts';
import type { CaseStore, FlaggedAssessment } from './console-ports.ts';
import type { RiskEngine } from './engine.ts';
import type { AssessmentRecord } from './ports.ts';
import { type RingSource, ringMembers, ringSnapshot, ringTitle } from './ring-cases.ts';

const SYNC_CURSOR_KEY = 'console.cases.synced_until';
/** Assessments committed late (a long batch) may carry an earlier creation time: the catch-up re-reads this far back. */
const SYNC_LAG_MS = 120_000;
const SYNC_PAGE = 1000;

/** The flagged decisions that open cases: refunds sent to review or denied, sign-ups flagged as banned people. */
export function flaggedFrom(record: AssessmentRecord): FlaggedAssessment | undefined {
  const flagged =
    record.subjectType === 'refund'
      ? record.decision === 'review' || record.decision === 'deny'
      : record.decision === 'review' || record.decision === 'block';
  if (!flagged) return undefined;
  return {
    subjectType: record.subjectType,
    refundId: record.subjectId,
    kind: record.kind,
    accountId: record.accountId,
    at: record.at,
    decision: record.decision,
    reasonCodes: record.reasons.map((reason) => reason.code),
    amountUsdMinor: record.amountUsdMinor,
    createdAt: record.createdAt,
  };
}

export interface CaseOpeningDependencies {
  engine: RiskEngine;
  consoleStore: CaseStore;
  /** Ring detection runs made while ingesting are polled for after each drain. */
  rings: RingSource | undefined;
  clock: () => number;
  /** Told when a case could not be opened in-flow (the catch-up scan at the next start retries it). */
  onError: (error: unknown) => void;
}

export class CaseOpening {
  readonly #engine: RiskEngine;
  readonly #consoleStore: CaseStore;
  readonly #clock: () => number;
  readonly #onError: (error: unknown) => void;
  readonly #rings: RingSource | undefined;
  #sync: Promise<unknown> = Promise.resolve();
  #drainQueued = false;
  /** Flagged assessments the engine recorded, waiting to open or join their case. */
  #pending: FlaggedAssessment[] = [];
  #unsubscribe: (() => void) | undefined;

  constructor(dependencies: CaseOpeningDependencies) {
    this.#engine = dependencies.engine;
    this.#consoleStore = dependencies.consoleStore;
    this.#clock = dependencies.clock;
    this.#onError = dependencies.onError;
    this.#rings = dependencies.rings;
  }

  /**
   * Opens and joins cases as the engine records assessments (ingested events and API asks): a
   * flagged refund decision → the account's `refund` case; a sign-up flagged as a banned person →
   * a `ban_evasion` case on the new account. Returns the function that stops listening.
   */
  start(): () => void {
    this.#unsubscribe ??= this.#engine.addAssessedListener((record) => {
      const flagged = flaggedFrom(record);
      if (flagged === undefined) return;
      this.#pending.push(flagged);
      this.#requestDrain();
    });
    return () => this.stop();
  }

  stop(): void {
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
  }

  /** Catch-up: opens or joins cases for flagged assessments stored since the last run (on start; restart-safe). */
  syncCases(): Promise<number> {
    return this.#serialised(() => this.#syncNow());
  }

  /** Resolves when no case opening is running or queued. */
  async idle(): Promise<void> {
    while (this.#drainQueued || this.#pending.length > 0) {
      await new Promise((resolve) => setImmediate(resolve));
      await this.#sync;
    }
    await this.#sync;
  }

  #serialised<T>(work: () => Promise<T>): Promise<T> {
    const next = this.#sync.then(work, work);
    this.#sync = next.catch(() => undefined);
    return next;
  }

  #requestDrain(): void {
    if (this.#drainQueued) return;
    this.#drainQueued = true;
    // After the current turn: the engine hands the batch's assessments to the store first.
    setImmediate(() => {
      this.#drainQueued = false;
      void this.#serialised(() => this.#drain()).catch(() => undefined);
    });
  }

  async #drain(): Promise<void> {
    let newest: number | undefined;
    while (this.#pending.length > 0) {
      const batch = this.#pending.splice(0, this.#pending.length);
      for (const assessment of batch) {
        try {
          await this.#openOrJoin(assessment);
          newest = Math.max(newest ?? 0, assessment.createdAt);
        } catch (error) {
          // Left for the catch-up scan at the next start.
          this.#onError(error);
        }
      }
    }
    // Ingestion may have run ring detection: its listeners (ring cases) hear of it now.
    this.#rings?.poll?.();
    if (newest !== undefined) {
      const stored = Number((await this.#consoleStore.getConsoleMeta(SYNC_CURSOR_KEY)) ?? 0);
      if (newest > stored) await this.#consoleStore.setConsoleMeta(SYNC_CURSOR_KEY, String(newest));
    }
  }

  async #syncNow(): Promise<number> {
    const stored = Number((await this.#consoleStore.getConsoleMeta(SYNC_CURSOR_KEY)) ?? 0);
    const from = Math.max(0, stored - SYNC_LAG_MS);
    let after: { createdAt: number; subjectType: string; refundId: string; kind: string } | undefined;
    let newest = stored;
    let joined = 0;
    for (;;) {
      const page = await this.#consoleStore.flaggedAssessmentsSince(from, after, SYNC_PAGE);
      for (const assessment of page) {
        if (await this.#openOrJoin(assessment)) joined += 1;
        newest = Math.max(newest, assessment.createdAt);
      }
      const last = page.at(-1);
      if (last === undefined || page.length < SYNC_PAGE) break;
      after = {
        createdAt: last.createdAt,
        subjectType: last.subjectType,
        refundId: last.refundId,
        kind: last.kind,
      };
    }
    if (newest !== stored) await this.#consoleStore.setConsoleMeta(SYNC_CURSOR_KEY, String(newest));
    return joined;
  }

  /** True when the assessment was new evidence for its case (insert-or-join: safe under concurrency). */
  async #openOrJoin(assessment: FlaggedAssessment): Promise<boolean> {
    const now = this.#clock();
    const signup = assessment.subjectType === 'signup';
    const { record, created } = await this.#consoleStore.createCaseOnce({
      id: randomUUID(),
      type: signup ? 'ban_evasion' : 'refund',
      subjectType: 'account',
      subjectId: assessment.accountId,
      title: signup
        ? `Sign-up ${assessment.accountId} looks like a banned person`
        : `Risky refunds on account ${assessment.accountId}`,
      status: 'open',
      priorityUsdMinor: 0,
      marketplace: this.#engine.riskState.accounts.get(assessment.accountId)?.marketplace ?? null,
      assigneeId: null,
      openedAt: now,
      updatedAt: now,
      refundCount: 0,
      topReasons: [],
      agentIds: [],
      outcome: null,
    });
    if (created) {
      await this.#consoleStore.addHistory({
        caseId: record.id,
        from: null,
        to: 'open',
        by: 'system',
        at: now,
        note: signup
          ? `Opened by a ${assessment.decision} decision on the sign-up of account ${assessment.accountId}.`
          : `Opened by a ${assessment.decision} decision on refund ${assessment.refundId}.`,
      });
    }
    const amount =
      assessment.amountUsdMinor === null ? '' : ` of ${(assessment.amountUsdMinor / 100).toFixed(2)} USD`;
    const reasons = assessment.reasonCodes.join(', ') || 'no reason';
    const agentId = signup ? undefined : this.#engine.riskState.refunds.get(assessment.refundId)?.agentId;
    const { added } = await this.#consoleStore.addEvidenceAndRefresh(
      {
        caseId: record.id,
        kind: 'assessment',
        refId: signup ? `signup:${assessment.accountId}` : assessment.refundId,
        summary: signup
          ? `Sign-up of ${assessment.accountId}: ${assessment.decision} (${reasons})`
          : `Refund ${assessment.refundId}${amount}: ${assessment.decision} (${reasons})`,
        at: assessment.at,
        amountUsdMinor: assessment.amountUsdMinor,
        data: {
          decision: assessment.decision,
          reasons: assessment.reasonCodes,
          kind: assessment.kind,
          subjectType: assessment.subjectType,
          ...(agentId ? { agentId } : {}),
        },
      },
      (all, current) => assessmentCaseTotals(all, current, now),
    );
    return added;
  }

  // ---- ring detections ----

  /**
   * After a ring detection run: each ring opens a `ring` case, or joins the joinable ring case it
   * shares most members with (ring ids change when membership does; within one run a case is joined
   * by one ring only: a ring that split opens a case for its other part). Priority is the ring's value.
   */
  recordRings(rings: readonly Ring[]): Promise<number> {
    return this.#serialised(() => this.#recordRings(rings));
  }

  async #recordRings(rings: readonly Ring[]): Promise<number> {
    const open = await this.#consoleStore.listCases({
      types: ['ring'],
      statuses: [...JOINABLE_STATUSES],
      limit: 10_000,
      offset: 0,
    });
    const members = new Map<string, Set<string>>();
    for (const item of open.items)
      members.set(item.id, new Set(await ringMembers(this.#consoleStore, item.id)));
    const claimed = new Set<string>();
    let changed = 0;
    for (const ring of [...rings].sort(
      (left, right) => right.valueUsd - left.valueUsd || left.ringId.localeCompare(right.ringId),
    )) {
      let best: { caseId: string; shared: number } | undefined;
      for (const [caseId, accounts] of members) {
        if (claimed.has(caseId)) continue;
        let shared = 0;
        for (const accountId of ring.accountIds) if (accounts.has(accountId)) shared += 1;
        if (shared > 0 && (best === undefined || shared > best.shared)) best = { caseId, shared };
      }
      const now = this.#clock();
      let caseId = best?.caseId;
      if (caseId === undefined) {
        const { record, created } = await this.#consoleStore.createCaseOnce({
          id: randomUUID(),
          type: 'ring',
          subjectType: 'ring',
          subjectId: ring.ringId,
          title: ringTitle(ring),
          status: 'open',
          priorityUsdMinor: Math.round(ring.valueUsd * 100),
          marketplace: null,
          assigneeId: null,
          openedAt: now,
          updatedAt: now,
          refundCount: ring.refundIds.length,
          topReasons: ring.reasons.map((reason) => reason.code).slice(0, 5),
          agentIds: ring.agentIds,
          outcome: null,
        });
        caseId = record.id;
        if (created)
          await this.#consoleStore.addHistory({
            caseId,
            from: null,
            to: 'open',
            by: 'system',
            at: now,
            note: `Opened by ring detection: ${ring.accountIds.length} accounts, ${ring.refundIds.length} refunds.`,
          });
      }
      claimed.add(caseId);
      members.set(caseId, new Set(ring.accountIds));
      const { added } = await this.#consoleStore.addEvidenceAndRefresh(
        {
          caseId,
          kind: 'ring',
          // A new membership, or new refunds by the same members, is new evidence.
          refId: `${ring.ringId}#${ring.refundIds.length}`,
          summary: `Ring ${ring.ringId.slice(0, 12)}: ${ring.accountIds.length} accounts, ${ring.refundIds.length} refunds, ${ring.valueUsd.toFixed(2)} USD (${ring.reasons.map((reason) => reason.code).join(', ')})`,
          at: now,
          amountUsdMinor: Math.round(ring.valueUsd * 100),
          data: { ...ringSnapshot(ring) },
        },
        (all) => ringCaseTotals(all, ring, now),
      );
      if (added) changed += 1;
    }
    return changed;
  }
}
