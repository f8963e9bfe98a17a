// What the risk state keeps per entity, as records: an account's facts (its own devices, ranges,
// phones, sign-ins, activity hours), its orders, support contacts, refunds with their return scans,
// agents' actions and decisions, labels and intel mentions. Every record carries its time; lists
// are kept in time order, so questions are asked "as of" a moment.
import type { Address, OrderItem } from './events.ts';
import type { HotGoods } from './rules/rule-pack.ts';
import type { Tactic } from './text/playbook.ts';
import { DAY_MS } from './time.ts';

export interface TimedValue {
  at: number;
}

export interface AccountFacts {
  accountId: string;
  createdAt: number | undefined;
  marketplace: string | undefined;
  country: string | undefined;
  email: string | undefined;
  /** Normalised phone numbers the account gave; a phone contact from one of them is the customer. */
  phones: Set<string>;
  /** Every device and IP range the account itself used (sign-up, logins, orders), with first use. */
  devices: Map<string, number>;
  ipPrefixes: Map<string, number>;
  orders: OrderFacts[];
  refunds: RefundFacts[];
  contacts: ContactFacts[];
  /** The latest sign-ins (a refund asked in a session another device just opened). */
  logins: LoginFacts[];
  /** The account's own sign-ins and orders per hour of the day (UTC): when its owner is awake. */
  activityHours: Uint16Array;
  closed: { at: number; reason: string } | undefined;
  /**
   * The last own use and order recorded, as sent: a repeat of the same device, IP, card or
   * address at or after it is known already, without normalising it or asking the indexes
   * (first uses only ever move earlier). Most logins and orders repeat one of them.
   */
  lastOwnUse: { deviceId: string | undefined; ip: string | undefined; at: number };
  lastOrder: { card: string | undefined; shipTo: Address | undefined; addressKey: string; at: number };
}

export interface LoginFacts extends TimedValue {
  deviceId: string | undefined;
  ip: string | undefined;
}

/** Sign-ins kept per account: only the session around a request matters. */
export const LOGINS_KEPT = 4;

export interface OrderFacts extends TimedValue {
  orderId: string;
  accountId: string;
  currency: string;
  valueUsdMinor: number;
  maxItemUsdMinor: number;
  hot: boolean;
  itemCount: number;
  paymentFingerprint: string | undefined;
  deviceId: string | undefined;
  ip: string | undefined;
  addressKey: string;
  delivery:
    | {
        at: number;
        signature: boolean;
        photo: boolean;
        weightGrams: number | undefined;
        trackingId: string | undefined;
      }
    | undefined;
}

export interface ContactFacts extends TimedValue {
  contactId: string;
  accountId: string;
  channel: string;
  agentId: string | undefined;
  deviceId: string | undefined;
  /**
   * `device:…` or `caller:…`: where the contact came from. A caller id is its phone line
   * (`callerLineKey`), so one line is one origin however its number was read.
   */
  originKey: string | undefined;
  /** The caller id as read with the account's country (E.164 when it parses). */
  callerId: string | undefined;
  ip: string | undefined;
  language: string | undefined;
  orderId: string | undefined;
  identityVerified: boolean | undefined;
  /** Whether the device / IP range had been used by the account itself before the contact. */
  deviceKnown: boolean | undefined;
  ipRangeKnown: boolean | undefined;
  tactics: Tactic[];
  manipulationCount: number;
  messageCount: number;
  /** The script family of the customer's text (near-duplicates across accounts share it). */
  scriptFamily: string | undefined;
  /**
   * The contact came at an hour (UTC, ± 2 h) at which the account had never been active in at
   * least 10 sign-ins and orders before: someone in another time zone, or keeping other hours.
   */
  unusualHour: boolean;
}

export interface ReturnScan extends TimedValue {
  status: string;
  destinationPostalCode: string | undefined;
  weightGrams: number | undefined;
  condition: string | undefined;
  trackingId: string | undefined;
}

/** A request-time assessment as models learn from it. */
export interface AssessedRefund {
  /** The evidence family levels shown (see CompiledEvidence). */
  observation: Int16Array;
  /** The measured evidence's log odds then. */
  evidenceLogit: number;
  /** Its prior log odds (so a model can learn from the evidence without the window's moving prior). */
  priorLogit: number;
  probability: number;
  modelVersion: string | null;
  /** The decision a hard policy forced at least, if one did. */
  forced: string | undefined;
}

export interface RefundFacts extends TimedValue {
  refundId: string;
  accountId: string;
  orderId: string;
  amountUsdMinor: number;
  amountMinor: number;
  currency: string;
  reason: string;
  channel: string;
  contactId: string | undefined;
  agentId: string | undefined;
  returnRequired: boolean;
  decided: { at: number; outcome: string; agentId: string | undefined; policyOverride: boolean } | undefined;
  returns: ReturnScan[];
  /** The engine's own decision at request time, once assessed (feeds later features). */
  assessedDecision: string | undefined;
  /** What the request-time assessment saw, once made: what models learn from. */
  assessed: AssessedRefund | undefined;
}

export interface AgentFacts {
  agentId: string;
  actions: {
    at: number;
    action: string;
    accountId: string | undefined;
    refundId: string | undefined;
    contactId: string | undefined;
  }[];
  decisions: { at: number; refundId: string; outcome: string; policyOverride: boolean }[];
  devices: Map<string, number>;
}

/** An outcome recorded for a subject (`label.set`): investigators' labels, the console's outcomes. */
export interface LabelFacts extends TimedValue {
  label: string;
}

export interface IntelMention extends TimedValue {
  postId: string;
  orderId: string;
}

/** Inserts by time: events may arrive out of order. */
export function insertSorted<T extends TimedValue>(list: T[], item: T): void {
  let index = list.length;
  while (index > 0 && (list[index - 1] as T).at > item.at) index -= 1;
  // Events mostly come in time order: appending needs no splice (nor the array it returns).
  if (index === list.length) list.push(item);
  else list.splice(index, 0, item);
}

/** Records a use of `key` in a first-use map: the earliest time wins. */
export function firstUse(map: Map<string, number>, key: string | undefined, at: number): void {
  if (!key) return;
  const previous = map.get(key);
  if (previous === undefined || at < previous) map.set(key, at);
}

/** Whether `key` was first used at or before `at`. */
export function usedBefore(map: Map<string, number>, key: string | undefined, at: number): boolean {
  if (!key) return false;
  const first = map.get(key);
  return first !== undefined && first <= at;
}

/** Whether an order item is sought-after goods (the pack's `hotGoods`), at its USD price. */
export function itemIsHot(item: OrderItem, hotGoods: HotGoods, priceUsdMinor: number): boolean {
  if (priceUsdMinor < hotGoods.minItemPriceUsd * 100) return false;
  const category = (item.category ?? '').toLowerCase();
  const brand = (item.brand ?? '').toLowerCase();
  const title = item.title.toLowerCase();
  return (
    hotGoods.categories.some((hot) => category.includes(hot)) ||
    hotGoods.brands.some((hot) => brand === hot) ||
    hotGoods.keywords.some((hot) => title.includes(hot))
  );
}

const HOUR_MS = 3_600_000;
const MIN_ACTIVITY_FOR_HOURS = 10;

function hourOfDay(at: number): number {
  return Math.floor((((at % DAY_MS) + DAY_MS) % DAY_MS) / HOUR_MS);
}

export function countActivityHour(account: AccountFacts, at: number): void {
  const hour = hourOfDay(at);
  const count = account.activityHours[hour] as number;
  if (count < 65_535) account.activityHours[hour] = count + 1;
}

/** A contact at an hour (± 2 h) the owner was never active at, given enough activity to judge. */
export function isUnusualHour(account: AccountFacts, at: number): boolean {
  let total = 0;
  for (const count of account.activityHours) total += count;
  if (total < MIN_ACTIVITY_FOR_HOURS) return false;
  const hour = hourOfDay(at);
  for (let offset = -2; offset <= 2; offset += 1)
    if ((account.activityHours[(hour + offset + 24) % 24] as number) > 0) return false;
  return true;
}
