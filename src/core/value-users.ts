// The accounts that used one shared value (a device, an IP range, a card, an address, an e-mail…),
// each with the time of its first use. The risk state keeps one per value it has seen, hundreds of
// thousands of them, and most values only ever have one user: that user is kept inline, and a map
// is made only when a second one comes. Reads see what a Map<accountId, firstAt> would show, in
// the same order (first users first).

export class ValueUsers {
  #onlyAccount: string;
  #onlyAt: number;
  /** Every user, in order of arrival, once there are two or more. */
  #all: Map<string, number> | undefined;

  constructor(accountId: string, at: number) {
    this.#onlyAccount = accountId;
    this.#onlyAt = at;
  }

  get size(): number {
    return this.#all === undefined ? 1 : this.#all.size;
  }

  /** When the account first used the value, if it did. */
  get(accountId: string): number | undefined {
    if (this.#all !== undefined) return this.#all.get(accountId);
    return accountId === this.#onlyAccount ? this.#onlyAt : undefined;
  }

  /** Records a use: the account joins, or its first use moves earlier. */
  recordUse(accountId: string, at: number): void {
    const all = this.#all;
    if (all === undefined) {
      if (accountId === this.#onlyAccount) {
        if (at < this.#onlyAt) this.#onlyAt = at;
        return;
      }
      this.#all = new Map([
        [this.#onlyAccount, this.#onlyAt],
        [accountId, at],
      ]);
      return;
    }
    const previous = all.get(accountId);
    if (previous === undefined || at < previous) all.set(accountId, at);
  }

  /** Calls `visit` with each user's first use and account id, as Map.forEach does. */
  forEach(visit: (firstAt: number, accountId: string) => void): void {
    if (this.#all === undefined) visit(this.#onlyAt, this.#onlyAccount);
    else this.#all.forEach(visit);
  }

  *keys(): IterableIterator<string> {
    if (this.#all === undefined) yield this.#onlyAccount;
    else yield* this.#all.keys();
  }

  /** [accountId, firstAt] pairs, as iterating a Map does. */
  *[Symbol.iterator](): IterableIterator<[string, number]> {
    if (this.#all === undefined) yield [this.#onlyAccount, this.#onlyAt];
    else yield* this.#all;
  }
}
