// What the application needs from storage. Adapters in src/adapters/db implement it for
// SQLite (embedded default) and PostgreSQL; one test suite runs against both.
import type { AssessmentKind, Reason } from '../core/decisions.ts';
import type { RefundguardEvent } from '../core/events.ts';
import type { DecisionPolicy } from '../core/evidence/evidence-pack.ts';
import type { ModelStatus, RefundModel } from '../core/evidence/refund-model.ts';

export {
  ASSESSMENT_KINDS,
  type AssessmentKind,
  DECISIONS,
  type Decision,
  type Reason,
  SIGNUP_DECISIONS,
  type SignupDecision,
} from '../core/decisions.ts';

/**
 * The wall clock, epoch ms: when a thing was done (createdAt, sessions, back-off). Every service takes
 * it from the composition root, so that a test can fix it and nothing reads the time on its own.
 */
export type Clock = () => number;

export interface AssessmentRecord {
  subjectType: 'refund' | 'signup';
  /** refundId for refunds, accountId for sign-ups. */
  subjectId: string;
  kind: AssessmentKind;
  accountId: string;
  /** The decided moment (the request's time), epoch ms. */
  at: number;
  decision: string;
  score: number;
  reasons: Reason[];
  /** Signal values the rules saw, so the decision can be explained and reproduced. */
  signals: Record<string, unknown>;
  rulePackVersion: string;
  /** The promoted model the decision used; null when the measured evidence decided alone (and for sign-ups). */
  modelVersion: string | null;
  amountMinor: number | null;
  currency: string | null;
  /** Amount converted to USD cents with the rule pack's reference rates, for sorting by money at risk. */
  amountUsdMinor: number | null;
  /** When the assessment was made (wall clock), epoch ms. */
  createdAt: number;
}

export interface ApiKeyRecord {
  id: string;
  name: string;
  /** sha256 hex of the secret; the secret itself is never stored. */
  hash: string;
  role: string;
  createdAt: number;
  revokedAt: number | null;
  /** The actor who made it (`user:…`, `key:…`): the key answers for them (four-eyes); null: made at the shell. */
  createdBy: string | null;
}

export interface AssessmentQuery {
  subjectType?: 'refund' | 'signup';
  kind?: AssessmentKind;
  accountId?: string;
  decisions?: string[];
  limit?: number;
  offset?: number;
}

export interface StoredModel {
  model: RefundModel;
  status: ModelStatus;
  /** Wall-clock time it was last promoted, if ever. */
  promotedAt: number | null;
}

/** A decision policy as the retailer set it, numbered in the order it was set. */
export interface PolicyRecord {
  version: number;
  policy: DecisionPolicy;
  createdAt: number;
  createdBy: string;
  note: string | null;
}

/** A candidate's decision beside the live one, for the same refund at the same moment. */
export interface ShadowRecord {
  subjectId: string;
  candidate: string;
  at: number;
  liveDecision: string;
  liveScore: number;
  decision: string;
  score: number;
  amountUsdMinor: number | null;
  reasons: Reason[];
}

export interface Store {
  readonly dialect: 'sqlite' | 'postgres';
  /** Runs pending migrations; safe to call on every start. */
  migrate(): Promise<void>;
  close(): Promise<void>;

  /**
   * One transaction: inserts the events whose ids are not stored yet (a re-sent id, or one
   * repeated in the batch, is a no-op; the first occurrence wins) and upserts the assessments.
   * Either all of it commits or none of it does. `inserted` counts the events actually added.
   * Calls made without awaiting the previous ones commit in call order. `sources`, when given,
   * holds the JSON text each event was read from where the event is that text as it is (an
   * envelope of id, type, time and data): a store may keep it instead of serialising the event.
   */
  appendBatch(
    events: RefundguardEvent[],
    assessments: AssessmentRecord[],
    sources?: readonly (string | undefined)[],
  ): Promise<{ inserted: number }>;

  /**
   * Optional, for loading many events at once (a file into an empty store): index upkeep that
   * costs less done once afterwards is put off until `finish`. Reads may be slower until then; a
   * process that dies before `finish` leaves the indexes to be rebuilt by the next `migrate`.
   * Writes made after the call, even before it resolves, come after it.
   */
  beginBulkLoad?(): Promise<{ finish(): Promise<void> }>;

  /** All stored events ordered by (time, arrival), in pages; used to rebuild in-memory state. */
  streamEvents(pageSize?: number): AsyncIterable<RefundguardEvent[]>;
  countEvents(): Promise<number>;
  /** Events that mention an account (account.*, orders, contacts, refunds), oldest first. */
  eventsForAccount(accountId: string, limit?: number): Promise<RefundguardEvent[]>;

  saveAssessment(record: AssessmentRecord): Promise<void>;
  getAssessment(
    subjectType: 'refund' | 'signup',
    subjectId: string,
    kind?: AssessmentKind,
  ): Promise<AssessmentRecord | undefined>;
  listAssessments(query: AssessmentQuery): Promise<AssessmentRecord[]>;

  createApiKey(record: ApiKeyRecord): Promise<void>;
  findApiKeyByHash(hash: string): Promise<ApiKeyRecord | undefined>;
  listApiKeys(): Promise<ApiKeyRecord[]>;
  revokeApiKey(id: string, at: number): Promise<boolean>;

  /** Stores a model (a re-saved version replaces its row). */
  saveModel(model: RefundModel, status: ModelStatus): Promise<void>;
  /**
   * Sets a model's status; promoting one retires the model promoted before it, in one transaction.
   * False when there is no such model.
   */
  setModelStatus(version: string, status: ModelStatus, at: number): Promise<boolean>;
  /** Every model, newest training first. */
  listModels(): Promise<StoredModel[]>;

  /** Appends a policy as the newest version; returns its version number. */
  savePolicy(record: Omit<PolicyRecord, 'version'>): Promise<number>;
  /** Every policy set, newest first. */
  listPolicies(): Promise<PolicyRecord[]>;

  /** Upserts shadow decisions (one per candidate and refund). */
  saveShadowRecords(records: readonly ShadowRecord[]): Promise<void>;
  /** A candidate's shadow decisions, newest first. */
  listShadowRecords(candidate: string, limit?: number): Promise<ShadowRecord[]>;

  getMeta(key: string): Promise<string | undefined>;
  setMeta(key: string, value: string): Promise<void>;
}

/** A stored event as its text, for rewriting it in place. */
export interface StoredEventText {
  seq: number;
  type: string;
  /** Event time, epoch ms. */
  at: number;
  payload: string;
}

/** A row of a table that holds text, as read: the columns that find it again, and its text columns. */
export interface TextRow {
  table: string;
  key: Record<string, string | number>;
  text: Record<string, string | null>;
}

/** Sets `set` on the row only where it still holds `expected`; otherwise the whole rewrite is refused. */
export interface RowChange extends TextRow {
  set: Record<string, string | null>;
}

/** Why an account's data must be kept (erasure refuses it unless overridden). */
export interface LegalHold {
  kind: 'closed_for_fraud' | 'open_case';
  /** The event or case that holds it. */
  ref: string;
}

/** Thrown by `rewrite` when a row changed since it was read: nothing was written. */
export class RewriteConflictError extends Error {
  override readonly name = 'RewriteConflictError';
}

/** Where personal data lives, for erasure and retention (events and the console's tables, one connection). */
export interface PersonalDataStore {
  /**
   * The account's events: those naming it (account.*, orders, contacts, refunds, agent actions,
   * labels on it), its orders' and refunds' follow-ups, and labels on its orders and refunds.
   */
  accountEvents(accountId: string): Promise<StoredEventText[]>;
  /** A fraud closure of the account, and open cases about it, its refunds, or a ring it is in. */
  legalHolds(accountId: string): Promise<LegalHold[]>;
  /** The notes of the cases about the account or its refunds (table `case_notes`). */
  accountCaseNotes(accountId: string): Promise<TextRow[]>;
  /**
   * Rows holding any of the texts: in events, where a payload holds one as a whole JSON string
   * (`"text"`); in the other tables, anywhere in a text column. Candidates: a caller checks again.
   */
  rowsContaining(needles: readonly string[]): Promise<TextRow[]>;
  /**
   * One transaction; rows changed per table. Old row versions are overwritten; `flush` also waits
   * for the database's log of recent writes to be folded back and emptied (SQLite: the WAL), so
   * that no old page is left in it, which may hold other writers back for a moment.
   */
  rewrite(changes: readonly RowChange[], options?: { flush?: boolean }): Promise<Record<string, number>>;
  /** The mark of the latest erasure (a running server reloads its state when it changes). */
  erasureMark(): Promise<string | undefined>;
  setErasureMark(mark: string): Promise<void>;
  /** The latest event time stored, if any. */
  latestEventAt(): Promise<number | undefined>;
  /**
   * contact.created events before `before` (event time) past `afterSeq`, in arrival order, that may
   * still hold a transcript (not yet marked redacted).
   */
  contactsBefore(before: number, afterSeq: number, limit: number): Promise<StoredEventText[]>;
  /** Deletes the API (what-if) assessments made before `before` (wall clock); how many. */
  deleteApiAssessmentsBefore(before: number): Promise<number>;
}
