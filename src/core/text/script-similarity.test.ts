import { describe, expect, it } from 'vitest';
import {
  estimateJaccard,
  minHash,
  ScriptIndex,
  scriptSentences,
  shingleHashes,
} from './script-similarity.ts';

const DAY = 86_400_000;
const T0 = Date.parse('2026-10-01T00:00:00Z');

// A refund service's English script, filled in for different clients, with the small changes
// refunders make: names, items, amounts, order numbers, dates, sentence order, a typo.
function englishScript(slots: {
  name: string;
  order: string;
  amount: string;
  date: string;
  item: string;
  swap?: boolean;
  typo?: boolean;
}): string {
  const pressure = [
    `I have already filed a police report, the case number is PR-${slots.order.slice(-5)}.`,
    "If I don't get my refund today I will open a chargeback with my bank.",
  ];
  if (slots.swap) pressure.reverse();
  return [
    `Hello, my name is ${slots.name} and I am writing about order ${slots.order} for ${slots.amount}.`,
    `The tracking says the ${slots.item} was delivered on ${slots.date} but I never received anything.`,
    slots.typo
      ? 'I checked with my nieghbours and the building management, nobody saw a delivery.'
      : 'I checked with my neighbours and the building management, nobody saw a delivery.',
    'The carrier scan shows the parcel weighed only 0.4 kg, which is impossible for this item.',
    ...pressure,
    'I want this escalated to a supervisor right now.',
  ].join(' ');
}

function frenchScript(slots: { name: string; order: string; date: string; swap?: boolean }): string {
  const lines = [
    `Bonjour, je suis ${slots.name}, titulaire du compte, pour la commande ${slots.order}.`,
    `Le suivi indique livré le ${slots.date} mais je n'ai jamais rien reçu.`,
    "J'ai vérifié avec les voisins et le gardien de l'immeuble, personne n'a vu de livreur.",
    'Le poids indiqué par le transporteur est de 0,4 kg, c’est impossible pour cet article.',
    `J'ai déjà porté plainte au commissariat, numéro de plainte 2026-${slots.order.slice(-6)}.`,
  ];
  if (slots.swap) lines.splice(2, 2, lines[3] as string, lines[2] as string);
  return lines.join(' ');
}

function germanScript(slots: { name: string; order: string; date: string; item: string }): string {
  return [
    `Guten Tag, mein Name ist ${slots.name}, es geht um die Bestellung ${slots.order}.`,
    `Laut Sendungsverfolgung wurde das ${slots.item} am ${slots.date} zugestellt, aber ich habe nie etwas erhalten.`,
    'Ich habe bei den Nachbarn und der Hausverwaltung nachgefragt, niemand hat ein Paket angenommen.',
    'Das Liefergewicht war nur 0,4 kg, das Gerät kann gar nicht drin gewesen sein.',
    'Ich möchte, dass das sofort an einen Vorgesetzten geht, sonst buche ich die Zahlung über meine Bank zurück.',
  ].join(' ');
}

const HONEST = [
  "Hi, my order 112-4432 hasn't arrived yet and the tracking hasn't moved since Tuesday. Could you check with the carrier for me?",
  'Hello, the blender I bought last month stopped working after a few days, the motor makes a burning smell. Can I get a replacement?',
  'Good morning, I think the courier left my parcel at the wrong house, our street numbers are confusing. It was a birthday present so I am a bit worried.',
  "Bonjour, j'ai reçu une veste en taille M au lieu de L, pouvez-vous m'envoyer la bonne taille ou me dire comment faire le retour ?",
  'Hallo, mein Kopfhörer hat auf der linken Seite keinen Ton mehr, obwohl er erst drei Wochen alt ist. Was kann ich tun?',
  'Hi there, I was charged twice for the same order last Friday, once on my credit card and once on PayPal. Please refund one of them.',
  "Hey, the sofa cover arrived with a tear along the seam and the colour is not what the pictures showed, I'd like to send it back.",
];

describe('scriptSentences / shingleHashes', () => {
  it('strips accents, lower-cases and masks every token with a digit', () => {
    expect(scriptSentences('Commande 112-4432 LIVRÉE le 12/09. Reçu?')).toEqual([
      ['commande', '#', 'livree', 'le', '#'],
      ['recu'],
    ]);
    expect(scriptSentences('Die Straße')).toEqual([['die', 'strasse']]);
  });

  it('ignores sentence order and numbers', () => {
    const a = shingleHashes('The box arrived empty today. Order 123 was paid by card last week.');
    const b = shingleHashes('Order 98765 was paid by card last week. The box arrived empty today.');
    expect([...a].sort()).toEqual([...b].sort());
  });

  it('estimates the Jaccard similarity of shingle sets', () => {
    const seeds = Uint32Array.from({ length: 256 }, (_, index) => (index * 2654435761) >>> 0);
    const left = Uint32Array.from({ length: 100 }, (_, index) => index * 7919);
    const right = Uint32Array.from({ length: 100 }, (_, index) => (index + 50) * 7919); // J = 50/150
    const estimate = estimateJaccard(minHash(left, seeds), minHash(right, seeds));
    expect(estimate).toBeGreaterThan(0.22);
    expect(estimate).toBeLessThan(0.45);
  });
});

describe('ScriptIndex', () => {
  function gangIndex() {
    const index = new ScriptIndex();
    const names = ['Jessica Wilson', 'Tom Baker', 'Priya Shah', 'Mark Evans', 'Lucy Gray'];
    const items = ['iPad Air', 'MacBook Pro', 'PlayStation 5', 'iPad Air', 'Galaxy S24'];
    names.forEach((name, client) => {
      index.add({
        contactId: `en-${client}`,
        accountId: `client-en-${client}`,
        at: T0 + client * DAY,
        text: englishScript({
          name,
          order: `ord-${4400 + client}-${client * 7919 + 12345}`,
          amount: `$${1099 + client * 100}.00`,
          date: `Oct ${3 + client}`,
          item: items[client] as string,
          swap: client % 2 === 1,
          typo: client === 3,
        }),
      });
    });
    ['Camille Martin', 'Hugo Bernard', 'Léa Petit'].forEach((name, client) => {
      index.add({
        contactId: `fr-${client}`,
        accountId: `client-fr-${client}`,
        at: T0 + client * DAY + 3_600_000,
        text: frenchScript({
          name,
          order: `ord-77${client}-${983_121 + client * 17}`,
          date: `${12 + client} octobre`,
          swap: client === 2,
        }),
      });
    });
    ['Jonas Weber', 'Anna Schulz', 'Felix Wagner'].forEach((name, client) => {
      index.add({
        contactId: `de-${client}`,
        accountId: `client-de-${client}`,
        at: T0 + client * DAY + 7_200_000,
        text: germanScript({
          name,
          order: `ord-55${client}-${120_771 + client * 31}`,
          date: `${4 + client}. Oktober`,
          item: client === 1 ? 'iPhone' : 'MacBook',
        }),
      });
    });
    HONEST.forEach((text, customer) => {
      index.add({
        contactId: `honest-${customer}`,
        accountId: `honest-${customer}`,
        at: T0 + customer * DAY,
        text,
      });
    });
    return index;
  }

  it('finds the English, French and German gang scripts across clients, variations and all', () => {
    const index = gangIndex();
    const end = T0 + 30 * DAY;
    for (let client = 0; client < 5; client += 1) {
      const match = index.nearDuplicates(`en-${client}`, T0 - DAY, end);
      expect(match.accounts, `en-${client}`).toBeGreaterThanOrEqual(3);
      expect(match.accountIds.every((id) => id.startsWith('client-en-'))).toBe(true);
    }
    for (let client = 0; client < 3; client += 1) {
      expect(index.nearDuplicates(`fr-${client}`, T0 - DAY, end).accounts, `fr-${client}`).toBe(2);
      expect(index.nearDuplicates(`de-${client}`, T0 - DAY, end).accounts, `de-${client}`).toBe(2);
    }
    // One family per script and language.
    expect(new Set([0, 1, 2, 3, 4].map((client) => index.familyOf(`en-${client}`)))).toEqual(
      new Set(['en-0']),
    );
    expect(index.familyOf('fr-2')).toBe('fr-0');
    expect(index.familyOf('de-1')).toBe('de-0');
    expect(index.familySize('en-0')).toBe(5);
  });

  it('does not match honest, varied messages to each other or to the scripts', () => {
    const index = gangIndex();
    HONEST.forEach((_, customer) => {
      const match = index.nearDuplicates(`honest-${customer}`, T0 - DAY, T0 + 30 * DAY);
      expect(match.comparable, `honest-${customer}`).toBe(true);
      expect(match.accounts, `honest-${customer}`).toBe(0);
      expect(index.familyOf(`honest-${customer}`)).toBe(`honest-${customer}`);
    });
  });

  it('ignores short, generic texts', () => {
    const index = new ScriptIndex();
    for (const [customer, text] of [
      'Hi, where is my order? Thanks',
      'Bonjour, où est mon colis ?',
      'Danke!',
    ].entries()) {
      const result = index.add({ contactId: `c-${customer}`, accountId: `a-${customer}`, at: T0, text });
      expect(result).toMatchObject({ indexed: false, reason: 'too_short' });
    }
    expect(index.size).toBe(0);
    expect(index.nearDuplicates('c-0', T0 - DAY, T0 + DAY)).toMatchObject({ comparable: false, accounts: 0 });
  });

  it('sees nothing at or after the moment asked about (no look-ahead), nor before the window', () => {
    const index = gangIndex();
    // en-0 was written first: as of its own moment no one else had written the script.
    expect(index.nearDuplicates('en-4', T0 - DAY, T0 + 4 * DAY).accounts).toBe(4);
    expect(index.nearDuplicates('en-4', T0 - DAY, T0 + 2 * DAY).accounts).toBe(2);
    expect(index.nearDuplicates('en-0', T0 - DAY, T0).accounts).toBe(0);
    expect(index.nearDuplicates('en-4', T0 + 2 * DAY, T0 + 30 * DAY).accounts).toBe(2);
  });

  it('does not count the same account writing the same thing twice', () => {
    const index = new ScriptIndex();
    const text = englishScript({ name: 'A B', order: 'ord-1-1', amount: '$1', date: 'Oct 1', item: 'iPad' });
    index.add({ contactId: 'c1', accountId: 'same', at: T0, text });
    index.add({ contactId: 'c2', accountId: 'same', at: T0 + DAY, text });
    expect(index.nearDuplicates('c2', T0 - DAY, T0 + 2 * DAY).accounts).toBe(0);
    expect(index.add({ contactId: 'c2', accountId: 'same', at: T0 + DAY, text })).toMatchObject({
      indexed: false,
      reason: 'already_indexed',
    });
  });

  it('discounts a text so common that it is boilerplate', () => {
    const index = new ScriptIndex({ boilerplateAccounts: 20 });
    for (let customer = 0; customer < 40; customer += 1) {
      index.add({
        contactId: `form-${customer}`,
        accountId: `customer-${customer}`,
        at: T0 + customer * 3_600_000,
        text: `Return request submitted through the help centre form. Order number ${1000 + customer}. Reason selected: item arrived damaged. Preferred resolution: refund to original payment method.`,
      });
    }
    const match = index.nearDuplicates('form-39', T0 - DAY, T0 + 3 * DAY);
    expect(match).toMatchObject({ boilerplate: true, accounts: 0 });
    // Earlier, when only a handful had used the form, it was not yet boilerplate.
    expect(index.nearDuplicates('form-5', T0 - DAY, T0 + 6 * 3_600_000)).toMatchObject({
      boilerplate: false,
      accounts: 5,
    });
  });

  it('answers for a text that is not indexed', () => {
    const index = gangIndex();
    const text = englishScript({
      name: 'Zoe Hart',
      order: 'ord-9999-31337',
      amount: '$2,199.00',
      date: 'Nov 2',
      item: 'MacBook Pro',
    });
    expect(index.nearDuplicatesOfText(text, 'someone-new', T0 - DAY, T0 + 30 * DAY).accounts).toBe(5);
  });

  it('forgets contacts past the retention, so memory stays bounded', () => {
    const index = new ScriptIndex({ retentionMs: 10 * DAY });
    for (let day = 0; day < 100; day += 1) {
      index.add({
        contactId: `c-${day}`,
        accountId: `a-${day}`,
        at: T0 + day * DAY,
        text: englishScript({
          name: `N ${day}`,
          order: `ord-${day}`,
          amount: '$5',
          date: 'Oct 9',
          item: 'iPad',
        }),
      });
    }
    expect(index.size).toBeLessThanOrEqual(11);
    expect(index.familyOf('c-0')).toBeUndefined();
    expect(index.nearDuplicates('c-99', T0, T0 + 100 * DAY).accounts).toBe(10);
  });

  it('adds and queries in microseconds', () => {
    const index = new ScriptIndex();
    const started = performance.now();
    const count = 3000;
    for (let contact = 0; contact < count; contact += 1) {
      const text =
        contact % 3 === 0
          ? englishScript({
              name: `Client ${contact}`,
              order: `ord-${contact}`,
              amount: `$${contact}`,
              date: 'Oct 3',
              item: 'iPad',
            })
          : `${HONEST[contact % HONEST.length]} Ticket ${contact}, sent from device number ${contact * 13}.`;
      index.add({ contactId: `c-${contact}`, accountId: `a-${contact}`, at: T0 + contact * 60_000, text });
      index.nearDuplicates(`c-${contact}`, T0 + contact * 60_000 - 30 * DAY, T0 + contact * 60_000);
    }
    const micros = ((performance.now() - started) * 1000) / count;
    // Generous bound for a loaded CI machine; typical is a few tens of µs.
    expect(micros).toBeLessThan(1000);
  });
});
