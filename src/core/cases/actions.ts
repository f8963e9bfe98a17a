// Enforcement actions as data: what each targets, whether it needs a second person's approval
// (four-eyes), and who may decide on it. Pure.

export const ACTION_TYPES = [
  'warn_customer',
  'require_return',
  'deny_refund',
  'close_account',
  'reverse_refund',
  'export_evidence',
] as const;
export type ActionType = (typeof ACTION_TYPES)[number];

export const ACTION_STATUSES = ['proposed', 'approved', 'rejected', 'executed', 'failed'] as const;
export type ActionStatus = (typeof ACTION_STATUSES)[number];

export interface ActionRule {
  /** What the action needs besides the case: the account (defaults to the case's) or one refund. */
  target: 'account' | 'refund' | 'case';
  /** Four-eyes: proposed by one person, approved by a supervisor who is someone else. */
  needsApproval: boolean;
}

export const ACTION_RULES = {
  warn_customer: { target: 'account', needsApproval: false },
  require_return: { target: 'refund', needsApproval: false },
  deny_refund: { target: 'refund', needsApproval: false },
  close_account: { target: 'account', needsApproval: true },
  reverse_refund: { target: 'refund', needsApproval: true },
  export_evidence: { target: 'case', needsApproval: false },
} as const satisfies Record<ActionType, ActionRule>;

export function isActionType(value: string): value is ActionType {
  return (ACTION_TYPES as readonly string[]).includes(value);
}

export interface ActionTarget {
  accountId?: string;
  refundId?: string;
}

/** The idempotency key of an action: same case, type and target → the same action. */
export function actionKey(caseId: string, type: ActionType, target: ActionTarget): string {
  return JSON.stringify([caseId, type, target.accountId ?? null, target.refundId ?? null]);
}

export type ApprovalCheck =
  | { ok: true }
  | { ok: false; reason: 'not_pending' | 'own_proposal' | 'no_approval_needed' };

/**
 * Whether a decider may approve or reject an action in `status`. Proposer and decider are people:
 * each the actor ids one credential answers for (itself, and whoever made it: a second key or a
 * user one made is no second person). Any actor in common makes it one's own proposal.
 */
export function checkApproval(
  type: ActionType,
  status: ActionStatus,
  proposedBy: string | readonly string[],
  decidedBy: string | readonly string[],
): ApprovalCheck {
  if (!ACTION_RULES[type].needsApproval) return { ok: false, reason: 'no_approval_needed' };
  const proposer = new Set(typeof proposedBy === 'string' ? [proposedBy] : proposedBy);
  const decider = typeof decidedBy === 'string' ? [decidedBy] : decidedBy;
  if (decider.some((actor) => proposer.has(actor))) return { ok: false, reason: 'own_proposal' };
  if (status !== 'proposed') return { ok: false, reason: 'not_pending' };
  return { ok: true };
}
