// Public posts the retailer's intel team collects: gang adverts, "vouches" bragging about
// real refunds (with order ids, amounts and items, sometimes masked), fabricated vouches,
// and unrelated chatter. Post numbers rise with time within each channel.
import type { PayloadOf } from '../core/events.ts';
import type { WorldContext } from './context.ts';
import type { Gang, Vouchable } from './gangs.ts';
import type { Language } from './geography.ts';
import { DAY, HOUR } from './kernel.ts';
import type { Random } from './random.ts';
import { shortTitle, spokenAmount, spokenDate } from './text-format.ts';

type Source = PayloadOf<'intel.post'>['source'];

interface Draft {
  at: number;
  source: Source;
  channel: string;
  author: string;
  text: string;
}

const VOUCH: Record<'en' | 'fr' | 'de', readonly string[]> = {
  en: [
    '✅ VOUCH — {item} — {amount} — refunded in {days} days 💸 {orderRef}',
    'Another one 🔥 {item} {amount} fully refunded. {orderRef} Fee {fee}%. DM {telegram}',
    'client got the {item} for free, {amount} refund confirmed {date} ✅ {orderRef}',
    'Proof: {orderRef} ({item}) refund of {amount} approved, no return needed.',
    'W 💰 {amount} back on {item} — {date}. {orderRef} Slots open, DM {telegram}',
    '{item} ✔️ {amount} ✔️ {days}d ✔️ {orderRef}',
  ],
  fr: [
    '✅ Remboursé : {item} — {amount} — {orderRef}. Frais {fee}%. Contact {telegram}',
    'Encore un 🔥 {item} remboursé {amount} le {date}. {orderRef}',
    'Preuve : {orderRef} ({item}) remboursement {amount} validé, sans retour.',
  ],
  de: [
    '✅ Erstattet: {item} — {amount} — {orderRef}. Gebühr {fee}%. DM {telegram}',
    'Wieder einer 🔥 {item} für {amount} erstattet am {date}. {orderRef}',
    'Beweis: {orderRef} ({item}) Erstattung {amount} durch, ohne Rücksendung.',
  ],
};

const ORDER_WORD: Record<'en' | 'fr' | 'de', string> = { en: 'order', fr: 'commande', de: 'Bestellung' };

const ADS: Record<'en' | 'fr' | 'de', readonly string[]> = {
  en: [
    '🔥 REFUNDS OPEN 🔥 Apple / consoles / GPUs / lululemon / Canada Goose. US CA UK EU. {fee}% fee AFTER refund. Order limit {limit}. DM {telegram}',
    'Need a refund? We do DNR, EB, FTID on all big stores. Fast, no returns, {fee}% fee. Vouches in {vouches}',
    'Looking for clients with orders $500-$5000, electronics preferred. {fee}% fee, pay after success. {telegram}',
    'New method working 100% for MacBooks and iPads, limited slots this week. DM {telegram}',
  ],
  fr: [
    '🔥 REMBOURSEMENTS OUVERTS 🔥 Apple, consoles, cartes graphiques. FR BE CA. Frais {fee}% après remboursement. DM {telegram}',
    'Service de remboursement, commandes jusqu’à {limit}, sans retour. Preuves sur {vouches}',
  ],
  de: [
    '🔥 REFUNDS OFFEN 🔥 Apple, Konsolen, Grafikkarten. DE AT CH. {fee}% Gebühr nach Erstattung. DM {telegram}',
    'Erstattungsservice für Bestellungen bis {limit}, ohne Rücksendung. Beweise in {vouches}',
  ],
};

const NOISE: readonly (readonly [Source, string, string])[] = [
  ['reddit', 'r/Scams', 'My package says delivered but it never showed up, what are my options?'],
  [
    'reddit',
    'r/Scams',
    'Got contacted by a "refund service" on Telegram, is this legit? They want 30% of the order.',
  ],
  [
    'reddit',
    'r/legaladvice',
    'Retailer closed my account after I returned a defective laptop. Can they do that?',
  ],
  ['reddit', 'r/AskUK', 'Evri left my parcel at the wrong house again, how do I get a refund?'],
  ['telegram', '@dealsdaily', 'PS5 Pro back in stock, link in bio'],
  [
    'telegram',
    '@cheapmethods',
    'Selling refund method guides, 2024 edition, works on most stores. Order 112-4827731-2918344 refunded with it.',
  ],
  ['discord', 'sneakerhub#0420', 'anyone know if the jordan 1 restock ships with signature required?'],
  ['forum', 'methodshop', 'Selling aged accounts, 5+ years history, bulk discount'],
  ['forum', 'methodshop', 'Looking for insider at a big retailer support, paying well, DM'],
  ['telegram', '@refundtalk', 'Which stores still do returnless refunds under $50?'],
  [
    'reddit',
    'r/Flipping',
    'Bought 3 GPUs for resale, one arrived with the wrong card inside. Support was quick to sort it.',
  ],
];

function fill(template: string, slots: Record<string, string>): string {
  return template
    .replace(/\{(\w+)\}/g, (_, name: string) => slots[name] ?? '')
    .replace(/\s{2,}/g, ' ')
    .trim();
}

function mask(random: Random, orderId: string): string {
  const digits = orderId.slice(4);
  switch (random.int(0, 2)) {
    case 0:
      return `ord-${digits.slice(0, 6)}****-*****${digits.slice(-2)}`;
    case 1:
      return `ord-${digits.slice(0, 11)}…`;
    default:
      return `…${digits.slice(-9)}`;
  }
}

function gangLanguage(gang: Gang): 'en' | 'fr' | 'de' {
  return gang.home.language;
}

function vouchChannel(random: Random, gang: Gang): { source: Source; channel: string } {
  return random.weighted([
    [{ source: 'telegram' as const, channel: gang.channels.vouches }, 55],
    [{ source: 'telegram' as const, channel: gang.channels.telegram }, 10],
    [{ source: 'reddit' as const, channel: gang.channels.reddit }, 15],
    [{ source: 'discord' as const, channel: gang.channels.discord }, 12],
    [{ source: 'forum' as const, channel: gang.channels.forum }, 8],
  ]);
}

function vouchText(random: Random, gang: Gang, entries: Vouchable[], fakeOrderId?: string): string {
  const language = gangLanguage(gang);
  const lines = entries.map((entry) => {
    const style = random.next();
    const orderId = fakeOrderId ?? entry.orderId;
    const orderRef =
      style < 0.5
        ? `${ORDER_WORD[language]} ${orderId}`
        : style < 0.72
          ? `${ORDER_WORD[language]} ${mask(random, orderId)}`
          : '';
    const item = random.chance(0.5) ? shortTitle(entry.item) : entry.item;
    return fill(random.pick(VOUCH[language]), {
      item,
      amount: spokenAmount(entry.amountMinor, entry.currency, language as Language),
      date: spokenDate(random, entry.approvedAt, language as Language),
      days: String(random.int(1, 6)),
      orderRef,
      fee: String(gang.feePercent),
      telegram: gang.channels.telegram,
    });
  });
  return lines.join('\n');
}

export function generateIntel(ctx: WorldContext, random: Random): void {
  const total = ctx.options.intelPosts;
  if (total === 0) return;
  const drafts: Draft[] = [];
  const gangs = ctx.gangs;
  const noiseBudget = gangs.length === 0 ? total : Math.round(total * 0.15);
  let adBudget = gangs.length === 0 ? 0 : Math.round(total * 0.22);
  const vouchBudget = total - noiseBudget - adBudget;
  const windowStart = ctx.startMs;
  const windowEnd = ctx.endMs;

  if (gangs.length > 0) {
    const candidates = gangs.flatMap((gang) => gang.vouchable.map((entry) => ({ gang, entry })));
    random.shuffle(candidates);
    const fakeCount = Math.round(vouchBudget * 0.1);
    let realLeft = vouchBudget - fakeCount;
    for (const { gang, entry } of candidates) {
      if (realLeft <= 0) break;
      const at = entry.approvedAt + random.float(0.2, 6) * DAY;
      if (at >= windowEnd) continue;
      const bundle = [entry];
      if (random.chance(0.15)) {
        const more = gang.vouchable.filter((other) => other !== entry && other.approvedAt <= at);
        bundle.push(...random.sample(more, random.int(1, 2)));
      }
      const { source, channel } = vouchChannel(random, gang);
      drafts.push({
        at,
        source,
        channel,
        author: random.chance(0.7) ? gang.name : random.pick(gang.refunders).handle,
        text: vouchText(random, gang, bundle),
      });
      realLeft--;
    }
    // Too few refunds to brag about: the rest of the budget goes to adverts.
    adBudget += realLeft;
    // Fabricated vouches: order ids in the retailer's format that do not exist.
    for (let index = 0; index < fakeCount; index++) {
      const gang = random.pick(gangs);
      const template = gang.vouchable.length > 0 ? random.pick(gang.vouchable) : undefined;
      const fake: Vouchable = template
        ? { ...template, approvedAt: windowStart + random.float(0, ctx.days) * DAY }
        : {
            orderId: '',
            amountMinor: random.int(400, 2500) * 100,
            currency: 'USD',
            item: random.pick(['MacBook Pro 14', 'iPad Air', 'PS5 Pro', 'RTX 4090']),
            approvedAt: windowStart + random.float(0, ctx.days) * DAY,
            marketplace: 'US',
          };
      const { source, channel } = vouchChannel(random, gang);
      drafts.push({
        at: Math.min(windowEnd - HOUR, fake.approvedAt + random.float(0.2, 3) * DAY),
        source,
        channel,
        author: gang.name,
        text: vouchText(random, gang, [fake], ctx.ids.order()),
      });
    }
    for (let index = 0; index < adBudget; index++) {
      const gang = gangs[index % gangs.length]!;
      const language = gangLanguage(gang);
      const source = random.weighted([
        ['telegram' as const, 55],
        ['reddit' as const, 15],
        ['discord' as const, 15],
        ['forum' as const, 15],
      ]);
      const channel =
        source === 'telegram'
          ? gang.channels.telegram
          : source === 'reddit'
            ? gang.channels.reddit
            : source === 'discord'
              ? gang.channels.discord
              : gang.channels.forum;
      drafts.push({
        at: windowStart + random.float(0, ctx.days) * DAY,
        source,
        channel,
        author: gang.name,
        text: fill(random.pick(ADS[language]), {
          fee: String(gang.feePercent),
          limit: random.pick(['$5000', '$8k', '€4000', '$10,000', '£3000']),
          telegram: gang.channels.telegram,
          vouches: gang.channels.vouches,
        }),
      });
    }
  }
  for (let index = 0; index < noiseBudget; index++) {
    const [source, channel, text] = random.pick(NOISE);
    drafts.push({
      at: windowStart + random.float(0, ctx.days) * DAY,
      source,
      channel,
      author: `${random.pick(['user', 'throwaway', 'anon', 'buyer'])}${random.int(10, 99999)}`,
      text,
    });
  }
  emitPosts(ctx, random, drafts);
}

function emitPosts(ctx: WorldContext, random: Random, drafts: Draft[]): void {
  drafts.sort((left, right) => left.at - right.at);
  const counters = new Map<string, number>();
  for (const draft of drafts) {
    const key = `${draft.source}:${draft.channel}`;
    const next = (counters.get(key) ?? random.int(40, 900)) + random.int(1, 12);
    counters.set(key, next);
    const slug = draft.channel
      .replace(/^@|^r\//, '')
      .replace(/#.*$/, '')
      .toLowerCase();
    let postId: string;
    let url: string | undefined;
    switch (draft.source) {
      case 'telegram':
        postId = `tg-${slug}-${next}`;
        url = `https://t.me/${slug}/${next}`;
        break;
      case 'reddit': {
        const thread = random.base36(7);
        postId = `rd-${thread}`;
        url = `https://www.reddit.com/${draft.channel}/comments/${thread}/`;
        break;
      }
      case 'discord':
        postId = `dc-${random.digits(18)}`;
        break;
      default:
        postId = `fm-${slug}-${next}`;
        url = `https://forum.example/threads/${slug}.${next}/`;
    }
    const data: PayloadOf<'intel.post'> = {
      postId,
      source: draft.source,
      channel: draft.channel,
      author: draft.author,
      text: draft.text,
    };
    if (url) data.url = url;
    ctx.sink.emit('intel.post', draft.at, data);
  }
}
