// Formatting for display: money, times, ages, codes.

const usdFormat = new Intl.NumberFormat('en-US', {
  style: 'currency',
  currency: 'USD',
  maximumFractionDigits: 0,
});
const usdCents = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' });
const countFormat = new Intl.NumberFormat('en-US');

export function formatUsd(value: number, cents = false): string {
  return (cents ? usdCents : usdFormat).format(value);
}

export function formatMoney(amountMinor: number, currency: string): string {
  try {
    return new Intl.NumberFormat('en-US', { style: 'currency', currency }).format(amountMinor / 100);
  } catch {
    return `${(amountMinor / 100).toFixed(2)} ${currency}`;
  }
}

export function formatCount(value: number): string {
  return countFormat.format(value);
}

const pad = (n: number) => String(n).padStart(2, '0');

/** A moment as epoch milliseconds: the API sends RFC 3339 strings, charts work in numbers. */
const epochMs = (time: number | string): number => (typeof time === 'string' ? Date.parse(time) : time);

/** `2026-10-03 14:22` in UTC, the time zone the events are recorded in. */
export function formatTime(time: number | string): string {
  const ms = epochMs(time);
  if (!Number.isFinite(ms)) return '—';
  const d = new Date(ms);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
}

export function formatDay(time: number | string): string {
  return formatTime(time).slice(0, 10);
}

/** `3d`, `5h`, `12m` since a moment. */
export function formatAge(time: number | string, now = Date.now()): string {
  const ms = epochMs(time);
  if (!Number.isFinite(ms)) return '—';
  const minutes = Math.max(0, Math.round((now - ms) / 60_000));
  if (minutes < 60) return `${minutes}m`;
  const hours = Math.round(minutes / 60);
  if (hours < 48) return `${hours}h`;
  return `${Math.round(hours / 24)}d`;
}

/** `return_first` → `Return first`. */
export function humanize(code: string): string {
  const text = code.replace(/[._]/g, ' ').trim();
  return text.charAt(0).toUpperCase() + text.slice(1);
}
