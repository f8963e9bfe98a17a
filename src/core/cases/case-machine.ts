// Cases as data: what a case is about, its life-cycle (a state machine written as a table) and how
// urgent it is (money at risk). Pure: no I/O, no clock.

export const CASE_TYPES = ['refund', 'ring', 'insider', 'ban_evasion', 'intel'] as const;
export type CaseType = (typeof CASE_TYPES)[number];

export const CASE_SUBJECT_TYPES = ['account', 'ring', 'agent', 'order'] as const;
export type CaseSubjectType = (typeof CASE_SUBJECT_TYPES)[number];

export const CASE_STATUSES = ['open', 'investigating', 'actioned', 'dismissed', 'closed'] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

/** Every status states where it may go; a new status cannot be added without its row. */
export const CASE_TRANSITIONS = {
  open: { to: ['investigating'] },
  investigating: { to: ['open', 'actioned', 'dismissed'] },
  actioned: { to: ['closed'] },
  dismissed: { to: ['closed'] },
  closed: { to: [] },
} as const satisfies Record<CaseStatus, { to: readonly CaseStatus[] }>;

/** Statuses in which a new detection joins the case instead of opening another one. */
export const JOINABLE_STATUSES = [
  'open',
  'investigating',
  'actioned',
] as const satisfies readonly CaseStatus[];

export function isCaseStatus(value: string): value is CaseStatus {
  return (CASE_STATUSES as readonly string[]).includes(value);
}

export function allowedTransitions(from: CaseStatus): readonly CaseStatus[] {
  return CASE_TRANSITIONS[from].to;
}

export function canTransition(from: CaseStatus, to: CaseStatus): boolean {
  return (allowedTransitions(from) as readonly string[]).includes(to);
}

/** A refund decision that opens or joins a case. */
export const FLAGGED_DECISIONS = ['review', 'deny'] as const;

export function isFlaggedDecision(decision: string): boolean {
  return (FLAGGED_DECISIONS as readonly string[]).includes(decision);
}

export interface FlaggedRefund {
  refundId: string;
  amountUsdMinor: number | null;
}

/** Money at risk in USD cents: each flagged refund counted once, whatever number of assessments named it. */
export function moneyAtRiskUsdMinor(refunds: readonly FlaggedRefund[]): number {
  const byRefund = new Map<string, number>();
  for (const refund of refunds) {
    byRefund.set(refund.refundId, Math.max(byRefund.get(refund.refundId) ?? 0, refund.amountUsdMinor ?? 0));
  }
  let total = 0;
  for (const amount of byRefund.values()) total += amount;
  return total;
}

/** The most frequent reason codes first (ties by first seen), at most `limit`. */
export function topReasonCodes(codeLists: readonly (readonly string[])[], limit = 5): string[] {
  const counts = new Map<string, number>();
  for (const codes of codeLists)
    for (const code of new Set(codes)) counts.set(code, (counts.get(code) ?? 0) + 1);
  return [...counts.entries()]
    .sort((left, right) => right[1] - left[1])
    .slice(0, limit)
    .map(([code]) => code);
}
