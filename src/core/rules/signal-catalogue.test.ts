// The signals' schemas agree with their builders (a field the builder adds or drops fails here),
// and the catalogue read off the schemas knows every signal the default pack names.
import { describe, expect, it } from 'vitest';
import { loadRulePack } from '../../app/rule-pack-file.ts';
import type { EventOf, RefundguardEvent } from '../events.ts';
import { type RefundSignals, refundSignalsSchema } from '../refund-signal-schema.ts';
import { refundSignals } from '../refund-signals.ts';
import type { RiskState } from '../risk-state.ts';
import { signupMatches, signupSignals, signupSignalsSchema } from '../signup-signals.ts';
import { stateAfter } from '../testing/assess-in-flow.ts';
import { EventBuilder } from '../testing/event-builder.ts';
import {
  refundSignalCatalogue,
  signupSignalCatalogue,
  unknownSignalsInCondition,
  unknownSignalsInText,
} from './signal-catalogue.ts';

const rules = loadRulePack();

const SCRIPT =
  'The box arrived completely empty. The carrier weight shows it was light, 200 g. I want a supervisor right now or I open a chargeback, I already filed a police report.';

/**
 * Ava asks by chat from a stranger's device and network in Russian after a sign-in on a new
 * device; her return goes elsewhere, a post names her order and she is closed for fraud later.
 * Five clients of one refunder (a ring) ask too, and Ben asks by himself with no contact.
 */
function world(): RefundguardEvent[] {
  return new EventBuilder()
    .refunderWorking(5, SCRIPT)
    .customer('ava', { deviceId: 'dev-ava', ip: '98.20.1.5' })
    .order('order-ava', 'ava', 5, 89_900, { hot: true, deliveredDay: 7, photo: true, weightGrams: 800 })
    .login('ava', 19.98, { deviceId: 'dev-refunder', ip: '45.134.22.9' })
    .contact('contact-ava', 'ava', 20, {
      deviceId: 'dev-refunder',
      ip: '45.134.22.9',
      language: 'ru',
      text: SCRIPT,
      orderId: 'order-ava',
    })
    .refund('refund-ava', 'order-ava', 'ava', 20.01, 89_900, {
      reason: 'empty_box',
      contactId: 'contact-ava',
      returnRequired: true,
    })
    .add('refund.decided', 20.05, {
      refundId: 'refund-ava',
      outcome: 'approved',
      agentId: 'agent-1',
      policyOverride: true,
    })
    .returnScan('refund-ava', 23, { status: 'delivered', destinationPostalCode: '10001', weightGrams: 100 })
    .add('intel.post', 24, {
      postId: 'post-1',
      source: 'telegram',
      channel: '@refunds',
      author: 'rekk',
      url: 'https://t.me/refunds/1',
      text: 'done order-ava, next',
    })
    .add('account.closed', 40, { accountId: 'ava', reason: 'fraud' })
    .customer('ben', { ip: '71.3.3.3' })
    .order('order-ben', 'ben', 2, 2_500, { deliveredDay: 4, ip: '71.3.3.3' })
    .refund('refund-ben', 'order-ben', 'ben', 6, 2_500, { reason: 'changed_mind', returnRequired: true })
    .events();
}

function signalsOf(
  state: RiskState,
  events: RefundguardEvent[],
  refundId: string,
  final: boolean,
): RefundSignals {
  const request = events.find(
    (event): event is EventOf<'refund.requested'> =>
      event.type === 'refund.requested' && event.data.refundId === refundId,
  );
  if (!request) throw new Error(`no refund ${refundId}`);
  return refundSignals(state, request.data, {
    at: request.at,
    ...(final ? { evidenceAsOf: state.lastEventAt } : {}),
    marketplaceLanguages: rules.pack.marketplaceLanguages,
    commonValueAccountLimit: rules.pack.commonValueAccountLimit,
  });
}

/** Every path of a value: objects' keys, recursively; arrays and primitives are leaves. */
function pathsOf(value: unknown, prefix = '', into = new Set<string>()): Set<string> {
  if (prefix) into.add(prefix);
  if (value !== null && typeof value === 'object' && !Array.isArray(value))
    for (const [key, child] of Object.entries(value)) pathsOf(child, prefix ? `${prefix}.${key}` : key, into);
  return into;
}

describe('signal schemas agree with the builders', () => {
  const events = world();
  const state = stateAfter(rules, events);

  it('parses refund signals at request time and finally, with and without a contact', () => {
    const cases = [
      signalsOf(state, events, 'refund-ava', false),
      signalsOf(state, events, 'refund-ava', true),
      signalsOf(state, events, 'refund-5', true),
      signalsOf(state, events, 'refund-ben', false),
      signalsOf(state, events, 'refund-ben', true),
    ];
    for (const signals of cases) expect(refundSignalsSchema.parse(signals)).toEqual(signals);
    // The world reaches beyond the defaults: a contact, a session, a ring, an agent, intel, evidence.
    const [, ava, client] = cases;
    expect(ava?.contact).toMatchObject({ present: true, language: 'ru', languageMismatch: true });
    expect(ava?.contact.tactics.length).toBeGreaterThan(0);
    expect(ava?.session.newDevice).toBe(true);
    expect(ava?.agent.present).toBe(true);
    expect(ava?.intel.orderNamed).toBe(true);
    expect(ava?.evidence).toMatchObject({
      inView: true,
      returnDeliveredElsewhere: true,
      accountClosedForFraud: true,
    });
    expect(client?.ring.found).toBe(true);
  });

  it('refuses signals with a field added, dropped or of the wrong type', () => {
    const signals = signalsOf(state, events, 'refund-ava', true);
    expect(refundSignalsSchema.safeParse({ ...signals, extra: {} }).success).toBe(false);
    expect(
      refundSignalsSchema.safeParse({ ...signals, contact: { ...signals.contact, thirdPary: true } }).success,
    ).toBe(false);
    const { thirdParty: _dropped, ...withoutThirdParty } = signals.contact;
    expect(refundSignalsSchema.safeParse({ ...signals, contact: withoutThirdParty }).success).toBe(false);
    expect(
      refundSignalsSchema.safeParse({ ...signals, refund: { ...signals.refund, amountUsd: '12' } }).success,
    ).toBe(false);
  });

  it('parses sign-up signals, with and without matches', () => {
    const signups = new EventBuilder()
      .add('account.created', 0, {
        accountId: 'banned',
        email: 'rekk.client@gmail.com',
        name: 'R Client',
        deviceId: 'dev-x',
        phone: '+1 614 555 0100',
      })
      .add('account.closed', 5, { accountId: 'banned', reason: 'fraud' })
      .add('account.created', 6, {
        accountId: 'again',
        email: 'rekkclient+new@gmail.com',
        name: 'R. Client',
        deviceId: 'dev-x',
        phone: '+1 614 555 0100',
      })
      .add('account.created', 6, {
        accountId: 'stranger',
        email: 'someone.else@example.com',
        name: 'S Else',
        deviceId: 'dev-z',
      })
      .events();
    const signupState = stateAfter(rules, signups);
    const created = signups.filter(
      (event): event is EventOf<'account.created'> => event.type === 'account.created',
    );
    const [, again, stranger] = created.map((event) =>
      signupSignals(signupMatches(signupState, event, rules.pack.commonValueAccountLimit)),
    );
    expect(again?.signup).toMatchObject({ matchedClosedAccounts: 1, deviceMatch: true });
    expect(stranger?.signup.matchedClosedAccounts).toBe(0);
    for (const signals of [again, stranger]) expect(signupSignalsSchema.parse(signals)).toEqual(signals);
    expect(signupSignalsSchema.safeParse({ signup: { ...again?.signup, extra: 1 } }).success).toBe(false);
  });
});

describe('signal catalogue', () => {
  const refunds = refundSignalCatalogue(rules.pack);
  const signups = signupSignalCatalogue();

  it('holds exactly the paths of real signals, with each leaf’s type', () => {
    const events = world();
    const signals = signalsOf(stateAfter(rules, events), events, 'refund-ava', true);
    expect([...refunds.paths].sort()).toEqual([...pathsOf(signals)].sort());
    expect(refunds.namespaces).toEqual(Object.keys(signals));
    expect([...signups.paths].sort()).toEqual([...pathsOf(signupSignals([]))].sort());
    expect(signups.namespaces).toEqual(['signup']);
    expect(refunds.types.get('contact.thirdParty')).toBe('boolean');
    expect(refunds.types.get('refund.amountUsd')).toBe('number');
    expect(refunds.types.get('ring.via')).toBe('string');
    expect(refunds.types.get('contact.tactics')).toBe('list');
    expect(refunds.types.has('contact')).toBe(false);
    expect(signups.types.get('signup.maxMatchProbability')).toBe('number');
    // Every leaf has a type; object paths are the namespaces' own.
    for (const path of refunds.paths)
      expect(refunds.types.has(path) || refunds.namespaces.includes(path), path).toBe(true);
  });

  it('knows every signal the default pack names', () => {
    const pack = rules.pack;
    const refundConditions = [
      ...pack.evidence.flatMap((family) => [family.among, ...family.levels.map((level) => level.when)]),
      ...pack.policies.map((policy) => policy.when),
    ];
    const refundTexts = [
      ...pack.evidence.flatMap((family) => [
        ...family.levels.map((level) => level.text),
        ...(family.none ? [family.none.text] : []),
      ]),
      ...pack.policies.map((policy) => policy.text),
    ];
    const named = (code: string, namespaces: readonly string[]) =>
      [
        ...code
          .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'/g, '""')
          .matchAll(/(?<![\w.])(\w+(?:\.\w+)+)(\s*\()?/g),
      ]
        .map(([, path = '', call]) => (call ? path.split('.').slice(0, -1).join('.') : path))
        .filter((path) => namespaces.includes(path.split('.')[0] ?? ''));
    const refundPaths = new Set([
      ...refundConditions.flatMap((condition) => named(condition, refunds.namespaces)),
      ...refundTexts.flatMap((text) =>
        [...text.matchAll(/\{\{\s*([\w.]+)\s*\}\}/g)].map((match) => match[1] ?? ''),
      ),
    ]);
    const signupPaths = new Set(pack.signupRules.flatMap((rule) => named(rule.when, signups.namespaces)));
    expect(refundPaths.size).toBeGreaterThan(30);
    expect(signupPaths.size).toBeGreaterThan(0);
    for (const path of refundPaths) expect(refunds.paths.has(path), path).toBe(true);
    for (const path of signupPaths) expect(signups.paths.has(path), path).toBe(true);
    for (const condition of refundConditions)
      expect(unknownSignalsInCondition(condition, refunds)).toEqual([]);
    for (const text of refundTexts) expect(unknownSignalsInText(text, refunds)).toEqual([]);
    for (const rule of pack.signupRules) {
      expect(unknownSignalsInCondition(rule.when, signups)).toEqual([]);
      expect(unknownSignalsInText(rule.text, signups)).toEqual([]);
    }
  });

  it('reports a misspelt signal', () => {
    expect(unknownSignalsInCondition('contact.thirdPary && refund.amountUsd >= 500.0', refunds)).toEqual([
      'contact.thirdPary',
    ]);
    expect(
      unknownSignalsInCondition('contact.thirdParty && contact.tactics.exists(t, t == "x")', refunds),
    ).toEqual([]);
    expect(unknownSignalsInText('A third party ({{contact.thirdPary}}).', refunds)).toEqual([
      'contact.thirdPary',
    ]);
    expect(unknownSignalsInCondition('signup.emailMach', signups)).toEqual(['signup.emailMach']);
  });
});
