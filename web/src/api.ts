// The one boundary between the console and the /v1 API (docs/console-api.md): a fetch wrapper that
// sends the session cookie and the CSRF header, turns RFC 9457 problem bodies into ApiError, and
// converts every response into the view types below. Components never see raw JSON.

// ---------------------------------------------------------------------------------------------
// View types
// ---------------------------------------------------------------------------------------------

export const ROLES = ['analyst', 'investigator', 'supervisor', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export interface User {
  id: string;
  email: string;
  name: string;
  role: Role;
  agentId?: string;
}

export interface Session {
  user: User;
  csrfToken: string;
}

export const CASE_STATUSES = ['open', 'investigating', 'actioned', 'dismissed', 'closed'] as const;
export const CASE_TYPES = ['refund', 'ring', 'insider', 'ban_evasion', 'intel'] as const;
export const DECISIONS = ['approve', 'return_first', 'review', 'deny'] as const;
export const OUTCOME_LABELS = ['fraud', 'legit', 'insider', 'ban_evasion'] as const;
export const ACTION_TYPES = [
  'warn_customer',
  'require_return',
  'deny_refund',
  'close_account',
  'reverse_refund',
  'export_evidence',
] as const;
/** Actions that start `proposed` and need a supervisor (four eyes). */
export const FOUR_EYES_ACTIONS: readonly ActionType[] = ['close_account', 'reverse_refund'];

export type ActionType = (typeof ACTION_TYPES)[number];
export type OutcomeLabel = (typeof OUTCOME_LABELS)[number];

export interface Reason {
  code: string;
  text: string;
}

export interface PersonRef {
  id: string;
  name: string;
}

export interface CaseSummary {
  id: string;
  type: string;
  subjectType: string;
  subjectId: string;
  title: string;
  status: string;
  priorityUsd: number;
  marketplace?: string;
  assignee?: PersonRef;
  /** Epoch milliseconds. */
  openedAt: number;
  updatedAt: number;
  refundCount: number;
  topReasons: string[];
}

export interface CaseList {
  items: CaseSummary[];
  total: number;
  counts: { status: Record<string, number>; type: Record<string, number> };
}

export interface HistoryEntry {
  from: string;
  to: string;
  by: PersonRef;
  at: number;
  note?: string;
}

export interface Note {
  id: string;
  by: PersonRef;
  at: number;
  text: string;
}

export interface Evidence {
  kind: string;
  refId: string;
  summary: string;
  at: number;
}

export interface Delivery {
  webhookId: string;
  status: string;
  attempts: number;
  lastAttemptAt?: number;
}

export interface Action {
  id: string;
  caseId: string;
  type: ActionType;
  target: { accountId?: string; refundId?: string };
  status: 'proposed' | 'approved' | 'rejected' | 'executed' | 'failed';
  proposedBy: PersonRef;
  proposedAt: number;
  decidedBy?: PersonRef;
  decidedAt?: number;
  note?: string;
  /** What executing produced (the notice sent, the event ingested, or the error), as text. */
  result?: string;
  deliveries: Delivery[];
}

export interface CaseDetail extends CaseSummary {
  history: HistoryEntry[];
  notes: Note[];
  evidence: Evidence[];
  outcome?: { label: string; by: PersonRef; at: number; note?: string };
  actions: Action[];
  allowedTransitions: string[];
  availableActions: ActionType[];
}

export interface Assessment {
  decision: string;
  score: number;
  reasons: Reason[];
}

export interface ContactMessage {
  from: string;
  text: string;
  at?: number;
}

export type TimelineKind =
  | 'order'
  | 'delivery'
  | 'login'
  | 'contact'
  | 'refund'
  | 'return'
  | 'agent'
  | 'other';

export interface TimelineItem {
  at: number;
  /** The API's type, e.g. `order.placed`. */
  type: string;
  kind: TimelineKind;
  id: string;
  summary: string;
  data: Record<string, unknown>;
  messages: ContactMessage[];
  assessment?: Assessment;
}

export interface TimelineAccount {
  accountId: string;
  email: string;
  name: string;
  marketplace?: string;
  createdAt?: number;
  closed: boolean;
  closedAt?: number;
}

export interface Timeline {
  account?: TimelineAccount;
  items: TimelineItem[];
  linkedAccounts: { accountId: string; via: string[]; closed: boolean }[];
}

export interface RefundRow {
  refundId: string;
  accountId: string;
  orderId: string;
  at: number;
  amountMinor: number;
  currency: string;
  usd: number;
  decision: string;
  score: number;
  reasons: Reason[];
  caseId?: string;
}

export interface Dashboard {
  totals: { assessed: number; flagged: number; fraudValueStoppedUsd: number; openCases: number };
  perDay: {
    day: string;
    approve: number;
    return_first: number;
    review: number;
    deny: number;
    stoppedUsd: number;
  }[];
  topReasons: { code: string; count: number }[];
}

// Rings

export interface RingMemberRefund {
  refundId: string;
  orderId: string;
  at: number;
  amountMinor: number;
  currency: string;
  usd: number;
  reason: string;
  decision?: string;
  outcome?: string;
  agentId?: string;
  inRing: boolean;
}

export interface RingMember {
  accountId: string;
  role: 'member' | 'associate';
  email?: string;
  marketplace?: string;
  closed: boolean;
  closedAt?: number;
  refunds: RingMemberRefund[];
}

export interface RingGraphData {
  nodes: { key: string; attributes?: Record<string, unknown> }[];
  edges: { key?: string; source: string; target: string; attributes?: Record<string, unknown> }[];
}

export interface ActionBatch {
  batchId: string;
  caseId: string;
  type: ActionType;
  counts: Record<string, number>;
  actions: Action[];
}

export interface RingPageData {
  ring: {
    ringId: string;
    accountIds: string[];
    associatedAccountIds: string[];
    agentIds: string[];
    fingerprints: { origins: string[]; ranges: string[]; scripts: string[]; returns: string[] };
    refundIds: string[];
    valueUsd: number;
    firstAt: number;
    lastAt: number;
    score: number;
    reasons: Reason[];
  };
  live: boolean;
  graph: RingGraphData;
  members: RingMember[];
  activity: { day: string; refunds: number; contacts: number; refundUsd: number }[];
  batches: ActionBatch[];
}

// Administration (admin role)

export const KEY_ROLES = ['ingest', 'analyst', 'admin'] as const;
export type KeyRole = (typeof KEY_ROLES)[number];

export interface AdminUser extends User {
  disabled: boolean;
  createdAt: number;
}

export interface ApiKey {
  id: string;
  name: string;
  role: string;
  createdAt: number;
  lastUsedAt?: number;
  revokedAt?: number;
}

export interface Webhook {
  id: string;
  url: string;
  events: string[];
  active: boolean;
  createdAt: number;
}

export interface WebhookDelivery {
  id: string;
  webhookId: string;
  actionId?: string;
  eventType: string;
  status: string;
  attempts: number;
  lastAttemptAt?: number;
  lastStatusCode?: number;
  lastError?: string;
  nextAttemptAt?: number;
  createdAt: number;
}

export interface AuditEntry {
  seq: number;
  at: number;
  actor: string;
  action: string;
  subject: string;
  detail: Record<string, unknown>;
  hash: string;
  prevHash: string;
}

export interface AuditCheck {
  ok: boolean;
  rows: number;
  brokenSeq?: number;
  problem?: string;
}

export interface AuditFilters {
  actor?: string;
  action?: string;
  subject?: string;
  before?: number;
  limit: number;
}

// Decisions: the policy, what it would have done on history, models and the shadow candidate

/** The retailer's decision policy (rule pack `policy`): review capacity is a share or a number per day. */
export interface DecisionPolicy {
  reviewCapacity: { share?: number; perDay?: number };
  denyPrecision: number;
  reviewFrom: number;
  returnFirstFrom: number;
  windowDays: number;
  minWindowRefunds: number;
}

export interface PolicyRecord {
  version: number;
  policy: DecisionPolicy;
  createdAt: number;
  /** An actor id: `user:<id>` or `key:<id>`. */
  createdBy: string;
  note?: string;
}

export interface PolicyView {
  /** The policy in force. */
  effective: DecisionPolicy;
  /** The rule pack's, in force until the retailer sets one. */
  packDefault: DecisionPolicy;
  /** Every change, newest first. */
  history: PolicyRecord[];
}

/** One candidate threshold on history: what sending every refund at or above it to people does. */
export interface ThresholdRow {
  threshold: number;
  flagged: number;
  flaggedShare: number;
  flaggedPerDay: number;
  /** Labelled outcomes: fraud value stopped and honest refunds bothered among the flagged. */
  fraudValueStoppedUsd: number;
  honestBothered: number;
  /** Expected from the probabilities, over every flagged refund. */
  expectedFraudValueUsd: number;
  expectedHonestBothered: number;
  /** The denominators: labelled fraud value in all refunds, and labelled honest refunds. */
  labelledFraudValueUsd: number;
  labelledHonest: number;
}

export interface PolicyDay {
  /** The day's first moment (epoch ms). */
  day: number;
  refunds: number;
  reviewed: number;
  denied: number;
  returnFirst: number;
  /** The day's review capacity, in refunds. */
  capacity: number;
  reviewFrom: number;
  denyFrom: number;
}

/** A whole policy run on history, its bands read day by day. */
export interface PolicyRun {
  /** Decision → count. */
  decisions: Record<string, number>;
  fraudValueStoppedUsd: number;
  labelledFraudValueUsd: number;
  honestBothered: number;
  honestNotApproved: number;
  labelledHonest: number;
  expectedFraudValueUsd: number;
  expectedHonestBothered: number;
  days: PolicyDay[];
}

export interface PolicySimulation {
  refunds: number;
  labelled: number;
  /** The first and last refund simulated (epoch ms), absent on an empty history. */
  from?: number;
  to?: number;
  thresholds: ThresholdRow[];
  /** The policy in force. */
  current: PolicyRun;
  /** The proposed policy, when one was sent. */
  proposed?: PolicyRun;
}

export interface ModelMetrics {
  refunds: number;
  fraud: number;
  logLoss: number;
  brier: number;
  /** Null when the period holds one class only. */
  auc: number | null;
}

export interface DecisionModel {
  version: string;
  /** candidate, promoted, rejected, retired or shadow. */
  status: string;
  rulePackVersion: string;
  trainedAt: number;
  trainingMs: number;
  /** Labels dated before this moment (event time) were used. */
  labelsBefore: number;
  promotedAt?: number;
  featureCount: number;
  training: ModelMetrics;
  /** The later period held out from training: the candidate's figures and the live scorer's. */
  holdout: { from: number; model: ModelMetrics; live: ModelMetrics; liveVersion: string };
  labels: { fraud: number; honest: number };
}

export interface TrainResult {
  at: number;
  promoted: boolean;
  /** `trained` or `too-few-labels`. */
  outcome: string;
  model?: DecisionModel;
  message?: string;
  labels?: { fraud: number; honest: number };
}

/** A refund the shadow candidate decides differently from the live decider. */
export interface ShadowDifference {
  subjectId: string;
  at: number;
  liveDecision: string;
  liveScore: number;
  decision: string;
  score: number;
  amountUsd?: number;
  reasons: Reason[];
}

export interface ShadowReport {
  candidate?: string;
  since?: number;
  decisions: number;
  /** Live decision → candidate decision → count. */
  agreement: Record<string, Record<string, number>>;
  onlyCandidateFlags: number;
  onlyLiveFlags: number;
  /** Among labelled refunds: how many each flags (review, deny), fraud and honest. */
  labelled: {
    refunds: number;
    live: { fraud: number; honest: number };
    candidate: { fraud: number; honest: number };
  };
  differences: ShadowDifference[];
  error?: string;
}

// ---------------------------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------------------------

/** A failed call, from an RFC 9457 problem body when the server sent one. */
export class ApiError extends Error {
  readonly status: number;
  readonly title: string;
  readonly detail?: string;
  readonly fieldErrors: { field: string; reason: string }[];

  constructor(status: number, title: string, detail?: string, fieldErrors: ApiError['fieldErrors'] = []) {
    super(detail ? `${title}: ${detail}` : title);
    this.name = 'ApiError';
    this.status = status;
    this.title = title;
    if (detail !== undefined) this.detail = detail;
    this.fieldErrors = fieldErrors;
  }

  /** What to show a person. */
  get userMessage(): string {
    const fields = this.fieldErrors.map((entry) => `${entry.field}: ${entry.reason}`).join('; ');
    return [this.detail ?? this.title, fields].filter(Boolean).join(' — ');
  }
}

export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) return error.userMessage;
  if (error instanceof Error) return error.message;
  return String(error);
}

// ---------------------------------------------------------------------------------------------
// Readers: tolerant conversions from unknown JSON
// ---------------------------------------------------------------------------------------------

type Json = Record<string, unknown>;

function obj(value: unknown): Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : {};
}
function arr(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}
function str(value: unknown, fallback = ''): string {
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : fallback;
}
function optStr(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}
function num(value: unknown, fallback = 0): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : fallback;
}
/** RFC 3339 string (or epoch ms) → epoch ms; NaN when absent. */
function time(value: unknown): number {
  if (typeof value === 'number') return value;
  return typeof value === 'string' ? Date.parse(value) : Number.NaN;
}
function optTime(value: unknown): number | undefined {
  const parsed = time(value);
  return Number.isNaN(parsed) ? undefined : parsed;
}
function counts(value: unknown): Record<string, number> {
  return Object.fromEntries(Object.entries(obj(value)).map(([key, n]) => [key, num(n)]));
}
/** Money is `usd` (number), or `{amountMinor, currency}` with `usd` beside it. */
function usd(value: unknown): number {
  if (typeof value === 'number') return value;
  const money = obj(value);
  if (typeof money.usd === 'number') return money.usd;
  return num(money.amountMinor) / 100;
}

function toPerson(value: unknown): PersonRef {
  if (typeof value === 'string') return { id: value, name: value };
  const person = obj(value);
  const id = str(person.id);
  return { id, name: str(person.name, id) };
}

/** Reasons arrive as `{code, text}` objects or as plain codes. */
function toReason(value: unknown): Reason {
  if (typeof value === 'string') return { code: value, text: value };
  const reason = obj(value);
  const code = str(reason.code);
  return { code, text: str(reason.text, code) };
}

function toRole(value: unknown): Role {
  return (ROLES as readonly string[]).includes(str(value)) ? (value as Role) : 'analyst';
}

function toUser(value: unknown): User {
  const user = obj(value);
  const agentId = optStr(user.agentId);
  return {
    id: str(user.id),
    email: str(user.email),
    name: str(user.name, str(user.email)),
    role: toRole(user.role),
    ...(agentId ? { agentId } : {}),
  };
}

function toSession(value: unknown): Session {
  const body = obj(value);
  return { user: toUser(body.user), csrfToken: str(body.csrfToken) };
}

function toCaseSummary(value: unknown): CaseSummary {
  const item = obj(value);
  const marketplace = optStr(item.marketplace);
  return {
    id: str(item.id),
    type: str(item.type),
    subjectType: str(item.subjectType),
    subjectId: str(item.subjectId),
    title: str(item.title, str(item.subjectId)),
    status: str(item.status),
    priorityUsd: usd(item.priorityUsd),
    ...(marketplace ? { marketplace } : {}),
    ...(item.assignee ? { assignee: toPerson(item.assignee) } : {}),
    openedAt: time(item.openedAt),
    updatedAt: time(item.updatedAt),
    refundCount: num(item.refundCount),
    topReasons: arr(item.topReasons).map((reason) => toReason(reason).code),
  };
}

function toCaseList(value: unknown): CaseList {
  const body = obj(value);
  const counted = obj(body.counts);
  return {
    items: arr(body.items).map(toCaseSummary),
    total: num(body.total),
    counts: { status: counts(counted.status), type: counts(counted.type) },
  };
}

function isActionType(value: unknown): value is ActionType {
  return (ACTION_TYPES as readonly unknown[]).includes(value);
}

/** `result` may be text or an object: keep its plain fields as `key: value` text. */
function resultText(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object') return String(value);
  const parts = Object.entries(obj(value))
    .filter(([, entry]) => entry !== null && typeof entry !== 'object')
    .map(([key, entry]) => `${key}: ${String(entry)}`);
  return parts.length > 0 ? parts.join(' · ') : undefined;
}

function toAction(value: unknown): Action {
  const action = obj(value);
  const result = resultText(action.result);
  const target = obj(action.target);
  const note = optStr(action.note);
  const decidedAt = optTime(action.decidedAt);
  const accountId = optStr(target.accountId);
  const refundId = optStr(target.refundId);
  return {
    id: str(action.id),
    caseId: str(action.caseId),
    type: (isActionType(action.type) ? action.type : 'warn_customer') as ActionType,
    target: { ...(accountId ? { accountId } : {}), ...(refundId ? { refundId } : {}) },
    status: str(action.status, 'proposed') as Action['status'],
    proposedBy: toPerson(action.proposedBy),
    proposedAt: time(action.proposedAt),
    ...(action.decidedBy ? { decidedBy: toPerson(action.decidedBy) } : {}),
    ...(decidedAt !== undefined ? { decidedAt } : {}),
    ...(note ? { note } : {}),
    ...(result ? { result } : {}),
    deliveries: arr(action.deliveries).map((entry) => {
      const delivery = obj(entry);
      const lastAttemptAt = optTime(delivery.lastAttemptAt);
      return {
        webhookId: str(delivery.webhookId),
        status: str(delivery.status),
        attempts: num(delivery.attempts),
        ...(lastAttemptAt !== undefined ? { lastAttemptAt } : {}),
      };
    }),
  };
}

function toCaseDetail(value: unknown): CaseDetail {
  const body = obj(value);
  const outcome = body.outcome ? obj(body.outcome) : undefined;
  const outcomeNote = outcome ? optStr(outcome.note) : undefined;
  return {
    ...toCaseSummary(body),
    history: arr(body.history).map((entry) => {
      const step = obj(entry);
      const note = optStr(step.note);
      return {
        from: str(step.from),
        to: str(step.to),
        by: toPerson(step.by),
        at: time(step.at),
        ...(note ? { note } : {}),
      };
    }),
    notes: arr(body.notes).map((entry) => {
      const note = obj(entry);
      return { id: str(note.id), by: toPerson(note.by), at: time(note.at), text: str(note.text) };
    }),
    evidence: arr(body.evidence).map((entry) => {
      const evidence = obj(entry);
      return {
        kind: str(evidence.kind),
        refId: str(evidence.refId),
        summary: str(evidence.summary),
        at: time(evidence.at),
      };
    }),
    ...(outcome
      ? {
          outcome: {
            label: str(outcome.label),
            by: toPerson(outcome.by),
            at: time(outcome.at),
            ...(outcomeNote ? { note: outcomeNote } : {}),
          },
        }
      : {}),
    actions: arr(body.actions).map(toAction),
    allowedTransitions: arr(body.allowedTransitions).map((to) => str(to)),
    availableActions: arr(body.availableActions).filter(isActionType),
  };
}

export function timelineKind(type: string, data: Json): TimelineKind {
  if (type.includes('deliver')) return 'delivery';
  if (type.startsWith('order')) return 'order';
  if (type.includes('login')) return 'login';
  if (type.startsWith('contact') || Array.isArray(data.messages)) return 'contact';
  if (type.startsWith('refund')) return 'refund';
  if (type.startsWith('return')) return 'return';
  if (type.startsWith('agent')) return 'agent';
  return 'other';
}

function toAssessment(value: unknown): Assessment | undefined {
  if (!value) return undefined;
  const assessment = obj(value);
  return {
    decision: str(assessment.decision),
    score: num(assessment.score),
    reasons: arr(assessment.reasons).map(toReason),
  };
}

function toTimelineItem(value: unknown): TimelineItem {
  const item = obj(value);
  const data = obj(item.data);
  const type = str(item.type);
  const assessment = toAssessment(item.assessment ?? data.assessment);
  return {
    at: time(item.at),
    type,
    kind: timelineKind(type, data),
    id: str(item.id),
    summary: str(item.summary),
    data,
    messages: arr(item.messages ?? data.messages).map((entry) => {
      const message = obj(entry);
      const at = optTime(message.at ?? message.time);
      return { from: str(message.from), text: str(message.text), ...(at !== undefined ? { at } : {}) };
    }),
    ...(assessment ? { assessment } : {}),
  };
}

function toTimeline(value: unknown): Timeline {
  const body = obj(value);
  const account = body.account ? obj(body.account) : undefined;
  let closed = false;
  let closedAt: number | undefined;
  if (account) {
    const flag = account.closed;
    if (typeof flag === 'boolean') closed = flag;
    else if (typeof flag === 'string') {
      closed = true;
      closedAt = optTime(flag);
    } else if (flag && typeof flag === 'object') {
      closed = true;
      closedAt = optTime(obj(flag).at);
    }
  }
  const marketplace = account ? optStr(account.marketplace) : undefined;
  const createdAt = account ? optTime(account.createdAt) : undefined;
  return {
    ...(account
      ? {
          account: {
            accountId: str(account.accountId),
            email: str(account.email),
            name: str(account.name),
            ...(marketplace ? { marketplace } : {}),
            ...(createdAt !== undefined ? { createdAt } : {}),
            closed,
            ...(closedAt !== undefined ? { closedAt } : {}),
          },
        }
      : {}),
    items: arr(body.items)
      .map(toTimelineItem)
      .sort((left, right) => left.at - right.at),
    linkedAccounts: arr(body.linkedAccounts).map((entry) => {
      const linked = obj(entry);
      return {
        accountId: str(linked.accountId),
        via: arr(linked.via).map((via) => str(via)),
        closed: linked.closed === true,
      };
    }),
  };
}

function toRefundRow(value: unknown): RefundRow {
  const row = obj(value);
  const caseId = optStr(row.caseId);
  const amountMinor = num(row.amountMinor);
  return {
    refundId: str(row.refundId),
    accountId: str(row.accountId),
    orderId: str(row.orderId),
    at: time(row.at),
    amountMinor,
    currency: str(row.currency, 'USD'),
    usd: typeof row.usd === 'number' ? row.usd : amountMinor / 100,
    decision: str(row.decision),
    score: num(row.score),
    reasons: arr(row.reasons).map(toReason),
    ...(caseId ? { caseId } : {}),
  };
}

function toDashboard(value: unknown): Dashboard {
  const body = obj(value);
  const totals = obj(body.totals);
  return {
    totals: {
      assessed: num(totals.assessed),
      flagged: num(totals.flagged),
      fraudValueStoppedUsd: usd(totals.fraudValueStoppedUsd),
      openCases: num(totals.openCases),
    },
    perDay: arr(body.perDay).map((entry) => {
      const day = obj(entry);
      return {
        day: str(day.day),
        approve: num(day.approve),
        return_first: num(day.return_first),
        review: num(day.review),
        deny: num(day.deny),
        stoppedUsd: usd(day.stoppedUsd),
      };
    }),
    topReasons: arr(body.topReasons).map((entry) => {
      const reason = obj(entry);
      return { code: str(reason.code), count: num(reason.count) };
    }),
  };
}

function strings(value: unknown): string[] {
  return arr(value).map((entry) => str(entry));
}

function toBatch(value: unknown): ActionBatch {
  const batch = obj(value);
  return {
    batchId: str(batch.batchId),
    caseId: str(batch.caseId),
    type: (isActionType(batch.type) ? batch.type : 'warn_customer') as ActionType,
    counts: counts(batch.counts),
    actions: arr(batch.actions).map(toAction),
  };
}

function toRingPage(value: unknown): RingPageData {
  const body = obj(value);
  const ring = obj(body.ring);
  const fingerprints = obj(ring.fingerprints);
  const graph = obj(body.graph);
  return {
    ring: {
      ringId: str(ring.ringId),
      accountIds: strings(ring.accountIds),
      associatedAccountIds: strings(ring.associatedAccountIds),
      agentIds: strings(ring.agentIds),
      fingerprints: {
        origins: strings(fingerprints.origins),
        ranges: strings(fingerprints.ranges),
        scripts: strings(fingerprints.scripts),
        returns: strings(fingerprints.returns),
      },
      refundIds: strings(ring.refundIds),
      valueUsd: num(ring.valueUsd),
      firstAt: time(ring.firstAt),
      lastAt: time(ring.lastAt),
      score: num(ring.score),
      reasons: arr(ring.reasons).map(toReason),
    },
    live: body.live === true,
    graph: {
      nodes: arr(graph.nodes).map((entry) => {
        const node = obj(entry);
        return { key: str(node.key), attributes: obj(node.attributes) };
      }),
      edges: arr(graph.edges).map((entry) => {
        const edge = obj(entry);
        const key = optStr(edge.key);
        return {
          ...(key ? { key } : {}),
          source: str(edge.source),
          target: str(edge.target),
          attributes: obj(edge.attributes),
        };
      }),
    },
    members: arr(body.members).map((entry) => {
      const member = obj(entry);
      const email = optStr(member.email);
      const marketplace = optStr(member.marketplace);
      const closedAt = member.closed ? optTime(obj(member.closed).at) : undefined;
      return {
        accountId: str(member.accountId),
        role: member.role === 'associate' ? 'associate' : 'member',
        ...(email ? { email } : {}),
        ...(marketplace ? { marketplace } : {}),
        closed: Boolean(member.closed),
        ...(closedAt !== undefined ? { closedAt } : {}),
        refunds: arr(member.refunds).map((item) => {
          const refund = obj(item);
          const decision = optStr(refund.decision);
          const outcome = optStr(refund.outcome);
          const agentId = optStr(refund.agentId);
          return {
            refundId: str(refund.refundId),
            orderId: str(refund.orderId),
            at: time(refund.at),
            amountMinor: num(refund.amountMinor),
            currency: str(refund.currency, 'USD'),
            usd: num(refund.usd),
            reason: str(refund.reason),
            ...(decision ? { decision } : {}),
            ...(outcome ? { outcome } : {}),
            ...(agentId ? { agentId } : {}),
            inRing: refund.inRing === true,
          };
        }),
      };
    }),
    activity: arr(body.activity).map((entry) => {
      const day = obj(entry);
      return {
        day: str(day.day),
        refunds: num(day.refunds),
        contacts: num(day.contacts),
        refundUsd: num(day.refundUsd),
      };
    }),
    batches: arr(body.batches).map(toBatch),
  };
}

function toAdminUser(value: unknown): AdminUser {
  const user = obj(value);
  return { ...toUser(user), disabled: user.disabled === true, createdAt: time(user.createdAt) };
}

function toApiKey(value: unknown): ApiKey {
  const key = obj(value);
  const lastUsedAt = optTime(key.lastUsedAt);
  const revokedAt = optTime(key.revokedAt);
  return {
    id: str(key.id),
    name: str(key.name),
    role: str(key.role),
    createdAt: time(key.createdAt),
    ...(lastUsedAt !== undefined ? { lastUsedAt } : {}),
    ...(revokedAt !== undefined ? { revokedAt } : {}),
  };
}

function toWebhook(value: unknown): Webhook {
  const hook = obj(value);
  return {
    id: str(hook.id),
    url: str(hook.url),
    events: arr(hook.events).map((event) => str(event)),
    active: hook.active === true,
    createdAt: time(hook.createdAt),
  };
}

function toDelivery(value: unknown): WebhookDelivery {
  const row = obj(value);
  const actionId = optStr(row.actionId);
  const lastAttemptAt = optTime(row.lastAttemptAt);
  const nextAttemptAt = optTime(row.nextAttemptAt);
  const lastError = optStr(row.lastError);
  return {
    id: str(row.id),
    webhookId: str(row.webhookId),
    ...(actionId ? { actionId } : {}),
    eventType: str(row.eventType),
    status: str(row.status),
    attempts: num(row.attempts),
    ...(lastAttemptAt !== undefined ? { lastAttemptAt } : {}),
    ...(typeof row.lastStatusCode === 'number' ? { lastStatusCode: row.lastStatusCode } : {}),
    ...(lastError ? { lastError } : {}),
    ...(nextAttemptAt !== undefined ? { nextAttemptAt } : {}),
    createdAt: time(row.createdAt),
  };
}

function toAuditEntry(value: unknown): AuditEntry {
  const row = obj(value);
  return {
    seq: num(row.seq),
    at: time(row.at),
    actor: str(row.actor),
    action: str(row.action),
    subject: str(row.subject),
    detail: obj(row.detail),
    hash: str(row.hash),
    prevHash: str(row.prevHash),
  };
}

function toAuditCheck(value: unknown): AuditCheck {
  const body = obj(value);
  const problem = optStr(body.problem);
  return {
    ok: body.ok === true,
    rows: num(body.rows),
    ...(typeof body.brokenSeq === 'number' ? { brokenSeq: body.brokenSeq } : {}),
    ...(problem ? { problem } : {}),
  };
}

function toPolicy(value: unknown): DecisionPolicy {
  const policy = obj(value);
  const capacity = obj(policy.reviewCapacity);
  return {
    reviewCapacity: {
      ...(typeof capacity.share === 'number' ? { share: capacity.share } : {}),
      ...(typeof capacity.perDay === 'number' ? { perDay: capacity.perDay } : {}),
    },
    denyPrecision: num(policy.denyPrecision),
    reviewFrom: num(policy.reviewFrom),
    returnFirstFrom: num(policy.returnFirstFrom),
    windowDays: num(policy.windowDays),
    minWindowRefunds: num(policy.minWindowRefunds),
  };
}

function toPolicyRecord(value: unknown): PolicyRecord {
  const record = obj(value);
  const note = optStr(record.note);
  return {
    version: num(record.version),
    policy: toPolicy(record.policy),
    createdAt: time(record.createdAt),
    createdBy: str(record.createdBy),
    ...(note ? { note } : {}),
  };
}

function toPolicyView(value: unknown): PolicyView {
  const body = obj(value);
  return {
    effective: toPolicy(body.effective),
    packDefault: toPolicy(body.packDefault),
    history: arr(body.history).map(toPolicyRecord),
  };
}

function toThresholdRow(value: unknown): ThresholdRow {
  const row = obj(value);
  return {
    threshold: num(row.threshold),
    flagged: num(row.flagged),
    flaggedShare: num(row.flaggedShare),
    flaggedPerDay: num(row.flaggedPerDay),
    fraudValueStoppedUsd: num(row.fraudValueStoppedUsd),
    honestBothered: num(row.honestBothered),
    expectedFraudValueUsd: num(row.expectedFraudValueUsd),
    expectedHonestBothered: num(row.expectedHonestBothered),
    labelledFraudValueUsd: num(row.labelledFraudValueUsd),
    labelledHonest: num(row.labelledHonest),
  };
}

function toPolicyRun(value: unknown): PolicyRun {
  const run = obj(value);
  return {
    decisions: counts(run.decisions),
    fraudValueStoppedUsd: num(run.fraudValueStoppedUsd),
    labelledFraudValueUsd: num(run.labelledFraudValueUsd),
    honestBothered: num(run.honestBothered),
    honestNotApproved: num(run.honestNotApproved),
    labelledHonest: num(run.labelledHonest),
    expectedFraudValueUsd: num(run.expectedFraudValueUsd),
    expectedHonestBothered: num(run.expectedHonestBothered),
    days: arr(run.days).map((entry) => {
      const day = obj(entry);
      return {
        day: time(day.day),
        refunds: num(day.refunds),
        reviewed: num(day.reviewed),
        denied: num(day.denied),
        returnFirst: num(day.returnFirst),
        capacity: num(day.capacity),
        reviewFrom: num(day.reviewFrom),
        denyFrom: num(day.denyFrom),
      };
    }),
  };
}

function toPolicySimulation(value: unknown): PolicySimulation {
  const body = obj(value);
  const from = optTime(body.from);
  const to = optTime(body.to);
  return {
    refunds: num(body.refunds),
    labelled: num(body.labelled),
    ...(from !== undefined ? { from } : {}),
    ...(to !== undefined ? { to } : {}),
    thresholds: arr(body.thresholds).map(toThresholdRow),
    current: toPolicyRun(body.current),
    ...(body.proposed ? { proposed: toPolicyRun(body.proposed) } : {}),
  };
}

function toModelMetrics(value: unknown): ModelMetrics {
  const metrics = obj(value);
  return {
    refunds: num(metrics.refunds),
    fraud: num(metrics.fraud),
    logLoss: num(metrics.logLoss),
    brier: num(metrics.brier),
    auc: typeof metrics.auc === 'number' ? metrics.auc : null,
  };
}

function toFraudHonest(value: unknown): { fraud: number; honest: number } {
  const pair = obj(value);
  return { fraud: num(pair.fraud), honest: num(pair.honest) };
}

function toDecisionModel(value: unknown): DecisionModel {
  const model = obj(value);
  const holdout = obj(model.holdout);
  const promotedAt = optTime(model.promotedAt);
  return {
    version: str(model.version),
    status: str(model.status),
    rulePackVersion: str(model.rulePackVersion),
    trainedAt: time(model.trainedAt),
    trainingMs: num(model.trainingMs),
    labelsBefore: time(model.labelsBefore),
    ...(promotedAt !== undefined ? { promotedAt } : {}),
    featureCount: arr(model.features).length,
    training: toModelMetrics(model.training),
    holdout: {
      from: time(holdout.from),
      model: toModelMetrics(holdout.model),
      live: toModelMetrics(holdout.live),
      liveVersion: str(holdout.liveVersion),
    },
    labels: toFraudHonest(model.labels),
  };
}

function toTrainResult(value: unknown): TrainResult {
  const body = obj(value);
  const message = optStr(body.message);
  return {
    at: time(body.at),
    promoted: body.promoted === true,
    outcome: str(body.outcome),
    ...(body.model ? { model: toDecisionModel(body.model) } : {}),
    ...(message ? { message } : {}),
    ...(body.labels ? { labels: toFraudHonest(body.labels) } : {}),
  };
}

function toShadowReport(value: unknown): ShadowReport {
  const body = obj(value);
  const candidate = optStr(body.candidate);
  const since = optTime(body.since);
  const error = optStr(body.error);
  const labelled = obj(body.labelled);
  return {
    ...(candidate ? { candidate } : {}),
    ...(since !== undefined ? { since } : {}),
    decisions: num(body.decisions),
    agreement: Object.fromEntries(
      Object.entries(obj(body.agreement)).map(([live, row]) => [live, counts(row)]),
    ),
    onlyCandidateFlags: num(body.onlyCandidateFlags),
    onlyLiveFlags: num(body.onlyLiveFlags),
    labelled: {
      refunds: num(labelled.refunds),
      live: toFraudHonest(labelled.live),
      candidate: toFraudHonest(labelled.candidate),
    },
    differences: arr(body.differences).map((entry) => {
      const record = obj(entry);
      return {
        subjectId: str(record.subjectId),
        at: time(record.at),
        liveDecision: str(record.liveDecision),
        liveScore: num(record.liveScore),
        decision: str(record.decision),
        score: num(record.score),
        ...(typeof record.amountUsdMinor === 'number' ? { amountUsd: record.amountUsdMinor / 100 } : {}),
        reasons: arr(record.reasons).map(toReason),
      };
    }),
    ...(error ? { error } : {}),
  };
}

const items =
  <T>(convert: (value: unknown) => T) =>
  (body: unknown): T[] =>
    arr(obj(body).items).map(convert);

// ---------------------------------------------------------------------------------------------
// Transport
// ---------------------------------------------------------------------------------------------

let csrfToken = '';
let onUnauthorized: (() => void) | undefined;

/** Called when a call answers 401 (the session ended): the app shows the login page. */
export function setUnauthorizedHandler(handler: (() => void) | undefined): void {
  onUnauthorized = handler;
}

type Query = Record<string, string | number | readonly string[] | undefined>;

export function queryString(query: Query = {}): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === '') continue;
    if (Array.isArray(value)) {
      if (value.length > 0) params.set(key, value.join(','));
    } else params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

async function problemFrom(response: Response): Promise<ApiError> {
  const text = await response.text().catch(() => '');
  let body: Json = {};
  try {
    body = obj(JSON.parse(text));
  } catch {
    // not JSON: a proxy or a crash page
  }
  const title = str(body.title, response.statusText || `HTTP ${response.status}`);
  const detail =
    optStr(body.detail) ?? (Object.keys(body).length === 0 ? optStr(text.slice(0, 200)) : undefined);
  const fieldErrors = arr(body.errors).map((entry) => {
    const error = obj(entry);
    return { field: str(error.field), reason: str(error.reason) };
  });
  return new ApiError(response.status, title, detail, fieldErrors);
}

async function call<T>(
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
  path: string,
  convert: (body: unknown) => T,
  options: { query?: Query; body?: unknown; signal?: AbortSignal; quiet401?: boolean } = {},
): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
  let response: Response;
  try {
    response = await fetch(`/v1${path}${queryString(options.query)}`, {
      method,
      headers,
      credentials: 'same-origin',
      ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new ApiError(0, 'Network error', 'The server could not be reached.');
  }
  if (!response.ok) {
    const problem = await problemFrom(response);
    if (response.status === 401 && !options.quiet401) onUnauthorized?.();
    throw problem;
  }
  if (response.status === 204) return convert(undefined);
  const text = await response.text();
  return convert(text ? JSON.parse(text) : undefined);
}

const ignore = (): void => undefined;

// ---------------------------------------------------------------------------------------------
// Endpoints
// ---------------------------------------------------------------------------------------------

export interface CaseFilters {
  status?: readonly string[];
  type?: readonly string[];
  marketplace?: string;
  minUsd?: number;
  maxAgeDays?: number;
  assignee?: string;
  limit: number;
  offset: number;
}

export interface RefundFilters {
  q?: string;
  decision?: readonly string[];
  from?: string;
  to?: string;
  limit: number;
  offset: number;
}

export const api = {
  async login(email: string, password: string): Promise<Session> {
    const session = await call('POST', '/session', toSession, { body: { email, password }, quiet401: true });
    csrfToken = session.csrfToken;
    return session;
  },
  async currentSession(): Promise<Session | undefined> {
    try {
      const session = await call('GET', '/session', toSession, { quiet401: true });
      csrfToken = session.csrfToken;
      return session;
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) return undefined;
      throw error;
    }
  },
  async logout(): Promise<void> {
    try {
      await call('DELETE', '/session', ignore, { quiet401: true });
    } finally {
      csrfToken = '';
    }
  },

  cases: (filters: CaseFilters, signal?: AbortSignal) =>
    call('GET', '/cases', toCaseList, { query: { ...filters }, ...(signal ? { signal } : {}) }),
  case: (id: string, signal?: AbortSignal) =>
    call('GET', `/cases/${encodeURIComponent(id)}`, toCaseDetail, signal ? { signal } : {}),
  timeline: (id: string, signal?: AbortSignal) =>
    call('GET', `/cases/${encodeURIComponent(id)}/timeline`, toTimeline, signal ? { signal } : {}),
  transition: (id: string, to: string, note?: string) =>
    call('POST', `/cases/${encodeURIComponent(id)}/transition`, toCaseDetail, {
      body: { to, ...(note ? { note } : {}) },
    }),
  assign: (id: string, userId: string | null) =>
    call('POST', `/cases/${encodeURIComponent(id)}/assign`, toCaseDetail, { body: { userId } }),
  addNote: (id: string, text: string) =>
    call('POST', `/cases/${encodeURIComponent(id)}/notes`, ignore, { body: { text } }),
  setOutcome: (id: string, label: OutcomeLabel, note?: string) =>
    call('POST', `/cases/${encodeURIComponent(id)}/outcome`, toCaseDetail, {
      body: { label, ...(note ? { note } : {}) },
    }),
  proposeAction: (
    id: string,
    input: { type: ActionType; accountId?: string; refundId?: string; note?: string },
  ) => call('POST', `/cases/${encodeURIComponent(id)}/actions`, toAction, { body: input }),
  approveAction: (id: string, note?: string) =>
    call('POST', `/actions/${encodeURIComponent(id)}/approve`, toAction, { body: note ? { note } : {} }),
  rejectAction: (id: string, note?: string) =>
    call('POST', `/actions/${encodeURIComponent(id)}/reject`, toAction, { body: note ? { note } : {} }),
  evidenceZipUrl: (actionId: string) => `/v1/actions/${encodeURIComponent(actionId)}/evidence.zip`,

  refunds: (filters: RefundFilters, signal?: AbortSignal) =>
    call(
      'GET',
      '/refunds',
      (body) => {
        const page = obj(body);
        return { items: arr(page.items).map(toRefundRow), total: num(page.total) };
      },
      { query: { ...filters }, ...(signal ? { signal } : {}) },
    ),
  dashboard: (days: number, signal?: AbortSignal) =>
    call('GET', '/dashboard', toDashboard, { query: { days }, ...(signal ? { signal } : {}) }),

  ring: (caseId: string, signal?: AbortSignal) =>
    call('GET', `/cases/${encodeURIComponent(caseId)}/ring`, toRingPage, signal ? { signal } : {}),
  bulkAction: (caseId: string, type: 'warn_customer' | 'close_account', note?: string) =>
    call('POST', `/cases/${encodeURIComponent(caseId)}/bulk-actions`, toBatch, {
      body: { type, ...(note ? { note } : {}) },
    }),
  decideBatch: (batchId: string, approve: boolean, note?: string) =>
    call(
      'POST',
      `/action-batches/${encodeURIComponent(batchId)}/${approve ? 'approve' : 'reject'}`,
      toBatch,
      {
        body: note ? { note } : {},
      },
    ),

  admin: {
    users: (signal?: AbortSignal) => call('GET', '/users', items(toAdminUser), signal ? { signal } : {}),
    createUser: (input: { email: string; name: string; role: Role; password: string; agentId?: string }) =>
      call('POST', '/users', toUser, { body: input }),
    updateUser: (id: string, changes: { role?: Role; disabled?: boolean; name?: string }) =>
      call('PATCH', `/users/${encodeURIComponent(id)}`, toAdminUser, { body: changes }),
    keys: (signal?: AbortSignal) => call('GET', '/keys', items(toApiKey), signal ? { signal } : {}),
    createKey: (input: { name: string; role: KeyRole }) =>
      call('POST', '/keys', (body) => ({ key: toApiKey(body), secret: str(obj(body).secret) }), {
        body: input,
      }),
    revokeKey: (id: string) => call('DELETE', `/keys/${encodeURIComponent(id)}`, toApiKey),
    webhooks: (signal?: AbortSignal) => call('GET', '/webhooks', items(toWebhook), signal ? { signal } : {}),
    createWebhook: (url: string) =>
      call('POST', '/webhooks', (body) => ({ webhook: toWebhook(body), secret: str(obj(body).secret) }), {
        body: { url },
      }),
    setWebhookActive: (id: string, active: boolean) =>
      call('PATCH', `/webhooks/${encodeURIComponent(id)}`, toWebhook, { body: { active } }),
    deliveries: (signal?: AbortSignal) =>
      call('GET', '/webhooks/deliveries', items(toDelivery), {
        query: { limit: 200 },
        ...(signal ? { signal } : {}),
      }),
    template: (signal?: AbortSignal) =>
      call('GET', '/templates/warn_customer', (body) => str(obj(body).body), signal ? { signal } : {}),
    setTemplate: (body: string) =>
      call('PUT', '/templates/warn_customer', (reply) => str(obj(reply).body), { body: { body } }),
    audit: (filters: AuditFilters, signal?: AbortSignal) =>
      call('GET', '/audit', items(toAuditEntry), { query: { ...filters }, ...(signal ? { signal } : {}) }),
    verifyAudit: () => call('GET', '/audit/verify', toAuditCheck),
  },
  decisions: {
    policy: (signal?: AbortSignal) =>
      call('GET', '/decisions/policy', toPolicyView, signal ? { signal } : {}),
    setPolicy: (policy: DecisionPolicy, note?: string) =>
      call('PUT', '/decisions/policy', toPolicyRecord, { body: { policy, ...(note ? { note } : {}) } }),
    /** What each threshold, the policy in force and (when given) a proposed one would have done on history. */
    simulate: (proposal?: DecisionPolicy, signal?: AbortSignal) =>
      call('POST', '/decisions/policy/simulate', toPolicySimulation, {
        body: proposal ? { policy: proposal } : {},
        ...(signal ? { signal } : {}),
      }),
    models: (signal?: AbortSignal) =>
      call('GET', '/decisions/models', items(toDecisionModel), signal ? { signal } : {}),
    train: () => call('POST', '/decisions/models/train', toTrainResult),
    promote: (version: string) =>
      call('POST', `/decisions/models/${encodeURIComponent(version)}/promote`, toDecisionModel),
    retire: (version: string) =>
      call('POST', `/decisions/models/${encodeURIComponent(version)}/retire`, toDecisionModel),
    shadow: (signal?: AbortSignal) =>
      call('GET', '/decisions/shadow', toShadowReport, signal ? { signal } : {}),
    startShadow: (modelVersion: string) =>
      call('POST', '/decisions/shadow', (body) => str(obj(body).candidate), { body: { modelVersion } }),
    stopShadow: () => call('DELETE', '/decisions/shadow', ignore),
  },
};
