// Personal data in stored events: which fields of the contract hold it, how one person's values are
// replaced by keyed pseudonyms that keep the event valid (and equal values equal, so the links the
// detectors read among the remaining data hold), and how a contact's transcript is redacted. Pure:
// the keyed hash is given by the caller.
import type { Address } from './events.ts';
import { ipPrefix, normalizeAddress, normalizeEmail, normalizePhone } from './identity.ts';
import type { RingSettings } from './rings/ring-settings.ts';
import { normalizeText } from './text/playbook.ts';

/** The kinds of personal value an erasure counts. */
export const PERSONAL_KINDS = [
  'email',
  'name',
  'phone',
  'address',
  'ip',
  'userAgent',
  'transcript',
  'note',
] as const;
export type PersonalKind = (typeof PERSONAL_KINDS)[number];

/** A keyed hash (hex) of a kind and a normalised value; the same input always gives the same output. */
export type KeyedHash = (kind: string, value: string) => string;

/** The fixed window of script twins in refund signals (refund-signals.ts: 30 days). */
const SCRIPT_TWIN_DAYS = 30;

/**
 * The longest window over which a detector reads contact texts, in days: script twins (30 days),
 * the script index's retention and family window, and ring detection (whose script links a rebuild
 * recomputes from the texts). A transcript retention shorter than this would change decisions.
 */
export function longestTextWindowDays(rings: RingSettings): number {
  return Math.max(
    SCRIPT_TWIN_DAYS,
    rings.windowDays,
    rings.scripts.retentionDays,
    rings.scripts.familyWindowDays,
  );
}

/** Marks a contact whose transcript texts were removed (a compatible extension field). */
export const TRANSCRIPT_REDACTED = 'transcriptRedacted';

/**
 * The contact's message texts emptied (who spoke and when are kept, so counts still hold), marked
 * `transcriptRedacted: true`. Undefined when there is no text left to remove.
 */
export function redactTranscript(data: Record<string, unknown>): Record<string, unknown> | undefined {
  const messages = data.messages;
  if (!Array.isArray(messages)) return undefined;
  if (
    !messages.some((message) => isRecord(message) && typeof message.text === 'string' && message.text !== '')
  )
    return undefined;
  return {
    ...data,
    messages: messages.map((message) => (isRecord(message) ? { ...message, text: '' } : message)),
    [TRANSCRIPT_REDACTED]: true,
  };
}

/** Extension fields (not in the contract) that are read as personal when an event carries them. */
const EXTENSION_FIELDS: Record<string, 'email' | 'name' | 'phone' | 'ip'> = {
  callerId: 'phone',
  phoneNumber: 'phone',
  mobile: 'phone',
  emailAddress: 'email',
  fullName: 'name',
  firstName: 'name',
  lastName: 'name',
  recipientName: 'name',
  ipAddress: 'ip',
  clientIp: 'ip',
};

/** What an erasure did to one person's events: the replacements made, and counts per kind. */
export class Pseudonymiser {
  /**
   * Identifiers (e-mail, phone, IP) → pseudonym: the same value anywhere in the store is the
   * person's too (a household's line, a shared connection), replaced there by the same pseudonym.
   */
  readonly replacements = new Map<string, string>();
  /**
   * Names and address lines → pseudonym, for texts quoting them (case notes, snapshots). Not in
   * other accounts' events: another person may bear the same name, or live at "7 rue des Lilas" in
   * another town. Their addresses are matched whole instead (`eraseAddresses`).
   */
  readonly quoted = new Map<string, string>();
  /** The person's addresses (normalised) → the pseudonymised lines. */
  readonly #addresses = new Map<string, { line1: string; line2?: string }>();
  /** Transcript texts removed. */
  readonly texts = new Set<string>();
  readonly counts: Record<PersonalKind, number> = {
    email: 0,
    name: 0,
    phone: 0,
    address: 0,
    ip: 0,
    userAgent: 0,
    transcript: 0,
    note: 0,
  };

  constructor(
    private readonly hash: KeyedHash,
    /** The account's country (from its address), for reading phone numbers in national form. */
    private readonly country: string | undefined,
  ) {}

  /** The event's payload with the person's values replaced; the same object when nothing changed. */
  erase(type: string, data: Record<string, unknown>): Record<string, unknown> {
    let result = { ...data };
    const take = (field: string, kind: 'email' | 'name' | 'phone' | 'ip' | 'userAgent') => {
      const value = result[field];
      if (typeof value !== 'string' || value === '' || this.#isPseudonym(kind, value)) return;
      result[field] = this.#pseudonym(kind, value);
    };
    switch (type) {
      case 'account.created':
      case 'account.updated':
        take('email', 'email');
        take('name', 'name');
        take('phone', 'phone');
        take('ip', 'ip');
        result = this.#address(result, 'address');
        break;
      case 'account.login':
        take('ip', 'ip');
        take('userAgent', 'userAgent');
        break;
      case 'order.placed':
        take('ip', 'ip');
        result = this.#address(result, 'shipTo');
        break;
      case 'contact.created': {
        take('ip', 'ip');
        const messages = Array.isArray(result.messages) ? result.messages : [];
        for (const message of messages)
          if (isRecord(message) && typeof message.text === 'string' && message.text !== '')
            this.texts.add(message.text);
        const redacted = redactTranscript(result);
        if (redacted !== undefined) {
          this.counts.transcript += 1;
          result = redacted;
        }
        break;
      }
      case 'label.set':
        if (typeof result.note === 'string') {
          delete result.note;
          this.counts.note += 1;
        }
        break;
    }
    for (const [field, kind] of Object.entries(EXTENSION_FIELDS)) take(field, kind);
    return result;
  }

  #address(data: Record<string, unknown>, field: string): Record<string, unknown> {
    const address = data[field];
    if (!isAddress(address) || address.line1.startsWith('erased-')) return data;
    const key = normalizeAddress(address);
    let lines = this.#addresses.get(key);
    if (lines === undefined) {
      // From the whole address: the same address gives the same lines, so it stays the same address.
      const line = (name: string) => `erased-${this.hash('address', `${key}\u0000${name}`).slice(0, 16)}`;
      lines = { line1: line('line1'), ...(address.line2 ? { line2: line('line2') } : {}) };
      this.#addresses.set(key, lines);
    }
    this.quoted.set(address.line1, lines.line1);
    if (address.line2 && lines.line2) this.quoted.set(address.line2, lines.line2);
    this.counts.address += 1;
    return { ...data, [field]: { ...address, ...lines } };
  }

  /**
   * Another account's payload with the person's addresses (the same address, normalised) replaced
   * by the same pseudonymised lines; the same object when it holds none.
   */
  eraseAddresses(data: Record<string, unknown>): Record<string, unknown> {
    let result = data;
    for (const field of ['address', 'shipTo']) {
      const address = result[field];
      if (!isAddress(address)) continue;
      const lines = this.#addresses.get(normalizeAddress(address));
      if (lines !== undefined) result = { ...result, [field]: { ...address, ...lines } };
    }
    return result;
  }

  #pseudonym(kind: 'email' | 'name' | 'phone' | 'ip' | 'userAgent', value: string): string {
    this.counts[kind] += 1;
    const known = this.replacements.get(value) ?? this.quoted.get(value);
    if (known !== undefined) return known;
    const replacement = this.#make(kind, value);
    // Names, and user agents (which thousands share), are pseudonymised in the person's events only.
    if (kind === 'name') this.quoted.set(value, replacement);
    else if (kind !== 'userAgent') this.replacements.set(value, replacement);
    return replacement;
  }

  #make(kind: 'email' | 'name' | 'phone' | 'ip' | 'userAgent', value: string): string {
    switch (kind) {
      case 'email':
        return `erased-${this.hash('email', normalizeEmail(value)).slice(0, 16)}@erased.invalid`;
      case 'name':
        return `Erased ${this.hash('name', normalizeText(value).trim()).slice(0, 12)}`;
      case 'phone': {
        // Digits only, so that the number reads as one and its line (the last 9 digits) stays
        // the same for the same line however it was written.
        const line = normalizePhone(value, this.country).replace(/\D/g, '').slice(-9);
        const digits = BigInt(`0x${this.hash('phone', line).slice(0, 15)}`) % 1_000_000_000_000n;
        return `+999${digits.toString().padStart(12, '0')}`;
      }
      case 'ip': {
        // The range (/24, /48) is kept: the detectors link on it, and it names a network, not a person.
        const prefix = ipPrefix(value);
        const host = `x${this.hash('ip', value).slice(0, 12)}`;
        if (prefix === value) return `erased-${host}`;
        return value.includes(':') ? `${prefix}:${host}` : `${prefix}.${host}`;
      }
      case 'userAgent':
        return `erased-${this.hash('userAgent', value).slice(0, 12)}`;
    }
  }

  #isPseudonym(kind: string, value: string): boolean {
    switch (kind) {
      case 'email':
        return value.endsWith('@erased.invalid');
      case 'name':
        return value.startsWith('Erased ');
      case 'phone':
        return value.startsWith('+999');
      case 'ip':
        return /(^erased-|[.:]x[0-9a-f]{12}$)/.test(value);
      default:
        return value.startsWith('erased-');
    }
  }
}

function isAddress(value: unknown): value is Address {
  return (
    isRecord(value) &&
    typeof value.line1 === 'string' &&
    typeof value.postalCode === 'string' &&
    typeof value.country === 'string'
  );
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
