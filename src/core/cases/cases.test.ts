import { describe, expect, it } from 'vitest';
import { checkApproval } from './actions.ts';
import { AuditChainVerifier, canonicalJson, chainEntry } from './audit-chain.ts';
import {
  CASE_STATUSES,
  CASE_TRANSITIONS,
  canTransition,
  moneyAtRiskUsdMinor,
  topReasonCodes,
} from './case-machine.ts';

describe('case life-cycle', () => {
  it('follows the table: open → investigating → actioned | dismissed → closed, and back to open', () => {
    expect(canTransition('open', 'investigating')).toBe(true);
    expect(canTransition('investigating', 'open')).toBe(true);
    expect(canTransition('open', 'closed')).toBe(false);
    expect(canTransition('closed', 'open')).toBe(false);
    for (const status of CASE_STATUSES)
      for (const to of CASE_TRANSITIONS[status].to) expect(CASE_STATUSES).toContain(to);
  });

  it('counts each flagged refund once in the money at risk', () => {
    expect(
      moneyAtRiskUsdMinor([
        { refundId: 'a', amountUsdMinor: 100 },
        { refundId: 'a', amountUsdMinor: 100 },
        { refundId: 'b', amountUsdMinor: 250 },
        { refundId: 'c', amountUsdMinor: null },
      ]),
    ).toBe(350);
    expect(topReasonCodes([['X', 'Y'], ['Y'], ['Z', 'Y']], 2)).toEqual(['Y', 'X']);
  });
});

describe('four-eyes', () => {
  it('lets a second person approve a proposed closure, never the proposer', () => {
    expect(checkApproval('close_account', 'proposed', 'user:a', 'user:b')).toEqual({ ok: true });
    expect(checkApproval('close_account', 'proposed', 'user:a', 'user:a')).toEqual({
      ok: false,
      reason: 'own_proposal',
    });
    expect(checkApproval('reverse_refund', 'executed', 'user:a', 'user:b')).toEqual({
      ok: false,
      reason: 'not_pending',
    });
    expect(checkApproval('warn_customer', 'executed', 'user:a', 'user:b')).toEqual({
      ok: false,
      reason: 'no_approval_needed',
    });
  });

  it('binds to the person: a key or a user that answers for the proposer is the proposer', () => {
    // A key user:a made; a user user:a made (not yet confirmed by another admin).
    expect(checkApproval('close_account', 'proposed', ['user:a'], ['key:k', 'user:a'])).toEqual({
      ok: false,
      reason: 'own_proposal',
    });
    expect(checkApproval('close_account', 'proposed', ['user:s', 'user:a'], ['user:a'])).toEqual({
      ok: false,
      reason: 'own_proposal',
    });
    expect(checkApproval('close_account', 'proposed', ['user:a'], ['user:b', 'key:k'])).toEqual({ ok: true });
  });
});

describe('audit chain', () => {
  const entry = (action: string) => ({
    at: 1,
    actor: 'user:a',
    action,
    subject: 'case:1',
    detail: { b: 1, a: [2, { d: 3, c: 4 }] },
  });

  it('writes canonical JSON whatever the key order', () => {
    expect(canonicalJson({ b: 1, a: { d: 1, c: undefined, b: [1, 'x'] } })).toBe(
      '{"a":{"b":[1,"x"],"d":1},"b":1}',
    );
  });

  it('verifies an intact chain and names the first changed, removed or re-linked row', () => {
    const first = chainEntry(undefined, entry('one'));
    const second = chainEntry(first, entry('two'));
    const third = chainEntry(second, entry('three'));
    const check = (rows: (typeof first)[]) => {
      const verifier = new AuditChainVerifier();
      for (const row of rows) if (!verifier.add(row)) break;
      return verifier.result();
    };
    expect(check([first, second, third])).toEqual({ ok: true, rows: 3, warnings: [] });
    expect(check([first, { ...second, detail: { b: 2 } }, third])).toMatchObject({ ok: false, brokenSeq: 2 });
    expect(check([first, third])).toMatchObject({ ok: false, brokenSeq: 3 });
    const forged = chainEntry(first, entry('forged'));
    expect(check([first, forged, third])).toMatchObject({ ok: false, brokenSeq: 3 });
  });
});
