// Ring cases: the ring page and actions on all members.
import { type Action, isActionType, toAction } from './cases.ts';
import { arr, call, counts, num, obj, optStr, optTime, str, time } from './client.ts';
import { type ActionType, type Reason, toReason } from './common.ts';

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

export function strings(value: unknown): string[] {
  return arr(value).map((entry) => str(entry));
}

export function toBatch(value: unknown): ActionBatch {
  const batch = obj(value);
  return {
    batchId: str(batch.batchId),
    caseId: str(batch.caseId),
    type: (isActionType(batch.type) ? batch.type : 'warn_customer') as ActionType,
    counts: counts(batch.counts),
    actions: arr(batch.actions).map(toAction),
  };
}

export function toRingPage(value: unknown): RingPageData {
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

export const ringsApi = {
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
};
