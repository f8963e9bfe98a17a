// After a gang's first claim: a denied claim is tried again, a fraudulent return is approved by an
// insider, by the system or after the refunder chases it.
import type { LabelScheme } from '../app/labels.ts';
import type { Agent } from './agents.ts';
import { toUsd } from './catalog.ts';
import type { WorldContext } from './context.ts';
import type { Customer } from './customers.ts';
import {
  agentApproves,
  agentDecides,
  createContact,
  type OrderRecord,
  requestRefund,
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
import {
  type FraudMethod,
  type Gang,
  type JobPlan,
  type Refunder,
  refunderConnection,
  scriptOf,
} from './gangs.ts';
import { DAY, HOUR, localMoment, momentBetween, SECOND } from './kernel.ts';
import type { Slots } from './messages-honest.ts';
import type { Random } from './random.ts';
import { type ClaimKind, scriptedClaim } from './scripts.ts';
import { shortTitle, spokenDate } from './text-format.ts';

/** A denied claim: the gang tries again a few days later, often through someone else. */
export function escalate(
  ctx: WorldContext,
  random: Random,
  customer: Customer,
  gang: Gang,
  job: JobPlan,
  order: OrderRecord,
  actor: Actor,
  amountMinor: number,
  label: { label: 'fraud'; scheme: LabelScheme; method: FraudMethod; gangId: string },
  after: number,
): number | undefined {
  const refunder = random.chance(0.5) ? random.pick(gang.refunders) : job.refunder;
  const nextDay = Math.floor((after - ctx.startMs) / DAY) + random.int(1, 3);
  const at =
    actor.kind === 'client'
      ? localMoment(random, ctx.startMs, nextDay, customer.tz)
      : momentBetween(
          random,
          ctx.startMs,
          refunderDay(ctx, gang, refunder, nextDay),
          refunder.tz,
          refunder.shiftStart,
          refunder.shiftStart + 9,
        );
  if (!ctx.sink.inWindow(at)) return undefined;
  const language =
    actor.kind === 'client' ? actor.language : random.chance(0.7) ? actor.language : refunder.language;
  const connection =
    actor.kind === 'client' || actor.remote
      ? actor.connection!
      : refunderConnection(random, ctx.ids, refunder, customer.marketplace);
  const channel = random.chance(0.5) ? ('phone' as const) : ('chat' as const);
  const agent = ctx.roster.pick(random, at, language);
  const slots = {
    order: order.orderId,
    item: shortTitle(order.items[0]!.product.title),
    name: customer.name,
    date: order.delivery ? spokenDate(random, order.delivery.at, language) : undefined,
  };
  const script = scriptedClaim(
    random,
    scriptOf(gang, refunder),
    language,
    CLAIM_FOR[job.method],
    slots,
    ctx.behaviour.scriptLooseness,
  );
  const approved = agentApproves(random, {
    amountUsd: toUsd(amountMinor, order.currency),
    signature: order.delivery?.signature ?? false,
    photo: order.delivery?.photo ?? false,
    priorRefunds: customer.refunds,
    pressure: script.pressure + 2,
  });
  const contact = createContact(ctx, random, {
    accountId: customer.accountId,
    at,
    channel,
    language,
    agent,
    deviceId: channel === 'chat' ? connection.deviceId : undefined,
    ip: channel === 'chat' ? connection.ip : undefined,
    orderId: order.orderId,
    identityVerified: random.chance(refunderVerifiedRate(ctx)),
    customerLines: script.lines,
    agentLines: ['greeting', 'checking', 'escalated', approved ? 'approved' : 'denied'],
    slots,
    callerId:
      channel === 'phone'
        ? actor.kind === 'client' || actor.remote
          ? customerCallerId(customer)
          : refunder.callerId
        : undefined,
  });
  const refundId = ctx.ids.refund();
  const ok = requestRefund(
    ctx,
    contact.endAt - random.int(20, 90) * SECOND,
    {
      refundId,
      orderId: order.orderId,
      accountId: customer.accountId,
      amountMinor,
      currency: order.currency,
      reason: REASON_FOR[job.method] ?? 'not_received',
      channel,
      contactId: contact.contactId,
      agentId: agent.id,
      returnRequired: false,
    },
    label,
  );
  if (!ok) return undefined;
  customer.refunds++;
  agentDecides(ctx, random, {
    agent,
    at: contact.endAt,
    accountId: customer.accountId,
    orderId: order.orderId,
    refundId,
    contactId: contact.contactId,
    outcome: approved ? 'approved' : 'denied',
    policyOverride: approved && random.chance(0.3),
  });
  return approved ? contact.endAt : undefined;
}

export interface SettleSpec {
  customer: Customer;
  gang: Gang;
  order: OrderRecord;
  refundId: string;
  amountUsd: number;
  insider: Agent | null;
  actor: Actor;
  refunder: Refunder;
  kind: 'ftid' | 'boxing' | 'wrong_item';
  deliveredAt?: number;
  receivedAt?: number;
  condition?: string;
  trackingId: string;
  slots: Slots;
}

/** After a fraudulent return ships: who approves the refund, and when. */
export function settleReturn(ctx: WorldContext, random: Random, spec: SettleSpec): number | undefined {
  const { customer, order, refundId, insider } = spec;
  if (spec.deliveredAt === undefined) return undefined;
  if (insider) {
    const at = ctx.roster.nextShiftMoment(random, insider, spec.deliveredAt + random.float(1, 30) * HOUR);
    const session = insiderSession(ctx, random, insider, at);
    ctx.sink.emit('agent.action', at, {
      agentId: insider.id,
      action: 'return.marked_received',
      accountId: customer.accountId,
      orderId: order.orderId,
      refundId,
      ...session,
    });
    agentDecides(ctx, random, {
      agent: insider,
      at: at + random.int(30, 600) * SECOND,
      accountId: customer.accountId,
      orderId: order.orderId,
      refundId,
      outcome: 'approved',
      policyOverride: random.chance(0.4),
      lookFirst: false,
      session,
    });
    return at;
  }
  if (spec.amountUsd < 250) {
    const at = spec.deliveredAt + random.float(1, 8) * HOUR;
    systemDecides(ctx, at, refundId, 'approved');
    return at;
  }
  if (spec.kind !== 'ftid' && spec.receivedAt !== undefined) {
    const at = spec.receivedAt + random.float(1, 20) * HOUR;
    if (spec.condition === 'as_expected') {
      systemDecides(ctx, at, refundId, 'approved');
      return at;
    }
    systemDecides(ctx, at, refundId, 'denied');
    return followUp(ctx, random, spec, at, 'boxing_followup', 0.4);
  }
  // FTID: the tracking says delivered, the warehouse never sees it; the refunder chases.
  return followUp(ctx, random, spec, spec.deliveredAt, 'ftid_followup', 0.72);
}

function followUp(
  ctx: WorldContext,
  random: Random,
  spec: SettleSpec,
  after: number,
  claim: ClaimKind,
  approveChance: number,
): number | undefined {
  const { customer, order, refundId, actor, refunder } = spec;
  const at =
    actor.kind === 'client'
      ? localMoment(
          random,
          ctx.startMs,
          Math.floor((after - ctx.startMs) / DAY) + random.int(2, 5),
          customer.tz,
        )
      : momentBetween(
          random,
          ctx.startMs,
          Math.floor((after - ctx.startMs) / DAY) + random.int(2, 5),
          refunder.tz,
          refunder.shiftStart,
          refunder.shiftStart + 9,
        );
  if (!ctx.sink.inWindow(at)) return undefined;
  const connection =
    actor.kind === 'client' || actor.remote
      ? actor.connection!
      : refunderConnection(random, ctx.ids, refunder, customer.marketplace);
  const agent = ctx.roster.pick(random, at, actor.language);
  const approved = random.chance(approveChance);
  const slots = { ...spec.slots, tracking: spec.trackingId, date: spokenDate(random, after, actor.language) };
  const script = scriptedClaim(
    random,
    scriptOf(spec.gang, refunder),
    actor.language,
    claim,
    slots as never,
    ctx.behaviour.scriptLooseness,
  );
  const contact = createContact(ctx, random, {
    accountId: customer.accountId,
    at,
    channel: 'chat',
    language: actor.language,
    agent,
    deviceId: connection.deviceId,
    ip: connection.ip,
    orderId: order.orderId,
    identityVerified: random.chance(refunderVerifiedRate(ctx)),
    customerLines: script.lines,
    agentLines: ['greeting', 'checking', approved ? 'approved' : 'denied'],
    slots,
  });
  if (!approved) return undefined;
  agentDecides(ctx, random, {
    agent,
    at: contact.endAt,
    accountId: customer.accountId,
    orderId: order.orderId,
    refundId,
    contactId: contact.contactId,
    outcome: 'approved',
    policyOverride: claim === 'boxing_followup',
  });
  return contact.endAt;
}
