// The engine: validates events, stores them once, keeps the detectors' state up to date and
// assesses every refund request and sign-up at its own moment. The same engine serves the API,
// `import` and `replay`.
import { assessRefund, assessSignup, type RefundAssessment } from '../core/assessment.ts';
import { DECISIONS, type Decision } from '../core/decisions.ts';
import {
  type FieldProblem,
  payloadLimit,
  type RefundguardEvent,
  type RefundRequested,
  refundRequestedSchema,
} from '../core/events.ts';
import type { DecisionPolicy } from '../core/evidence/evidence-pack.ts';
import { RefundDecider } from '../core/evidence/refund-decider.ts';
import { BoundModel, modelFitsPack, type RefundModel } from '../core/evidence/refund-model.ts';
import { logit } from '../core/evidence/scoring.ts';
import { refundSignals } from '../core/refund-signals.ts';
import type { RefundFacts } from '../core/risk-facts.ts';
import { RiskState } from '../core/risk-state.ts';
import type { CompiledRulePack } from '../core/rules/rule-engine.ts';
import {
  DEFAULT_TIME_WINDOW,
  type EventBatch,
  type EventOrigin,
  NOTHING_TO_WRITE,
  type RawBatch,
  type RejectedEvent,
  outsideWindow,
  startWrite,
  type TimeWindow,
  timeOrder,
  validate,
  type WriteOutcome,
} from './ingest-batch.ts';
import { type ShadowCandidate, ShadowRun } from './learning/shadow.ts';
import type { AssessmentKind, AssessmentRecord, Clock, ShadowRecord, Store } from './ports.ts';

/**
 * Something that learns as event time moves on (model retraining). Asked at every event whether it
 * is due, so that when it learns depends on the events' times, not on where a batch ends.
 */
export interface EventTimeLearner {
  isDue(engine: RiskEngine, at: number): boolean;
  /** Learns from what happened before `at`; the event at `at` and those after are assessed after it. */
  retrain(engine: RiskEngine, at: number): Promise<unknown>;
}

export interface EngineOptions {
  /** The moments ingested events and API assessments may have (default: up to a day ahead, from 2000). */
  timeWindow?: TimeWindow;
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
/**
 * Batches handed to the store and not yet awaited. While the store writes one (SQLite in its
 * writer thread, PostgreSQL over the network), the engine assesses the next; a third waits for
 * the oldest to commit, which bounds memory and how far the state runs ahead of the database.
 */
const MAX_WRITES_IN_FLIGHT = 2;

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
  /** Decides refunds: the retailer's measured evidence, the promoted model, the policy. */
  readonly decider: RefundDecider;
  /** Every model this engine has known, by version (a final decision uses the one its request used). */
  private readonly models = new Map<string, BoundModel>();
  /** Retrains models between batches, when set (replay, a live server). */
  learner: EventTimeLearner | undefined;
  /** A candidate deciding beside the live decider, when one is being tried. */
  private shadowRun: ShadowRun | undefined;
  /** Shadow decisions are stored one batch after another; a failure there never fails ingestion. */
  private shadowWrites: Promise<void> = Promise.resolve();
  /** Shadow decisions not yet stored (the latest failure is kept for the console to show). */
  shadowError: unknown;
  /** The moments accepted from the outside (events sent or imported, API assessments). */
  readonly timeWindow: TimeWindow;

  constructor(
    readonly store: Store,
    readonly rules: CompiledRulePack,
    /** The wall clock for createdAt (decisions go by event time); the replay's learner uses it too. */
    readonly clock: Clock,
    options: EngineOptions = {},
  ) {
    this.timeWindow = options.timeWindow ?? DEFAULT_TIME_WINDOW;
    this.state = new RiskState(rules.pack);
    this.decider = new RefundDecider(rules);
  }

  /** The promoted model, if any. */
  get model(): BoundModel | undefined {
    return this.decider.model;
  }

  /** Decides with this model from now on (undefined: the measured evidence alone). Throws if it names evidence the pack lacks. */
  decideWithModel(model: RefundModel | undefined): void {
    if (model === undefined) {
      this.decider.model = undefined;
      return;
    }
    if (!modelFitsPack(model, this.rules.pack.evidence))
      throw new Error(
        `model ${model.version} was trained on evidence rule pack ${this.rules.pack.version} does not have`,
      );
    const bound = this.models.get(model.version) ?? new BoundModel(model, this.rules.pack.evidence);
    this.models.set(model.version, bound);
    this.decider.model = bound;
  }

  get shadow(): ShadowRun | undefined {
    return this.shadowRun;
  }

  /**
   * Starts trying a candidate beside the live decider. Its counts are first brought up to date by
   * deciding again, as of each one's moment, the refunds of its counting window (the state answers
   * "as of" any moment), so it is judged warm, not on its written guesses.
   */
  startShadow(candidate: ShadowCandidate): ShadowRun {
    const run = new ShadowRun(candidate);
    const windowMs = candidate.rules.pack.evidenceRates.windowDays * 86_400_000;
    const since = this.state.lastEventAt - windowMs;
    const recent = [...this.state.refunds.values()]
      .filter((refund) => refund.at >= since)
      .sort((left, right) => left.at - right.at);
    for (const refund of recent) {
      const signals = refundSignals(this.state, requestOf(refund), {
        at: refund.at,
        marketplaceLanguages: this.rules.pack.marketplaceLanguages,
        commonValueAccountLimit: this.rules.pack.commonValueAccountLimit,
      });
      const decided = run.decider.decide(signals, refund.at, 'request');
      run.decider.observe(refund.at, decided.observation, decided.score);
    }
    this.shadowRun = run;
    return run;
  }

  stopShadow(): void {
    this.shadowRun = undefined;
  }

  /** Waits for the shadow decisions handed to the store so far. */
  flushShadow(): Promise<void> {
    return this.shadowWrites;
  }

  private saveShadow(records: ShadowRecord[]): void {
    if (records.length === 0) return;
    this.shadowWrites = this.shadowWrites
      .then(() => this.store.saveShadowRecords(records))
      .catch((error: unknown) => {
        this.shadowError = error;
      });
  }

  /** Decides with this policy from now on. */
  decideWithPolicy(policy: DecisionPolicy): void {
    this.decider.policy = policy;
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
    // The engine's earlier decisions feed later features (e.g. an agent approving flagged refunds),
    // its counts of what refunds show, its score window, and the models learned from them.
    this.decider.clear();
    const records = await this.store.listAssessments({ subjectType: 'refund', kind: 'request' });
    records.sort((left, right) => left.at - right.at);
    for (const record of records) {
      const refund = state.refunds.get(record.subjectId);
      if (refund) refund.assessedDecision = record.decision;
      const trace = record.signals.trace as
        | {
            levels?: Record<string, string>;
            evidenceLogit?: number;
            priorLogit?: number;
            policies?: string[];
          }
        | undefined;
      if (!trace?.levels || typeof trace.evidenceLogit !== 'number') continue;
      const observation = this.rules.evidence.parse(trace.levels);
      this.decider.observe(record.at, observation, record.score);
      if (refund)
        refund.assessed = {
          observation,
          evidenceLogit: trace.evidenceLogit,
          priorLogit: trace.priorLogit ?? logit(this.rules.pack.evidenceRates.fraudPrior),
          probability: record.score,
          modelVersion: record.modelVersion,
          forced: forcedDecision(this.rules, trace.policies ?? []),
        };
    }
    this.state = state;
    this.knownIds = knownIds;
    await this.loadModelAndPolicy();
  }

  /**
   * Rebuilds the state from the stored events after every write already queued (a live server, after
   * an erasure rewrote events): requests meanwhile are answered from the state held until then.
   */
  reload(): Promise<void> {
    return this.serialised(() => this.load());
  }

  /** The promoted model and the latest policy, from the store. */
  private async loadModelAndPolicy(): Promise<void> {
    this.decider.model = undefined;
    for (const stored of await this.store.listModels()) {
      if (!modelFitsPack(stored.model, this.rules.pack.evidence)) continue;
      const bound = new BoundModel(stored.model, this.rules.pack.evidence);
      this.models.set(stored.model.version, bound);
      if (stored.status === 'promoted') this.decider.model = bound;
    }
    const [latest] = await this.store.listPolicies();
    this.decider.policy = latest?.policy ?? this.rules.pack.policy;
  }

  /** Validates and ingests raw events; the invalid ones are reported and the rest still go in. */
  ingest(items: unknown[], lineNumbers?: number[], onProgress?: ProgressCallback): Promise<IngestResult> {
    const { valid, positions, rejected } = validate({ items, lineNumbers }, this.window());
    return this.ingestEvents(valid, onProgress, positions).then(({ refused, ...result }) => ({
      ...result,
      received: items.length,
      rejected: refused
        ? [...rejected, ...refused].sort((left, right) => left.index - right.index)
        : rejected,
    }));
  }

  /** The time window as of now, for validating what comes from outside. */
  private window(): { window: TimeWindow; now: number } {
    return { window: this.timeWindow, now: this.clock() };
  }

  /**
   * Ingests validated events in transactional batches. `origins`: where each event came from (its
   * position and line), for naming one that cannot be applied; `refused` lists those.
   */
  ingestEvents(
    events: RefundguardEvent[],
    onProgress?: ProgressCallback,
    origins?: EventOrigin[],
  ): Promise<Omit<IngestResult, 'rejected'> & { refused?: RejectedEvent[] }> {
    function* batches(): Iterable<EventBatch> {
      for (let start = 0; start < events.length; start += BATCH_SIZE) {
        yield {
          events: events.slice(start, start + BATCH_SIZE),
          ...(origins ? { origins: origins.slice(start, start + BATCH_SIZE) } : {}),
        };
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
        const result = validate(batch, window());
        rejected.push(...result.rejected);
        items.push(batch.items.length);
        yield { events: result.valid, sources: result.sources, origins: result.positions };
      }
    }
    const window = () => this.window();
    return this.serialised(async () => {
      let batchesCommitted = 0;
      let itemsCommitted = 0;
      const { refused, ...result } = await this.ingestBatches(validated(), () => {
        itemsCommitted += items[batchesCommitted++] ?? 0;
        onCommitted?.(itemsCommitted);
      });
      return {
        ...result,
        received: items.reduce((sum, count) => sum + count, 0),
        rejected: refused ? [...rejected, ...refused] : rejected,
      };
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
  ): Promise<Omit<IngestResult, 'rejected'> & { refused?: RejectedEvent[] }> {
    const refused: RejectedEvent[] = [];
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
        const { events: fresh, sources, origins } = this.takeNew(batch);
        let outcome = NOTHING_TO_WRITE;
        if (fresh.length > 0) {
          diverged = true;
          const records = await this.applyAndAssess(fresh, sources, refused, origins);
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
    return {
      received,
      inserted,
      duplicates: received - inserted - refused.length,
      assessed,
      // Only when some were: the rest of the time the result reads as it always did.
      ...(refused.length > 0 ? { refused } : {}),
    };
  }

  /** The batch's events whose ids were not seen before, each id once; they become known. */
  private takeNew({ events, sources, origins }: EventBatch): EventBatch {
    const fresh: RefundguardEvent[] = [];
    const freshSources: (string | undefined)[] | undefined = sources && [];
    const freshOrigins: EventOrigin[] | undefined = origins && [];
    const knownIds = this.knownIds;
    for (let index = 0; index < events.length; index += 1) {
      const event = events[index] as RefundguardEvent;
      // One lookup in a set of every id: the id was new if adding it grew the set.
      const known = knownIds.size;
      knownIds.add(event.id);
      if (knownIds.size > known) {
        fresh.push(event);
        freshSources?.push(sources?.[index]);
        freshOrigins?.push(origins?.[index] as EventOrigin);
      }
    }
    return {
      events: fresh,
      sources: freshSources,
      ...(freshOrigins ? { origins: freshOrigins } : {}),
    };
  }

  /**
   * Applies the batch's events to the state one at a time in time order (arrival order among equal
   * times: the order the store reloads them in), and assesses each request as soon as it is
   * applied: on what happened before it, whatever order the batch arrived in, and never on a later
   * event, wherever the batch ends. (Assessing after the whole batch let later events in through
   * bounded histories, e.g. the last logins kept per account.) The learner retrains wherever its
   * schedule falls due. An event the state cannot take is refused on its own (not stored, its id
   * forgotten) instead of failing the batch and rebuilding the state: the limits of
   * core/event-limits.ts are meant to make that never happen; this keeps a missed case to one event.
   * `fresh` and `sources` keep their arrival order, without the refused events.
   */
  private async applyAndAssess(
    fresh: RefundguardEvent[],
    sources: (string | undefined)[] | undefined,
    refused: RejectedEvent[],
    origins?: EventOrigin[],
  ): Promise<AssessmentRecord[]> {
    const records: AssessmentRecord[] = [];
    const dropped = new Set<number>();
    const learner = this.learner;
    for (const index of timeOrder(fresh)) {
      const event = fresh[index] as RefundguardEvent;
      if (learner?.isDue(this, event.at)) await learner.retrain(this, event.at);
      try {
        this.state.apply(event);
      } catch (error) {
        this.knownIds.delete(event.id);
        dropped.add(index);
        const origin = origins?.[index];
        refused.push({
          index: origin?.index ?? -1,
          ...(origin?.line !== undefined ? { line: origin.line } : {}),
          eventId: event.id,
          problems: [{ field: '(root)', reason: `could not be applied: ${(error as Error).message}` }],
        });
        continue;
      }
      const record = this.assessApplied(event);
      if (record) records.push(record);
    }
    if (dropped.size > 0) {
      let kept = 0;
      for (let index = 0; index < fresh.length; index += 1) {
        if (dropped.has(index)) continue;
        fresh[kept] = fresh[index] as RefundguardEvent;
        if (sources) sources[kept] = sources[index];
        kept += 1;
      }
      fresh.length = kept;
      if (sources) sources.length = kept;
    }
    const shadow = this.shadowRun;
    if (shadow)
      this.saveShadow(
        records
          .filter((record) => record.subjectType === 'refund')
          .map((record) => shadow.decide(record.signals, record, true)),
      );
    for (const record of records) {
      this.onAssessed?.(record);
      for (const listener of this.assessedListeners) listener(record);
    }
    return records;
  }

  /** The assessment of an event just applied: a refund request's or a sign-up's. */
  private assessApplied(event: RefundguardEvent): AssessmentRecord | undefined {
    if (event.type === 'refund.requested') return this.assessRequested(event.data, event.at, 'request');
    if (event.type !== 'account.created') return undefined;
    const assessment = assessSignup(this.state, this.rules, event);
    return {
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
      modelVersion: null,
      amountMinor: null,
      currency: null,
      amountUsdMinor: null,
      createdAt: this.clock(),
    };
  }

  private assessRequested(request: RefundRequested, at: number, kind: AssessmentKind): AssessmentRecord {
    const assessment = assessRefund(this.state, this.rules, request, at, undefined, this.decider);
    if (kind === 'request') {
      this.decider.observe(at, assessment.observation, assessment.score);
      const refund = this.state.refunds.get(request.refundId);
      if (refund) {
        refund.assessedDecision = assessment.decision;
        refund.assessed = {
          observation: assessment.observation,
          evidenceLogit: assessment.trace.evidenceLogit,
          priorLogit: assessment.trace.priorLogit,
          probability: assessment.score,
          modelVersion: assessment.modelVersion,
          forced: forcedDecision(this.rules, assessment.trace.policies),
        };
      }
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
      signals: { ...assessment.signals, trace: assessment.trace },
      rulePackVersion: assessment.rulePackVersion,
      modelVersion: assessment.modelVersion,
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
    const now = this.clock();
    const outside = time === undefined ? undefined : outsideWindow(time, this.timeWindow, now);
    if (outside !== undefined) return { ok: false, problems: [{ field: 'time', reason: outside }] };
    const limit =
      typeof payload === 'object' && payload !== null ? payloadLimit('refund.requested', payload) : undefined;
    if (limit !== undefined) return { ok: false, problems: [limit] };
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
    const at = time ?? now;
    const assessment = assessRefund(this.state, this.rules, parsed.data, at, undefined, this.decider);
    const record = this.toRecord(parsed.data, at, 'api', assessment);
    await this.saveApiAssessment(record);
    if (this.shadowRun) this.saveShadow([this.shadowRun.decide(record.signals, record, false)]);
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
    const request = requestOf(refund);
    // Decided by the model its request was: a later one may have learned from this refund's own label.
    const version = refund.assessed?.modelVersion;
    const model = version ? this.models.get(version) : undefined;
    return assessRefund(
      this.state,
      this.rules,
      request,
      refund.at,
      Math.max(asOf, refund.at),
      this.decider,
      model,
    );
  }
}

/** The most severe decision the hard policies that held forced, if any did. */
function forcedDecision(rules: CompiledRulePack, policies: readonly string[]): Decision | undefined {
  let forced: Decision | undefined;
  for (const id of policies) {
    const policy = rules.pack.policies.find((candidate) => candidate.id === id);
    if (policy && (forced === undefined || DECISIONS.indexOf(policy.decision) > DECISIONS.indexOf(forced)))
      forced = policy.decision;
  }
  return forced;
}

/** A stored refund as the request it was. */
function requestOf(refund: RefundFacts): RefundRequested {
  return {
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
}
