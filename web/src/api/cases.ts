// Cases, their timelines, refunds search and the dashboard.
import { arr, call, counts, ignore, type Json, num, obj, optStr, optTime, str, time, usd } from './client.ts';
import {
  ACTION_TYPES,
  type ActionType,
  type OutcomeLabel,
  type PersonRef,
  type Reason,
  toPerson,
  toReason,
} from './common.ts';

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

export function toCaseSummary(value: unknown): CaseSummary {
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

export function toCaseList(value: unknown): CaseList {
  const body = obj(value);
  const counted = obj(body.counts);
  return {
    items: arr(body.items).map(toCaseSummary),
    total: num(body.total),
    counts: { status: counts(counted.status), type: counts(counted.type) },
  };
}

export function isActionType(value: unknown): value is ActionType {
  return (ACTION_TYPES as readonly unknown[]).includes(value);
}

/** `result` may be text or an object: keep its plain fields as `key: value` text. */
export function resultText(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object') return String(value);
  const parts = Object.entries(obj(value))
    .filter(([, entry]) => entry !== null && typeof entry !== 'object')
    .map(([key, entry]) => `${key}: ${String(entry)}`);
  return parts.length > 0 ? parts.join(' · ') : undefined;
}

export function toAction(value: unknown): Action {
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

export function toCaseDetail(value: unknown): CaseDetail {
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

export function toAssessment(value: unknown): Assessment | undefined {
  if (!value) return undefined;
  const assessment = obj(value);
  return {
    decision: str(assessment.decision),
    score: num(assessment.score),
    reasons: arr(assessment.reasons).map(toReason),
  };
}

export function toTimelineItem(value: unknown): TimelineItem {
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

export function toTimeline(value: unknown): Timeline {
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

export function toRefundRow(value: unknown): RefundRow {
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

export function toDashboard(value: unknown): Dashboard {
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

export const casesApi = {
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
};
