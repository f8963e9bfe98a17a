// One refund-service job: the client buys a hot item on their own account; once it is
// delivered, a refunder (not the client) contacts support for that order from the gang's
// devices and networks with the gang's script, or a bribed insider handles it.
// What follows a denied claim or a shipped return is in gang-follow-ups.ts.
import type { LabelScheme } from '../app/labels.ts';
import type { PayloadOf } from '../core/events.ts';
import { ACCESSORIES, targetProduct, toUsd } from './catalog.ts';
import type { WorldContext } from './context.ts';
import { type Customer, customerSession } from './customers.ts';
import {
  agentApproves,
  agentDecides,
  createContact,
  deliverOrder,
  lineItem,
  placeOrder,
  requestRefund,
  shipReturn,
  systemDecides,
} from './flows.ts';
import {
  type Actor,
  CLAIM_FOR,
  customerCallerId,
  insiderSession,
  REASON_FOR,
  refunderDay,
  refunderVerifiedRate,
} from './gang-claimants.ts';
import { escalate, settleReturn } from './gang-follow-ups.ts';
import { type Gang, type JobPlan, refunderConnection, scriptOf } from './gangs.ts';
import type { Language } from './geography.ts';
import { DAY, HOUR, localMoment, MINUTE, momentBetween, SECOND } from './kernel.ts';
import type { Slots } from './messages-honest.ts';
import type { Random } from './random.ts';
import { scriptedClaim } from './scripts.ts';
import { shortTitle, spokenDate } from './text-format.ts';

const WRONG_THINGS = [
  'phone case',
  'cheap speaker',
  'box of tissues',
  'USB cable',
  'old keyboard',
  'pair of socks',
  'book',
];

export interface JobResult {
  orderId: string;
  /** When the first refund was requested, if it was inside the window. */
  requestedAt?: number;
  approvedAt?: number;
}

function returnReason(random: Random): PayloadOf<'refund.requested'>['reason'] {
  return random.weighted([
    ['defective', 45],
    ['not_as_described', 25],
    ['damaged', 20],
    ['changed_mind', 10],
  ] as const);
}

function weightText(grams: number, language: Language): string {
  const text = (grams / 1000).toFixed(grams < 1000 ? 2 : 1);
  return language === 'en' ? text : text.replace('.', ',');
}

export function runGangJob(
  ctx: WorldContext,
  random: Random,
  customer: Customer,
  gang: Gang,
  job: JobPlan,
  scheme: LabelScheme,
): JobResult | undefined {
  const behaviour = ctx.behaviour;
  const creationDay = Math.floor((customer.createdAt - ctx.startMs) / DAY);
  const orderDay = Math.max(job.orderDay, creationDay + 1);
  const orderAt = localMoment(random, ctx.startMs, orderDay, customer.tz);
  if (!ctx.sink.inWindow(orderAt)) return undefined;

  // The client shops like anyone else: own device, own card, own address.
  const product = targetProduct(random);
  const items = [lineItem(random, product, customer.marketplace)];
  if (job.method === 'missing_item' || random.chance(0.3))
    items.push(lineItem(random, random.pick(ACCESSORIES), customer.marketplace));
  const order = placeOrder(ctx, random, customer, orderAt, items, { shipTo: customer.address });
  const evidence = random.chance(behaviour.avoidEvidence) ? 0.15 : 1;
  const delivery = deliverOrder(ctx, random, customer, order, { evidence });
  if (!delivery) return undefined;
  const result: JobResult = { orderId: order.orderId };

  const insider = job.viaInsider;
  const refunder = job.refunder;
  const earliest = delivery.at + random.float(0.3, 5) * DAY;
  let contactAt: number;
  const actor: Actor = {
    kind: insider ? 'insider' : job.diy ? 'client' : 'refunder',
    language: refunder.language,
  };
  if (insider) {
    contactAt = ctx.roster.nextShiftMoment(random, insider, earliest);
  } else if (job.diy) {
    contactAt = localMoment(random, ctx.startMs, Math.floor((earliest - ctx.startMs) / DAY) + 1, customer.tz);
  } else {
    const day = refunderDay(ctx, gang, refunder, Math.floor((earliest - ctx.startMs) / DAY));
    contactAt = random.chance(behaviour.clientHoursShare)
      ? momentBetween(random, ctx.startMs, day, customer.tz, 10, 20)
      : momentBetween(random, ctx.startMs, day, refunder.tz, refunder.shiftStart, refunder.shiftStart + 9);
    if (contactAt < earliest) contactAt = earliest + random.float(0.5, 3) * HOUR;
  }
  const clientLanguage: Language = customer.language === 'es' ? 'en' : customer.language;
  if (actor.kind === 'client' || random.chance(behaviour.clientLanguageShare))
    actor.language = clientLanguage;
  if (actor.kind === 'client' || job.remote) {
    // A coached client, or a refunder in remote control of the client's own machine and line.
    const session = customerSession(random, customer, contactAt);
    actor.connection = { deviceId: session.device.id, ip: session.ip };
    actor.remote = job.remote;
  } else {
    actor.connection = refunderConnection(random, ctx.ids, refunder, customer.marketplace);
    actor.callerId = random.chance(0.2) && customer.phone ? undefined : refunder.callerId;
  }

  // Insiders look the client up beforehand, with no customer contact on record.
  const watcher =
    insider ?? (gang.insiders.length > 0 && random.chance(0.3) ? random.pick(gang.insiders) : null);
  if (watcher) {
    const lookAt = contactAt - random.float(1, 40) * HOUR;
    const session = insiderSession(ctx, random, watcher, lookAt);
    ctx.sink.emit('agent.action', lookAt, {
      agentId: watcher.id,
      action: 'account.viewed',
      accountId: customer.accountId,
      ...session,
    });
    if (random.chance(0.5)) {
      ctx.sink.emit('agent.action', lookAt + random.int(20, 300) * SECOND, {
        agentId: watcher.id,
        action: 'order.viewed',
        accountId: customer.accountId,
        orderId: order.orderId,
        ...session,
      });
    }
    if (random.chance(0.08)) {
      ctx.sink.emit('agent.action', lookAt + random.int(5, 20) * MINUTE, {
        agentId: watcher.id,
        action: random.pick(['email.changed', 'address.changed'] as const),
        accountId: customer.accountId,
        ...session,
      });
    }
  }

  const label = {
    label: 'fraud' as const,
    scheme: insider ? ('insider' as const) : scheme,
    method: job.method,
    gangId: gang.id,
  };
  const slots: Slots & { weight?: string; accessory?: string; wrong?: string } = {
    order: order.orderId,
    item: shortTitle(product.title),
    name: customer.name,
    date: spokenDate(random, delivery.at, actor.language, customer.marketplace === 'UK'),
    tracking: delivery.trackingId,
    accessory: items[1] ? shortTitle(items[1].product.title) : 'charger',
    wrong: random.pick(WRONG_THINGS),
  };
  if (delivery.weightGrams !== undefined) slots.weight = weightText(delivery.weightGrams, actor.language);
  const noReturn = REASON_FOR[job.method] !== null;
  const amountMinor =
    job.method === 'missing_item' ? items[0]!.priceMinor * items[0]!.quantity : order.totalMinor;
  const amountUsd = toUsd(amountMinor, order.currency);
  const agent = insider ?? ctx.roster.pick(random, contactAt, actor.language);
  const script = scriptedClaim(
    random,
    scriptOf(gang, refunder),
    actor.language,
    CLAIM_FOR[job.method],
    slots as never,
    behaviour.scriptLooseness,
  );
  const pressure = script.pressure + (script.usedWeight ? 1 : 0);
  const approved = noReturn
    ? insider !== null ||
      agentApproves(random, {
        amountUsd,
        signature: delivery.signature,
        photo: delivery.photo,
        priorRefunds: customer.refunds,
        pressure,
      })
    : true;

  // Insiders sometimes file the claim themselves with no contact on record.
  const silent = insider !== null && random.chance(0.3);
  const channel = random.chance(behaviour.phoneShare) ? ('phone' as const) : ('chat' as const);
  const selfService = !noReturn && !insider && !job.diy && random.chance(0.25);
  let contactId: string | undefined;
  let requestedAt: number;
  let decisionAt: number;
  if (selfService) {
    // The refunder logs in to the client's account with the client's credentials.
    const login: PayloadOf<'account.login'> = {
      accountId: customer.accountId,
      deviceId: actor.connection.deviceId,
      ip: actor.connection.ip,
    };
    if (random.chance(0.92)) login.userAgent = refunder.userAgent;
    ctx.sink.emit('account.login', contactAt - random.int(1, 8) * MINUTE, login);
    requestedAt = contactAt;
    decisionAt = contactAt + random.int(2, 90) * SECOND;
  } else if (silent) {
    requestedAt = contactAt;
    decisionAt = contactAt + random.int(30, 400) * SECOND;
  } else {
    const agentLines: ('greeting' | 'checking' | 'escalated' | 'approved' | 'denied' | 'return_label')[] = [
      'greeting',
    ];
    if (noReturn) {
      agentLines.push('checking');
      if (pressure >= 2 && random.chance(0.5)) agentLines.push('escalated');
      agentLines.push(approved ? 'approved' : 'denied');
    } else agentLines.push('return_label');
    const contact = createContact(ctx, random, {
      accountId: customer.accountId,
      at: contactAt,
      channel,
      language: actor.language,
      agent,
      deviceId: channel === 'chat' ? actor.connection.deviceId : undefined,
      ip: channel === 'chat' ? actor.connection.ip : undefined,
      orderId: order.orderId,
      identityVerified: insider ? true : random.chance(refunderVerifiedRate(ctx)),
      customerLines: script.lines,
      agentLines,
      slots,
      callerId: channel === 'phone' ? (actor.callerId ?? customerCallerId(customer)) : undefined,
    });
    contactId = contact.contactId;
    requestedAt = contact.endAt - random.int(20, 90) * SECOND;
    decisionAt = contact.endAt;
  }
  const refundId = ctx.ids.refund();
  const requestChannel = selfService ? ('self_service' as const) : silent ? ('phone' as const) : channel;
  const data: PayloadOf<'refund.requested'> = {
    refundId,
    orderId: order.orderId,
    accountId: customer.accountId,
    amountMinor,
    currency: order.currency,
    reason: REASON_FOR[job.method] ?? returnReason(random),
    channel: requestChannel,
    returnRequired: !noReturn,
  };
  if (contactId) data.contactId = contactId;
  if (!selfService) data.agentId = agent.id;
  if (!requestRefund(ctx, requestedAt, data, label)) return result;
  result.requestedAt = requestedAt;
  customer.refunds++;
  const insiderSessionNow = insider ? insiderSession(ctx, random, insider, decisionAt) : undefined;

  if (noReturn) {
    const decision = {
      agent,
      at: decisionAt,
      accountId: customer.accountId,
      orderId: order.orderId,
      refundId,
      outcome: approved ? ('approved' as const) : ('denied' as const),
      policyOverride: insider !== null && random.chance(0.6),
      ...(contactId ? { contactId } : {}),
      ...(insiderSessionNow ? { session: insiderSessionNow } : {}),
    };
    agentDecides(ctx, random, decision);
    if (approved) result.approvedAt = decisionAt;
    else if (random.chance(0.55)) {
      const retry = escalate(ctx, random, customer, gang, job, order, actor, amountMinor, label, decisionAt);
      if (retry !== undefined) result.approvedAt = retry;
    }
  } else {
    if (selfService) systemDecides(ctx, decisionAt, refundId, 'return_required');
    else
      agentDecides(ctx, random, {
        agent,
        at: decisionAt,
        accountId: customer.accountId,
        orderId: order.orderId,
        refundId,
        outcome: 'return_required',
        ...(contactId ? { contactId } : {}),
        ...(insiderSessionNow ? { session: insiderSessionNow } : {}),
      });
    const kind = job.method as 'ftid' | 'boxing' | 'wrong_item';
    const shipped = shipReturn(ctx, random, {
      refundId,
      marketplace: customer.marketplace,
      after: decisionAt,
      kind,
      itemGrams: product.weightGrams,
      sender: customer.address,
      senderTz: customer.tz,
      skipReceipt: insider !== null,
    });
    const approvedAt = settleReturn(ctx, random, {
      customer,
      gang,
      order,
      refundId,
      amountUsd,
      insider,
      actor,
      refunder,
      kind,
      deliveredAt: shipped.deliveredAt,
      receivedAt: shipped.receivedAt,
      condition: shipped.condition,
      trackingId: shipped.trackingId,
      slots,
    });
    if (approvedAt !== undefined) result.approvedAt = approvedAt;
  }
  if (result.approvedAt !== undefined && ctx.sink.inWindow(result.approvedAt)) {
    gang.vouchable.push({
      orderId: order.orderId,
      amountMinor,
      currency: order.currency,
      item: product.title,
      approvedAt: result.approvedAt,
      marketplace: customer.marketplace,
    });
  }
  return result;
}
