// Normalised identity values, so the same person is recognised through small changes
// (e-mail dots and +tags, phone formatting, address spelling and case).
import { parsePhoneNumberFromString } from 'libphonenumber-js';
import type { Address } from './events.ts';
import { normalizeText } from './text/playbook.ts';

// Providers that ignore dots in the local part.
const DOT_INSENSITIVE_DOMAINS = new Set(['gmail.com', 'googlemail.com']);

export function normalizeEmail(email: string): string {
  const lower = email.trim().toLowerCase();
  const at = lower.lastIndexOf('@');
  if (at < 0) return lower;
  let local = lower.slice(0, at);
  let domain = lower.slice(at + 1);
  if (domain === 'googlemail.com') domain = 'gmail.com';
  const plus = local.indexOf('+');
  if (plus >= 0) local = local.slice(0, plus);
  if (DOT_INSENSITIVE_DOMAINS.has(domain)) local = local.replaceAll('.', '');
  return `${local}@${domain}`;
}

/** The local part with dots and tags removed, whatever the domain: re-registrations often swap domains. */
export function emailStem(email: string): string {
  const normalized = normalizeEmail(email);
  const local = normalized.slice(0, normalized.lastIndexOf('@'));
  return local.replaceAll('.', '').replace(/\d+$/, '');
}

/** Plus signs as libphonenumber reads them (ASCII and full-width). */
const PLUS_SIGNS = /[+\uFF0B]/;

/** E.164 when the number parses (with the account's country as a hint), else its digits. */
export function normalizePhone(phone: string, countryHint?: string): string {
  // Already international ("+1 614 555 0142", "+33 6-12-34-56-78"): its digits are the E.164 form,
  // no need for the (costly) full parse.
  if (/^\+[1-9][\d\s().-]{6,20}$/.test(phone) && !phone.includes('(0)')) {
    const digits = phone.replace(/\D/g, '');
    if (digits.length >= 8 && digits.length <= 15) return `+${digits}`;
  }
  // Without a country and without a plus sign, libphonenumber cannot tell the country: it
  // would throw (and catch) an error to say so, the costliest way to end up with the digits.
  if (!countryHint && !PLUS_SIGNS.test(phone)) return phone.replace(/\D/g, '');
  const national = nationalToE164(phone, countryHint?.toUpperCase());
  if (national) return national;
  const parsed = parsePhoneNumberFromString(phone, (countryHint?.toUpperCase() as never) ?? undefined);
  if (parsed?.isPossible()) return parsed.number;
  return phone.replace(/\D/g, '');
}

/**
 * The commonest national formats, without the full parse: North American 10-digit numbers, and
 * British and French numbers with their trunk 0. Anything else goes to libphonenumber.
 */
function nationalToE164(phone: string, country: string | undefined): string | undefined {
  if (country !== 'US' && country !== 'CA' && country !== 'GB' && country !== 'UK' && country !== 'FR')
    return undefined;
  if (!/^[\d\s().-]{9,20}$/.test(phone)) return undefined;
  const digits = phone.replace(/\D/g, '');
  if (country === 'US' || country === 'CA') {
    if (digits.length === 10 && /^[2-9]\d{2}[2-9]/.test(digits)) return `+1${digits}`;
    if (digits.length === 11 && /^1[2-9]\d{2}[2-9]/.test(digits)) return `+${digits}`;
    return undefined;
  }
  if (country === 'FR') return /^0[1-9]\d{8}$/.test(digits) ? `+33${digits.slice(1)}` : undefined;
  return /^0[1-9]\d{9}$/.test(digits) ? `+44${digits.slice(1)}` : undefined;
}

const STREET_ABBREVIATIONS: Record<string, string> = {
  street: 'st',
  avenue: 'ave',
  av: 'ave',
  road: 'rd',
  boulevard: 'blvd',
  drive: 'dr',
  lane: 'ln',
  court: 'ct',
  place: 'pl',
  apartment: 'apt',
  strasse: 'str',
  rue: 'r',
};

/** Orders repeat the same few addresses: the normalised form is kept per raw form (bounded). */
const addressCache = new Map<string, string>();

export function normalizeAddress(address: Address): string {
  const raw = `${address.country}\u0000${address.postalCode}\u0000${address.line1}\u0000${address.line2 ?? ''}`;
  const cached = addressCache.get(raw);
  if (cached !== undefined) return cached;
  const normalized = normalizeAddressUncached(address);
  if (addressCache.size >= 200_000) addressCache.clear();
  addressCache.set(raw, normalized);
  return normalized;
}

/** The same address as written, field by field: what `normalizeAddress` reads, so the same key. */
export function isSameRawAddress(left: Address, right: Address): boolean {
  return (
    left.country === right.country &&
    left.postalCode === right.postalCode &&
    left.line1 === right.line1 &&
    (left.line2 ?? '') === (right.line2 ?? '')
  );
}

function normalizeAddressUncached(address: Address): string {
  const words = normalizeText(`${address.line1} ${address.line2 ?? ''}`)
    .replace(/ß/g, 'ss')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim()
    .split(' ')
    .filter(Boolean)
    .map((word) => STREET_ABBREVIATIONS[word] ?? word);
  const postal = address.postalCode.replace(/\s+/g, '').toLowerCase();
  return `${address.country.toLowerCase()}|${postal}|${words.join(' ')}`;
}

/** IPv4 /24 or IPv6 /48: refunders rotate addresses inside the ranges they rent. */
export function ipPrefix(ip: string): string {
  if (ip.includes(':')) return ip.split(':').slice(0, 3).join(':');
  // Called for every login, order and contact: one scan instead of split/join.
  const last = ip.lastIndexOf('.');
  if (last < 0) return ip;
  let dots = 0;
  for (let index = 0; index < last; index += 1) if (ip.charCodeAt(index) === 46) dots += 1;
  return dots === 2 ? ip.slice(0, last) : ip;
}

/** Trailing digits that name a phone line, whatever country its number was read with. */
const CALLER_LINE_DIGITS = 9;

/**
 * The phone line behind a `caller:…` origin key: the last `CALLER_LINE_DIGITS` digits. A caller id
 * sent in national form ("0784 729 6070", "(617) 837-3235") is read with the account's country,
 * so one refunder's line calling for clients in three marketplaces would be three numbers
 * ("+447847296070", "07847296070", "+4407847296070"…). Other origin keys are returned as they are.
 */
export function callerLineKey(originKey: string): string {
  if (!originKey.startsWith('caller:')) return originKey;
  const digits = originKey.slice(7).replace(/\D/g, '');
  return digits.length >= CALLER_LINE_DIGITS ? `caller:${digits.slice(-CALLER_LINE_DIGITS)}` : originKey;
}
