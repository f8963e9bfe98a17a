// The building blocks of every story: orders, deliveries, support contacts, agent and
// system decisions, refund requests and return shipments.

import type { LabelRecord } from '../app/labels.ts';
import type { PayloadOf } from '../core/events.ts';
import type { Agent } from './agents.ts';
import { ACCESSORIES, hotProduct, localPriceMinor, ordinaryProduct, type Product, toUsd } from './catalog.ts';
import type { WorldContext } from './context.ts';
import { type Customer, customerSession, emitLogin, type Session } from './customers.ts';
import {
  type Language,
  MARKETPLACE_INFO,
  type MarketplaceCode,
  type PostalAddress,
  pickCarrier,
  pickCity,
  postalCode,
  returnCarrier,
  trackingId,
} from './geography.ts';
import { DAY, HOUR, MINUTE, momentBetween, SECOND } from './kernel.ts';
import { type AgentLine, agentSays, type Slots } from './messages-honest.ts';
import { Random } from './random.ts';

export interface LineItem {
  product: Product;
  priceMinor: number;
  quantity: number;
}

export interface Delivery {
  at: number;
  carrier: string;
  trackingId: string;
  signature: boolean;
  photo: boolean;
  weightGrams?: number;
}

export interface OrderRecord {
  orderId: string;
  accountId: string;
  at: number;
  items: LineItem[];
  totalMinor: number;
  currency: string;
  marketplace: MarketplaceCode;
  shipTo: PostalAddress;
  weightGrams: number;
  delivery?: Delivery;
}

export function lineItem(random: Random, product: Product, marketplace: MarketplaceCode): LineItem {
  const quantity = product.priceUsd < 30 && random.chance(0.12) ? random.int(2, 3) : 1;
  return { product, priceMinor: localPriceMinor(product, marketplace), quantity };
}

/** The basket of an ordinary order. Honest people buy Apple, consoles and GPUs too. */
export function ordinaryBasket(random: Random, marketplace: MarketplaceCode, hotChance: number): LineItem[] {
  const count = random.weighted([
    [1, 68],
    [2, 21],
    [3, 8],
    [4, 3],
  ] as const);
  const items: LineItem[] = [];
  for (let index = 0; index < count; index++) {
    const product = random.chance(hotChance) ? hotProduct(random) : ordinaryProduct(random);
    if (items.some((item) => item.product.sku === product.sku)) continue;
    items.push(lineItem(random, product, marketplace));
  }
  if (items.some((item) => item.product.hot) && random.chance(0.25))
    items.push(lineItem(random, random.pick(ACCESSORIES), marketplace));
  return items;
}

export function orderValueUsd(order: OrderRecord): number {
  return toUsd(order.totalMinor, order.currency);
}

export interface PlaceOrderOptions {
  session?: Session;
  login?: boolean;
  shipTo?: PostalAddress;
  card?: string;
}

export function placeOrder(
  ctx: WorldContext,
  random: Random,
  customer: Customer,
  at: number,
  items: LineItem[],
  options: PlaceOrderOptions = {},
): OrderRecord {
  const session = options.session ?? customerSession(random, customer, at);
  if (options.login ?? random.chance(0.6))
    emitLogin(ctx, random, customer, at - random.int(1, 25) * MINUTE, session);
  const shipTo =
    options.shipTo ?? (customer.altAddress && random.chance(0.25) ? customer.altAddress : customer.address);
  const order: OrderRecord = {
    orderId: ctx.ids.order(),
    accountId: customer.accountId,
    at,
    items,
    totalMinor: items.reduce((sum, item) => sum + item.priceMinor * item.quantity, 0),
    currency: customer.currency,
    marketplace: customer.marketplace,
    shipTo,
    weightGrams: items.reduce((sum, item) => sum + item.product.weightGrams * item.quantity, 0) + 120,
  };
  const data: PayloadOf<'order.placed'> = {
    orderId: order.orderId,
    accountId: customer.accountId,
    currency: order.currency,
    items: items.map((item) => {
      const line: PayloadOf<'order.placed'>['items'][number] = {
        sku: item.product.sku,
        title: item.product.title,
        category: item.product.category,
        priceMinor: item.priceMinor,
      };
      if (item.product.brand) line.brand = item.product.brand;
      if (item.quantity !== 1 || random.chance(0.6)) line.quantity = item.quantity;
      return line;
    }),
    shipTo,
    paymentFingerprint:
      options.card ??
      (customer.cards.length > 1 && random.chance(0.3) ? customer.cards[1]! : customer.cards[0]!),
    deviceId: session.device.id,
    ip: session.ip,
    marketplace: customer.marketplace,
  };
  if (random.chance(0.02)) data.giftWrap = true;
  if (random.chance(0.03))
    data.promoCode = random.pick(['WELCOME10', 'FALL25', 'SHIPFREE', 'STUDENT15', 'BACK2SCHOOL']);
  ctx.sink.emit('order.placed', at, data);
  return order;
}

export interface DeliveryOptions {
  /** Multiplies the chances of signature and photo proof (0 = none). */
  evidence?: number;
  /** Never delivered (lost in transit). */
  lost?: boolean;
  minDays?: number;
}

export function deliverOrder(
  ctx: WorldContext,
  random: Random,
  customer: Customer,
  order: OrderRecord,
  options: DeliveryOptions = {},
): Delivery | undefined {
  if (options.lost) return undefined;
  const market = MARKETPLACE_INFO[order.marketplace];
  const evidence = options.evidence ?? 1;
  const transitDays = Math.max(options.minDays ?? 1, Math.round(random.logNormal(2.4, 0.45)));
  const day = Math.floor((order.at - ctx.startMs) / DAY) + transitDays;
  const at = momentBetween(random, ctx.startMs, day, customer.tz, 9, 20.5);
  const valueUsd = orderValueUsd(order);
  const signature = random.chance((valueUsd >= 500 ? ctx.honest.highValueSignatureRate : 0.03) * evidence);
  // The photo rate of a parcel without signature: what makes the world's share of photos overall.
  const photoRate = ctx.honest.photoRate ?? market.photoRate;
  const photo = !signature && random.chance(photoRate * evidence);
  const carrier = pickCarrier(random, order.marketplace);
  const delivery: Delivery = { at, carrier, trackingId: trackingId(random, carrier), signature, photo };
  const data: PayloadOf<'order.delivered'> = {
    orderId: order.orderId,
    carrier,
    trackingId: delivery.trackingId,
  };
  if (signature || random.chance(0.85)) data.signature = signature;
  if (photo || random.chance(0.8)) data.photo = photo;
  if (random.chance(0.6)) {
    delivery.weightGrams = Math.round((order.weightGrams * random.float(0.94, 1.1)) / 10) * 10;
    data.weightGrams = delivery.weightGrams;
  }
  if (random.chance(0.25)) {
    data.deliveryLocation = signature
      ? 'handed_to_resident'
      : random.pick([
          'front_door',
          'front_door',
          'mailroom',
          'parcel_locker',
          'neighbour',
          'porch',
          'reception',
        ]);
  }
  ctx.sink.emit('order.delivered', at, data);
  order.delivery = delivery;
  return delivery;
}

// --- Contacts and decisions ---------------------------------------------------------------

export interface ContactSpec {
  accountId: string;
  at: number;
  channel: 'chat' | 'phone' | 'email';
  language: Language;
  agent: Agent;
  deviceId?: string;
  ip?: string;
  orderId?: string;
  identityVerified?: boolean;
  customerLines: string[];
  agentLines: AgentLine[];
  slots: Slots;
  callerId?: string;
  fromAddress?: string;
}

/** Emits `contact.created` with an interleaved conversation; returns its id and when it ends. */
export function createContact(
  ctx: WorldContext,
  random: Random,
  spec: ContactSpec,
): { contactId: string; endAt: number } {
  const contactId = ctx.ids.contact();
  const slots = { ...spec.slots, agent: spec.agent.name };
  const agentLanguage = spec.agent.languages.includes(spec.language) ? spec.language : 'en';
  const conversation: { from: 'customer' | 'agent'; text: string }[] = [];
  const [first, ...rest] = spec.customerLines;
  if (first) conversation.push({ from: 'customer', text: first });
  const [greeting, ...outcome] = spec.agentLines;
  if (greeting) conversation.push({ from: 'agent', text: agentSays(random, agentLanguage, greeting, slots) });
  for (const text of rest) conversation.push({ from: 'customer', text });
  for (const kind of outcome)
    conversation.push({ from: 'agent', text: agentSays(random, agentLanguage, kind, slots) });
  let clock = spec.at;
  const timed = random.chance(0.7);
  const messages: NonNullable<PayloadOf<'contact.created'>['messages']> = conversation.map((message) => {
    clock +=
      random.int(spec.channel === 'email' ? 600 : 15, spec.channel === 'email' ? 14_400 : 150) * SECOND;
    const entry: (typeof messages)[number] = { from: message.from, text: message.text };
    if (timed) entry.time = isoSeconds(clock);
    return entry;
  });
  const data: PayloadOf<'contact.created'> = {
    contactId,
    accountId: spec.accountId,
    channel: spec.channel,
    agentId: spec.agent.id,
    language: spec.language,
  };
  if (spec.deviceId) data.deviceId = spec.deviceId;
  if (spec.ip) data.ip = spec.ip;
  if (spec.orderId) data.orderId = spec.orderId;
  if (spec.identityVerified !== undefined) data.identityVerified = spec.identityVerified;
  const withTranscript = spec.channel !== 'phone' || random.chance(0.55);
  if (withTranscript && messages.length > 0) data.messages = messages;
  if (spec.channel === 'phone') {
    if (spec.callerId) data.callerId = spec.callerId;
    data.durationSeconds = Math.round((clock - spec.at) / SECOND + random.int(30, 240));
  }
  if (spec.channel === 'email' && spec.fromAddress) data.fromAddress = spec.fromAddress;
  ctx.sink.emit('contact.created', spec.at, data);
  return { contactId, endAt: clock + random.int(5, 60) * SECOND };
}

export function isoSeconds(epochMs: number): string {
  return new Date(Math.floor(epochMs / SECOND) * SECOND).toISOString().replace('.000Z', 'Z');
}

export interface AgentDecision {
  agent: Agent;
  at: number;
  accountId: string;
  orderId: string;
  refundId: string;
  contactId?: string;
  outcome: 'approved' | 'denied' | 'return_required';
  policyOverride?: boolean;
  lookFirst?: boolean;
  /** Who really sits at the keyboard (insiders sometimes act from elsewhere). */
  session?: { deviceId: string; ip: string };
}

export function agentDecides(ctx: WorldContext, random: Random, decision: AgentDecision): void {
  const session = decision.session ?? ctx.roster.session(decision.agent, decision.at);
  const base = {
    agentId: decision.agent.id,
    accountId: decision.accountId,
    orderId: decision.orderId,
    ...session,
  };
  if (decision.lookFirst ?? random.chance(0.45)) {
    ctx.sink.emit('agent.action', decision.at - random.int(20, 240) * SECOND, {
      ...base,
      action: 'order.viewed',
    });
  }
  const withContact = decision.contactId ? { contactId: decision.contactId } : {};
  if (decision.policyOverride) {
    ctx.sink.emit('agent.action', decision.at - random.int(2, 15) * SECOND, {
      ...base,
      ...withContact,
      refundId: decision.refundId,
      action: 'policy.override',
    });
  }
  if (decision.outcome !== 'return_required') {
    ctx.sink.emit('agent.action', decision.at, {
      ...base,
      ...withContact,
      refundId: decision.refundId,
      action: decision.outcome === 'approved' ? 'refund.approved' : 'refund.denied',
    });
  }
  if (random.chance(0.12)) {
    ctx.sink.emit('agent.action', decision.at + random.int(10, 90) * SECOND, {
      ...base,
      ...withContact,
      action: 'note.added',
    });
  }
  const data: PayloadOf<'refund.decided'> = {
    refundId: decision.refundId,
    outcome: decision.outcome,
    agentId: decision.agent.id,
  };
  if (decision.policyOverride || random.chance(0.7)) data.policyOverride = decision.policyOverride ?? false;
  ctx.sink.emit('refund.decided', decision.at + random.int(1, 30) * SECOND, data);
}

export function systemDecides(
  ctx: WorldContext,
  at: number,
  refundId: string,
  outcome: 'approved' | 'denied' | 'return_required',
): void {
  ctx.sink.emit('refund.decided', at, { refundId, outcome });
}

export interface RefundLabelFacts {
  label: LabelRecord['label'];
  scheme: string;
  method: string;
  gangId?: string;
}

/** Emits `refund.requested` and its ground-truth label (only for requests inside the window). */
export function requestRefund(
  ctx: WorldContext,
  at: number,
  data: PayloadOf<'refund.requested'>,
  label: RefundLabelFacts,
): boolean {
  if (!ctx.sink.inWindow(at)) return false;
  ctx.sink.emit('refund.requested', at, data);
  const record: LabelRecord = {
    subject: 'refund',
    subjectId: data.refundId,
    ...label,
    amountMinor: data.amountMinor,
    currency: data.currency,
    accountId: data.accountId,
    orderId: data.orderId,
  };
  ctx.labels.refund(at, record);
  investigatorOutcome(ctx, at, data.refundId, label.label === 'legit' ? 'legit' : 'fraud');
  return true;
}

/**
 * For the world's share of refunds, an investigator's outcome in the stream (`label.set`), some
 * weeks later, now and then wrong. Drawn from the refund's own stream: the rest of the world is
 * the same whether outcomes are written or not.
 */
function investigatorOutcome(
  ctx: WorldContext,
  at: number,
  refundId: string,
  truth: 'fraud' | 'legit',
): void {
  const { labelShare, labelDelayDays, labelNoise, seed } = ctx.options;
  if (labelShare <= 0) return;
  const random = new Random(`refundguard-sim/${seed}/outcome/${refundId}`);
  if (!random.chance(labelShare)) return;
  const labelAt = at + random.float(2 / 3, 5 / 3) * labelDelayDays * DAY;
  const wrong = random.chance(labelNoise);
  if (!ctx.sink.inWindow(labelAt)) return;
  const label = wrong ? (truth === 'fraud' ? 'legit' : 'fraud') : truth;
  ctx.sink.emit('label.set', labelAt, {
    subject: 'refund',
    subjectId: refundId,
    label,
    note: label === 'fraud' ? 'Investigated: refund fraud.' : 'Investigated: genuine claim.',
  });
}

/** How an ordinary (honest, not bribed) agent decides a non-delivery claim. */
export function agentApproves(
  random: Random,
  claim: { amountUsd: number; signature: boolean; photo: boolean; priorRefunds: number; pressure: number },
): boolean {
  let chance = claim.amountUsd < 100 ? 0.93 : claim.amountUsd < 500 ? 0.84 : 0.72;
  if (claim.signature) chance -= 0.35;
  else if (claim.photo) chance -= 0.12;
  chance -= Math.min(0.3, claim.priorRefunds * 0.06);
  chance += Math.min(0.18, claim.pressure * 0.06);
  return random.chance(chance);
}

// --- Returns ------------------------------------------------------------------------------

export type ReturnKind = 'honest' | 'never_shipped' | 'lost' | 'rerouted' | 'ftid' | 'boxing' | 'wrong_item';

export interface ReturnOutcome {
  trackingId: string;
  carrier: string;
  labelAt: number;
  deliveredAt?: number;
  receivedAt?: number;
  condition?: 'as_expected' | 'empty' | 'wrong_item' | 'damaged';
}

export interface ReturnSpec {
  refundId: string;
  marketplace: MarketplaceCode;
  after: number;
  kind: ReturnKind;
  /** Expected shipping weight of what should come back. */
  itemGrams: number;
  sender: PostalAddress;
  senderTz: number;
  honestCondition?: 'as_expected' | 'damaged';
  /** A bribed agent marks the return received instead of the warehouse scanning it. */
  skipReceipt?: boolean;
}

export function shipReturn(ctx: WorldContext, random: Random, spec: ReturnSpec): ReturnOutcome {
  const market = MARKETPLACE_INFO[spec.marketplace];
  const warehouse = random.pick(market.warehouses);
  const carrier = returnCarrier(random, spec.marketplace);
  const tracking = trackingId(random, carrier);
  const labelAt = spec.after + random.int(1, 120) * MINUTE;
  const base = { refundId: spec.refundId, carrier, trackingId: tracking };
  ctx.sink.emit('return.updated', labelAt, {
    ...base,
    status: 'label_created',
    destinationPostalCode: warehouse.postalCode,
  });
  const outcome: ReturnOutcome = { trackingId: tracking, carrier, labelAt };
  if (spec.kind === 'never_shipped') return outcome;
  const dropDay = Math.floor((labelAt - ctx.startMs) / DAY) + Math.round(random.logNormal(1.6, 0.6));
  const transitAt = Math.max(
    labelAt + HOUR,
    momentBetween(random, ctx.startMs, dropDay, spec.senderTz, 9, 19),
  );
  ctx.sink.emit('return.updated', transitAt, { ...base, status: 'in_transit' });
  if (spec.kind === 'lost') return outcome;
  const deliveredAt = transitAt + random.float(0.8, 4) * DAY;
  let destination = warehouse.postalCode;
  if (spec.kind === 'rerouted')
    destination = random.pick(market.warehouses.filter((other) => other !== warehouse)).postalCode;
  if (spec.kind === 'ftid') {
    // A fake tracking id: the parcel went to an address near the sender, or anywhere.
    const nearby = random.chance(0.6);
    const city = nearby
      ? (market.cities.find((candidate) => candidate.name === spec.sender.city) ??
        pickCity(random, spec.marketplace))
      : pickCity(random, spec.marketplace);
    destination = postalCode(random, spec.marketplace, city);
  }
  const delivered: PayloadOf<'return.updated'> = {
    ...base,
    status: 'delivered',
    destinationPostalCode: destination,
  };
  let carrierGrams = Math.round(spec.itemGrams * random.float(0.93, 1.08));
  if (spec.kind === 'boxing' && random.chance(0.55)) carrierGrams = random.int(60, 420);
  if (spec.kind === 'wrong_item') carrierGrams = Math.round(spec.itemGrams * random.float(0.25, 0.8));
  if (random.chance(spec.kind === 'ftid' ? 0.45 : 0.55))
    delivered.weightGrams = Math.round(carrierGrams / 10) * 10;
  ctx.sink.emit('return.updated', deliveredAt, delivered);
  outcome.deliveredAt = deliveredAt;
  if (spec.kind === 'ftid' || spec.skipReceipt) return outcome;
  const receivedAt = deliveredAt + random.float(0.3, 3.5) * DAY;
  let condition: ReturnOutcome['condition'] =
    spec.honestCondition ?? (random.chance(0.96) ? 'as_expected' : 'damaged');
  if (spec.kind === 'boxing') condition = random.chance(0.45) ? 'empty' : 'as_expected';
  if (spec.kind === 'wrong_item') condition = random.chance(0.55) ? 'wrong_item' : 'as_expected';
  const received: PayloadOf<'return.updated'> = {
    ...base,
    status: 'received',
    destinationPostalCode: destination,
    condition,
  };
  if (random.chance(0.5)) {
    received.weightGrams =
      spec.kind === 'boxing'
        ? Math.min(carrierGrams, random.int(50, 400))
        : Math.round(carrierGrams * random.float(0.97, 1.02));
  }
  ctx.sink.emit('return.updated', receivedAt, received);
  outcome.receivedAt = receivedAt;
  outcome.condition = condition;
  return outcome;
}
