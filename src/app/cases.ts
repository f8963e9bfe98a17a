// Cases: risky refund decisions open a case for the account or join its open one (as the engine
// records them; a scan at start catches up), and sign-ups flagged as banned people open ban-evasion
// cases (case-opening.ts); people work them through the data-defined life-cycle, annotate and label
// them. Every view of a case (personal data) is audited.
import { randomUUID } from 'node:crypto';
import { allowedTransitions, type CaseStatus, canTransition } from '../core/cases/case-machine.ts';
import { isCaseAboutAgents } from '../core/cases/self-subject.ts';
import type { Ring } from '../core/rings/ring.ts';
import type { AuditLog } from './audit.ts';
import { CaseOpening } from './case-opening.ts';
import { accountTimeline, linkedAccounts, type Timeline } from './case-timeline.ts';
import { conflict, forbidden, invalid, notFound } from './console-errors.ts';
import type {
  CaseHistoryRecord,
  CaseNoteRecord,
  CaseQuery,
  CaseRecord,
  CaseStore,
  EvidenceRecord,
  PeopleStore,
} from './console-ports.ts';
import type { RiskEngine } from './engine.ts';
import { type Person, Persons } from './persons.ts';
import { actorId, type Principal, principalMay } from './people.ts';
import type { Clock, Store } from './ports.ts';
import {
  latestRingSnapshot,
  type RingPage,
  type RingSnapshot,
  type RingSource,
  ringMembers,
  ringPage,
  ringSnapshot,
} from './ring-cases.ts';

export const OUTCOME_LABELS = ['fraud', 'legit', 'insider', 'ban_evasion'] as const;
export type OutcomeLabel = (typeof OUTCOME_LABELS)[number];

export interface CaseServiceDependencies {
  engine: RiskEngine;
  /** The ring detector, when the engine runs one: ring pages show its live ring and graph. */
  rings?: RingSource;
  store: Store;
  /** Cases; and users, for who may be assigned one. */
  consoleStore: CaseStore & PeopleStore;
  audit: AuditLog;
  clock: Clock;
  /** Told when a case could not be opened in-flow (the catch-up scan at the next start retries it). */
  onError?: (error: unknown) => void;
}

export class CaseService {
  readonly #engine: RiskEngine;
  readonly #store: Store;
  readonly #consoleStore: CaseStore & PeopleStore;
  readonly #audit: AuditLog;
  readonly #clock: Clock;
  readonly #rings: RingSource | undefined;
  readonly #opening: CaseOpening;
  readonly #persons: Persons;

  constructor(dependencies: CaseServiceDependencies) {
    this.#engine = dependencies.engine;
    this.#store = dependencies.store;
    this.#consoleStore = dependencies.consoleStore;
    this.#audit = dependencies.audit;
    this.#clock = dependencies.clock;
    this.#rings = dependencies.rings;
    this.#persons = new Persons(dependencies.consoleStore);
    this.#opening = new CaseOpening({
      engine: this.#engine,
      consoleStore: this.#consoleStore,
      rings: this.#rings,
      clock: this.#clock,
      onError: dependencies.onError ?? (() => undefined),
    });
  }

  /** The detectors' current state (refund, order and account lookups for read models). */
  riskState() {
    return this.#engine.riskState;
  }

  // ---- opening cases from detections (case-opening.ts) ----

  /**
   * Opens and joins cases as the engine records assessments (ingested events and API asks): a
   * flagged refund decision → the account's `refund` case; a sign-up flagged as a banned person →
   * a `ban_evasion` case on the new account. Returns the function that stops listening.
   */
  start(): () => void {
    this.#opening.start();
    return () => this.stop();
  }

  stop(): void {
    this.#opening.stop();
  }

  /** Catch-up: opens or joins cases for flagged assessments stored since the last run (on start; restart-safe). */
  syncCases(): Promise<number> {
    return this.#opening.syncCases();
  }

  /** Resolves when no case opening is running or queued. */
  idle(): Promise<void> {
    return this.#opening.idle();
  }

  /** After a ring detection run: each ring opens a `ring` case or joins the one it shares most members with. */
  recordRings(rings: readonly Ring[]): Promise<number> {
    return this.#opening.recordRings(rings);
  }

  // ---- rings ----

  /** The ring as its case last saw it (the latest detection that opened or joined it). */
  ringSnapshot(caseId: string): Promise<RingSnapshot | undefined> {
    return latestRingSnapshot(this.#consoleStore, caseId);
  }

  /**
   * The ring page: the ring (as the detector knows it now, else as the case last saw it), its graph,
   * its members with their refunds and decisions, and its activity per day. Audited (personal data).
   */
  async ringView(principal: Principal, caseId: string): Promise<RingPage> {
    const record = await this.visibleCase(principal, caseId);
    if (record.type !== 'ring') throw invalid('(root)', 'This case is not about a ring.');
    const snapshot = await this.ringSnapshot(caseId);
    if (snapshot === undefined) throw notFound(`Case ${caseId} holds no ring yet.`);
    await this.#audit.record(actorId(principal), 'case.ring.view', `case:${caseId}`, {
      ringId: snapshot.ringId,
    });
    const live = this.#rings?.ring(snapshot.ringId);
    const ring = live ? ringSnapshot(live) : snapshot;
    const liveGraph = live ? this.#rings?.graph(ring.ringId) : undefined;
    return ringPage(ring, live !== undefined, liveGraph, this.#engine.riskState);
  }

  /** The member accounts of a ring case, as of the latest detection. */
  ringMembers(caseId: string): Promise<string[]> {
    return ringMembers(this.#consoleStore, caseId);
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
    if (await this.isAboutSelf(await this.#persons.of(principal), record))
      throw forbidden('This case is about you: someone else must work it.');
    return record;
  }

  /**
   * Whether the case is about the person (any agent id of theirs, or of whoever they answer for):
   * its subject, named by its evidence, or the agent who handled its account's (or ring members')
   * contacts, refunds and decisions.
   */
  async isAboutSelf(person: Person, record: CaseRecord): Promise<boolean> {
    if (person.agentIds.length === 0) return false;
    const accounts =
      record.subjectType === 'account'
        ? [record.subjectId]
        : record.type === 'ring'
          ? await this.ringMembers(record.id)
          : [];
    return isCaseAboutAgents(person.agentIds, record, this.#engine.riskState, accounts);
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

  accountTimeline(accountId: string): Promise<Timeline> {
    return accountTimeline(this.#store, this.#engine, accountId);
  }

  /** Accounts sharing a device, card, address, e-mail or phone with this one. */
  linkedAccounts(accountId: string): Timeline['linkedAccounts'] {
    return linkedAccounts(this.#engine.riskState, accountId);
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
      if (assignee === undefined || assignee.disabled) throw invalid('userId', `no active user ${userId}`);
      if (await this.isAboutSelf(await this.#persons.ofActor(`user:${assignee.id}`), record))
        throw invalid('userId', 'the case is about this person; assign someone else');
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
      if (result.rejected.length > 0)
        throw invalid('label', `${JSON.stringify(result.rejected[0]?.problems)}`);
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
