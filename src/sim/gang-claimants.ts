// Who makes a refund-service claim, in whose words and from where: the refunder, a coached
// client or a bribed insider, and what each method claims.
import type { PayloadOf } from '../core/events.ts';
import type { Agent } from './agents.ts';
import type { WorldContext } from './context.ts';
import type { Customer } from './customers.ts';
import { type FraudMethod, type Gang, type Refunder, refunderWorks } from './gangs.ts';
import type { Language } from './geography.ts';
import type { Random } from './random.ts';
import type { ClaimKind } from './scripts.ts';

export const REASON_FOR: Record<FraudMethod, PayloadOf<'refund.requested'>['reason'] | null> = {
  dnr: 'not_received',
  empty_box: 'empty_box',
  missing_item: 'missing_item',
  ftid: null,
  boxing: null,
  wrong_item: null,
};

export const CLAIM_FOR: Record<FraudMethod, ClaimKind> = {
  dnr: 'dnr',
  empty_box: 'empty_box',
  missing_item: 'missing_item',
  ftid: 'return_defect',
  boxing: 'return_defect',
  wrong_item: 'return_defect',
};

export interface Actor {
  kind: 'refunder' | 'client' | 'insider';
  language: Language;
  connection?: { deviceId: string; ip: string };
  /** A refunder working through the client's own device and line. */
  remote?: boolean;
  callerId?: string;
}

/** The first day from `fromDay` on which the refunder works. */
export function refunderDay(ctx: WorldContext, gang: Gang, refunder: Refunder, fromDay: number): number {
  for (let day = fromDay; day < fromDay + 21; day++)
    if (refunderWorks(ctx.options.seed, gang, refunder, day)) return day;
  return fromDay;
}

export function insiderSession(
  ctx: WorldContext,
  random: Random,
  insider: Agent,
  at: number,
): { deviceId: string; ip: string } {
  if (insider.rogueDevices.length > 0 && random.chance(0.25)) {
    return { deviceId: random.pick(insider.rogueDevices), ip: random.pick(insider.rogueIps) };
  }
  return ctx.roster.session(insider, at);
}

/** Refunders pass an agent's identity check less often than the customers themselves. */
export function refunderVerifiedRate(ctx: WorldContext): number {
  return ctx.honest.identityVerifiedRate * ctx.behaviour.verifiedRatio;
}

export function customerCallerId(customer: Customer): string | undefined {
  // Spoofed caller id: the client's own number.
  if (!customer.phone) return undefined;
  const n = customer.phone.national;
  return `+${customer.marketplace === 'UK' ? '44' : customer.marketplace === 'DE' ? '49' : customer.marketplace === 'FR' ? '33' : '1'}${n}`;
}
