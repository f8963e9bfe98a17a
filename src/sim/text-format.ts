// Small text helpers shared by the message writers: dates, money, fill-in templates, typos.
import type { Language } from './geography.ts';
import type { Random } from './random.ts';

const MONTHS: Record<Language, readonly string[]> = {
  en: ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'],
  fr: [
    'janvier',
    'février',
    'mars',
    'avril',
    'mai',
    'juin',
    'juillet',
    'août',
    'septembre',
    'octobre',
    'novembre',
    'décembre',
  ],
  de: [
    'Januar',
    'Februar',
    'März',
    'April',
    'Mai',
    'Juni',
    'Juli',
    'August',
    'September',
    'Oktober',
    'November',
    'Dezember',
  ],
  es: [
    'enero',
    'febrero',
    'marzo',
    'abril',
    'mayo',
    'junio',
    'julio',
    'agosto',
    'septiembre',
    'octubre',
    'noviembre',
    'diciembre',
  ],
};

/** A date as people write it in chat: "Sep 14", "14 septembre", "14. September", "14/09". */
export function spokenDate(random: Random, epochMs: number, language: Language, british = false): string {
  const date = new Date(epochMs);
  const day = date.getUTCDate();
  const month = date.getUTCMonth();
  if (random.chance(0.2)) {
    const dd = String(day).padStart(2, '0');
    const mm = String(month + 1).padStart(2, '0');
    return language === 'en' && !british
      ? `${month + 1}/${day}`
      : language === 'de'
        ? `${dd}.${mm}.`
        : `${dd}/${mm}`;
  }
  switch (language) {
    case 'en':
      return british ? `${day} ${MONTHS.en[month]}` : `${MONTHS.en[month]} ${day}`;
    case 'fr':
      return `${day === 1 ? '1er' : day} ${MONTHS.fr[month]}`;
    case 'de':
      return `${day}. ${MONTHS.de[month]}`;
    case 'es':
      return `${day} de ${MONTHS.es[month]}`;
  }
}

function groupThousands(whole: number, separator: string): string {
  return String(whole).replace(/\B(?=(\d{3})+(?!\d))/g, separator);
}

/** Money as a customer would type it. */
export function spokenAmount(amountMinor: number, currency: string, language: Language): string {
  const whole = Math.floor(amountMinor / 100);
  const cents = String(amountMinor % 100).padStart(2, '0');
  const symbol = currency === 'USD' ? '$' : currency === 'CAD' ? 'CA$' : currency === 'GBP' ? '£' : '€';
  if (language === 'fr') return `${groupThousands(whole, ' ')},${cents} ${currency === 'CAD' ? '$' : symbol}`;
  if (language === 'de' || language === 'es') return `${groupThousands(whole, '.')},${cents} ${symbol}`;
  return `${symbol}${groupThousands(whole, ',')}.${cents}`;
}

/** Replaces `{name}` slots; unknown slots are left out cleanly. */
export function fill(template: string, slots: Readonly<Record<string, string | undefined>>): string {
  return template
    .replace(/\{(\w+)\}/g, (_, name: string) => slots[name] ?? '')
    .replace(/\s{2,}/g, ' ')
    .trim();
}

/** Everyday sloppiness: a dropped capital, a missing full stop, a swapped pair of letters. */
export function roughen(random: Random, text: string, sloppiness: number): string {
  let out = text;
  if (random.chance(sloppiness * 0.5)) out = out.charAt(0).toLowerCase() + out.slice(1);
  if (random.chance(sloppiness * 0.5)) out = out.replace(/[.!]$/, '');
  if (random.chance(sloppiness * 0.4) && out.length > 12) {
    const position = random.int(3, out.length - 3);
    if (/[a-z]/.test(out[position]!) && /[a-z]/.test(out[position + 1]!)) {
      out = out.slice(0, position) + out[position + 1] + out[position] + out.slice(position + 2);
    }
  }
  return out;
}

/** A short, chat-friendly name for a product title: "iPad Air 11-inch (M2) Wi-Fi 128GB" → "iPad Air". */
export function shortTitle(title: string): string {
  const cut = title.split(/,|\(| [–-] /)[0]!.trim();
  const words = cut.split(/\s+/);
  return words.slice(0, Math.min(words.length, 4)).join(' ');
}
