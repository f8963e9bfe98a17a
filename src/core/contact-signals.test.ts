// The support contact's signals end to end through the risk state: third parties (device, IP
// range, language, phone caller id), the hour of the contact, the playbook's pressure, and claims
// that contradict the delivery evidence. Sessions and near-duplicate scripts have their own files.
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
