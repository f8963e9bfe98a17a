// The support contact's signals end to end through the risk state: third parties (device, IP
// range, language, phone caller id), sessions opened on a refunder's device, near-duplicate
// scripts across unrelated accounts, and claims that contradict the delivery evidence.
import { describe, expect, it } from 'vitest';
import { loadRulePack } from '../app/rule-pack-file.ts';
import {
  assessInFlow,
  codesOf,
  GANG_REASON_CODES,
  riskCodesOf,
  trustCodesOf,
} from './testing/assess-in-flow.ts';
import { EventBuilder } from './testing/event-builder.ts';

const rules = loadRulePack();

/** Ava: a US customer on her own phone and home network, one ordinary delivered order. */
function ava(options: { country?: string; marketplace?: string; phone?: string } = {}): EventBuilder {
  return new EventBuilder()
    .customer('ava', { deviceId: 'dev-ava', ip: '98.20.1.5', ...options })
    .order('order-ava', 'ava', 5, 8_900, { deliveredDay: 7, deviceId: 'dev-ava', ip: '98.20.1.5' });
}

const HONEST_TEXT = "Hi, my parcel hasn't arrived, the tracking has not moved for days.";

function avaAsks(world: EventBuilder, contact: Parameters<EventBuilder['contact']>[3] = {}) {
  world
    .contact('contact-ava', 'ava', 10, {
      deviceId: 'dev-ava',
      ip: '98.20.1.9',
      text: HONEST_TEXT,
      ...contact,
    })
    .refund('refund-ava', 'order-ava', 'ava', 10.01, 8_900, { contactId: 'contact-ava' });
  return assessInFlow(rules, world.events(), 'refund-ava');
}

describe('third-party contacts', () => {
  it('trusts a contact from the account’s own device and network', () => {
    const result = avaAsks(ava());
    expect(result.signals.contact).toMatchObject({
      deviceKnown: true,
      ipRangeKnown: true,
      thirdParty: false,
      languageMismatch: false,
    });
    expect(result.trace.levels['contact-origin']).toBe('none');
    expect(trustCodesOf(result)).toContain('CONTACT_FROM_OWN_DEVICE');
    for (const code of GANG_REASON_CODES) expect(riskCodesOf(result)).not.toContain(code);
    expect(result.decision).toBe('approve');
  });

  it('flags a device the account never used, even on its home network', () => {
    const result = avaAsks(ava(), { deviceId: 'dev-stranger' });
    expect(result.signals.contact).toMatchObject({
      deviceKnown: false,
      ipRangeKnown: true,
      thirdParty: true,
    });
  });

  it('flags an IP range the account never used, even on its own device', () => {
    const result = avaAsks(ava(), { ip: '185.220.101.4' });
    expect(result.signals.contact).toMatchObject({
      deviceKnown: true,
      ipRangeKnown: false,
      thirdParty: true,
    });
  });

  it('flags a language foreign to the marketplace only from a third party', () => {
    const ownDevice = avaAsks(ava(), { language: 'ru' });
    expect(ownDevice.signals.contact).toMatchObject({
      language: 'ru',
      languageMismatch: true,
      thirdParty: false,
    });
    expect(codesOf(ownDevice)).not.toContain('CONTACT_LANGUAGE_MISMATCH');

    const stranger = avaAsks(ava(), { language: 'ru', deviceId: 'dev-stranger', ip: '185.220.101.4' });
    expect(stranger.signals.contact.languageMismatch).toBe(true);
    expect(codesOf(stranger)).toEqual(
      expect.arrayContaining(['CONTACT_FROM_STRANGER', 'CONTACT_LANGUAGE_MISMATCH']),
    );
    expect(stranger.reasons.find((reason) => reason.code === 'CONTACT_LANGUAGE_MISMATCH')?.text).toContain(
      '"ru", not a language of the account\'s marketplace (US)',
    );
  });

  it("accepts every language of the account's marketplace (Spanish in the US, French in Canada)", () => {
    expect(
      avaAsks(ava(), { language: 'es', deviceId: 'dev-stranger' }).signals.contact.languageMismatch,
    ).toBe(false);
    expect(
      avaAsks(ava({ country: 'CA', marketplace: 'CA' }), { language: 'fr-CA' }).signals.contact,
    ).toMatchObject({ language: 'fr', languageMismatch: false });
    expect(
      avaAsks(ava({ country: 'FR', marketplace: 'FR' }), { language: 'de' }).signals.contact.languageMismatch,
    ).toBe(true);
  });

  it("knows a phone call from the account's own number, however it is written", () => {
    const world = ava({ phone: '+1 614 555 0142' })
      .phoneContact('contact-ava', 'ava', 10, { callerId: '(614) 555-0142', text: HONEST_TEXT })
      .refund('refund-ava', 'order-ava', 'ava', 10.01, 8_900, { contactId: 'contact-ava' });
    const result = assessInFlow(rules, world.events(), 'refund-ava');
    expect(result.signals.contact).toMatchObject({ channel: 'phone', deviceKnown: true, thirdParty: false });
    expect(result.decision).toBe('approve');
  });

  it('flags a phone call whose caller id is not one of the account’s numbers', () => {
    const world = ava({ phone: '+1 614 555 0142' })
      .phoneContact('contact-ava', 'ava', 10, { callerId: '+44 20 7946 0958', text: HONEST_TEXT })
      .refund('refund-ava', 'order-ava', 'ava', 10.01, 8_900, { contactId: 'contact-ava' });
    const result = assessInFlow(rules, world.events(), 'refund-ava');
    expect(result.signals.contact).toMatchObject({ channel: 'phone', deviceKnown: false, thirdParty: true });
    expect(result.signals.contact.deviceForeignAccounts30d).toBe(0);
  });

  it('sends to review a call from a stranger’s number about an expensive, sought-after order, not a cheap one', () => {
    const world = ava({ phone: '+1 614 555 0142' })
      .order('order-ipad', 'ava', 5, 79_900, {
        hot: true,
        deliveredDay: 7,
        deviceId: 'dev-ava',
        ip: '98.20.1.5',
      })
      .phoneContact('call-ipad', 'ava', 10, { callerId: '+1 213 555 0199', text: HONEST_TEXT })
      .refund('refund-ipad', 'order-ipad', 'ava', 10.01, 79_900, {
        contactId: 'call-ipad',
        returnRequired: true,
      })
      .phoneContact('call-cheap', 'ava', 11, { callerId: '+1 213 555 0199', text: HONEST_TEXT })
      .refund('refund-cheap', 'order-ava', 'ava', 11.01, 8_900, { contactId: 'call-cheap' });
    const events = world.events();
    const expensive = assessInFlow(rules, events, 'refund-ipad');
    expect(riskCodesOf(expensive)).toEqual(
      expect.arrayContaining(['THIRD_PARTY_CONTACT', 'HIGH_VALUE_HOT_GOODS']),
    );
    expect(expensive.decision).toBe('review');
    const cheap = assessInFlow(rules, events, 'refund-cheap');
    expect(riskCodesOf(cheap)).not.toContain('HIGH_VALUE_HOT_GOODS');
    expect(cheap.score).toBeLessThan(expensive.score / 2);
    expect(['approve', 'return_first']).toContain(cheap.decision);
  });

  it('counts one refunder line calling for clients in three countries as one caller, however its number is read', () => {
    // The caller id comes in national form; each client's country reads it differently
    // (+44…, +33…, digits only), but it is one line working three accounts.
    const world = new EventBuilder();
    for (const [client, country] of [
      ['gb-client', 'GB'],
      ['fr-client', 'FR'],
      ['de-client', 'DE'],
    ] as const) {
      world
        .customer(client, {
          country,
          marketplace: country === 'GB' ? 'UK' : country,
          phone: '+49 30 1234567',
        })
        .order(`order-${client}`, client, 5, 8_900, { deliveredDay: 7 })
        .phoneContact(`call-${client}`, client, client === 'de-client' ? 12 : 10, {
          callerId: '07847 296070',
          text: HONEST_TEXT,
        });
    }
    world.refund('refund-de', 'order-de-client', 'de-client', 12.01, 8_900, { contactId: 'call-de-client' });
    const result = assessInFlow(rules, world.events(), 'refund-de');
    expect(result.signals.contact.thirdParty).toBe(true);
    expect(result.signals.contact.deviceForeignAccounts30d).toBe(2);
    expect(codesOf(result)).toContain('REFUNDER_DEVICE');
  });

  it('does not treat a phone call without caller id (nothing to compare) as a third party', () => {
    const world = ava({ phone: '+1 614 555 0142' })
      .phoneContact('contact-ava', 'ava', 10, { text: HONEST_TEXT })
      .refund('refund-ava', 'order-ava', 'ava', 10.01, 8_900, { contactId: 'contact-ava' });
    const result = assessInFlow(rules, world.events(), 'refund-ava');
    expect(result.signals.contact.thirdParty).toBe(false);
    expect(result.decision).toBe('approve');
  });

  it('names a device that contacted support about one other account, as a third party both times', () => {
    const world = ava()
      .customer('bob', { deviceId: 'dev-bob', ip: '98.30.1.5' })
      .order('order-bob', 'bob', 5, 8_900, { deliveredDay: 7, deviceId: 'dev-bob', ip: '98.30.1.5' })
      .contact('contact-bob', 'bob', 9, { deviceId: 'dev-stranger', ip: '185.220.101.4', text: HONEST_TEXT });
    const result = avaAsks(world, { deviceId: 'dev-stranger', ip: '185.220.101.5' });
    expect(result.signals.contact.deviceForeignAccounts30d).toBe(1);
    expect(codesOf(result)).toContain('CONTACT_DEVICE_ON_ANOTHER_ACCOUNT');
    expect(codesOf(result)).not.toContain('REFUNDER_DEVICE');
  });
});

describe('the hour of the contact (a time zone the owner does not live in)', () => {
  /** Ava signs in every evening, 18:00–21:00 UTC, for two weeks. */
  function eveningAva(): EventBuilder {
    const world = ava();
    for (let index = 0; index <= 10; index += 1)
      world.login('ava', Math.floor(index * 0.9) + (18 + (index % 4)) / 24, {
        deviceId: 'dev-ava',
        ip: '98.20.1.5',
      });
    return world;
  }

  it('marks a contact at 04:00 UTC on an account only ever active in the evening', () => {
    const world = eveningAva();
    world.contact('contact-night', 'ava', 10 + 4 / 24, {
      deviceId: 'dev-ava',
      ip: '98.20.1.9',
      text: HONEST_TEXT,
    });
    world.refund('refund-night', 'order-ava', 'ava', 10.2, 8_900, { contactId: 'contact-night' });
    const result = assessInFlow(rules, world.events(), 'refund-night');
    expect(result.signals.contact).toMatchObject({ unusualHour: true, thirdParty: false });
  });

  it('does not mark a contact at the owner’s usual hour, nor judge an account with little history', () => {
    const usual = eveningAva();
    usual.contact('contact-evening', 'ava', 10 + 19.5 / 24, {
      deviceId: 'dev-ava',
      ip: '98.20.1.9',
      text: HONEST_TEXT,
    });
    usual.refund('refund-evening', 'order-ava', 'ava', 10.9, 8_900, { contactId: 'contact-evening' });
    expect(assessInFlow(rules, usual.events(), 'refund-evening').signals.contact).toMatchObject({
      unusualHour: false,
    });
    const result = avaAsks(ava(), {});
    expect(result.signals.contact).toMatchObject({ unusualHour: false });
  });
});

describe('sessions on a refunder’s device', () => {
  /** A refunder signs in to each client's account from his laptop and asks for a refund himself. */
  function loginRefunder(clients: number): EventBuilder {
    const world = new EventBuilder();
    for (let index = 1; index <= clients; index += 1) {
      const client = `client-${index}`;
      world
        .customer(client, { ip: `98.${index}.1.7` })
        .order(`order-${index}`, client, 10, 59_900, { hot: true, deliveredDay: 12, ip: `98.${index}.1.7` })
        .login(client, 13 + index, { deviceId: 'dev-refunder-laptop', ip: `45.134.22.${index}` })
        .refund(`refund-${index}`, `order-${index}`, client, 13.02 + index, 59_900, {
          reason: 'not_received',
        });
    }
    return world;
  }

  it('flags a request made in a session the refunder’s laptop opened after three other accounts', () => {
    const events = loginRefunder(4).events();
    const fourth = assessInFlow(rules, events, 'refund-4');
    expect(fourth.signals.session).toEqual({
      newDevice: true,
      newNetwork: true,
      deviceOtherAccounts: 3,
      deviceContactAccounts30d: 0,
    });
    expect(codesOf(fourth)).toContain('SESSION_FROM_SHARED_DEVICE');
    expect(fourth.reasons.find((reason) => reason.code === 'SESSION_FROM_SHARED_DEVICE')?.text).toContain(
      '3 other accounts have signed in from',
    );
    const first = assessInFlow(rules, events, 'refund-1');
    expect(first.signals.session).toEqual({
      newDevice: true,
      newNetwork: true,
      deviceOtherAccounts: 0,
      deviceContactAccounts30d: 0,
    });
    expect(codesOf(first)).not.toContain('SESSION_FROM_SHARED_DEVICE');
  });

  it('flags a session opened from a device that chatted with support about another customer’s account', () => {
    // The refunder chats for one client from his laptop, then signs in to another client's account
    // from it and asks for the refund in self-service.
    const world = new EventBuilder()
      .customer('client-a', { ip: '98.1.1.7' })
      .order('order-a', 'client-a', 10, 59_900, { hot: true, deliveredDay: 12, ip: '98.1.1.7' })
      .contact('contact-a', 'client-a', 14, { deviceId: 'dev-refunder-laptop', ip: '45.134.22.1' })
      .customer('client-b', { ip: '98.2.1.7' })
      // Not a sought-after item, so only the device's contacts for others speak here.
      .order('order-b', 'client-b', 10, 59_900, { deliveredDay: 12, ip: '98.2.1.7' })
      .login('client-b', 15, { deviceId: 'dev-refunder-laptop', ip: '45.134.22.2' })
      .refund('refund-b', 'order-b', 'client-b', 15.02, 59_900, {
        reason: 'defective',
        returnRequired: true,
      });
    const result = assessInFlow(rules, world.events(), 'refund-b');
    expect(result.signals.session).toMatchObject({ newDevice: true, deviceContactAccounts30d: 1 });
    expect(codesOf(result)).toContain('SESSION_FROM_DEVICE_THAT_CONTACTED_FOR_OTHERS');
    expect(result.decision).toBe('review');
  });

  it('does not flag a family member signing in on the shared tablet another member chatted from', () => {
    // The tablet is known to both accounts (the family signed in on it long ago): no new device.
    const world = new EventBuilder()
      .family(['mum', 'son'])
      .order('order-mum', 'mum', 5, 8_900, { deliveredDay: 7, ip: '98.7.7.7' })
      .order('order-son', 'son', 5, 59_900, { hot: true, deliveredDay: 7, ip: '98.7.7.7' })
      .contact('contact-mum', 'mum', 9, { deviceId: 'dev-family-tablet', ip: '98.7.7.7' })
      .login('son', 10, { deviceId: 'dev-family-tablet', ip: '98.7.7.7' })
      .refund('refund-son', 'order-son', 'son', 10.02, 59_900, { reason: 'defective', returnRequired: true });
    const result = assessInFlow(rules, world.events(), 'refund-son');
    expect(result.signals.session.newDevice).toBe(false);
    expect(result.signals.session.deviceContactAccounts30d).toBe(0);
    expect(result.decision).toBe('approve');
  });

  // An anti-detect browser shows a fresh fingerprint to every account: nothing is shared, only
  // the device and the network are both new to the account.
  it('flags a whole sought-after order claimed from a device and a network the account never used', () => {
    const world = new EventBuilder()
      .customer('client', { deviceId: 'dev-client', ip: '98.1.1.7' })
      .order('order-client', 'client', 10, 59_900, { hot: true, deliveredDay: 12, ip: '98.1.1.7' })
      .login('client', 14, { deviceId: 'dev-fresh-fingerprint-81', ip: '45.134.22.9' })
      .refund('refund-client', 'order-client', 'client', 14.02, 59_900, {
        reason: 'wrong_item',
        returnRequired: true,
      });
    const result = assessInFlow(rules, world.events(), 'refund-client');
    expect(result.signals.session).toMatchObject({
      newDevice: true,
      newNetwork: true,
      deviceOtherAccounts: 0,
    });
    expect(riskCodesOf(result)).toContain('SESSION_FROM_NEW_DEVICE_AND_NETWORK');
    for (const code of GANG_REASON_CODES) expect(riskCodesOf(result)).not.toContain(code);
    expect(result.decision).toBe('review');
  });

  it('does not send to review the customer’s new phone on the home network, nor a traveller’s new laptop', () => {
    const world = new EventBuilder()
      .customer('ava', { deviceId: 'dev-ava-old-phone', ip: '98.1.1.7' })
      .order('order-ava', 'ava', 10, 59_900, { hot: true, deliveredDay: 12, ip: '98.1.1.7' })
      .login('ava', 14, { deviceId: 'dev-ava-new-phone', ip: '98.1.1.9' })
      .refund('refund-ava', 'order-ava', 'ava', 14.02, 59_900, { reason: 'defective', returnRequired: true })
      .customer('ben', { deviceId: 'dev-ben', ip: '98.2.1.7' })
      .order('order-ben', 'ben', 10, 59_900, { hot: true, deliveredDay: 12, ip: '98.2.1.7' })
      // Ben is travelling: a hotel network and his new laptop, about one of the order's items.
      .login('ben', 14, { deviceId: 'dev-ben-laptop', ip: '81.7.3.3' })
      .refund('refund-ben', 'order-ben', 'ben', 14.02, 12_000, { reason: 'defective', returnRequired: true });
    const ava = assessInFlow(rules, world.events(), 'refund-ava');
    expect(ava.signals.session).toMatchObject({ newDevice: true, newNetwork: false });
    expect(ava.trace.levels.session).toBe('new-device-session');
    // A 599 USD return of sought-after goods from a two-week-old account may wait for the return; no more.
    expect(['approve', 'return_first']).toContain(ava.decision);
    const ben = assessInFlow(rules, world.events(), 'refund-ben');
    expect(ben.signals.session).toMatchObject({ newDevice: true, newNetwork: true });
    expect(ben.signals.refund.shareOfOrder).toBeLessThan(0.99);
    expect(['approve', 'return_first']).toContain(ben.decision);
  });

  it('does not tie a request to a sign-in hours earlier', () => {
    const world = loginRefunder(3)
      .customer('late', { ip: '98.99.1.7' })
      .order('order-late', 'late', 10, 59_900, { hot: true, deliveredDay: 12, ip: '98.99.1.7' })
      .login('late', 20, { deviceId: 'dev-refunder-laptop', ip: '45.134.22.99' })
      .refund('refund-late', 'order-late', 'late', 20.2, 59_900, { reason: 'not_received' });
    const result = assessInFlow(rules, world.events(), 'refund-late');
    expect(result.signals.session).toEqual({
      newDevice: false,
      newNetwork: false,
      deviceOtherAccounts: 0,
      deviceContactAccounts30d: 0,
    });
    expect(codesOf(result)).not.toContain('SESSION_FROM_SHARED_DEVICE');
  });
});

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

describe('the playbook’s pressure on an expensive claim', () => {
  const PRESSED =
    "My parcel never arrived. If this isn't refunded today I will file a chargeback with my bank.";

  function claim(amountMinor: number, claimedMinor: number) {
    const world = new EventBuilder()
      .customer('cleo', { deviceId: 'dev-cleo', ip: '98.20.1.5' })
      .order('order-cleo', 'cleo', 5, amountMinor, { deliveredDay: 7, deviceId: 'dev-cleo', ip: '98.20.1.5' })
      .contact('contact-cleo', 'cleo', 10, { deviceId: 'dev-cleo', ip: '98.20.1.9', text: PRESSED })
      .refund('refund-cleo', 'order-cleo', 'cleo', 10.01, claimedMinor, { contactId: 'contact-cleo' });
    return assessInFlow(rules, world.events(), 'refund-cleo');
  }

  it('weighs one pressure tactic on a whole 650 USD order claimed from the customer’s own phone', () => {
    const result = claim(65_000, 65_000);
    expect(result.signals.contact).toMatchObject({ thirdParty: false, manipulationCount: 1 });
    expect(riskCodesOf(result)).toContain('PRESSURE_TACTIC');
    // The tactic weighs more where there is more at stake.
    expect(result.score).toBeGreaterThan(claim(9_000, 9_000).score);
  });

  it('lets the same frustrated words pass on a 90 USD order, or on part of an expensive one', () => {
    expect(claim(9_000, 9_000).decision).toBe('approve');
    expect(claim(65_000, 20_000).decision).toBe('approve');
  });
});

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

describe('claims that contradict the delivery evidence', () => {
  function claim(
    reason: 'not_received' | 'empty_box' | 'missing_item',
    delivery: { signature?: boolean; photo?: boolean; weightGrams?: number },
    text = HONEST_TEXT,
  ) {
    const world = new EventBuilder()
      .customer('cara', { deviceId: 'dev-cara', ip: '98.40.1.5' })
      .order('order-cara', 'cara', 5, 8_900, {
        deliveredDay: 7,
        deviceId: 'dev-cara',
        ip: '98.40.1.5',
        ...delivery,
      })
      .contact('contact-cara', 'cara', 9, { deviceId: 'dev-cara', ip: '98.40.1.5', text })
      .refund('refund-cara', 'order-cara', 'cara', 9.01, 8_900, { reason, contactId: 'contact-cara' });
    return assessInFlow(rules, world.events(), 'refund-cara');
  }

  it('sees a not-received claim against a signature or a photo at the door', () => {
    for (const proof of [{ signature: true }, { photo: true }]) {
      const result = claim('not_received', proof);
      expect(result.signals.contact.claimContradictsDelivery, JSON.stringify(proof)).toBe(true);
      expect(result.trace.levels['delivery-proof'], JSON.stringify(proof)).toBe(
        proof.signature ? 'signed-for' : 'contradicts-proof',
      );
    }
  });

  it('sees an empty-box claim against a full delivery weight, not against a light one', () => {
    const heavy = claim('empty_box', { weightGrams: 900 }, 'The box arrived empty.');
    expect(heavy.signals.contact.claimContradictsDelivery).toBe(true);
    expect(heavy.trace.levels['delivery-proof']).toBe('contradicts-proof');
    const light = claim('empty_box', { weightGrams: 120 }, 'The box arrived empty.');
    expect(light.signals.contact.claimContradictsDelivery).toBe(false);
  });

  it("reads the story, not only the refund's reason: 'never arrived' in French on a photographed delivery", () => {
    const result = claim('missing_item', { photo: true }, "Bonjour, le colis n'est jamais arrivé.");
    expect(result.signals.contact.tactics).toContain('not_received');
    expect(result.signals.contact.claimContradictsDelivery).toBe(true);
    expect(result.trace.levels['delivery-proof']).toBe('contradicts-proof');
  });

  it('weighs a not-received claim on an expensive, sought-after item photographed at the door above a missing-item one', () => {
    const expensive = (reason: 'not_received' | 'missing_item') => {
      const world = new EventBuilder()
        .customer('cara', { deviceId: 'dev-cara', ip: '98.40.1.5' })
        .order('order-ipad', 'cara', 5, 79_900, { hot: true, deliveredDay: 7, photo: true, ip: '98.40.1.5' })
        .contact('contact-cara', 'cara', 9, {
          deviceId: 'dev-cara',
          ip: '98.40.1.5',
          text: 'Hello, about my order.',
        })
        .refund('refund-ipad', 'order-ipad', 'cara', 9.01, 79_900, { reason, contactId: 'contact-cara' });
      return assessInFlow(rules, world.events(), 'refund-ipad');
    };
    const notReceived = expensive('not_received');
    expect(notReceived.trace.levels['delivery-proof']).toBe('contradicts-proof');
    expect(riskCodesOf(notReceived)).toEqual(
      expect.arrayContaining(['HIGH_VALUE_HOT_GOODS', 'NOT_RECEIVED_CLAIM']),
    );
    // Nothing comes back from a not-received claim: below review it is approved, not held.
    expect(['approve', 'review']).toContain(notReceived.decision);
    // A photo of the parcel says nothing of what was inside it.
    const missingItem = expensive('missing_item');
    expect(missingItem.trace.levels['delivery-proof'] ?? 'none').toBe('none');
    expect(missingItem.score).toBeLessThan(notReceived.score);
  });

  it('sees no contradiction in a not-received claim without proof of delivery', () => {
    const result = claim('not_received', { signature: false, photo: false });
    expect(result.signals.contact.claimContradictsDelivery).toBe(false);
    expect(result.decision).toBe('approve');
  });
});
