// Insider risk of a support agent as of a moment: overriding policy, approving refunds that were
// flagged, marking returns received that no carrier scanned, and touching accounts with no
// customer contact. A first cut; the insider detector issue extends it.
import type { Reason } from './decisions.ts';
import { DAY_MS, type RiskState } from './risk-state.ts';

export interface AgentRisk {
  agentId: string;
  score: number;
  reasons: Reason[];
  signals: {
    decisions: number;
    approvals: number;
    overrides: number;
    approvalsOfFlagged: number;
    flaggedApprovalShare: number;
    unscannedReceipts: number;
    actionsWithoutContact: number;
    devices: number;
  };
}

/** Agents' base rates differ by team; these thresholds are deliberately conservative. */
export function agentRisk(state: RiskState, agentId: string, asOf: number): AgentRisk | undefined {
  const agent = state.agents.get(agentId);
  if (!agent) return undefined;
  const decisions = agent.decisions.filter((decision) => decision.at <= asOf);
  const approvals = decisions.filter((decision) => decision.outcome === 'approved');
  const overrides = decisions.filter((decision) => decision.policyOverride).length;
  const approvalsOfFlagged = approvals.filter((decision) => {
    const assessed = state.refunds.get(decision.refundId)?.assessedDecision;
    return assessed === 'review' || assessed === 'deny';
  }).length;
  const actions = agent.actions.filter((action) => action.at <= asOf);
  const unscannedReceipts = actions.filter((action) => {
    if (action.action !== 'return.marked_received' || !action.refundId) return false;
    const scans = state.refunds.get(action.refundId)?.returns ?? [];
    return !scans.some(
      (scan) => scan.at <= action.at && (scan.status === 'delivered' || scan.status === 'in_transit'),
    );
  }).length;
  const actionsWithoutContact = actions.filter((action) => {
    if (!action.accountId || action.action === 'login' || action.action === 'note.added') return false;
    const contacts = state.accounts.get(action.accountId)?.contacts ?? [];
    return !contacts.some((contact) => contact.at <= action.at && contact.at >= action.at - 7 * DAY_MS);
  }).length;

  const signals = {
    decisions: decisions.length,
    approvals: approvals.length,
    overrides,
    approvalsOfFlagged,
    flaggedApprovalShare: approvals.length > 0 ? approvalsOfFlagged / approvals.length : 0,
    unscannedReceipts,
    actionsWithoutContact,
    devices: agent.devices.size,
  };
  const reasons: Reason[] = [];
  let miss = 1;
  const add = (condition: boolean, weight: number, code: string, text: string) => {
    if (!condition) return;
    miss *= 1 - weight;
    reasons.push({ code, text });
  };
  add(
    signals.approvalsOfFlagged >= 3 && signals.flaggedApprovalShare >= 0.2,
    0.6,
    'APPROVES_FLAGGED_REFUNDS',
    `Approved ${signals.approvalsOfFlagged} refunds that refundguard flagged (${Math.round(signals.flaggedApprovalShare * 100)} % of approvals).`,
  );
  add(
    signals.decisions >= 5 && overrides / Math.max(1, signals.decisions) >= 0.25,
    0.4,
    'FREQUENT_POLICY_OVERRIDES',
    `Overrode policy on ${overrides} of ${signals.decisions} refund decisions.`,
  );
  add(
    signals.unscannedReceipts >= 2,
    0.5,
    'RETURNS_MARKED_RECEIVED_WITHOUT_SCAN',
    `Marked ${signals.unscannedReceipts} returns received that no carrier scanned.`,
  );
  add(
    signals.actionsWithoutContact >= 5,
    0.3,
    'ACCOUNT_ACTIONS_WITHOUT_CONTACT',
    `${signals.actionsWithoutContact} actions on customer accounts with no customer contact in the week before.`,
  );
  add(signals.devices >= 4, 0.2, 'MANY_DEVICES', `Worked from ${signals.devices} different devices.`);
  return { agentId, score: Math.round((1 - miss) * 10_000) / 10_000, reasons, signals };
}
