// The risk state's indexes across entities, and the questions asked of them: which accounts used
// a shared value (a device, an IP range, a card, an address, an identity value), which accounts a
// device or range contacted support for, the orders intel posts named, and where returns were
// received (the learned warehouses). A lookup touches one value's entries, never the whole history.
// RiskState extends this with the per-entity facts and applies events to both.
import { type IntelMention, insertSorted, type TimedValue } from './risk-facts.ts';
import type { RulePack } from './rules/rule-pack.ts';
import { ValueUsers } from './value-users.ts';

/** A contact made from a device or IP range, and whether that device/range was foreign to the account. */
interface ContactUse extends TimedValue {
  accountId: string;
  foreign: boolean;
}

export class RiskIndexes {
  /** Shared values → the accounts that used them ("device:…", "range:…", "card:…", "address:…"). */
  readonly usersOf = new Map<string, ValueUsers>();
  /** Identity values of sign-ups → accounts ("email:…", "stem:…", "phone:…", "device:…", "address:…", "card:…"). */
  readonly identities = new Map<string, ValueUsers>();
  /** Contacts per contact device / IP range, in time order. */
  readonly contactsFrom = new Map<string, ContactUse[]>();
  /** Intel posts naming an order. */
  readonly intelByOrder = new Map<string, IntelMention[]>();
  /** Postal codes of returns that reached the warehouse (`received`), with counts: the learned warehouses. */
  readonly receivedPostalCodes = new Map<string, number>();

  constructor(protected readonly pack: RulePack) {}

  protected addUser(
    index: Map<string, ValueUsers>,
    key: string | undefined,
    accountId: string,
    at: number,
  ): void {
    if (!key || !accountId) return;
    const users = index.get(key);
    if (users === undefined) index.set(key, new ValueUsers(accountId, at));
    else users.recordUse(accountId, at);
  }

  protected addContactUse(key: string, accountId: string, at: number, foreign: boolean): void {
    let uses = this.contactsFrom.get(key);
    if (!uses) {
      uses = [];
      this.contactsFrom.set(key, uses);
    }
    insertSorted(uses, { at, accountId, foreign });
  }

  /**
   * Distinct accounts other than `accountId` that first used the value before `at`; stops
   * counting past `cap`, since callers only ask whether a value is rare or common.
   */
  otherUsersBefore(key: string, accountId: string, at: number, cap = Number.POSITIVE_INFINITY): string[] {
    const users = this.usersOf.get(key);
    if (!users) return [];
    const result: string[] = [];
    for (const [other, first] of users) {
      if (other === accountId || first >= at) continue;
      result.push(other);
      if (result.length > cap) break;
    }
    return result;
  }

  /** Distinct other accounts contacted, as a third party, from `key` within [from, to). */
  foreignContactAccounts(key: string, accountId: string, from: number, to: number): number {
    return this.contactAccounts(key, accountId, from, to, true);
  }

  /** Distinct other accounts whose support contacts came from `key` within [from, to); only those it was new to if `foreignOnly`. */
  contactAccounts(key: string, accountId: string, from: number, to: number, foreignOnly = false): number {
    const uses = this.contactsFrom.get(key);
    if (!uses) return 0;
    const seen = new Set<string>();
    for (let index = uses.length - 1; index >= 0; index -= 1) {
      const use = uses[index] as ContactUse;
      if (use.at >= to) continue;
      if (use.at < from) break;
      if ((use.foreign || !foreignOnly) && use.accountId !== accountId) seen.add(use.accountId);
    }
    return seen.size;
  }

  isWarehousePostalCode(postalCode: string): boolean {
    const code = normalizePostal(postalCode);
    if (this.pack.warehousePostalCodes.some((known) => normalizePostal(known) === code)) return true;
    // A code many returns were received at is a warehouse; a handful could be a refunder's drop.
    return (this.receivedPostalCodes.get(code) ?? 0) >= 5;
  }
}

export function normalizePostal(postalCode: string): string {
  return postalCode.replace(/\s+/g, '').toUpperCase();
}
