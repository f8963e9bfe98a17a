// What the ring detectors keep as events arrive: the link graph (refunding accounts and the values
// their refunds touched), the script index (near-duplicate support stories), and the rings found
// by the latest detection run, indexed for the hot path. The risk state feeds it fact by fact and
// asks it to detect again as event time moves on; assessments read the index it left, which was
// computed strictly before the request's moment (no look-ahead).
import type { Reason } from '../decisions.ts';
import { type NearDuplicates, ScriptIndex, type ScriptIndexOptions } from '../text/script-similarity.ts';
import { detectRings, type RingDetection } from './detect-rings.ts';
import {
  type ContactLinkFacts,
  type DecisionLinkFacts,
  isThirdPartyContact,
  LinkGraph,
  type LinkKind,
  type OrderLinkFacts,
  type RefundLinkFacts,
  type ReturnLinkFacts,
  TRACKING_PREFIX_LENGTH,
} from './link-graph.ts';
import type { Ring } from './ring.ts';
import { indexRings, type RingIndex, type RingLink, ringOf } from './ring-index.ts';
import { DEFAULT_RING_OPTIONS, type RingDetectionOptions } from './ring-options.ts';

const DAY_MS = 86_400_000;

export interface RingStateOptions {
  /**
   * Detect again once event time has moved this far past the last run (before the next refund
   * request is applied). `Infinity` leaves runs to the caller (`detect`), e.g. a live server
   * that detects on a timer off the request path.
   */
  detectEveryMs: number;
  /**
   * Past this many accounts in the graph, runs space out in proportion (twice the accounts, every
   * two days): a run costs about 6 s at a million accounts, and a long replay must not pay it daily.
   */
  accountsPerRunInterval: number;
  rings: Partial<RingDetectionOptions>;
  scripts: Partial<ScriptIndexOptions>;
}

export const DEFAULT_RING_STATE_OPTIONS: RingStateOptions = {
  detectEveryMs: DAY_MS,
  accountsPerRunInterval: 50_000,
  rings: {},
  scripts: {},
};

/** What the detectors need from the rest of the risk state (how common a value is, warehouses). */
export interface RingStateContext {
  valueUsers(kind: LinkKind, value: string): number | undefined;
  isWarehousePostalCode(postalCode: string): boolean;
}

export interface RingRun {
  asOf: number;
  rings: Ring[];
  stats: RingDetection['stats'];
}

export interface RingContext {
  ringId: string;
  /** How the request touches the ring. */
  via: RingLink['via'];
  fingerprint: string | undefined;
  score: number;
  members: number;
  valueUsd: number;
  /** When the ring was found (its detection run). */
  asOf: number;
  reasons: Reason[];
}

/** Runs kept for requests older than the latest run (a day apart or more: a batch of weeks). */
const KEPT_RUNS = 64;

export class RingState {
  readonly links = new LinkGraph();
  readonly scripts: ScriptIndex;
  /**
   * The latest runs, oldest first, each with its index. A request is matched against the latest
   * run before its moment, so a batch that brings later requests (and so later runs) in with it
   * decides an earlier request as a batch that ended with it would.
   */
  private runs: { run: RingRun; index: RingIndex }[] = [];
  private lastRun: RingRun | undefined;
  /**
   * Where the returns that linked each tracking prefix as FTID were delivered. A return reaching
   * the warehouse before it was learned is linked as delivered elsewhere; detection re-checks its
   * drop, and must re-check the prefix too (a retailer's own return labels share one).
   */
  private readonly prefixDestinations = new Map<string, Set<string>>();
  /**
   * Per script family, the accounts that told it from their own device or network. A text many
   * customers write themselves is boilerplate; a refund service's template is told mostly by its
   * refunders, from devices the accounts never used, so it stays rare however often it is used.
   */
  private readonly familyOwnTellers = new Map<string, Set<string>>();
  /** Per phone line in the link graph (`callerLineKey`'s digits), the caller ids read as it. */
  private readonly lineNumbers = new Map<string, Set<string>>();
  /** Called after every detection run (cases, the console, metrics). */
  readonly listeners: ((run: RingRun) => void)[] = [];

  constructor(
    private readonly context: RingStateContext,
    readonly options: RingStateOptions = DEFAULT_RING_STATE_OPTIONS,
  ) {
    this.scripts = new ScriptIndex(options.scripts);
  }

  get latest(): RingRun | undefined {
    return this.lastRun;
  }

  /** The script family the contact's customer text joins (undefined when too short to compare). */
  addContactText(contactId: string, accountId: string, at: number, text: string): string | undefined {
    if (!text) return undefined;
    return this.scripts.add({ contactId, accountId, at, text }).family;
  }

  addContact(contact: ContactLinkFacts): void {
    const family = contact.scriptFamily;
    if (family && !isThirdPartyContact(contact)) {
      let tellers = this.familyOwnTellers.get(family);
      if (!tellers) {
        tellers = new Set();
        this.familyOwnTellers.set(family, tellers);
      }
      tellers.add(contact.accountId);
    }
    this.noteLineNumber(contact);
    this.links.addContact(contact);
  }

  addRefund(refund: RefundLinkFacts, order?: OrderLinkFacts, contact?: ContactLinkFacts): void {
    if (contact) this.noteLineNumber(contact);
    this.links.addRefund(refund, order, contact);
  }

  /** Notes the number a phone line was read as, so that its own users are counted under each. */
  private noteLineNumber(contact: ContactLinkFacts): void {
    const origin = contact.originKey;
    if (origin === undefined || contact.callerId === undefined || !origin.startsWith('caller:')) return;
    const line = origin.slice(7);
    let numbers = this.lineNumbers.get(line);
    if (!numbers) {
      numbers = new Set();
      this.lineNumbers.set(line, numbers);
    }
    numbers.add(contact.callerId);
  }

  /** How many accounts use the value themselves; a phone line, under every number read as it. */
  private valueUsers(kind: LinkKind, value: string): number | undefined {
    const numbers = kind === 'caller' ? this.lineNumbers.get(value) : undefined;
    if (!numbers) return this.context.valueUsers(kind, value);
    let users = 0;
    for (const number of numbers) users += this.context.valueUsers(kind, number) ?? 0;
    return users;
  }

  addDecision(decision: DecisionLinkFacts): void {
    this.links.addDecision(decision);
  }

  addReturnScan(scan: ReturnLinkFacts): void {
    this.links.addReturnScan(scan);
    if (scan.status !== 'delivered' || !scan.deliveredElsewhere || !scan.destinationPostalCode) return;
    const tracking = (scan.trackingId ?? '').replace(/[^0-9A-Za-z]/g, '').toUpperCase();
    if (tracking.length < TRACKING_PREFIX_LENGTH + 4) return;
    const prefix = tracking.slice(0, TRACKING_PREFIX_LENGTH);
    const destinations = this.prefixDestinations.get(prefix) ?? new Set<string>();
    destinations.add(scan.destinationPostalCode);
    this.prefixDestinations.set(prefix, destinations);
  }

  /** A tracking prefix whose "elsewhere" returns all went to what is now known to be a warehouse. */
  private prefixOnlyToWarehouses(prefix: string): boolean {
    const destinations = this.prefixDestinations.get(prefix);
    if (!destinations) return false;
    for (const postalCode of destinations) if (!this.context.isWarehousePostalCode(postalCode)) return false;
    return true;
  }

  /** Whether a run is due before a refund request at `at` is applied. */
  due(at: number): boolean {
    if (!Number.isFinite(this.options.detectEveryMs)) return false;
    if (this.links.accountCount === 0) return false;
    return this.lastRun === undefined || at - this.lastRun.asOf >= this.runInterval();
  }

  /** Event time between runs: a day, longer on a graph of many accounts. */
  runInterval(): number {
    return (
      this.options.detectEveryMs * Math.max(1, this.links.accountCount / this.options.accountsPerRunInterval)
    );
  }

  /** Finds the rings as of `asOf` (links made before it) and makes them the hot path's index. */
  detect(asOf: number, overrides: Partial<RingDetectionOptions> = {}): RingRun {
    const detection = detectRings(this.links, asOf, {
      ...DEFAULT_RING_OPTIONS,
      ...this.options.rings,
      ...overrides,
      valueUsers: (kind, value) => {
        if (kind === 'script') return this.familyOwnTellers.get(value)?.size ?? 0;
        // Honest returns to the warehouse, linked before it was learned: no FTID pattern (ignored as too common).
        if (kind === 'tracking-prefix' && this.prefixOnlyToWarehouses(value)) return Number.POSITIVE_INFINITY;
        return this.valueUsers(kind, value);
      },
      isWarehousePostalCode: (postalCode) => this.context.isWarehousePostalCode(postalCode),
    });
    const index = indexRings(detection.rings);
    this.lastRun = { asOf, rings: index.rings, stats: detection.stats };
    this.runs.push({ run: this.lastRun, index });
    if (this.runs.length > KEPT_RUNS) this.runs.shift();
    for (const listener of this.listeners) listener(this.lastRun);
    return this.lastRun;
  }

  /** The ring a request touches, as the latest run before `at` saw it. */
  ringFor(request: {
    accountId: string;
    at: number;
    originKey?: string | undefined;
    ip?: string | undefined;
  }): RingContext | undefined {
    let kept: { run: RingRun; index: RingIndex } | undefined;
    for (let position = this.runs.length - 1; position >= 0; position -= 1) {
      const candidate = this.runs[position] as { run: RingRun; index: RingIndex };
      if (candidate.run.asOf <= request.at) {
        kept = candidate;
        break;
      }
    }
    if (!kept) return undefined;
    const { run, index } = kept;
    const link = ringOf(index, request);
    if (!link) return undefined;
    const { ring } = link;
    return {
      ringId: ring.ringId,
      via: link.via,
      fingerprint: link.fingerprint,
      score: ring.score,
      members: ring.accountIds.length,
      valueUsd: ring.valueUsd,
      asOf: run.asOf,
      reasons: ring.reasons,
    };
  }

  /** Other accounts that wrote a near-duplicate of the contact's text within [from, to). */
  scriptTwins(contactId: string, from: number, to: number): NearDuplicates {
    return this.scripts.nearDuplicates(contactId, from, to);
  }
}
