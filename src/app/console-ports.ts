// What the console's use cases (people, cases, actions, webhooks, audit) need from storage, one
// port per aggregate; each service depends only on the ports it uses. The tables live in the same
// database as the events; src/adapters/db/console-store.ts implements them all for SQLite and
// PostgreSQL (one module per aggregate).
import type { UserRole } from '../core/access.ts';
import type { ActionStatus, ActionType } from '../core/cases/actions.ts';
import type { AnchorView, AuditRow } from '../core/cases/audit-chain.ts';
import type { CaseStatus, CaseSubjectType, CaseType } from '../core/cases/case-machine.ts';

export { USER_ROLES, type UserRole } from '../core/access.ts';

export interface UserRecord {
  id: string;
  email: string;
  name: string;
  role: UserRole;
  /** The support agent this person is, if any: they never see cases about that agent. */
  agentId: string | null;
  /** argon2id encoded hash. */
  passwordHash: string;
  disabled: boolean;
  createdAt: number;
  /** The actor who made this user in the console (null: at the shell): they answer for them until confirmed. */
  createdBy: string | null;
  /** The second admin who confirmed this user as a person of their own (four-eyes on new people). */
  confirmedBy: string | null;
}

export interface SessionRecord {
  /** sha256 hex of the cookie's session id; the id itself is never stored. */
  idHash: string;
  userId: string;
  createdAt: number;
  expiresAt: number;
}

export interface CaseRecord {
  id: string;
  type: CaseType;
  subjectType: CaseSubjectType;
  subjectId: string;
  title: string;
  status: CaseStatus;
  priorityUsdMinor: number;
  marketplace: string | null;
  assigneeId: string | null;
  openedAt: number;
  updatedAt: number;
  refundCount: number;
  topReasons: string[];
  /** The support agents named by the evidence (handling agents), for the self-subject rule. */
  agentIds: string[];
  outcome: { label: string; by: string; at: number; note?: string } | null;
}

export interface CaseQuery {
  statuses?: CaseStatus[];
  types?: CaseType[];
  marketplace?: string;
  minUsdMinor?: number;
  openedSince?: number;
  /** A user id, or null for unassigned. */
  assigneeId?: string | null;
  /** Cases about these agents are left out (the caller's own). */
  excludeAgentId?: string;
  limit: number;
  offset: number;
}

export interface CaseCounts {
  status: Record<string, number>;
  type: Record<string, number>;
}

export interface CaseHistoryRecord {
  caseId: string;
  from: CaseStatus | null;
  to: CaseStatus;
  by: string;
  at: number;
  note: string | null;
}

export interface CaseNoteRecord {
  id: string;
  caseId: string;
  by: string;
  at: number;
  text: string;
}

export const EVIDENCE_KINDS = ['assessment', 'event', 'ring', 'intel'] as const;
export type EvidenceKind = (typeof EVIDENCE_KINDS)[number];

export interface EvidenceRecord {
  caseId: string;
  kind: EvidenceKind;
  refId: string;
  summary: string;
  at: number;
  /** For assessments: the refund's amount in USD cents (priority), its decision and reason codes. */
  amountUsdMinor: number | null;
  data: Record<string, unknown>;
}

export interface ActionRecord {
  id: string;
  caseId: string;
  type: ActionType;
  /** Idempotency key: case + type + target. */
  key: string;
  accountId: string | null;
  refundId: string | null;
  status: ActionStatus;
  proposedBy: string;
  proposedAt: number;
  decidedBy: string | null;
  decidedAt: number | null;
  note: string | null;
  /** What executing produced (the notice sent, the event ingested, an error). */
  result: Record<string, unknown> | null;
  /** The bulk proposal this action is one member of (a ring's "close all"), or null. */
  batchId: string | null;
}

export interface WebhookRecord {
  id: string;
  url: string;
  /** HMAC-SHA256 key for the signature header; needed in clear to sign. */
  secret: string;
  events: string[];
  active: boolean;
  createdAt: number;
}

export const DELIVERY_STATUSES = ['pending', 'delivered', 'failed'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

export interface DeliveryRecord {
  id: string;
  webhookId: string;
  actionId: string | null;
  eventType: string;
  /** The exact body sent (signed as is). */
  body: string;
  status: DeliveryStatus;
  attempts: number;
  lastAttemptAt: number | null;
  lastStatusCode: number | null;
  lastError: string | null;
  createdAt: number;
  /** When the next attempt is due (the outbox), null once delivered or failed. */
  nextAttemptAt?: number | null;
}

/** A delivery taken from the outbox to attempt now. */
export interface DueDelivery {
  delivery: DeliveryRecord;
  webhook: WebhookRecord | undefined;
}

/** What a case shows of its evidence, recomputed when evidence joins it. */
export interface CaseTotals {
  priorityUsdMinor: number;
  refundCount: number;
  topReasons: string[];
  agentIds: string[];
  updatedAt: number;
  title?: string;
  subjectId?: string;
}

export interface ApiKeyUsage {
  id: string;
  name: string;
  role: string;
  createdAt: number;
  revokedAt: number | null;
  lastUsedAt: number | null;
  createdBy: string | null;
}

export interface AuditQuery {
  limit: number;
  beforeSeq?: number;
  /** Exact actor (`user:…`, `key:…`, `system`, `anonymous`). */
  actor?: string;
  /** An action, or a prefix ending in `.` (`case.` → every case action). */
  action?: string;
  /** Part of the subject (`case:…`, `user:…`). */
  subject?: string;
}

export interface FlaggedAssessment {
  /** A refund decision (review, deny) or a sign-up one (review, block: ban evasion). */
  subjectType: 'refund' | 'signup';
  /** The refund id, or for a sign-up the new account's id. */
  refundId: string;
  kind: string;
  accountId: string;
  at: number;
  decision: string;
  reasonCodes: string[];
  amountUsdMinor: number | null;
  createdAt: number;
}

export interface RefundSearch {
  refundIds?: string[];
  accountId?: string;
  decisions?: string[];
  from?: number;
  to?: number;
  limit: number;
  offset: number;
}

export interface RefundSearchRow {
  refundId: string;
  accountId: string;
  at: number;
  amountMinor: number | null;
  currency: string | null;
  amountUsdMinor: number | null;
  decision: string;
  score: number;
  reasons: { code: string; text?: string }[];
}

export interface DecisionDay {
  /** Epoch day (ms / 86 400 000, floored). */
  day: number;
  decision: string;
  count: number;
  usdMinor: number;
}

/** People who use the console, their sessions, and when each API key was last used. */
export interface PeopleStore {
  createUser(user: UserRecord): Promise<void>;
  getUser(id: string): Promise<UserRecord | undefined>;
  findUserByEmail(email: string): Promise<UserRecord | undefined>;
  listUsers(): Promise<UserRecord[]>;
  updateUser(id: string, changes: Partial<Omit<UserRecord, 'id' | 'createdAt'>>): Promise<boolean>;
  countUsers(): Promise<number>;

  createSession(session: SessionRecord): Promise<void>;
  findSession(idHash: string): Promise<SessionRecord | undefined>;
  deleteSession(idHash: string): Promise<void>;
  deleteSessionsOf(userId: string): Promise<void>;

  listApiKeyUsage(): Promise<ApiKeyUsage[]>;
  /** Who made an API key (null: at the shell); undefined when there is no such key. */
  apiKeyCreator(id: string): Promise<{ createdBy: string | null } | undefined>;
  touchApiKey(id: string, at: number): Promise<void>;
}

/** Cases with their history, notes and evidence, and the flagged assessments that open them. */
export interface CaseStore {
  /**
   * Refund and sign-up assessments with a flagged decision made at or after `createdAtFrom` and,
   * within that, after the keyset position `after`; oldest made first.
   */
  flaggedAssessmentsSince(
    createdAtFrom: number,
    after: { createdAt: number; subjectType: string; refundId: string; kind: string } | undefined,
    limit: number,
  ): Promise<FlaggedAssessment[]>;

  findJoinableCase(
    type: CaseType,
    subjectType: CaseSubjectType,
    subjectId: string,
  ): Promise<CaseRecord | undefined>;
  createCase(record: CaseRecord): Promise<void>;
  /**
   * Insert-or-join: creates the case unless a joinable one of the same type and subject exists (a
   * unique index decides under concurrency); returns the case that holds the subject either way.
   */
  createCaseOnce(record: CaseRecord): Promise<{ record: CaseRecord; created: boolean }>;
  /**
   * Adds evidence and, in the same transaction (the case row locked), recomputes the case's totals
   * from all its evidence. `added` is false when the case already held it (nothing changes).
   */
  addEvidenceAndRefresh(
    evidence: EvidenceRecord,
    refresh: (all: EvidenceRecord[], current: CaseRecord) => CaseTotals,
  ): Promise<{ added: boolean; record: CaseRecord | undefined }>;
  updateCase(record: CaseRecord): Promise<void>;
  getCase(id: string): Promise<CaseRecord | undefined>;
  listCases(query: CaseQuery): Promise<{ items: CaseRecord[]; total: number; counts: CaseCounts }>;

  addHistory(entry: CaseHistoryRecord): Promise<void>;
  listHistory(caseId: string): Promise<CaseHistoryRecord[]>;
  addNote(note: CaseNoteRecord): Promise<void>;
  listNotes(caseId: string): Promise<CaseNoteRecord[]>;
  /** False when the case already holds this evidence (kind + refId). */
  addEvidence(evidence: EvidenceRecord): Promise<boolean>;
  listEvidence(caseId: string): Promise<EvidenceRecord[]>;

  /** The console's key/value settings (table `meta`): case opening keeps its cursor there. */
  getConsoleMeta(key: string): Promise<string | undefined>;
  setConsoleMeta(key: string, value: string): Promise<void>;
}

/** Actions proposed on cases, and the templates their notices are written from. */
export interface ActionStore {
  /** Inserts unless an action with the same key exists; returns the stored one either way. */
  insertActionOnce(action: ActionRecord): Promise<{ action: ActionRecord; created: boolean }>;
  getAction(id: string): Promise<ActionRecord | undefined>;
  /**
   * Compare-and-set: writes the action only while its stored status is still `from`, in one
   * conditional UPDATE. False when another call changed it first (two people deciding one action
   * at the same moment: exactly one of them wins).
   */
  updateActionFrom(from: ActionStatus, action: ActionRecord): Promise<boolean>;
  listActions(caseId: string): Promise<ActionRecord[]>;
  /** Every action in one status, oldest first (e.g. approved ones a crash left unexecuted). */
  listActionsWithStatus(status: ActionStatus): Promise<ActionRecord[]>;
  listBatch(batchId: string): Promise<ActionRecord[]>;

  getTemplate(name: string): Promise<string | undefined>;
  setTemplate(name: string, body: string, at: number): Promise<void>;
}

/** Webhooks, the log of their deliveries, and the outbox of deliveries still to attempt. */
export interface OutboxStore {
  createWebhook(webhook: WebhookRecord): Promise<void>;
  listWebhooks(): Promise<WebhookRecord[]>;
  getWebhook(id: string): Promise<WebhookRecord | undefined>;
  setWebhookActive(id: string, active: boolean): Promise<boolean>;
  saveDelivery(delivery: DeliveryRecord): Promise<void>;
  listDeliveries(query: { actionId?: string; limit: number }): Promise<DeliveryRecord[]>;
  /**
   * The delivery log row and its outbox row, in one transaction; false (nothing written) when a
   * delivery with this id exists already (ids of action deliveries are derived from the action).
   */
  enqueueDelivery(delivery: DeliveryRecord, nextAt: number): Promise<boolean>;
  /**
   * Takes up to `limit` outbox rows due at `now` and not taken by another sender, leasing each
   * until `now + leaseMs` (a sender that dies lets them go after the lease).
   */
  claimDueDeliveries(now: number, leaseMs: number, limit: number): Promise<DueDelivery[]>;
  /** Records an attempt: reschedules at `nextAt`, or (null) removes the delivery from the outbox. */
  finishAttempt(delivery: DeliveryRecord, nextAt: number | null): Promise<void>;
  /** The earliest next attempt in the outbox, or undefined when it is empty. */
  nextOutboxAt(): Promise<number | undefined>;
}

/** The hash-chained audit log. */
export interface AuditStore {
  /**
   * Appends one audit row: `build` receives the last row (undefined when empty) and returns the new
   * one. Appends are serialised, so the chain never forks.
   */
  appendAudit(build: (previous: AuditRow | undefined) => AuditRow): Promise<AuditRow>;
  listAudit(query: AuditQuery): Promise<AuditRow[]>;
  /** Every row in seq order, in pages. */
  streamAudit(pageSize?: number): AsyncIterable<AuditRow[]>;
}

/** How a rate-limit counter counts. */
export interface RateLimitRule {
  /** A window's length in ms. */
  windowMs: number;
  /** Hits a window allows; past them the caller is refused. */
  max: number;
  /** Past `max`, each further hit restarts the window, doubled each time (capped by `maxLockMs`). */
  backoff: boolean;
  maxLockMs: number;
}

export interface RateLimitCount {
  /** Hits in the current window, this one included. */
  hits: number;
  /** Epoch ms the window (or lockout) ends. */
  resetAt: number;
}

/**
 * Counters that every process over the store shares (login attempts, API calls, refused calls).
 * Each hit is one atomic statement, so parallel attempts are all counted.
 */
export interface RateLimitStore {
  hitRateLimit(key: string, now: number, rule: RateLimitRule): Promise<RateLimitCount>;
  /** Takes one hit back (a sign-in that succeeded does not count against its address). */
  releaseRateLimit(key: string): Promise<void>;
  clearRateLimit(key: string): Promise<void>;
  /** Removes counters whose window ended, with a key starting with `prefix`, and returns them. */
  takeExpiredRateLimits(prefix: string, now: number): Promise<{ key: string; hits: number }[]>;
}

/**
 * The audit chain's anchor, kept outside the database (a file next to the store): every appended
 * row's seq and hash, so that rows cut from the end, a wiped table or a re-chained edit show.
 */
export interface AuditAnchor {
  /** What was recorded; undefined when nothing was (a new store, one from before anchors, a lost file). */
  read(): Promise<AnchorView | undefined>;
  /**
   * Starts the anchor over the table as it is: rows up to `legacyUpTo` were chained before the key
   * (plain SHA-256), `head` is the last row. A second process starting at once keeps the first's start.
   */
  begin(start: { legacyUpTo: number; head: { seq: number; hash: string } | undefined; note?: string }): void;
  /** Records one appended row. */
  record(row: { seq: number; hash: string; at: number }): void;
}

/** Read models over the assessments and cases: refund search and the dashboard. */
export interface ConsoleReadModels {
  /** Request-time refund assessments (the API's own asks are not counted twice), newest first. */
  searchRefunds(query: RefundSearch): Promise<{ items: RefundSearchRow[]; total: number }>;
  /** refundId or accountId → case id, for the refunds the given evidence names. */
  casesForAccounts(accountIds: string[]): Promise<Map<string, string>>;
  /** Request-time refund decisions per day and decision from `from` (epoch ms) on; and the latest decided moment. */
  decisionsPerDay(from: number): Promise<DecisionDay[]>;
  latestAssessmentAt(): Promise<number | undefined>;
  /** Reason codes of flagged request-time refund decisions from `from` on (JSON texts). */
  flaggedReasonsSince(from: number): Promise<string[]>;
  countCases(statuses: string[]): Promise<number>;
}

/** Every port over one connection: what the composition root opens and hands to the services. */
export interface ConsoleStore
  extends PeopleStore,
    CaseStore,
    ActionStore,
    OutboxStore,
    AuditStore,
    RateLimitStore,
    ConsoleReadModels {
  readonly dialect: 'sqlite' | 'postgres';
  close(): Promise<void>;
}
