import { describe, expect, it } from 'vitest';
import { verdict } from '../scripts/audit.ts';
import { licenceOf, satisfies } from '../scripts/check-licences.ts';

describe('the licence check', () => {
  it('reads SPDX expressions: OR needs one allowed licence, AND needs all', () => {
    expect(satisfies('MIT')).toBe(true);
    expect(satisfies('(MIT OR WTFPL)')).toBe(true);
    expect(satisfies('(BSD-2-Clause OR MIT OR Apache-2.0)')).toBe(true);
    expect(satisfies('GPL-3.0-only')).toBe(false);
    expect(satisfies('AGPL-3.0-or-later OR SSPL-1.0')).toBe(false);
    expect(satisfies('MIT AND GPL-2.0-only')).toBe(false);
    expect(satisfies('(MIT AND ISC) OR GPL-2.0-only')).toBe(true);
    expect(satisfies('Apache-2.0 WITH LLVM-exception')).toBe(true);
    expect(satisfies('UNLICENSED')).toBe(false);
    expect(() => satisfies('(MIT')).toThrow('unbalanced');
    expect(() => satisfies('MIT OR')).toThrow('not an SPDX expression');
  });

  it('takes the licence from the field in any of its historical shapes', () => {
    expect(licenceOf({ license: 'ISC' })).toBe('ISC');
    expect(licenceOf({ license: { type: 'MIT' } })).toBe('MIT');
    expect(licenceOf({ licenses: [{ type: 'MIT' }, { type: 'Apache-2.0' }] })).toBe('(MIT OR Apache-2.0)');
    expect(licenceOf({})).toBeUndefined();
  });
});

describe('the npm audit verdict', () => {
  const report = (counts: Record<string, number>) =>
    JSON.stringify({
      vulnerabilities: {
        example: {
          name: 'example',
          severity: 'high',
          range: '<1.2.3',
          via: [{ title: 'Prototype pollution', url: 'u' }],
        },
      },
      metadata: { vulnerabilities: { info: 0, low: 0, moderate: 0, high: 0, critical: 0, ...counts } },
    });

  it('fails on high and critical advisories, naming them', () => {
    const high = verdict(report({ high: 1, total: 1 }));
    expect(high.code).toBe(1);
    expect(high.lines[0]).toMatch(/^npm audit: FAILED: 1 high/);
    expect(high.lines[1]).toContain('example <1.2.3: Prototype pollution');
    expect(verdict(report({ critical: 2, total: 2 })).code).toBe(1);
  });

  it('reports lower advisories and passes', () => {
    const moderate = verdict(report({ moderate: 3, low: 1, total: 4 }));
    expect(moderate.code).toBe(0);
    expect(moderate.lines[0]).toBe(
      'npm audit: 1 low, 3 moderate (below high: reported, not failing) in production dependencies',
    );
    expect(
      verdict(JSON.stringify({ vulnerabilities: {}, metadata: { vulnerabilities: { total: 0 } } })).lines[0],
    ).toBe('npm audit: no advisories in production dependencies');
  });

  it('warns and passes when the advisory service does not answer', () => {
    const refused = verdict(
      JSON.stringify({
        message: '405 Method Not Allowed - POST https://registry.example/-/npm/v1/security/advisories/bulk',
      }),
    );
    expect(refused.code).toBe(0);
    expect(refused.lines[0]).toMatch(/^npm audit: WARNING: the advisory service did not answer \(405/);
    expect(verdict('').lines[0]).toMatch(/WARNING: no report/);
  });
});
