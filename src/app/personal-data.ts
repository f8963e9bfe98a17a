// Personal data on request and on a schedule. `ErasureService` answers a GDPR erasure request for
// one account: its personal values are replaced by keyed pseudonyms in its events and wherever the
// same values are stored (other events, assessments, cases, deliveries), its transcripts and label
// notes and its cases' notes are removed, in one transaction, and a tombstone is chained into the
// audit log (counts, never the data). `RetentionService` strips old transcripts and deletes old
// what-if assessments. Decisions (decision, score, reasons, signals) are kept: they are the record.
import { createHmac } from 'node:crypto';
import { longestTextWindowDays, Pseudonymiser, redactTranscript } from '../core/personal-data.ts';
import type { RingSettings } from '../core/rings/ring-settings.ts';
import { DAY_MS } from '../core/time.ts';
import type { AuditLog } from './audit.ts';
import {
  type Clock,
  type LegalHold,
  type PersonalDataStore,
  type RowChange,
  RewriteConflictError,
  type StoredEventText,
  type TextRow,
} from './ports.ts';

/** What replaces a note of a case about the person. */
export const ERASED_NOTE = '[erased at the customer’s request]';

export class ErasureRefusedError extends Error {
  override readonly name = 'ErasureRefusedError';
  constructor(readonly holds: readonly LegalHold[]) {
    super(
      `the account is under legal hold (${holds.map((hold) => `${hold.kind} ${hold.ref}`).join(', ')}); give --override-hold "reason" to erase it anyway`,
    );
  }
}

export interface ErasureRequest {
  accountId: string;
  /** Who asked (audited). */
  actor: string;
  /** Erases despite a legal hold; the reason is audited. */
  overrideHold?: string | undefined;
}

export interface ErasureSummary {
  accountId: string;
  /** The account's own events read. */
  events: number;
  /** Values replaced in the account's events, per kind (and the notes of its cases). */
  erased: Record<string, number>;
  /** Rows changed per table, the account's and others holding the same values. */
  rows: Record<string, number>;
  holds: LegalHold[];
}

const REWRITE_ATTEMPTS = 3;
/**
 * An identifier found in more other accounts' events than this is shared infrastructure (a mobile
 * carrier's NAT address, a switchboard), not the person's: it is replaced in their events only.
 */
export const HOUSEHOLD_ACCOUNTS = 5;

export class ErasureService {
  readonly #hash: (kind: string, value: string) => string;

  constructor(
    private readonly store: PersonalDataStore,
    private readonly audit: AuditLog,
    /** The pseudonyms' key (configuration): without it nobody can tell which value a pseudonym stands for. */
    key: string,
  ) {
    if (key.length < 16) throw new Error('the pseudonym key must be at least 16 characters');
    this.#hash = (kind, value) => createHmac('sha256', key).update(`${kind}\u0000${value}`).digest('hex');
  }

  async erase(request: ErasureRequest): Promise<ErasureSummary> {
    const { accountId, actor } = request;
    const holds = await this.store.legalHolds(accountId);
    const override = request.overrideHold?.trim();
    if (holds.length > 0 && !override) {
      await this.audit.record(actor, 'account.erase_refused', `account:${accountId}`, {
        holds: holds.map((hold) => hold.ref),
      });
      throw new ErasureRefusedError(holds);
    }
    for (let attempt = 1; ; attempt += 1) {
      const plan = await this.#plan(accountId);
      try {
        const rows = plan.changes.length > 0 ? await this.store.rewrite(plan.changes, { flush: true }) : {};
        const summary: ErasureSummary = { accountId, events: plan.events, erased: plan.erased, rows, holds };
        // The tombstone: who, when (the audit row's time), which account, what was erased (counts).
        const tombstone = await this.audit.record(actor, 'account.erased', `account:${accountId}`, {
          events: plan.events,
          erased: plan.erased,
          rows,
          ...(holds.length > 0
            ? { holdsOverridden: holds.map((hold) => hold.ref), overrideReason: override }
            : {}),
        });
        // A running server sees the mark change and reloads its state from the rewritten events.
        await this.store.setErasureMark(`${tombstone.seq}:${tombstone.hash}`);
        return summary;
      } catch (error) {
        // A row written meanwhile (a live ingest): plan again from what is stored now.
        if (!(error instanceof RewriteConflictError) || attempt >= REWRITE_ATTEMPTS) throw error;
      }
    }
  }

  async #plan(
    accountId: string,
  ): Promise<{ events: number; erased: Record<string, number>; changes: RowChange[] }> {
    const events = await this.store.accountEvents(accountId);
    const pseudonymiser = new Pseudonymiser(this.#hash, countryOf(events));
    const rewritten = new Map<number, { event: StoredEventText; payload: string }>();
    for (const event of events) {
      const data = JSON.parse(event.payload) as Record<string, unknown>;
      rewritten.set(event.seq, { event, payload: JSON.stringify(pseudonymiser.erase(event.type, data)) });
    }
    const replacements = [...pseudonymiser.replacements];
    // In texts (case notes, snapshots, reasons) names and address lines are replaced too.
    const quoted = [...replacements, ...pseudonymiser.quoted];
    // Values are found as written and as JSON writes them (escaped; senders may escape non-ASCII too).
    const needles = quoted.flatMap(([original]) => [
      original,
      ...jsonLiterals(original).map((literal) => literal.slice(1, -1)),
    ]);
    const changes: RowChange[] = [];
    const found = await this.store.rowsContaining(needles);
    const household = householdValues(accountId, replacements, found);
    for (const row of found) {
      if (row.table === 'events') {
        const seq = Number(row.key.seq);
        const own = rewritten.get(seq);
        const stored = own?.payload ?? row.text.payload ?? '';
        const data = JSON.parse(stored) as Record<string, unknown>;
        const withAddresses = isIntelPost(data)
          ? quoteErased(data, quoted)
          : pseudonymiser.eraseAddresses(data);
        const payload = replaceWholeJsonStrings(
          withAddresses === data ? stored : JSON.stringify(withAddresses),
          own !== undefined ? replacements : household,
        );
        if (own !== undefined) own.payload = payload;
        else if (payload !== row.text.payload) changes.push({ ...row, set: { payload } });
        continue;
      }
      const set: Record<string, string | null> = {};
      for (const [column, text] of Object.entries(row.text)) {
        if (text === null) continue;
        const replaced = replaceWords(text, quoted);
        if (replaced !== text) set[column] = replaced;
      }
      if (Object.keys(set).length > 0) changes.push({ ...row, set });
    }
    for (const { event, payload } of rewritten.values())
      if (payload !== event.payload)
        changes.push({
          table: 'events',
          key: { seq: event.seq },
          text: { payload: event.payload },
          set: { payload },
        });
    const notes = await this.store.accountCaseNotes(accountId);
    const erasedNotes = notes.filter((note) => note.text.text !== ERASED_NOTE);
    for (const note of erasedNotes) {
      // A note changed above (it quoted a value) is replaced as a whole instead.
      const index = changes.findIndex((change) => change.table === 'case_notes' && sameKey(change, note));
      if (index >= 0) changes.splice(index, 1);
      changes.push({ ...note, set: { text: ERASED_NOTE } });
    }
    return {
      events: events.length,
      erased: { ...pseudonymiser.counts, caseNote: erasedNotes.length },
      changes,
    };
  }
}

/**
 * A serving process's watch for erasures made elsewhere (the CLI): when the mark changes, the engine
 * reloads its state from the stored events, so that nothing erased is kept in memory.
 */
export class ErasureWatch {
  #seen: string | undefined;
  #timer: ReturnType<typeof setInterval> | undefined;

  constructor(
    private readonly store: PersonalDataStore,
    private readonly engine: { reload(): Promise<void> },
  ) {}

  /** The mark as of now: erasures before it are in the state already. */
  async init(): Promise<void> {
    this.#seen = await this.store.erasureMark();
  }

  /** Reloads when an erasure happened since the last look; true when it did. */
  async check(): Promise<boolean> {
    const mark = await this.store.erasureMark();
    if (mark === this.#seen) return false;
    await this.engine.reload();
    this.#seen = mark;
    return true;
  }

  start(intervalMs: number, onError: (error: unknown) => void, onReload?: () => void): void {
    this.#timer = setInterval(() => {
      void this.check()
        .then((reloaded) => {
          if (reloaded) onReload?.();
        })
        .catch(onError);
    }, intervalMs);
    this.#timer.unref();
  }

  stop(): void {
    clearInterval(this.#timer);
  }
}

export interface RetentionPolicy {
  /** Contact transcripts older than this (event time, before both the clock and the latest event) are stripped. */
  transcriptDays: number;
  /** API (what-if) assessments made longer ago than this are deleted. */
  apiAssessmentDays: number;
}

export interface RetentionSummary {
  transcriptsRedacted: number;
  apiAssessmentsDeleted: number;
}

/** A transcript retention shorter than the longest window a detector reads texts over is refused. */
export function checkTranscriptRetention(days: number, rings: RingSettings): void {
  const longest = longestTextWindowDays(rings);
  if (days < longest)
    throw new Error(
      `the transcript retention (${days} days) is shorter than the ${longest} days over which the rule pack's detectors read contact texts`,
    );
}

const RETENTION_PAGE = 500;

export class RetentionService {
  constructor(
    private readonly store: PersonalDataStore,
    private readonly clock: Clock,
    readonly policy: RetentionPolicy,
    private readonly audit?: AuditLog,
  ) {}

  /** Applies the policy once; `onProgress` hears the contacts looked at so far. */
  async apply(onProgress?: (contactsSeen: number) => void): Promise<RetentionSummary> {
    const now = this.clock();
    // Relative to the latest event too: where the clock runs ahead of the events (history imported
    // late, a simulated world), the detectors still read texts within their windows of event time.
    const latest = (await this.store.latestEventAt()) ?? now;
    const transcriptsBefore = Math.min(now, latest) - this.policy.transcriptDays * DAY_MS;
    let transcriptsRedacted = 0;
    let seen = 0;
    let after = 0;
    for (;;) {
      const page = await this.store.contactsBefore(transcriptsBefore, after, RETENTION_PAGE);
      if (page.length === 0) break;
      const changes: RowChange[] = [];
      for (const event of page) {
        const redacted = redactTranscript(JSON.parse(event.payload) as Record<string, unknown>);
        if (redacted !== undefined)
          changes.push({
            table: 'events',
            key: { seq: event.seq },
            text: { payload: event.payload },
            set: { payload: JSON.stringify(redacted) },
          });
      }
      if (changes.length > 0) transcriptsRedacted += (await this.store.rewrite(changes)).events ?? 0;
      seen += page.length;
      onProgress?.(seen);
      after = page.at(-1)?.seq ?? after;
      if (page.length < RETENTION_PAGE) break;
    }
    const apiAssessmentsDeleted = await this.store.deleteApiAssessmentsBefore(
      now - this.policy.apiAssessmentDays * DAY_MS,
    );
    const summary = { transcriptsRedacted, apiAssessmentsDeleted };
    if (this.audit !== undefined && (transcriptsRedacted > 0 || apiAssessmentsDeleted > 0))
      await this.audit.record('system:retention', 'retention.applied', 'retention', {
        ...summary,
        ...this.policy,
      });
    return summary;
  }

  /** Applies the policy now and then once a day (the timer does not keep the process alive). */
  startDaily(onError: (error: unknown) => void): () => void {
    const run = () => void this.apply().catch(onError);
    const first = setTimeout(run, 0);
    const daily = setInterval(run, DAY_MS);
    first.unref();
    daily.unref();
    return () => {
      clearTimeout(first);
      clearInterval(daily);
    };
  }
}

/** An intel.post payload (its free text may quote anyone). */
function isIntelPost(data: Record<string, unknown>): boolean {
  return typeof data.postId === 'string' && typeof data.source === 'string' && data.accountId === undefined;
}

/** The post's free-text fields with the person's values replaced where they stand as words. */
function quoteErased(
  data: Record<string, unknown>,
  quoted: readonly [string, string][],
): Record<string, unknown> {
  let result = data;
  for (const field of ['text', 'author', 'channel', 'url']) {
    const value = result[field];
    if (typeof value !== 'string') continue;
    const replaced = replaceWords(value, quoted);
    if (replaced !== value) result = { ...result, [field]: replaced };
  }
  return result;
}

/** The identifiers that at most HOUSEHOLD_ACCOUNTS other accounts' events hold. */
function householdValues(
  accountId: string,
  replacements: readonly [string, string][],
  found: readonly TextRow[],
): [string, string][] {
  const holders = new Map<string, Set<string>>();
  for (const row of found) {
    if (row.table !== 'events' || row.text.payload == null) continue;
    const payload = row.text.payload;
    const owner = (JSON.parse(payload) as { accountId?: unknown }).accountId;
    if (typeof owner !== 'string' || owner === accountId) continue;
    for (const [original] of replacements)
      if (jsonLiterals(original).some((literal) => payload.includes(literal))) {
        const set = holders.get(original) ?? new Set<string>();
        set.add(owner);
        holders.set(original, set);
      }
  }
  return replacements.filter(([original]) => (holders.get(original)?.size ?? 0) <= HOUSEHOLD_ACCOUNTS);
}

/** The account's country (its first address), for reading its phone numbers. */
function countryOf(events: readonly StoredEventText[]): string | undefined {
  for (const event of events) {
    if (event.type !== 'account.created' && event.type !== 'account.updated' && event.type !== 'order.placed')
      continue;
    const data = JSON.parse(event.payload) as {
      address?: { country?: unknown };
      shipTo?: { country?: unknown };
    };
    const country = data.address?.country ?? data.shipTo?.country;
    if (typeof country === 'string') return country;
  }
  return undefined;
}

function jsonEscaped(text: string): string {
  return JSON.stringify(text).slice(1, -1);
}

/** The text as a JSON string literal, as JSON.stringify writes it and with non-ASCII escaped. */
function jsonLiterals(text: string): string[] {
  const plain = JSON.stringify(text);
  const ascii = plain.replace(
    /[\u0080-\uffff]/g,
    (character) => `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
  return ascii === plain ? [plain] : [plain, ascii];
}

/** Replaces JSON string values that are exactly an original (not strings that merely contain one). */
function replaceWholeJsonStrings(json: string, replacements: readonly [string, string][]): string {
  let result = json;
  for (const [original, replacement] of replacements)
    for (const literal of jsonLiterals(original))
      result = result.split(literal).join(JSON.stringify(replacement));
  return result;
}

/** Replaces originals in free text where they stand as words (not inside a longer word or number). */
function replaceWords(text: string, replacements: readonly [string, string][]): string {
  let result = text;
  for (const [original, replacement] of replacements)
    for (const form of new Set([original, jsonEscaped(original)])) {
      if (!result.includes(form)) continue;
      const pattern = new RegExp(`(?<![\\p{L}\\p{N}])${escapeRegExp(form)}(?![\\p{L}\\p{N}])`, 'gu');
      result = result.replace(pattern, () => replacement);
    }
  return result;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function sameKey(left: TextRow, right: TextRow): boolean {
  return left.table === right.table && JSON.stringify(left.key) === JSON.stringify(right.key);
}
