// An account as a case shows it: its events in order, each refund with its decision, and the
// accounts it shares a device, card, address, e-mail or phone with.
import type { RefundguardEvent } from '../core/events.ts';
import { normalizeEmail } from '../core/identity.ts';
import type { RiskState } from '../core/risk-state.ts';
import type { RiskEngine } from './engine.ts';
import type { AssessmentRecord, Store } from './ports.ts';

/** Identity values shared by more accounts than this (a public Wi-Fi range, a warehouse address) link nothing. */
const MAX_LINK_FAN_OUT = 50;

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

/** An account's events with each refund's decision, its facts, and the accounts it is linked to. */
export async function accountTimeline(
  store: Store,
  engine: Pick<RiskEngine, 'riskState'>,
  accountId: string,
): Promise<Timeline> {
  const [events, assessments] = await Promise.all([
    store.eventsForAccount(accountId, 5000),
    store.listAssessments({ accountId, subjectType: 'refund' }),
  ]);
  const byRefund = new Map<string, AssessmentRecord>();
  // Newest first: keep the request-time decision when there is one, else the latest.
  for (const assessment of assessments) {
    const current = byRefund.get(assessment.subjectId);
    if (current === undefined || (current.kind !== 'request' && assessment.kind === 'request'))
      byRefund.set(assessment.subjectId, assessment);
  }
  const created = events.find((event) => event.type === 'account.created');
  const facts = engine.riskState.accounts.get(accountId);
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
    linkedAccounts: linkedAccounts(engine.riskState, accountId),
  };
}

/** Accounts sharing a device, card, address, e-mail or phone with this one. */
export function linkedAccounts(state: RiskState, accountId: string): Timeline['linkedAccounts'] {
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
