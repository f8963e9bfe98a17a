// Cases: risky refund decisions open a case for the account or join its open one (as the engine
// records them; a scan at start catches up), and sign-ups flagged as banned people open ban-evasion
// cases; people work them through the data-defined life-cycle, annotate and label them. Every view
// of a case (personal data) is audited.
import { randomUUID } from 'node:crypto';
import {
  allowedTransitions,
  type CaseStatus,
  canTransition,
  JOINABLE_STATUSES,
  moneyAtRiskUsdMinor,
  topReasonCodes,
} from '../core/cases/case-machine.ts';
import type { RefundguardEvent } from '../core/events.ts';
import { normalizeEmail } from '../core/identity.ts';
import type { SerializedGraph } from 'graphology-types';
import type { LinkAttributes } from '../core/rings/link-graph.ts';
import type { Ring } from '../core/rings/ring.ts';
import type { RingGraphNode } from '../core/rings/ring-index.ts';
import type { AuditLog } from './audit.ts';
import { conflict, forbidden, invalid, notFound } from './console-errors.ts';
import type {
  CaseHistoryRecord,
  CaseNoteRecord,
  CaseQuery,
  CaseRecord,
  ConsoleStore,
  EvidenceRecord,
  FlaggedAssessment,
} from './console-ports.ts';
import type { RiskEngine } from './engine.ts';
import { actorId, type Principal, principalMay } from './people.ts';
import type { AssessmentRecord, Store } from './ports.ts';

const SYNC_CURSOR_KEY = 'console.cases.synced_until';
/** Assessments committed late (a long batch) may carry an earlier creation time: the catch-up re-reads this far back. */
const SYNC_LAG_MS = 120_000;
const SYNC_PAGE = 1000;
/** Identity values shared by more accounts than this (a public Wi-Fi range, a warehouse address) link nothing. */
const MAX_LINK_FAN_OUT = 50;

export const OUTCOME_LABELS = ['fraud', 'legit', 'insider', 'ban_evasion'] as const;
export type OutcomeLabel = (typeof OUTCOME_LABELS)[number];

/** The ring detector as the console needs it (src/app/ring-watch.ts provides it). */
export interface RingSource {
  ring(ringId: string): Ring | undefined;
  graph(ringId: string): RingGraph | undefined;
  /** The latest detection run, if any (cases catch up on it at start). */
  current?(): { asOf: number; rings: readonly Ring[] } | undefined;
  /** Tells the listener after each detection run; returns the unsubscribe. */
  onRings?(listener: (run: { asOf: number; rings: readonly Ring[] }) => void): () => void;
  /** Looks for runs made while ingesting (listeners are told). */
  poll?(): void;
  /** Stops its timers (the console's close). */
  stop?(): void;
}

/** A ring's graph, serialised graphology (nodes: kind, label, role, refunds, valueUsd), ready for sigma. */
export type RingGraph = SerializedGraph<RingGraphNode, LinkAttributes>;

export interface RingPage {
  ring: RingSnapshot;
  /** Whether the detector still knows this ring id (else the case's last snapshot is shown). */
  live: boolean;
  graph: RingGraph;
  members: {
    accountId: string;
    role: 'member' | 'associate';
    email: string | null;
    marketplace: string | null;
    closed: { at: number; reason: string } | null;
    refunds: {
      refundId: string;
      orderId: string;
      at: number;
      amountMinor: number;
      currency: string;
      usd: number;
      reason: string;
      decision: string | null;
      outcome: string | null;
      agentId: string | null;
      inRing: boolean;
    }[];
  }[];
  /** Per day (epoch ms of its start): the members' refunds, contacts and refunded USD. */
  activity: { day: number; refunds: number; contacts: number; refundUsd: number }[];
}

const DAY_MS = 86_400_000;

/** Without the detector's graph (a restarted server, an old ring): the members and the refunders' fingerprints they share. */
function fallbackGraph(ring: RingSnapshot): RingGraph {
  const nodes: RingGraph['nodes'] = ring.accountIds.map((accountId) => ({
    key: `account:${accountId}`,
    attributes: { kind: 'account', label: accountId, role: 'member' },
  }));
  const edges: RingGraph['edges'] = [];
  const link = { firstAt: ring.firstAt, lastAt: ring.lastAt, count: 1 } as LinkAttributes;
  const shared = [
    ...ring.fingerprints.origins,
    ...ring.fingerprints.ranges,
    ...ring.agentIds.map((agent) => `agent:${agent}`),
  ];
  for (const value of shared) {
    const kind = value.slice(0, value.indexOf(':')) as RingGraphNode['kind'];
    nodes.push({ key: value, attributes: { kind, label: value.slice(value.indexOf(':') + 1) } });
    for (const accountId of ring.accountIds)
      edges.push({ source: `account:${accountId}`, target: value, attributes: link });
  }
  return {
    attributes: {},
    nodes,
    edges,
    options: { type: 'undirected', multi: false, allowSelfLoops: false },
  };
}

export interface CaseServiceDependencies {
  engine: RiskEngine;
  /** The ring detector, when the engine runs one: ring pages show its live ring and graph. */
  rings?: RingSource;
  store: Store;
  consoleStore: ConsoleStore;
  audit: AuditLog;
  clock?: () => number;
  /** Told when a case could not be opened in-flow (the catch-up scan at the next start retries it). */
  onError?: (error: unknown) => void;
}

export interface TimelineItem {
  at: number;
  type: string;
  id: string;
  summary: string;
  data: Record<string, unknown>;
  assessment?: { decision: string; score: number; reasons: AssessmentRecord['reasons'] };
}

export interface Timeline {
  account?: {
    accountId: string;
    email: string | undefined;
    name: string | undefined;
    marketplace: string | undefined;
    createdAt: number | undefined;
    closed?: { at: number; reason: string };
  };
  items: TimelineItem[];
  linkedAccounts: { accountId: string; via: string[]; closed: boolean }[];
}

/** What a ring case keeps of each detection (evidence data): enough to show and act on the ring without the detector. */
export interface RingSnapshot {
  ringId: string;
  accountIds: string[];
  associatedAccountIds: string[];
  agentIds: string[];
  fingerprints: Ring['fingerprints'];
  refundIds: string[];
  valueUsd: number;
  firstAt: number;
  lastAt: number;
  score: number;
  reasons: Ring['reasons'];
}

export function ringSnapshot(ring: Ring): RingSnapshot {
  return {
    ringId: ring.ringId,
    accountIds: [...ring.accountIds],
    associatedAccountIds: [...ring.associatedAccountIds],
    agentIds: [...ring.agentIds],
    fingerprints: ring.fingerprints,
    refundIds: [...ring.refundIds],
    valueUsd: ring.valueUsd,
    firstAt: ring.firstAt,
    lastAt: ring.lastAt,
    score: ring.score,
    reasons: ring.reasons,
  };
}

function ringTitle(ring: {
  accountIds: readonly string[];
  refundIds: readonly string[];
  valueUsd: number;
}): string {
  return `Refund ring: ${ring.accountIds.length} accounts, ${ring.refundIds.length} refunds, ${Math.round(ring.valueUsd).toLocaleString('en-US')} USD`;
}

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

/** Whether the case is about the person calling (their own agent id): they may not see or touch it. */
export function isAboutSelf(principal: Principal, record: CaseRecord): boolean {
  if (principal.kind !== 'user' || principal.user.agentId === null) return false;
  const agentId = principal.user.agentId;
  if (record.subjectType === 'agent' && record.subjectId === agentId) return true;
  // An insider case, or a ring whose refunds the person handled as an agent.
  return (record.type === 'insider' || record.type === 'ring') && record.agentIds.includes(agentId);
}

export class CaseService {
  readonly #engine: RiskEngine;
  readonly #store: Store;
  readonly #consoleStore: ConsoleStore;
  readonly #audit: AuditLog;
  readonly #clock: () => number;
  readonly #onError: (error: unknown) => void;
  readonly #rings: RingSource | undefined;
  #sync: Promise<unknown> = Promise.resolve();
  #drainQueued = false;
  /** Flagged assessments the engine recorded, waiting to open or join their case. */
  #pending: FlaggedAssessment[] = [];
  #unsubscribe: (() => void) | undefined;

  constructor(dependencies: CaseServiceDependencies) {
    this.#engine = dependencies.engine;
    this.#store = dependencies.store;
    this.#consoleStore = dependencies.consoleStore;
    this.#audit = dependencies.audit;
    this.#clock = dependencies.clock ?? Date.now;
    this.#onError = dependencies.onError ?? (() => undefined);
    this.#rings = dependencies.rings;
  }

  /** The detectors' current state (refund, order and account lookups for read models). */
  riskState() {
    return this.#engine.riskState;
  }

  // ---- opening cases from detections ----

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
      (all, current) => {
        const assessments = all.filter((item) => item.kind === 'assessment');
        const refunds = assessments.filter((item) => item.data.subjectType !== 'signup');
        const agents = new Set(current.agentIds);
        for (const item of assessments)
          if (typeof item.data.agentId === 'string') agents.add(item.data.agentId);
        return {
          priorityUsdMinor: moneyAtRiskUsdMinor(
            refunds.map((item) => ({ refundId: item.refId, amountUsdMinor: item.amountUsdMinor })),
          ),
          refundCount: new Set(refunds.map((item) => item.refId)).size,
          topReasons: topReasonCodes(
            assessments.map((item) => (item.data.reasons as string[] | undefined) ?? []),
          ),
          agentIds: [...agents],
          updatedAt: now,
        };
      },
    );
    return added;
  }

  // ---- rings ----

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
    for (const item of open.items) members.set(item.id, new Set(await this.ringMembers(item.id)));
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
        (all) => {
          const latest = all.filter((item) => item.kind === 'ring').at(-1)?.data as RingSnapshot | undefined;
          const snapshot = latest ?? ringSnapshot(ring);
          return {
            priorityUsdMinor: Math.round(snapshot.valueUsd * 100),
            refundCount: snapshot.refundIds.length,
            topReasons: snapshot.reasons.map((reason) => reason.code).slice(0, 5),
            agentIds: snapshot.agentIds,
            updatedAt: now,
            title: ringTitle(snapshot),
            subjectId: snapshot.ringId,
          };
        },
      );
      if (added) changed += 1;
    }
    return changed;
  }

  /** The ring as its case last saw it (the latest detection that opened or joined it). */
  async ringSnapshot(caseId: string): Promise<RingSnapshot | undefined> {
    const evidence = await this.#consoleStore.listEvidence(caseId);
    const latest = evidence
      .filter((item) => item.kind === 'ring')
      .sort((left, right) => left.at - right.at)
      .at(-1);
    return latest?.data as RingSnapshot | undefined;
  }

  /**
   * The ring page: the ring (as the detector knows it now, else as the case last saw it), its graph,
   * its members with their refunds and decisions, and its activity per day. Audited (personal data).
   */
  async ringView(principal: Principal, caseId: string): Promise<RingPage> {
    const record = await this.visibleCase(principal, caseId);
    if (record.type !== 'ring') throw invalid('This case is not about a ring.');
    const snapshot = await this.ringSnapshot(caseId);
    if (snapshot === undefined) throw notFound(`Case ${caseId} holds no ring yet.`);
    await this.#audit.record(actorId(principal), 'case.ring.view', `case:${caseId}`, {
      ringId: snapshot.ringId,
    });
    const live = this.#rings?.ring(snapshot.ringId);
    const ring = live ? ringSnapshot(live) : snapshot;
    const graph = (live ? this.#rings?.graph(ring.ringId) : undefined) ?? fallbackGraph(ring);
    const state = this.#engine.riskState;
    const ringRefunds = new Set(ring.refundIds);
    const activity = new Map<number, { refunds: number; contacts: number; refundUsd: number }>();
    const day = (at: number) => {
      const key = Math.floor(at / DAY_MS);
      let entry = activity.get(key);
      if (entry === undefined) {
        entry = { refunds: 0, contacts: 0, refundUsd: 0 };
        activity.set(key, entry);
      }
      return entry;
    };
    const members = [
      ...ring.accountIds.map((accountId) => ({ accountId, role: 'member' as const })),
      ...ring.associatedAccountIds.map((accountId) => ({ accountId, role: 'associate' as const })),
    ].map(({ accountId, role }) => {
      const facts = state.accounts.get(accountId);
      const refunds = (facts?.refunds ?? []).map((refund) => ({
        refundId: refund.refundId,
        orderId: refund.orderId,
        at: refund.at,
        amountMinor: refund.amountMinor,
        currency: refund.currency,
        usd: refund.amountUsdMinor / 100,
        reason: refund.reason,
        decision: refund.assessedDecision ?? null,
        outcome: refund.decided?.outcome ?? null,
        agentId: refund.agentId ?? null,
        inRing: ringRefunds.has(refund.refundId),
      }));
      if (role === 'member') {
        for (const refund of facts?.refunds ?? []) {
          const entry = day(refund.at);
          entry.refunds += 1;
          entry.refundUsd += refund.amountUsdMinor / 100;
        }
        for (const contact of facts?.contacts ?? []) day(contact.at).contacts += 1;
      }
      return {
        accountId,
        role,
        email: facts?.email ?? null,
        marketplace: facts?.marketplace ?? null,
        closed: facts?.closed ?? null,
        refunds,
      };
    });
    return {
      ring,
      live: live !== undefined,
      graph,
      members,
      activity: [...activity.entries()]
        .sort(([left], [right]) => left - right)
        .map(([key, value]) => ({ day: key * DAY_MS, ...value })),
    };
  }

  /** The member accounts of a ring case, as of the latest detection. */
  async ringMembers(caseId: string): Promise<string[]> {
    return (await this.ringSnapshot(caseId))?.accountIds ?? [];
  }

  // ---- reading ----

  list(principal: Principal, query: CaseQuery) {
    return this.#consoleStore.listCases({
      ...query,
      ...(principal.kind === 'user' && principal.user.agentId !== null
        ? { excludeAgentId: principal.user.agentId }
        : {}),
    });
  }

  /** The case, if the caller may see it; a case about the caller is refused (and audited by the caller's edge). */
  async visibleCase(principal: Principal, caseId: string): Promise<CaseRecord> {
    const record = await this.#consoleStore.getCase(caseId);
    if (record === undefined) throw notFound(`No case ${caseId}.`);
    if (isAboutSelf(principal, record)) throw forbidden('This case is about you: someone else must work it.');
    return record;
  }

  async detail(principal: Principal, caseId: string) {
    const record = await this.visibleCase(principal, caseId);
    const [history, notes, evidence] = await Promise.all([
      this.#consoleStore.listHistory(caseId),
      this.#consoleStore.listNotes(caseId),
      this.#consoleStore.listEvidence(caseId),
    ]);
    await this.#audit.record(actorId(principal), 'case.view', `case:${caseId}`, {
      subject: `${record.subjectType}:${record.subjectId}`,
    });
    return {
      record,
      history,
      notes,
      evidence,
      allowedTransitions: principalMay(principal, 'cases:work') ? [...allowedTransitions(record.status)] : [],
    };
  }

  async timeline(principal: Principal, caseId: string): Promise<Timeline> {
    const record = await this.visibleCase(principal, caseId);
    await this.#audit.record(actorId(principal), 'case.timeline.view', `case:${caseId}`, {
      subject: `${record.subjectType}:${record.subjectId}`,
    });
    if (record.subjectType !== 'account') return { items: [], linkedAccounts: [] };
    return this.accountTimeline(record.subjectId);
  }

  async accountTimeline(accountId: string): Promise<Timeline> {
    const [events, assessments] = await Promise.all([
      this.#store.eventsForAccount(accountId, 5000),
      this.#store.listAssessments({ accountId, subjectType: 'refund' }),
    ]);
    const byRefund = new Map<string, AssessmentRecord>();
    // Newest first: keep the request-time decision when there is one, else the latest.
    for (const assessment of assessments) {
      const current = byRefund.get(assessment.subjectId);
      if (current === undefined || (current.kind !== 'request' && assessment.kind === 'request'))
        byRefund.set(assessment.subjectId, assessment);
    }
    const created = events.find((event) => event.type === 'account.created');
    const facts = this.#engine.riskState.accounts.get(accountId);
    const items = events.map((event): TimelineItem => {
      const item: TimelineItem = {
        at: event.at,
        type: event.type,
        id: event.id,
        summary: summarize(event),
        data: event.data as Record<string, unknown>,
      };
      if (event.type === 'refund.requested') {
        const assessment = byRefund.get(event.data.refundId);
        if (assessment)
          item.assessment = {
            decision: assessment.decision,
            score: assessment.score,
            reasons: assessment.reasons,
          };
      }
      return item;
    });
    return {
      account: {
        accountId,
        email: created?.type === 'account.created' ? created.data.email : facts?.email,
        name: created?.type === 'account.created' ? created.data.name : undefined,
        marketplace: facts?.marketplace,
        createdAt: facts?.createdAt,
        ...(facts?.closed ? { closed: facts.closed } : {}),
      },
      items,
      linkedAccounts: this.linkedAccounts(accountId),
    };
  }

  /** Accounts sharing a device, card, address, e-mail or phone with this one. */
  linkedAccounts(accountId: string): Timeline['linkedAccounts'] {
    const state = this.#engine.riskState;
    const facts = state.accounts.get(accountId);
    if (facts === undefined) return [];
    const keys = new Set<string>();
    for (const device of facts.devices.keys()) keys.add(`device:${device}`);
    for (const order of facts.orders) {
      if (order.paymentFingerprint) keys.add(`card:${order.paymentFingerprint}`);
      keys.add(`address:${order.addressKey}`);
    }
    if (facts.email) keys.add(`email:${normalizeEmail(facts.email)}`);
    for (const phone of facts.phones) keys.add(`phone:${phone}`);
    const via = new Map<string, Set<string>>();
    for (const key of keys) {
      const users = state.usersOf.get(key) ?? state.identities.get(key);
      if (users === undefined || users.size > MAX_LINK_FAN_OUT) continue;
      for (const other of users.keys()) {
        if (other === accountId) continue;
        const kinds = via.get(other) ?? new Set<string>();
        kinds.add(key.slice(0, key.indexOf(':')));
        via.set(other, kinds);
      }
    }
    return [...via.entries()]
      .map(([other, kinds]) => ({
        accountId: other,
        via: [...kinds].sort(),
        closed: state.accounts.get(other)?.closed !== undefined,
      }))
      .sort(
        (left, right) => right.via.length - left.via.length || left.accountId.localeCompare(right.accountId),
      );
  }

  // ---- working a case ----

  async transition(principal: Principal, caseId: string, to: string, note?: string): Promise<CaseRecord> {
    const record = await this.visibleCase(principal, caseId);
    // Repeating the move just made is a no-op, so a double click does not answer 409.
    if (record.status === to) return record;
    if (!canTransition(record.status, to as CaseStatus))
      throw conflict(
        `A case cannot go from ${record.status} to ${to}; allowed: ${allowedTransitions(record.status).join(', ') || 'none'}.`,
      );
    const now = this.#clock();
    const updated: CaseRecord = { ...record, status: to as CaseStatus, updatedAt: now };
    await this.#consoleStore.updateCase(updated);
    const entry: CaseHistoryRecord = {
      caseId,
      from: record.status,
      to: to as CaseStatus,
      by: actorId(principal),
      at: now,
      note: note ?? null,
    };
    await this.#consoleStore.addHistory(entry);
    await this.#audit.record(actorId(principal), 'case.transition', `case:${caseId}`, {
      from: record.status,
      to,
      note,
    });
    return updated;
  }

  async assign(principal: Principal, caseId: string, userId: string | null): Promise<CaseRecord> {
    const record = await this.visibleCase(principal, caseId);
    const self = principal.kind === 'user' ? principal.user.id : undefined;
    const mayAssignOthers = principalMay(principal, 'actions:approve');
    if (userId !== null && userId !== self && !mayAssignOthers)
      throw forbidden('Investigators assign cases to themselves; a supervisor assigns others.');
    if (userId === null && record.assigneeId !== null && record.assigneeId !== self && !mayAssignOthers)
      throw forbidden('Only the assignee or a supervisor may unassign a case.');
    if (userId !== null) {
      const assignee = await this.#consoleStore.getUser(userId);
      if (assignee === undefined || assignee.disabled) throw invalid(`userId: no active user ${userId}`);
      if (isAboutSelf({ kind: 'user', user: assignee }, record))
        throw invalid('userId: the case is about this person; assign someone else');
    }
    const updated: CaseRecord = { ...record, assigneeId: userId, updatedAt: this.#clock() };
    await this.#consoleStore.updateCase(updated);
    await this.#audit.record(actorId(principal), 'case.assign', `case:${caseId}`, {
      from: record.assigneeId,
      to: userId,
    });
    return updated;
  }

  async addNote(principal: Principal, caseId: string, text: string): Promise<CaseNoteRecord> {
    await this.visibleCase(principal, caseId);
    const note: CaseNoteRecord = {
      id: randomUUID(),
      caseId,
      by: actorId(principal),
      at: this.#clock(),
      text,
    };
    await this.#consoleStore.addNote(note);
    await this.#audit.record(actorId(principal), 'case.note', `case:${caseId}`, { noteId: note.id });
    return note;
  }

  /** Records the outcome and feeds it back as a `label.set` event, as the retailer's own labels are. */
  async setOutcome(
    principal: Principal,
    caseId: string,
    label: OutcomeLabel,
    note?: string,
  ): Promise<CaseRecord> {
    const record = await this.visibleCase(principal, caseId);
    const now = this.#clock();
    const updated: CaseRecord = {
      ...record,
      outcome: { label, by: actorId(principal), at: now, ...(note !== undefined ? { note } : {}) },
      updatedAt: now,
    };
    if (record.subjectType !== 'ring') {
      const result = await this.#engine.ingest([
        {
          id: `case-${caseId}-label-${now}`,
          type: 'label.set',
          time: new Date(now).toISOString(),
          data: {
            subject: record.subjectType,
            subjectId: record.subjectId,
            label,
            ...(note ? { note } : {}),
          },
        },
      ]);
      if (result.rejected.length > 0) throw invalid(`label: ${JSON.stringify(result.rejected[0]?.problems)}`);
    }
    await this.#consoleStore.updateCase(updated);
    await this.#audit.record(actorId(principal), 'case.outcome', `case:${caseId}`, { label, note });
    return updated;
  }

  /** Evidence of a case as stored (for the evidence package). */
  evidence(caseId: string): Promise<EvidenceRecord[]> {
    return this.#consoleStore.listEvidence(caseId);
  }
}

function money(data: { amountMinor?: number; currency?: string }): string {
  return data.amountMinor === undefined
    ? ''
    : ` ${(data.amountMinor / 100).toFixed(2)} ${data.currency ?? ''}`.trimEnd();
}

/** One line a person can read for each event type. */
export function summarize(event: RefundguardEvent): string {
  switch (event.type) {
    case 'account.created':
      return `Account created (${event.data.email})`;
    case 'account.updated':
      return 'Account details changed';
    case 'account.login':
      return `Login${event.data.deviceId ? ` from device ${event.data.deviceId}` : ''}${event.data.ip ? ` (${event.data.ip})` : ''}`;
    case 'account.closed':
      return `Account closed (${event.data.reason})`;
    case 'order.placed': {
      const total = event.data.items.reduce((sum, item) => sum + item.priceMinor * (item.quantity ?? 1), 0);
      return `Order ${event.data.orderId}: ${event.data.items.map((item) => item.title).join(', ')} —${money({ amountMinor: total, currency: event.data.currency })}`;
    }
    case 'order.delivered':
      return `Order ${event.data.orderId} delivered${event.data.signature ? ' (signed)' : ''}${event.data.photo ? ' (photo)' : ''}`;
    case 'contact.created':
      return `Contact ${event.data.contactId} by ${event.data.channel}${event.data.agentId ? ` with agent ${event.data.agentId}` : ''}`;
    case 'refund.requested':
      return `Refund ${event.data.refundId} requested:${money(event.data)} (${event.data.reason})`;
    case 'refund.decided':
      return `Refund ${event.data.refundId} ${event.data.outcome}${event.data.agentId ? ` by agent ${event.data.agentId}` : ''}`;
    case 'return.updated':
      return `Return for refund ${event.data.refundId}: ${event.data.status}`;
    case 'agent.action':
      return `Agent ${event.data.agentId}: ${event.data.action}`;
    case 'intel.post':
      return `Intel post ${event.data.postId} on ${event.data.source}`;
    case 'label.set':
      return `Labelled ${event.data.label}`;
  }
}
