// Honest refunds: returns (self-service or through an agent), genuine lost parcels,
// genuine packing mistakes, and support questions that lead to no refund at all.
import type { PayloadOf } from '../core/events.ts';
import { toUsd } from './catalog.ts';
import type { WorldContext } from './context.ts';
import { type Customer, customerSession, emitLogin, type Session, travelling } from './customers.ts';
import {
  agentApproves,
  agentDecides,
  createContact,
  type LineItem,
  type OrderRecord,
  type ReturnKind,
  requestRefund,
  shipReturn,
  systemDecides,
} from './flows.ts';
import { DAY, HOUR, localMoment, MINUTE } from './kernel.ts';
import { honestInquiry, honestLostParcel, honestProductIssue, type Slots } from './messages-honest.ts';
import { makeDevice, officeIp, residentialIp } from './network.ts';
import { formatPhone, makePhone } from './phones.ts';
import type { Random } from './random.ts';
import { shortTitle, spokenAmount, spokenDate } from './text-format.ts';

type ProductReason = 'changed_mind' | 'defective' | 'damaged' | 'not_as_described' | 'wrong_item';

const APPAREL = new Set(['apparel', 'shoes', 'premium_apparel', 'sneakers']);

function productReason(random: Random, category: string): ProductReason {
  if (APPAREL.has(category)) {
    return random.weighted([
      ['changed_mind', 58],
      ['not_as_described', 16],
      ['wrong_item', 9],
      ['damaged', 8],
      ['defective', 5],
    ] as const);
  }
  return random.weighted([
    ['changed_mind', 30],
    ['defective', 28],
    ['damaged', 16],
    ['not_as_described', 16],
    ['wrong_item', 7],
  ] as const);
}

/**
 * The session a customer contacts support from. Now and then (the world's share) from an origin new
 * to the account: by chat a new phone or laptop, the office network, a friend's or public Wi-Fi; by
 * phone another number (a spouse's, the work line).
 */
function contactSession(
  ctx: WorldContext,
  random: Random,
  customer: Customer,
  at: number,
  channel: 'chat' | 'phone' | 'email',
): Session {
  const { honest } = ctx;
  if (channel === 'email' || !random.chance(honest.newOriginContactShare))
    return customerSession(random, customer, at);
  if (channel === 'phone') return { ...customerSession(random, customer, at), otherNumber: true };
  const causes = honest.newOriginCauses;
  const cause = random.weighted([
    ['newPhone', causes.newPhone],
    ['newLaptop', causes.newLaptop],
    ['workNetwork', causes.workNetwork],
    ['otherWifi', causes.otherWifi],
  ] as const);
  switch (cause) {
    case 'newPhone':
    case 'newLaptop': {
      const device = makeDevice(random, ctx.ids.device(), cause === 'newPhone' ? 'phone' : 'laptop');
      customer.devices.unshift(device);
      return customerSession(random, customer, at, device);
    }
    case 'workNetwork':
      return {
        device: customerSession(random, customer, at).device,
        ip: officeIp(random, customer.marketplace),
      };
    case 'otherWifi':
      return {
        device: customerSession(random, customer, at).device,
        ip: residentialIp(random, customer.marketplace),
      };
  }
}

/** A night-shift customer writes in the small hours, when they never shop or sign in (the next night, if need be). */
function supportMoment(random: Random, customer: Customer, at: number): number {
  if (!customer.nightOwl) return at;
  const localDay = Math.floor((at + customer.tz * HOUR) / DAY) * DAY - customer.tz * HOUR;
  const night = localDay + random.float(0.5, 5) * HOUR;
  return night >= at ? night : night + DAY;
}

function slotsFor(
  random: Random,
  customer: Customer,
  order: OrderRecord,
  item: LineItem,
  british: boolean,
): Slots {
  const slots: Slots = {
    order: order.orderId,
    item: shortTitle(item.product.title),
    name: customer.person.firstName,
    amount: spokenAmount(
      order.totalMinor,
      order.currency,
      customer.language === 'es' ? 'es' : customer.language,
    ),
  };
  const when = order.delivery?.at ?? order.at + 4 * DAY;
  slots.date = spokenDate(random, when, customer.language, british);
  return slots;
}

function contactChannel(ctx: WorldContext, random: Random): 'chat' | 'phone' | 'email' {
  const { channels } = ctx.honest;
  return random.weighted([
    ['chat', channels.chat],
    ['phone', channels.phone],
    ['email', channels.email],
  ] as const);
}

function contactExtras(
  random: Random,
  customer: Customer,
  channel: 'chat' | 'phone' | 'email',
  session: Session,
) {
  const number = session.otherNumber
    ? makePhone(random, customer.marketplace, customer.city)
    : customer.phone;
  return {
    deviceId: channel === 'chat' ? session.device.id : undefined,
    ip: channel === 'chat' ? session.ip : undefined,
    callerId: channel === 'phone' && number ? formatPhone(number, random.int(0, 5)) : undefined,
    fromAddress: channel === 'email' ? customer.email : undefined,
  };
}

/** A parcel that really never arrived (or was left somewhere and stolen). */
export function honestLostParcelFlow(
  ctx: WorldContext,
  random: Random,
  customer: Customer,
  order: OrderRecord,
): void {
  const expected = order.delivery?.at ?? order.at + random.float(3, 6) * DAY;
  const day = Math.floor((expected - ctx.startMs) / DAY) + random.int(1, 7);
  let at = supportMoment(random, customer, localMoment(random, ctx.startMs, day, customer.tz));
  const item = order.items[0]!;
  const slots = slotsFor(random, customer, order, item, customer.marketplace === 'UK');
  const angry = random.chance(customer.temper);
  const waitFirst = order.delivery !== undefined && random.chance(0.25);
  if (waitFirst) {
    const channel = contactChannel(ctx, random);
    const session = contactSession(ctx, random, customer, at, channel);
    const agent = ctx.roster.pick(random, at, customer.language);
    createContact(ctx, random, {
      accountId: customer.accountId,
      at,
      channel,
      language: customer.language,
      agent,
      orderId: order.orderId,
      identityVerified: random.chance(ctx.honest.identityVerifiedRate),
      customerLines: honestLostParcel(random, customer.language, slots, {
        angry: false,
        sloppiness: customer.sloppiness,
      }),
      agentLines: ['greeting', 'checking', 'wait'],
      slots,
      ...contactExtras(random, customer, channel, session),
    });
    at += random.float(2, 4) * DAY;
  }
  const channel = contactChannel(ctx, random);
  const session = contactSession(ctx, random, customer, at, channel);
  const agent = ctx.roster.pick(random, at, customer.language);
  const approved = agentApproves(random, {
    amountUsd: toUsd(order.totalMinor, order.currency),
    signature: order.delivery?.signature ?? false,
    photo: order.delivery?.photo ?? false,
    priorRefunds: customer.refunds,
    pressure: angry ? 1 : 0,
  });
  const goodwill = !approved && random.chance(0.22);
  const { contactId, endAt } = createContact(ctx, random, {
    accountId: customer.accountId,
    at,
    channel,
    language: customer.language,
    agent,
    orderId: order.orderId,
    identityVerified: random.chance(ctx.honest.identityVerifiedRate),
    customerLines: honestLostParcel(random, customer.language, slots, {
      angry,
      travelling: travelling(customer, at),
      sloppiness: customer.sloppiness,
    }),
    agentLines: ['greeting', 'checking', approved || goodwill ? 'approved' : 'denied'],
    slots,
    ...contactExtras(random, customer, channel, session),
  });
  const refundId = ctx.ids.refund();
  const requestedAt = endAt - random.int(30, 120) * 1000;
  const requested = requestRefund(
    ctx,
    requestedAt,
    {
      refundId,
      orderId: order.orderId,
      accountId: customer.accountId,
      amountMinor: order.totalMinor,
      currency: order.currency,
      reason: 'not_received',
      channel,
      // Phone systems do not always link the call to the refund.
      contactId: channel === 'phone' && random.chance(0.12) ? undefined : contactId,
      agentId: agent.id,
      returnRequired: false,
    },
    { label: 'legit', scheme: 'honest', method: 'lost_parcel' },
  );
  if (!requested) return;
  customer.refunds++;
  agentDecides(ctx, random, {
    agent,
    at: endAt,
    accountId: customer.accountId,
    orderId: order.orderId,
    refundId,
    contactId,
    outcome: approved || goodwill ? 'approved' : 'denied',
    policyOverride: goodwill,
  });
}

/** A return or product complaint. Most go through self-service; some through an agent. */
export function honestProductRefundFlow(
  ctx: WorldContext,
  random: Random,
  customer: Customer,
  order: OrderRecord,
): void {
  const delivery = order.delivery;
  if (!delivery) return;
  const item = random.pick(order.items);
  const multi = order.items.length > 1;
  // Genuine packing mistakes: an item left out, or (rarely) an empty box.
  const packingRoll = random.next();
  if (multi && packingRoll < 0.05) {
    honestPackingClaim(ctx, random, customer, order, item, 'missing_item');
    return;
  }
  if (packingRoll > 0.996) {
    honestPackingClaim(ctx, random, customer, order, item, 'empty_box');
    return;
  }
  const reason = productReason(random, item.product.category);
  const amountMinor =
    !multi && reason === 'changed_mind' ? order.totalMinor : item.priceMinor * item.quantity;
  const amountUsd = toUsd(amountMinor, order.currency);
  const lagDays = Math.min(28, random.logNormal(reason === 'changed_mind' ? 4 : 2.5, 0.8));
  const at = delivery.at + lagDays * DAY + random.float(0, 12) * HOUR;
  const refundId = ctx.ids.refund();
  const returnless = amountUsd < 15 && random.chance(0.6);
  const viaAgent = random.chance(reason === 'changed_mind' ? 0.12 : 0.32);
  const base = {
    refundId,
    orderId: order.orderId,
    accountId: customer.accountId,
    amountMinor,
    currency: order.currency,
    reason,
  };
  let decidedAt: number;
  if (!viaAgent) {
    const session = customerSession(random, customer, at);
    emitLogin(ctx, random, customer, at - random.int(1, 10) * MINUTE, session);
    const ok = requestRefund(
      ctx,
      at,
      { ...base, channel: 'self_service', returnRequired: !returnless },
      { label: 'legit', scheme: 'honest', method: returnless ? 'returnless' : 'return' },
    );
    if (!ok) return;
    customer.refunds++;
    decidedAt = at + random.int(2, 90) * 1000;
    systemDecides(ctx, decidedAt, refundId, returnless ? 'approved' : 'return_required');
    if (returnless) return;
  } else {
    const channel = contactChannel(ctx, random);
    const session = contactSession(ctx, random, customer, at, channel);
    const agent = ctx.roster.pick(random, at, customer.language);
    const slots = slotsFor(random, customer, order, item, customer.marketplace === 'UK');
    const damagedInTransit = reason === 'damaged' || reason === 'wrong_item';
    // Goodwill: a pricier damaged item refunded without a return, against policy.
    const goodwill = damagedInTransit && amountUsd >= 40 && random.chance(0.07);
    const agentReturnless =
      returnless || goodwill || (damagedInTransit && amountUsd < 40 && random.chance(0.5));
    const { contactId, endAt } = createContact(ctx, random, {
      accountId: customer.accountId,
      at,
      channel,
      language: customer.language,
      agent,
      orderId: order.orderId,
      identityVerified: random.chance(ctx.honest.identityVerifiedRate),
      customerLines: honestProductIssue(random, customer.language, reason, slots, {
        angry: random.chance(customer.temper * 0.6),
        travelling: travelling(customer, at),
        sloppiness: customer.sloppiness,
      }),
      agentLines: ['greeting', agentReturnless ? 'approved' : 'return_label'],
      slots,
      ...contactExtras(random, customer, channel, session),
    });
    const ok = requestRefund(
      ctx,
      endAt - random.int(20, 90) * 1000,
      { ...base, channel, contactId, agentId: agent.id, returnRequired: !agentReturnless },
      { label: 'legit', scheme: 'honest', method: agentReturnless ? 'returnless' : 'return' },
    );
    if (!ok) return;
    customer.refunds++;
    decidedAt = endAt;
    agentDecides(ctx, random, {
      agent,
      at: endAt,
      accountId: customer.accountId,
      orderId: order.orderId,
      refundId,
      contactId,
      outcome: agentReturnless ? 'approved' : 'return_required',
      policyOverride: goodwill,
    });
    if (agentReturnless) return;
  }
  const roll = random.next();
  const kind: ReturnKind =
    roll < 0.05 ? 'never_shipped' : roll < 0.06 ? 'lost' : roll < 0.08 ? 'rerouted' : 'honest';
  const shipped = shipReturn(ctx, random, {
    refundId,
    marketplace: order.marketplace,
    after: decidedAt,
    kind,
    itemGrams: item.product.weightGrams * item.quantity + 150,
    sender: customer.address,
    senderTz: customer.tz,
    honestCondition: reason === 'damaged' && random.chance(0.5) ? 'damaged' : 'as_expected',
  });
  if (kind === 'lost') {
    lostReturnResolved(ctx, random, customer, order, refundId, shipped.labelAt);
  } else if (shipped.deliveredAt !== undefined && amountUsd < 250) {
    systemDecides(ctx, shipped.deliveredAt + random.float(1, 10) * HOUR, refundId, 'approved');
  } else if (shipped.receivedAt !== undefined) {
    systemDecides(ctx, shipped.receivedAt + random.float(1, 20) * HOUR, refundId, 'approved');
  }
}

/** A return lost by the carrier: the customer chases, an agent marks it received without a scan. */
function lostReturnResolved(
  ctx: WorldContext,
  random: Random,
  customer: Customer,
  order: OrderRecord,
  refundId: string,
  labelAt: number,
): void {
  const at = supportMoment(
    random,
    customer,
    localMoment(
      random,
      ctx.startMs,
      Math.floor((labelAt - ctx.startMs) / DAY) + random.int(10, 16),
      customer.tz,
    ),
  );
  const channel = contactChannel(ctx, random);
  const session = contactSession(ctx, random, customer, at, channel);
  const agent = ctx.roster.pick(random, at, customer.language);
  const item = order.items[0]!;
  const slots = slotsFor(random, customer, order, item, customer.marketplace === 'UK');
  const { contactId, endAt } = createContact(ctx, random, {
    accountId: customer.accountId,
    at,
    channel,
    language: customer.language,
    agent,
    orderId: order.orderId,
    identityVerified: random.chance(ctx.honest.identityVerifiedRate),
    customerLines: honestInquiry(random, customer.language, slots, {
      angry: random.chance(customer.temper),
      sloppiness: customer.sloppiness,
    }),
    agentLines: ['greeting', 'checking', 'approved'],
    slots,
    ...contactExtras(random, customer, channel, session),
  });
  const agentSession = ctx.roster.session(agent, endAt);
  ctx.sink.emit('agent.action', endAt - random.int(10, 60) * 1000, {
    agentId: agent.id,
    action: 'return.marked_received',
    accountId: customer.accountId,
    orderId: order.orderId,
    refundId,
    contactId,
    ...agentSession,
  });
  agentDecides(ctx, random, {
    agent,
    at: endAt,
    accountId: customer.accountId,
    orderId: order.orderId,
    refundId,
    contactId,
    outcome: 'approved',
    policyOverride: random.chance(0.5),
  });
}

function honestPackingClaim(
  ctx: WorldContext,
  random: Random,
  customer: Customer,
  order: OrderRecord,
  item: LineItem,
  kind: 'missing_item' | 'empty_box',
): void {
  const delivery = order.delivery!;
  const at = supportMoment(random, customer, delivery.at + random.float(0.1, 3) * DAY);
  const channel = random.chance(0.75) ? 'chat' : 'phone';
  const session = contactSession(ctx, random, customer, at, channel);
  const agent = ctx.roster.pick(random, at, customer.language);
  const slots = slotsFor(random, customer, order, item, customer.marketplace === 'UK');
  const amountMinor = kind === 'empty_box' ? order.totalMinor : item.priceMinor * item.quantity;
  const approved = agentApproves(random, {
    amountUsd: toUsd(amountMinor, order.currency),
    signature: false,
    photo: false,
    priorRefunds: customer.refunds,
    pressure: 0,
  });
  const { contactId, endAt } = createContact(ctx, random, {
    accountId: customer.accountId,
    at,
    channel,
    language: customer.language,
    agent,
    orderId: order.orderId,
    identityVerified: random.chance(ctx.honest.identityVerifiedRate),
    customerLines: honestProductIssue(random, customer.language, kind, slots, {
      angry: random.chance(customer.temper),
      sloppiness: customer.sloppiness,
    }),
    agentLines: ['greeting', approved ? 'approved' : 'denied'],
    slots,
    ...contactExtras(random, customer, channel, session),
  });
  const refundId = ctx.ids.refund();
  const ok = requestRefund(
    ctx,
    endAt - random.int(20, 90) * 1000,
    {
      refundId,
      orderId: order.orderId,
      accountId: customer.accountId,
      amountMinor,
      currency: order.currency,
      reason: kind,
      channel,
      contactId,
      agentId: agent.id,
      returnRequired: false,
    },
    { label: 'legit', scheme: 'honest', method: kind },
  );
  if (!ok) return;
  customer.refunds++;
  agentDecides(ctx, random, {
    agent,
    at: endAt,
    accountId: customer.accountId,
    orderId: order.orderId,
    refundId,
    contactId,
    outcome: approved ? 'approved' : 'denied',
  });
}

/** A question to support that ends without a refund (where is it, change of address...). */
export function honestInquiryFlow(
  ctx: WorldContext,
  random: Random,
  customer: Customer,
  order: OrderRecord,
): void {
  const at = supportMoment(random, customer, order.at + random.float(0.2, 5) * DAY);
  const channel = contactChannel(ctx, random);
  const session = contactSession(ctx, random, customer, at, channel);
  const agent = ctx.roster.pick(random, at, customer.language);
  const item = order.items[0]!;
  const slots = slotsFor(random, customer, order, item, customer.marketplace === 'UK');
  slots.date = spokenDate(random, order.at + 4 * DAY, customer.language, customer.marketplace === 'UK');
  const { contactId, endAt } = createContact(ctx, random, {
    accountId: customer.accountId,
    at,
    channel,
    language: customer.language,
    agent,
    orderId: order.orderId,
    identityVerified: random.chance(ctx.honest.identityVerifiedRate),
    customerLines: honestInquiry(random, customer.language, slots, {
      angry: false,
      travelling: travelling(customer, at),
      sloppiness: customer.sloppiness,
    }),
    agentLines: ['greeting', 'answer'],
    slots,
    ...contactExtras(random, customer, channel, session),
  });
  const agentSession = ctx.roster.session(agent, endAt);
  const action: PayloadOf<'agent.action'>['action'] = random.weighted([
    ['order.viewed', 50],
    ['account.viewed', 25],
    ['address.changed', 8],
    ['email.changed', 3],
    ['note.added', 14],
  ] as const);
  ctx.sink.emit('agent.action', endAt, {
    agentId: agent.id,
    action,
    accountId: customer.accountId,
    orderId: order.orderId,
    contactId,
    ...agentSession,
  });
  if (action === 'address.changed') {
    ctx.sink.emit('account.updated', endAt + random.int(5, 60) * 1000, {
      accountId: customer.accountId,
      address: customer.altAddress ?? customer.address,
    });
  }
  if (action === 'email.changed') {
    const email = customer.email.replace('@', `${random.int(1, 99)}@`);
    if (ctx.emails.claim(email)) {
      customer.email = email;
      ctx.sink.emit('account.updated', endAt + random.int(5, 60) * 1000, {
        accountId: customer.accountId,
        email,
      });
    }
  }
}
