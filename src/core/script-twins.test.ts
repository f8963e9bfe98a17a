// Near-duplicate scripts across unrelated accounts, end to end through the risk state: one
// template told across names, order numbers, amounts and sentence order, in EN/FR/DE, and the
// common or honest wording that must not match.
import { describe, expect, it } from 'vitest';
import { loadRulePack } from '../app/rule-pack-file.ts';
import { assessInFlow, codesOf, riskCodesOf } from './testing/assess-in-flow.ts';
import { EventBuilder } from './testing/event-builder.ts';

const rules = loadRulePack();

// Refund-service templates: the same story with another name, order number, amount or item, and
// sometimes its sentences in another order.
const TEMPLATES = {
  en: (slot: Slots) =>
    sentences(slot.swap, [
      `Hello, my name is ${slot.name} and I am writing about order ${slot.order}.`,
      'The tracking says the parcel was delivered but I never received it and nothing was left at my door.',
      'I asked my neighbours and the building concierge and nobody has seen it.',
      `I paid ${slot.amount} for the ${slot.item} and I need a full refund to my original card today.`,
    ]),
  fr: (slot: Slots) =>
    sentences(slot.swap, [
      `Bonjour, je m'appelle ${slot.name} et je vous contacte au sujet de la commande ${slot.order}.`,
      "Le suivi indique que le colis a été livré mais je ne l'ai jamais reçu, rien n'a été déposé devant ma porte.",
      "J'ai demandé à mes voisins et au gardien de l'immeuble et personne ne l'a vu.",
      `J'ai payé ${slot.amount} pour cet article et je demande un remboursement complet sur ma carte aujourd'hui.`,
    ]),
  de: (slot: Slots) =>
    sentences(slot.swap, [
      `Guten Tag, mein Name ist ${slot.name} und ich schreibe wegen der Bestellung ${slot.order}.`,
      'Laut Sendungsverfolgung wurde das Paket zugestellt, aber ich habe es nie erhalten und vor meiner Tür lag nichts.',
      'Ich habe bei meinen Nachbarn und beim Hausmeister nachgefragt und niemand hat es gesehen.',
      `Ich habe ${slot.amount} bezahlt und möchte heute eine vollständige Erstattung auf meine Karte.`,
    ]),
};

interface Slots {
  name: string;
  order: string;
  amount: string;
  item: string;
  swap: boolean;
}

function sentences(swap: boolean, parts: string[]): string {
  const ordered = swap ? [parts[0], parts[2], parts[1], parts[3]] : parts;
  return ordered.join(' ');
}

const NAMES = ['Jessica Wilson', 'Tom Baker', 'Priya Shah', 'Mark Evans', 'Lucy Gray'];
const ITEMS = ['iPad Air', 'MacBook Pro', 'PlayStation 5', 'Galaxy S24', 'AirPods Max'];

/**
 * Clients of one script, each contacted from a different foreign device and network (a team of
 * refunders sharing the template), one a day.
 */
function scriptedClients(world: EventBuilder, language: 'en' | 'fr' | 'de', clients: number, firstDay = 12) {
  for (let index = 0; index < clients; index += 1) {
    const client = `${language}-client-${index}`;
    const country = language === 'en' ? 'US' : language === 'fr' ? 'FR' : 'DE';
    world
      .customer(client, { ip: `98.${index + 1}.${language.charCodeAt(0)}.7`, country })
      .order(`${client}-order`, client, 8, 99_900 + index * 1_000, {
        hot: true,
        deliveredDay: 10,
        ip: `98.${index + 1}.${language.charCodeAt(0)}.7`,
      })
      .contact(`${client}-contact`, client, firstDay + index, {
        deviceId: `dev-refunder-${language}-${index}`,
        ip: `45.${language.charCodeAt(0)}.${index + 1}.9`,
        language,
        text: TEMPLATES[language]({
          name: NAMES[index % NAMES.length] as string,
          order: `#${40_000 + index * 7_919}-${index + 3}`,
          amount: language === 'en' ? `$${999 + index * 100}.00` : `${999 + index * 100},00 €`,
          item: ITEMS[index % ITEMS.length] as string,
          swap: index % 2 === 1,
        }),
      })
      .refund(
        `${client}-refund`,
        `${client}-order`,
        client,
        firstDay + index + 0.01,
        99_900 + index * 1_000,
        {
          contactId: `${client}-contact`,
        },
      );
  }
}

describe('near-duplicate scripts across unrelated accounts', () => {
  for (const language of ['en', 'fr', 'de'] as const) {
    it(`matches the ${language.toUpperCase()} template across names, order numbers, amounts and sentence order`, () => {
      const world = new EventBuilder();
      scriptedClients(world, language, 5);
      const events = world.events();
      const fifth = assessInFlow(rules, events, `${language}-client-4-refund`);
      expect(fifth.signals.contact.scriptTwinAccounts30d).toBe(4);
      expect(fifth.signals.contact.scriptTwinThirdPartyAccounts30d).toBe(4);
      expect(codesOf(fifth)).toContain('SCRIPT_SHARED_WITH_THIRD_PARTY_CONTACTS');
      // No device or network in common: the script alone links them.
      expect(fifth.signals.contact.deviceForeignAccounts30d).toBe(0);
      expect(fifth.signals.contact.rangeForeignAccounts30d).toBe(0);
      const third = assessInFlow(rules, events, `${language}-client-2-refund`);
      expect(third.signals.contact.scriptTwinThirdPartyAccounts30d).toBe(2);
      expect(codesOf(third)).not.toContain('SCRIPT_SHARED_WITH_THIRD_PARTY_CONTACTS');
    });
  }

  it('keeps the languages apart: a French script does not match the English one', () => {
    const world = new EventBuilder();
    scriptedClients(world, 'en', 3);
    scriptedClients(world, 'fr', 1, 16);
    const french = assessInFlow(rules, world.events(), 'fr-client-0-refund');
    expect(french.signals.contact.scriptTwinAccounts30d).toBe(0);
  });

  it('does not count a script told more than 30 days before', () => {
    const world = new EventBuilder();
    scriptedClients(world, 'en', 4);
    for (const [index, day] of [60, 61].entries()) {
      const late = `en-late-${index}`;
      world
        .customer(late, { ip: `98.9${index}.1.7` })
        .order(`${late}-order`, late, 50, 99_900, { hot: true, deliveredDay: 52, ip: `98.9${index}.1.7` })
        .contact(`${late}-contact`, late, day, {
          deviceId: `dev-${late}`,
          ip: `45.9${index}.1.9`,
          text: TEMPLATES.en({
            name: 'Ann Lee',
            order: `#${index}`,
            amount: '$5.00',
            item: 'iPad',
            swap: false,
          }),
        })
        .refund(`${late}-refund`, `${late}-order`, late, day + 0.01, 99_900, {
          contactId: `${late}-contact`,
        });
    }
    const events = world.events();
    // The clients of days 12–15 are out of the window; the other late telling is in it.
    expect(assessInFlow(rules, events, 'en-late-0-refund').signals.contact.scriptTwinAccounts30d).toBe(0);
    expect(assessInFlow(rules, events, 'en-late-1-refund').signals.contact.scriptTwinAccounts30d).toBe(1);
  });

  it('finds no twins for short, common phrases written by many customers', () => {
    const world = new EventBuilder();
    const phrases = [
      'Hi, where is my order? Thanks',
      'My parcel has not arrived yet, can you help?',
      'Bonjour, où est mon colis ?',
    ];
    for (let index = 0; index < 12; index += 1) {
      const customer = `short-${index}`;
      world
        .customer(customer, { deviceId: `dev-${customer}`, ip: `98.60.${index}.7` })
        .order(`${customer}-order`, customer, 5, 4_900, {
          deliveredDay: 7,
          deviceId: `dev-${customer}`,
          ip: `98.60.${index}.7`,
        })
        .contact(`${customer}-contact`, customer, 10 + index / 10, {
          deviceId: `dev-${customer}`,
          ip: `98.60.${index}.7`,
          text: phrases[index % phrases.length] as string,
        })
        .refund(`${customer}-refund`, `${customer}-order`, customer, 10.01 + index / 10, 4_900, {
          contactId: `${customer}-contact`,
        });
    }
    const last = assessInFlow(rules, world.events(), 'short-11-refund');
    expect(last.signals.contact.scriptTwinAccounts30d).toBe(0);
    expect(last.decision).toBe('approve');
  });

  it('does not flag a common longer phrasing that customers write from their own devices', () => {
    const world = new EventBuilder();
    const text =
      'Hello, my order has not arrived yet. Can you please check where it is? Thank you very much.';
    for (let index = 0; index < 8; index += 1) {
      const customer = `common-${index}`;
      world
        .customer(customer, { deviceId: `dev-${customer}`, ip: `98.61.${index}.7` })
        .order(`${customer}-order`, customer, 5, 4_900, {
          deliveredDay: 7,
          deviceId: `dev-${customer}`,
          ip: `98.61.${index}.7`,
        })
        .contact(`${customer}-contact`, customer, 10 + index / 10, {
          deviceId: `dev-${customer}`,
          ip: `98.61.${index}.7`,
          text,
        })
        .refund(`${customer}-refund`, `${customer}-order`, customer, 10.01 + index / 10, 4_900, {
          contactId: `${customer}-contact`,
        });
    }
    const last = assessInFlow(rules, world.events(), 'common-7-refund');
    // Alike, but told by each customer from their own phone: not a refund service's template.
    expect(last.signals.contact.scriptTwinThirdPartyAccounts30d).toBe(0);
    expect(riskCodesOf(last)).not.toContain('SCRIPT_SHARED_WITH_THIRD_PARTY_CONTACTS');
    expect(last.decision).toBe('approve');
  });

  it('does not match honest, differently worded stories about the same problem', () => {
    const world = new EventBuilder();
    const stories = [
      "Hi, my parcel hasn't arrived, tracking has been stuck in Memphis since Monday. Could you look into it?",
      'The courier says it was left with a neighbour but none of my neighbours have it. What can I do?',
      'Order still not here after two weeks, the app shows no update at all. Please help me find it.',
      'I think the package was stolen from the lobby of my building, the door camera shows someone taking it.',
    ];
    stories.forEach((text, index) => {
      const customer = `story-${index}`;
      world
        .customer(customer, { deviceId: `dev-${customer}`, ip: `98.62.${index}.7` })
        .order(`${customer}-order`, customer, 5, 4_900, {
          deliveredDay: 7,
          deviceId: `dev-${customer}`,
          ip: `98.62.${index}.7`,
        })
        .contact(`${customer}-contact`, customer, 10 + index / 10, {
          deviceId: `dev-${customer}`,
          ip: `98.62.${index}.7`,
          text,
        })
        .refund(`${customer}-refund`, `${customer}-order`, customer, 10.01 + index / 10, 4_900, {
          contactId: `${customer}-contact`,
        });
    });
    for (let index = 0; index < stories.length; index += 1)
      expect(
        assessInFlow(rules, world.events(), `story-${index}-refund`).signals.contact.scriptTwinAccounts30d,
      ).toBe(0);
  });
});
