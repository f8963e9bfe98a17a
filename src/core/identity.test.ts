import { parsePhoneNumberFromString } from 'libphonenumber-js';
import { describe, expect, it } from 'vitest';
import { emailStem, ipPrefix, normalizeAddress, normalizeEmail, normalizePhone } from './identity.ts';

describe('identity normalisation', () => {
  it('sees through e-mail dots and +tags where the provider ignores them', () => {
    expect(normalizeEmail('Dana.Whitfield+refund@gmail.com')).toBe('danawhitfield@gmail.com');
    expect(normalizeEmail('dana.whitfield@example.com')).toBe('dana.whitfield@example.com');
    expect(emailStem('dana.whitfield2@proton.me')).toBe(emailStem('danawhitfield@gmail.com'));
  });

  it('formats phone numbers the same way whatever the spelling', () => {
    expect(normalizePhone('+1 614 555 0142')).toBe(normalizePhone('(614) 555-0142', 'US'));
    expect(normalizePhone('06 12 34 56 78', 'FR')).toBe('+33612345678');
  });

  it('matches addresses across case, punctuation and common abbreviations', () => {
    const base = { line1: '221 Maple Avenue', city: 'Columbus', postalCode: '43215', country: 'US' };
    expect(normalizeAddress(base)).toBe(normalizeAddress({ ...base, line1: '221 maple ave.' }));
    expect(normalizeAddress(base)).not.toBe(normalizeAddress({ ...base, postalCode: '43216' }));
  });

  it('groups IPv4 by /24 and IPv6 by /48', () => {
    expect(ipPrefix('45.134.22.9')).toBe('45.134.22');
    expect(ipPrefix('2001:db8:abcd:12::1')).toBe('2001:db8:abcd');
  });
});

describe('ipPrefix', () => {
  it('keeps the /24 of an IPv4 address and the /48 of an IPv6 one; leaves anything else as it is', () => {
    expect(ipPrefix('185.220.101.4')).toBe('185.220.101');
    expect(ipPrefix('2001:db8:85a3:8d3:1319:8a2e:370:7348')).toBe('2001:db8:85a3');
    expect(ipPrefix('10.0.1')).toBe('10.0.1');
    expect(ipPrefix('1.2.3.4.5')).toBe('1.2.3.4.5');
    expect(ipPrefix('localhost')).toBe('localhost');
  });
});

describe('normalizePhone on national formats', () => {
  it('gives the E.164 form libphonenumber gives, for North American, British and French numbers', () => {
    expect(normalizePhone('(503) 680-7598', 'US')).toBe('+15036807598');
    expect(normalizePhone('1-503-680-7598', 'CA')).toBe('+15036807598');
    expect(normalizePhone('07782 093843', 'GB')).toBe('+447782093843');
    expect(normalizePhone('07782093843', 'UK')).toBe('+447782093843');
    expect(normalizePhone('06 12 34 56 78', 'FR')).toBe('+33612345678');
    expect(normalizePhone('0171 1234567', 'DE')).toBe('+491711234567');
    expect(normalizePhone('+44 7782 093843', 'US')).toBe('+447782093843');
  });

  it('gives what libphonenumber gives for numbers with no country and no plus sign: their digits', () => {
    for (const phone of [
      '(430) 511-6605',
      '0049 176 61664276',
      '06.89.02.13.22',
      'tel:0612345678',
      '１２３ ４５６ ７８９０',
      '＋44 7782 093843',
    ]) {
      const parsed = parsePhoneNumberFromString(phone);
      expect(parsed?.isPossible() ? parsed.number : phone.replace(/\D/g, '')).toBe(normalizePhone(phone));
    }
  });
});
