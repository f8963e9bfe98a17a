// The engine: validates events, stores them once, keeps the detectors' state up to date and
// assesses every refund request and sign-up at its own moment. The same engine serves the API,
// `import` and `replay`.
import { type RefundAssessment, assessRefund, assessSignup } from '../core/assessment.ts';
import {
  type FieldProblem,
  parseEvent,
  type RefundguardEvent,
  type RefundRequested,
  refundRequestedSchema,
} from '../core/events.ts';
import { RiskState } from '../core/risk-state.ts';
import type { CompiledRulePack } from '../core/rules/rule-engine.ts';
import type { AssessmentKind, AssessmentRecord, Store } from './ports.ts';

export interface RejectedEvent {
  /** Position in the submitted batch (0-based), or the file's line number when known. */
  index: number;
  line?: number;
  eventId?: string;
  problems: FieldProblem[];
}

export interface IngestResult {
  received: number;
  inserted: number;
  duplicates: number;
  rejected: RejectedEvent[];
  assessed: number;
}

export type ProgressCallback = (done: number, total?: number) => void;

const BATCH_SIZE = 5_000;

export type AssessRefundResult =
  | { ok: true; assessment: RefundAssessment; record: AssessmentRecord }
  | { ok: false; problems: FieldProblem[] };

export class RiskEngine {
  private state: RiskState;
  /** Writes run one after another, so the state sees events in commit order. */
  private writes: Promise<unknown> = Promise.resolve();
  /** Called with every assessment made while ingesting (replay collects them). */
  onAssessed: ((record: AssessmentRecord) => void) | undefined;

  constructor(
    readonly store: Store,
    readonly rules: CompiledRulePack,
    private readonly clock: () => number = Date.now,
  ) {
    this.state = new RiskState(rules.pack);
  }

  get riskState(): RiskState {
    return this.state;
  }

  /** Rebuilds the in-memory state from the stored events (on start, or after a failed write). */
  async load(onProgress?: ProgressCallback): Promise<void> {
    const state = new RiskState(this.rules.pack);
    const total = await this.store.countEvents();
    let done = 0;
    for await (const page of this.store.streamEvents(10_000)) {
      for (const event of page) state.apply(event);
      done += page.length;
      onProgress?.(done, total);
    }
    // The engine's earlier decisions feed later features (e.g. an agent approving flagged refunds).
    for (const record of await this.store.listAssessments({
      subjectType: 'refund',
      kind: 'request',
      decisions: ['review', 'deny'],
    })) {
      const refund = state.refunds.get(record.subjectId);
      if (refund) refund.assessedDecision = record.decision;
    }
    this.state = state;
  }

  /** Validates and ingests raw events; the invalid ones are reported and the rest still go in. */
  ingest(items: unknown[], lineNumbers?: number[], onProgress?: ProgressCallback): Promise<IngestResult> {
    const valid: RefundguardEvent[] = [];
    const rejected: RejectedEvent[] = [];
    items.forEach((item, index) => {
      const result = parseEvent(item);
      if (result.ok) valid.push(result.event);
      else {
        const eventId = typeof item === 'object' && item !== null ? (item as { id?: unknown }).id : undefined;
        rejected.push({
          index,
          ...(lineNumbers?.[index] !== undefined ? { line: lineNumbers[index] } : {}),
          ...(typeof eventId === 'string' ? { eventId } : {}),
          problems: result.problems,
        });
      }
    });
    return this.ingestEvents(valid, onProgress).then((result) => ({
      ...result,
      received: items.length,
      rejected,
    }));
  }

  /** Ingests validated events in transactional batches. */
  ingestEvents(
    events: RefundguardEvent[],
    onProgress?: ProgressCallback,
  ): Promise<Omit<IngestResult, 'rejected'>> {
    const run = async () => {
      let inserted = 0;
      let duplicates = 0;
      let assessed = 0;
      for (let start = 0; start < events.length; start += BATCH_SIZE) {
        const batch = events.slice(start, start + BATCH_SIZE);
        try {
          const result = await this.store.commitBatch(batch, (fresh) => {
            const records = this.applyAndAssess(fresh);
            assessed += records.length;
            return records;
          });
          inserted += result.inserted;
          duplicates += result.duplicates;
        } catch (error) {
          // The transaction rolled back but the state may have seen part of the batch: rebuild it.
          await this.load();
          throw error;
        }
        onProgress?.(Math.min(start + BATCH_SIZE, events.length), events.length);
      }
      return { received: events.length, inserted, duplicates, assessed };
    };
    const next = this.writes.then(run, run);
    this.writes = next.catch(() => undefined);
    return next;
  }

  private applyAndAssess(fresh: RefundguardEvent[]): AssessmentRecord[] {
    // Apply the whole batch first, then assess: features filter by time, so an event that
    // arrived late in the batch but happened earlier is still seen, and nothing later is.
    for (const event of fresh) this.state.apply(event);
    const records: AssessmentRecord[] = [];
    for (const event of fresh) {
      if (event.type === 'refund.requested')
        records.push(this.assessRequested(event.data, event.at, 'request'));
      else if (event.type === 'account.created') {
        const assessment = assessSignup(this.state, this.rules, event);
        records.push({
          subjectType: 'signup',
          subjectId: event.data.accountId,
          kind: 'request',
          accountId: event.data.accountId,
          at: event.at,
          decision: assessment.decision,
          score: assessment.score,
          reasons: assessment.reasons,
          signals: assessment.signals,
          rulePackVersion: assessment.rulePackVersion,
          amountMinor: null,
          currency: null,
          amountUsdMinor: null,
          createdAt: this.clock(),
        });
      }
    }
    for (const record of records) this.onAssessed?.(record);
    return records;
  }

  private assessRequested(request: RefundRequested, at: number, kind: AssessmentKind): AssessmentRecord {
    const assessment = assessRefund(this.state, this.rules, request, at);
    if (kind === 'request') {
      const refund = this.state.refunds.get(request.refundId);
      if (refund) refund.assessedDecision = assessment.decision;
    }
    return this.toRecord(request, at, kind, assessment);
  }

  private toRecord(
    request: RefundRequested,
    at: number,
    kind: AssessmentKind,
    assessment: RefundAssessment,
  ): AssessmentRecord {
    return {
      subjectType: 'refund',
      subjectId: request.refundId,
      kind,
      accountId: request.accountId,
      at,
      decision: assessment.decision,
      score: assessment.score,
      reasons: assessment.reasons,
      signals: { ...assessment.signals, matchedRules: assessment.matchedRules },
      rulePackVersion: assessment.rulePackVersion,
      amountMinor: request.amountMinor,
      currency: request.currency,
      amountUsdMinor: this.state.usd(request.amountMinor, request.currency),
      createdAt: this.clock(),
    };
  }

  /**
   * Assesses a refund asked about through the API (not an event: the state does not change).
   * `time` is the decided moment; by default, now.
   */
  async assessRefundRequest(payload: unknown, time?: number): Promise<AssessRefundResult> {
    const parsed = refundRequestedSchema.safeParse(payload);
    if (!parsed.success) {
      return {
        ok: false,
        problems: parsed.error.issues.map((issue) => ({
          field: issue.path.join('.') || '(root)',
          reason: issue.message,
        })),
      };
    }
    const at = time ?? this.clock();
    const assessment = assessRefund(this.state, this.rules, parsed.data, at);
    const record = this.toRecord(parsed.data, at, 'api', assessment);
    await this.store.saveAssessment(record);
    return { ok: true, assessment, record };
  }

  /** The decision as of `asOf` (default: the latest event), with later evidence (returns, closures, intel) in view. */
  finalAssessment(refundId: string, asOf: number = this.state.lastEventAt): RefundAssessment | undefined {
    const refund = this.state.refunds.get(refundId);
    if (!refund) return undefined;
    const request: RefundRequested = {
      refundId: refund.refundId,
      orderId: refund.orderId,
      accountId: refund.accountId,
      amountMinor: refund.amountMinor,
      currency: refund.currency,
      reason: refund.reason as RefundRequested['reason'],
      channel: refund.channel as RefundRequested['channel'],
      contactId: refund.contactId,
      agentId: refund.agentId,
      returnRequired: refund.returnRequired,
    };
    return assessRefund(this.state, this.rules, request, refund.at, Math.max(asOf, refund.at));
  }
}
