// Builds small, valid contract events for hand-made test cases.
import { type EventType, type PayloadOf, parseEvent, type RefundguardEvent } from '../events.ts';

/** A refund service's empty-box script: the words a refunder pastes into every contact. */
export const EMPTY_BOX_SCRIPT =
  'The box arrived completely empty. The carrier weight shows it was light, 200 g. I want a supervisor right now or I open a chargeback, I already filed a police report.';

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
    options: {
      day?: number;
      deviceId?: string;
      ip?: string;
      country?: string;
      marketplace?: string;
      phone?: string;
    } = {},
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
      ...(options.phone ? { phone: options.phone } : {}),
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
      signature?: boolean;
      weightGrams?: number;
      trackingId?: string;
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
        trackingId: options.trackingId ?? `1Z${orderId}`,
        photo: options.photo ?? false,
        signature: options.signature ?? false,
        weightGrams: options.weightGrams ?? 900,
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
      identityVerified?: boolean;
    } = {},
  ): this {
    this.add('contact.created', day, {
      contactId,
      accountId,
      channel: 'chat',
      ...(options.identityVerified !== undefined ? { identityVerified: options.identityVerified } : {}),
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
    options: {
      reason?: PayloadOf<'refund.requested'>['reason'];
      contactId?: string;
      returnRequired?: boolean;
      agentId?: string;
    } = {},
  ): this {
    this.add('refund.requested', day, {
      refundId,
      orderId,
      accountId,
      amountMinor,
      currency: 'USD',
      reason: options.reason ?? 'not_received',
      channel: options.contactId ? 'chat' : 'self_service',
      ...(options.contactId ? { contactId: options.contactId, agentId: options.agentId ?? 'agent-1' } : {}),
      ...(!options.contactId && options.agentId ? { agentId: options.agentId } : {}),
      ...(options.returnRequired !== undefined ? { returnRequired: options.returnRequired } : {}),
    });
    return this;
  }

  /** A sign-in (a session on that device and network). */
  login(accountId: string, day: number, options: { deviceId?: string; ip?: string } = {}): this {
    return this.add('account.login', day, {
      accountId,
      deviceId: options.deviceId ?? `dev-${accountId}`,
      ip: options.ip ?? `98.12.${accountId.length}.7`,
    });
  }

  /** A phone call to support: no device, the caller's number (`callerId` extension field) instead. */
  phoneContact(
    contactId: string,
    accountId: string,
    day: number,
    options: { callerId?: string; language?: string; text?: string; orderId?: string; agentId?: string } = {},
  ): this {
    return this.add('contact.created', day, {
      contactId,
      accountId,
      channel: 'phone',
      agentId: options.agentId ?? 'agent-1',
      language: options.language ?? 'en',
      ...(options.orderId ? { orderId: options.orderId } : {}),
      ...(options.callerId ? { callerId: options.callerId } : {}),
      messages: [{ from: 'customer', text: options.text ?? 'Hello, my parcel has not arrived yet.' }],
    } as PayloadOf<'contact.created'>);
  }

  /** A carrier or warehouse scan of a refund's return parcel. */
  returnScan(
    refundId: string,
    day: number,
    options: {
      status: PayloadOf<'return.updated'>['status'];
      trackingId?: string;
      destinationPostalCode?: string;
      weightGrams?: number;
      condition?: PayloadOf<'return.updated'>['condition'];
    },
  ): this {
    return this.add('return.updated', day, {
      refundId,
      status: options.status,
      ...(options.trackingId ? { trackingId: options.trackingId } : {}),
      ...(options.destinationPostalCode ? { destinationPostalCode: options.destinationPostalCode } : {}),
      ...(options.weightGrams !== undefined ? { weightGrams: options.weightGrams } : {}),
      ...(options.condition ? { condition: options.condition } : {}),
    });
  }

  /**
   * Honest returns that reach the warehouse at `postalCode` (delivered, then received as
   * expected): enough of them teach the risk state where the warehouse is.
   */
  warehouseReturns(count: number, day: number, postalCode = '40299'): this {
    for (let index = 0; index < count; index += 1) {
      const account = `returner-${index}`;
      this.customer(account, { day: Math.max(0, day - 5), ip: `72.${index + 1}.9.9` });
      this.order(`wo-${index}`, account, day - 4, 5_000, {
        deliveredDay: day - 3,
        ip: `72.${index + 1}.9.9`,
      });
      this.refund(`wr-${index}`, `wo-${index}`, account, day - 2, 5_000, {
        reason: 'changed_mind',
        returnRequired: true,
      });
      this.returnScan(`wr-${index}`, day - 1, {
        status: 'delivered',
        trackingId: `1ZWH${String(index).padStart(10, '0')}`,
        destinationPostalCode: postalCode,
      });
      this.returnScan(`wr-${index}`, day, { status: 'received', condition: 'as_expected' });
    }
    return this;
  }

  /**
   * A family: accounts opened at home over the years, all signed in on one shared tablet at home
   * (one device, one home network), each with its own phone too.
   */
  family(members: readonly string[], options: { deviceId?: string; ip?: string; day?: number } = {}): this {
    const deviceId = options.deviceId ?? 'dev-family-tablet';
    const ip = options.ip ?? '98.7.7.7';
    const day = options.day ?? 0;
    for (const member of members) {
      this.customer(member, { day, deviceId: `phone-${member}`, ip });
      this.login(member, day + 1, { deviceId, ip });
    }
    return this;
  }

  /**
   * A campus: students whose own devices sit on the university's /24 (`prefix`.x), each having
   * signed up and ordered from there.
   */
  campus(students: number, options: { prefix?: string; day?: number } = {}): string[] {
    const prefix = options.prefix ?? '130.91.4';
    const day = options.day ?? 0;
    const ids: string[] = [];
    for (let index = 0; index < students; index += 1) {
      const student = `student-${index}`;
      ids.push(student);
      this.customer(student, { day, ip: `${prefix}.${(index % 250) + 1}` });
    }
    return ids;
  }

  /** Honest customers, each on their own network, each with one damaged-item refund (days 20, 21, …). */
  honestRefunds(count: number): this {
    for (let index = 0; index < count; index += 1) {
      const customer = `honest-${index}`;
      this.customer(customer, { ip: `72.${index}.3.3` })
        .order(`horder-${index}`, customer, 10, 4_900, { deliveredDay: 12, ip: `72.${index}.3.3` })
        .refund(`hrefund-${index}`, `horder-${index}`, customer, 20 + index, 4_900, { reason: 'damaged' });
    }
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
