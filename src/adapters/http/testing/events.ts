// Small, valid contract events written by hand, as a retailer would send them (raw JSON, not parsed).

export interface RawEvent {
  id: string;
  type: string;
  time: string;
  data: Record<string, unknown>;
}

const HOME = { line1: '221 Maple Ave', city: 'Columbus', region: 'OH', postalCode: '43215', country: 'US' };

export function accountCreated(id: string, accountId: string, time: string): RawEvent {
  return {
    id,
    type: 'account.created',
    time,
    data: {
      accountId,
      email: `${accountId}@example.com`,
      name: `Customer ${accountId}`,
      address: HOME,
      deviceId: `device-${accountId}`,
    },
  };
}

export function orderPlaced(id: string, accountId: string, orderId: string, time: string): RawEvent {
  return {
    id,
    type: 'order.placed',
    time,
    data: {
      orderId,
      accountId,
      currency: 'USD',
      items: [
        {
          sku: 'IPAD-AIR-11',
          title: 'iPad Air 11-inch',
          category: 'tablets',
          brand: 'Apple',
          priceMinor: 59_900,
        },
      ],
      shipTo: HOME,
      deviceId: `device-${accountId}`,
    },
  };
}

export function orderDelivered(id: string, orderId: string, time: string): RawEvent {
  return { id, type: 'order.delivered', time, data: { orderId, carrier: 'UPS', signature: false } };
}

export function accountClosed(id: string, accountId: string, time: string): RawEvent {
  return {
    id,
    type: 'account.closed',
    time,
    data: { accountId, reason: 'fraud', agentId: 'investigator-7' },
  };
}

export function refundPayload(refundId: string, accountId: string, orderId: string): Record<string, unknown> {
  return {
    refundId,
    orderId,
    accountId,
    amountMinor: 59_900,
    currency: 'USD',
    reason: 'empty_box',
    channel: 'chat',
  };
}

export function refundRequested(
  id: string,
  accountId: string,
  refundId: string,
  orderId: string,
  time: string,
): RawEvent {
  return { id, type: 'refund.requested', time, data: refundPayload(refundId, accountId, orderId) };
}

/** A customer's story up to a refund request: sign-up, order, delivery, "the box arrived empty". */
export function refundStory(prefix: string, start = Date.parse('2026-05-01T12:00:00Z')): RawEvent[] {
  const at = (days: number) => new Date(start + days * 86_400_000).toISOString();
  const accountId = `${prefix}-account`;
  const orderId = `${prefix}-order`;
  return [
    accountCreated(`${prefix}-e1`, accountId, at(0)),
    orderPlaced(`${prefix}-e2`, accountId, orderId, at(10)),
    orderDelivered(`${prefix}-e3`, orderId, at(12)),
    refundRequested(`${prefix}-e4`, accountId, `${prefix}-refund`, orderId, at(13)),
  ];
}

export function toNdjson(lines: (RawEvent | string)[]): string {
  return lines.map((line) => (typeof line === 'string' ? line : JSON.stringify(line))).join('\n');
}
