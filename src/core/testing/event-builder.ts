// Builds small, valid contract events for hand-made test cases.
import { type EventType, parseEvent, type PayloadOf, type RefundguardEvent } from '../events.ts';

export class EventBuilder {
  private sequence = 0;
  readonly raw: { id: string; type: EventType; time: string; data: Record<string, unknown> }[] = [];

  constructor(private readonly start = Date.parse('2026-10-01T00:00:00Z')) {}

  /** `day` days (fractional allowed) after the start. */
  time(day: number): string {
    return new Date(this.start + day * 86_400_000).toISOString();
  }

  add<T extends EventType>(type: T, day: number, data: PayloadOf<T>): this {
    this.sequence += 1;
    this.raw.push({
      id: `ev-${this.sequence}`,
      type,
      time: this.time(day),
      data: data as Record<string, unknown>,
    });
    return this;
  }

  events(): RefundguardEvent[] {
    return this.raw.map((raw) => {
      const result = parseEvent(raw);
      if (!result.ok)
        throw new Error(`fixture event ${raw.id} is invalid: ${JSON.stringify(result.problems)}`);
      return result.event;
    });
  }

  /** An ordinary customer: created, logged in from home, one delivered order. */
  customer(
    accountId: string,
    options: { day?: number; deviceId?: string; ip?: string; country?: string; marketplace?: string } = {},
  ): this {
    const day = options.day ?? 0;
    const country = options.country ?? 'US';
    const address = { line1: `${accountId} Main St`, city: 'Columbus', postalCode: '43215', country };
    this.add('account.created', day, {
      accountId,
      email: `${accountId}@example.com`,
      name: `Customer ${accountId}`,
      address,
      deviceId: options.deviceId ?? `dev-${accountId}`,
      ip: options.ip ?? `98.12.${accountId.length}.7`,
      marketplace: options.marketplace ?? country,
    });
    return this;
  }

  order(
    orderId: string,
    accountId: string,
    day: number,
    priceMinor: number,
    options: {
      hot?: boolean;
      deliveredDay?: number;
      photo?: boolean;
      deviceId?: string;
      ip?: string;
      card?: string;
    } = {},
  ): this {
    this.add('order.placed', day, {
      orderId,
      accountId,
      currency: 'USD',
      items: [
        options.hot
          ? {
              sku: 'IPAD',
              title: 'iPad Air 11-inch',
              category: 'tablets',
              brand: 'Apple',
              priceMinor,
              quantity: 1,
            }
          : { sku: 'MUG', title: 'Coffee mug set', category: 'kitchen', priceMinor, quantity: 1 },
      ],
      shipTo: { line1: `${accountId} Main St`, city: 'Columbus', postalCode: '43215', country: 'US' },
      paymentFingerprint: options.card ?? `card-${accountId}`,
      deviceId: options.deviceId ?? `dev-${accountId}`,
      ip: options.ip ?? `98.12.${accountId.length}.7`,
    });
    if (options.deliveredDay !== undefined) {
      this.add('order.delivered', options.deliveredDay, {
        orderId,
        carrier: 'UPS',
        trackingId: `1Z${orderId}`,
        photo: options.photo ?? false,
        signature: false,
        weightGrams: 900,
      });
    }
    return this;
  }

  contact(
    contactId: string,
    accountId: string,
    day: number,
    options: {
      deviceId?: string;
      ip?: string;
      language?: string;
      text?: string;
      orderId?: string;
      agentId?: string;
    } = {},
  ): this {
    this.add('contact.created', day, {
      contactId,
      accountId,
      channel: 'chat',
      agentId: options.agentId ?? 'agent-1',
      deviceId: options.deviceId ?? `dev-${accountId}`,
      ip: options.ip ?? `98.12.${accountId.length}.7`,
      language: options.language ?? 'en',
      ...(options.orderId ? { orderId: options.orderId } : {}),
      messages: [{ from: 'customer', text: options.text ?? 'Hello, my parcel has not arrived yet.' }],
    });
    return this;
  }

  refund(
    refundId: string,
    orderId: string,
    accountId: string,
    day: number,
    amountMinor: number,
    options: { reason?: PayloadOf<'refund.requested'>['reason']; contactId?: string } = {},
  ): this {
    this.add('refund.requested', day, {
      refundId,
      orderId,
      accountId,
      amountMinor,
      currency: 'USD',
      reason: options.reason ?? 'not_received',
      channel: options.contactId ? 'chat' : 'self_service',
      ...(options.contactId ? { contactId: options.contactId, agentId: 'agent-1' } : {}),
    });
    return this;
  }

  /** A refunder working `clients` accounts, one a day, from one device and VPN range, with one script. */
  refunderWorking(clients: number, script: string): this {
    for (let index = 1; index <= clients; index += 1) {
      const account = `client-${index}`;
      this.customer(account, { day: 0, ip: `98.${index}.1.7` });
      this.order(`order-${index}`, account, 10 + index, 89_900, {
        hot: true,
        deliveredDay: 12 + index,
        photo: true,
        ip: `98.${index}.1.7`,
      });
      this.contact(`contact-${index}`, account, 13 + index, {
        deviceId: 'dev-refunder',
        ip: `45.134.22.${index}`,
        text: script,
        orderId: `order-${index}`,
      });
      this.refund(`refund-${index}`, `order-${index}`, account, 13.01 + index, 89_900, {
        reason: 'empty_box',
        contactId: `contact-${index}`,
      });
    }
    return this;
  }
}
