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

/** Raw items as received (e.g. a chunk of a file), with their line numbers and JSON text when known. */
export interface RawBatch {
  items: unknown[];
  lineNumbers?: number[];
  /** The JSON text each item was parsed from (a file's lines): the store may keep it as it is. */
  texts?: string[];
}

/**
 * Valid events and, where known, the JSON text each was read from exactly as it is used (an
 * envelope of id, type, time and data, nothing else, data unchanged by validation).
 */
interface EventBatch {
  events: RefundguardEvent[];
  sources?: (string | undefined)[];
}

const BATCH_SIZE = 5_000;
/**
 * Batches handed to the store and not yet awaited. While the store writes one (SQLite in its
 * writer thread, PostgreSQL over the network), the engine assesses the next; a third waits for
 * the oldest to commit, which bounds memory and how far the state runs ahead of the database.
 */
const MAX_WRITES_IN_FLIGHT = 2;

type WriteOutcome = { inserted: number } | { error: unknown };
const NOTHING_TO_WRITE: Promise<WriteOutcome> = Promise.resolve({ inserted: 0 });

export type AssessRefundResult =
  | { ok: true; assessment: RefundAssessment; record: AssessmentRecord }
  | { ok: false; problems: FieldProblem[] };

export class RiskEngine {
  private state: RiskState;
  /** Ids of the events in the state, stored or being stored: a re-sent id is skipped without asking the store. */
  private knownIds = new Set<string>();
  /** Writes run one after another, so the state sees events in commit order. */
  private writes: Promise<unknown> = Promise.resolve();
  /** API assessments waiting for the write under way (see saveApiAssessment). */
  private apiWritesQueued: {
    record: AssessmentRecord;
    resolve: () => void;
    reject: (error: unknown) => void;
  }[] = [];
  private apiWriteUnderWay = false;
  /** Called with every assessment made while ingesting (replay collects them). */
  onAssessed: ((record: AssessmentRecord) => void) | undefined;
  /** Called with every assessment the engine records, ingested or asked through the API (the console opens cases). */
  private readonly assessedListeners = new Set<(record: AssessmentRecord) => void>();

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

  /** Registers a listener for every recorded assessment; returns the function that removes it. */
  addAssessedListener(listener: (record: AssessmentRecord) => void): () => void {
    this.assessedListeners.add(listener);
    return () => this.assessedListeners.delete(listener);
  }

  /** Rebuilds the in-memory state and the known ids from the stored events (on start, or after a failed write). */
  async load(onProgress?: ProgressCallback): Promise<void> {
    const state = new RiskState(this.rules.pack);
    const knownIds = new Set<string>();
    const total = await this.store.countEvents();
    let done = 0;
    for await (const page of this.store.streamEvents(10_000)) {
      for (const event of page) {
        state.apply(event);
        knownIds.add(event.id);
      }
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
    this.knownIds = knownIds;
  }

  /** Validates and ingests raw events; the invalid ones are reported and the rest still go in. */
  ingest(items: unknown[], lineNumbers?: number[], onProgress?: ProgressCallback): Promise<IngestResult> {
    const { valid, rejected } = validate({ items, lineNumbers });
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
    function* batches(): Iterable<EventBatch> {
      for (let start = 0; start < events.length; start += BATCH_SIZE) {
        yield { events: events.slice(start, start + BATCH_SIZE) };
      }
    }
    return this.serialised(() =>
      this.ingestBatches(batches(), (committed) => onProgress?.(committed, events.length)),
    );
  }

  /**
   * Validates and ingests a stream of raw batches (a file being read) as one write: the next
   * batch is read, validated and assessed while the previous ones are being stored. `onCommitted`
   * is called with the number of items whose batches are stored.
   */
  ingestStream(
    batches: AsyncIterable<RawBatch>,
    onCommitted?: (items: number) => void,
  ): Promise<IngestResult> {
    const rejected: RejectedEvent[] = [];
    const items: number[] = [];
    async function* validated(): AsyncIterable<EventBatch> {
      for await (const batch of batches) {
        const result = validate(batch);
        rejected.push(...result.rejected);
        items.push(batch.items.length);
        yield { events: result.valid, sources: result.sources };
      }
    }
    return this.serialised(async () => {
      let batchesCommitted = 0;
      let itemsCommitted = 0;
      const result = await this.ingestBatches(validated(), () => {
        itemsCommitted += items[batchesCommitted++] ?? 0;
        onCommitted?.(itemsCommitted);
      });
      return { ...result, received: items.reduce((sum, count) => sum + count, 0), rejected };
    });
  }

  /** Runs `write` after every write already queued, whether those succeed or fail. */
  private serialised<T>(write: () => Promise<T>): Promise<T> {
    const next = this.writes.then(write, write);
    this.writes = next.catch(() => undefined);
    return next;
  }

  /**
   * Per batch: keeps the events not seen before (first occurrence of an id), applies and assesses
   * them, and hands them with their assessments to the store without waiting, at most
   * MAX_WRITES_IN_FLIGHT at a time. If a write fails, the ones under way are awaited, the state and
   * known ids are rebuilt from what the store holds, and the error is thrown.
   */
  private async ingestBatches(
    batches: Iterable<EventBatch> | AsyncIterable<EventBatch>,
    onCommitted?: (events: number) => void,
  ): Promise<Omit<IngestResult, 'rejected'>> {
    const inFlight: { outcome: Promise<WriteOutcome>; events: number; writes: boolean }[] = [];
    let writesInFlight = 0;
    let received = 0;
    let inserted = 0;
    let assessed = 0;
    let committed = 0;
    let failure: { error: unknown } | undefined;
    /** The state holds events the store may not: it must be rebuilt if this ends in failure. */
    let diverged = false;
    const settleOldest = async () => {
      const oldest = inFlight.shift()!;
      if (oldest.writes) writesInFlight -= 1;
      const outcome = await oldest.outcome;
      if ('error' in outcome) {
        failure ??= outcome;
        diverged = true;
        return;
      }
      inserted += outcome.inserted;
      committed += oldest.events;
      onCommitted?.(committed);
    };
    try {
      for await (const batch of batches) {
        if (failure !== undefined) break;
        received += batch.events.length;
        const { events: fresh, sources } = this.takeNew(batch);
        let outcome = NOTHING_TO_WRITE;
        if (fresh.length > 0) {
          diverged = true;
          const records = this.applyAndAssess(fresh);
          diverged = false;
          assessed += records.length;
          // The batch is assessed: now wait, if need be, for room to write it.
          while (writesInFlight >= MAX_WRITES_IN_FLIGHT) await settleOldest();
          if (failure !== undefined) break;
          outcome = startWrite(() => this.store.appendBatch(fresh, records, sources));
          writesInFlight += 1;
        }
        inFlight.push({ outcome, events: batch.events.length, writes: fresh.length > 0 });
        // Batches with nothing new count as stored once those before them are.
        while (inFlight.length > 0 && !inFlight[0]!.writes) await settleOldest();
      }
    } catch (error) {
      failure ??= { error };
    }
    while (inFlight.length > 0) await settleOldest();
    if (failure !== undefined) {
      if (diverged) await this.load();
      throw failure.error;
    }
    return { received, inserted, duplicates: received - inserted, assessed };
  }

  /** The batch's events whose ids were not seen before, each id once; they become known. */
  private takeNew({ events, sources }: EventBatch): EventBatch {
    const fresh: RefundguardEvent[] = [];
    const freshSources: (string | undefined)[] | undefined = sources && [];
    const knownIds = this.knownIds;
    for (let index = 0; index < events.length; index += 1) {
      const event = events[index] as RefundguardEvent;
      // One lookup in a set of every id: the id was new if adding it grew the set.
      const known = knownIds.size;
      knownIds.add(event.id);
      if (knownIds.size > known) {
        fresh.push(event);
        freshSources?.push(sources?.[index]);
      }
    }
    return { events: fresh, sources: freshSources };
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
    for (const record of records) {
      this.onAssessed?.(record);
      for (const listener of this.assessedListeners) listener(record);
    }
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
    await this.saveApiAssessment(record);
    for (const listener of this.assessedListeners) listener(record);
    return { ok: true, assessment, record };
  }

  /**
   * Group commit of API assessments: the caller is answered only once its record is committed (a
   * decision given with no record of it could not be explained or audited later), but the records
   * asked for while one write is under way go together in the next transaction, so that a busy API
   * pays one store round trip per batch, not per request. A failed write fails its whole batch.
   */
  private saveApiAssessment(record: AssessmentRecord): Promise<void> {
    return new Promise((resolve, reject) => {
      this.apiWritesQueued.push({ record, resolve, reject });
      if (!this.apiWriteUnderWay) this.writeApiAssessments();
    });
  }

  private writeApiAssessments(): void {
    const batch = this.apiWritesQueued;
    this.apiWritesQueued = [];
    this.apiWriteUnderWay = true;
    const records = batch.map((entry) => entry.record);
    void startWrite(() => this.store.appendBatch([], records)).then((outcome) => {
      for (const entry of batch) {
        if ('error' in outcome) entry.reject(outcome.error);
        else entry.resolve();
      }
      this.apiWriteUnderWay = false;
      if (this.apiWritesQueued.length > 0) this.writeApiAssessments();
    });
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

/** Parses each item against the contract; the invalid ones are reported by position (and line). */
function validate({ items, lineNumbers, texts }: RawBatch): {
  valid: RefundguardEvent[];
  sources: (string | undefined)[] | undefined;
  rejected: RejectedEvent[];
} {
  const valid: RefundguardEvent[] = [];
  const sources: (string | undefined)[] | undefined = texts && [];
  const rejected: RejectedEvent[] = [];
  items.forEach((item, index) => {
    const result = parseEvent(item);
    if (result.ok) {
      valid.push(result.event);
      sources?.push(isUsedAsRead(item, result.event) ? texts?.[index] : undefined);
    } else {
      const eventId = typeof item === 'object' && item !== null ? (item as { id?: unknown }).id : undefined;
      rejected.push({
        index,
        ...(lineNumbers?.[index] !== undefined ? { line: lineNumbers[index] } : {}),
        ...(typeof eventId === 'string' ? { eventId } : {}),
        problems: result.problems,
      });
    }
  });
  return { valid, sources, rejected };
}

/** Whether the event is its item as read: the same data object, and no envelope field but the contract's four. */
function isUsedAsRead(item: unknown, event: RefundguardEvent): boolean {
  if ((item as { data?: unknown }).data !== event.data) return false;
  let keys = 0;
  for (const _key in item as object) keys += 1;
  return keys === 4;
}

/** Starts a write and turns its result into a value, so that it is never an unhandled rejection. */
function startWrite(write: () => Promise<{ inserted: number }>): Promise<WriteOutcome> {
  try {
    return write().then(
      ({ inserted }) => ({ inserted }),
      (error: unknown) => ({ error }),
    );
  } catch (error) {
    return Promise.resolve({ error });
  }
}
