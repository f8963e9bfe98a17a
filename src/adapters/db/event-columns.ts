// The two lookup columns derived from an event's payload: which account it names and which
// thing (order, refund, contact, post, ...) it is about.
import type { EventType, RefundguardEvent } from '../../core/events.ts';

const SUBJECT_FIELD = {
  'account.created': 'accountId',
  'account.updated': 'accountId',
  'account.login': 'accountId',
  'account.closed': 'accountId',
  'order.placed': 'orderId',
  'order.delivered': 'orderId',
  'contact.created': 'contactId',
  'refund.requested': 'refundId',
  'refund.decided': 'refundId',
  'return.updated': 'refundId',
  'agent.action': 'agentId',
  'intel.post': 'postId',
  'label.set': 'subjectId',
} as const satisfies Record<EventType, string>;

/** Follow-up events that name only an order or a refund; their account is found through it. */
export const ORDER_FOLLOW_UP_TYPES: EventType[] = ['order.delivered'];
export const REFUND_FOLLOW_UP_TYPES: EventType[] = ['refund.decided', 'return.updated'];

export function eventAccountId(event: RefundguardEvent): string | null {
  const data: Record<string, unknown> = event.data;
  if (typeof data.accountId === 'string') return data.accountId;
  if (event.type === 'label.set' && event.data.subject === 'account') return event.data.subjectId;
  return null;
}

export function eventSubjectId(event: RefundguardEvent): string | null {
  const data: Record<string, unknown> = event.data;
  const subject = data[SUBJECT_FIELD[event.type]];
  return typeof subject === 'string' ? subject : null;
}
