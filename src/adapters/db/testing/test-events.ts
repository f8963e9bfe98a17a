// Test events built through the contract's own parser, so they are exactly what ingestion stores.

import type { AssessmentRecord } from '../../../app/ports.ts';
import { describeProblems, parseEvent, type RefundguardEvent } from '../../../core/events.ts';

export function contractEvent(input: {
  id: string;
  type: string;
  time: string;
  data: object;
}): RefundguardEvent {
  const result = parseEvent(input);
  if (!result.ok) throw new Error(`test event ${input.id} is invalid: ${describeProblems(result.problems)}`);
  return result.event;
}

export function accountCreated(id: string, accountId: string, time: string): RefundguardEvent {
  return contractEvent({
    id,
    type: 'account.created',
    time,
    data: { accountId, email: `${accountId}@example.com`, name: `Customer ${accountId}` },
  });
}

export function accountLogin(id: string, accountId: string, time: string): RefundguardEvent {
  return contractEvent({ id, type: 'account.login', time, data: { accountId, deviceId: 'device-1' } });
}

export function orderPlaced(id: string, accountId: string, orderId: string, time: string): RefundguardEvent {
  return contractEvent({
    id,
    type: 'order.placed',
    time,
    data: {
      orderId,
      accountId,
      currency: 'USD',
      items: [
        { sku: 'ipad-pro', title: 'iPad Pro', category: 'tablets', brand: 'Apple', priceMinor: 109_900 },
      ],
      shipTo: { line1: '1 Main St', city: 'Springfield', postalCode: '12345', country: 'US' },
    },
  });
}

export function orderDelivered(id: string, orderId: string, time: string): RefundguardEvent {
  return contractEvent({ id, type: 'order.delivered', time, data: { orderId, carrier: 'UPS' } });
}

export function refundRequested(
  id: string,
  accountId: string,
  refundId: string,
  orderId: string,
  time: string,
): RefundguardEvent {
  return contractEvent({
    id,
    type: 'refund.requested',
    time,
    data: {
      refundId,
      orderId,
      accountId,
      amountMinor: 109_900,
      currency: 'USD',
      reason: 'empty_box',
      channel: 'chat',
    },
  });
}

export function returnUpdated(id: string, refundId: string, time: string): RefundguardEvent {
  return contractEvent({ id, type: 'return.updated', time, data: { refundId, status: 'in_transit' } });
}

export function refundDecided(id: string, refundId: string, time: string): RefundguardEvent {
  return contractEvent({ id, type: 'refund.decided', time, data: { refundId, outcome: 'approved' } });
}

export function assessment(overrides: Partial<AssessmentRecord> = {}): AssessmentRecord {
  return {
    subjectType: 'refund',
    subjectId: 'refund-1',
    kind: 'request',
    accountId: 'account-1',
    at: Date.parse('2026-10-01T12:00:00Z'),
    decision: 'review',
    score: 0.625,
    reasons: [{ code: 'EMPTY_BOX_HIGH_VALUE', text: 'Empty-box claim on a high-value order' }],
    signals: { 'account.ageDays': 3, 'refund.reason': 'empty_box', nested: { list: [1, 2, 3] } },
    rulePackVersion: 'rules-2026.10.1',
    modelVersion: null,
    amountMinor: 109_900,
    currency: 'USD',
    amountUsdMinor: 109_900,
    createdAt: Date.parse('2026-10-01T12:00:00.250Z'),
    ...overrides,
  };
}
