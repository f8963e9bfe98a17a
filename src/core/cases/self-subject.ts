// The self-subject rule: no one works a case about themselves. A case is about a support agent when
// the agent is its subject, when its evidence names the agent (an insider case, a ring's handling
// agents, a refund case's handling agents), or when the agent handled the account's refunds: took
// its contacts, decided its refunds, or acted on it or them (`agent.action`). Pure.
import type { RiskState } from '../risk-state.ts';

export interface SelfSubjectCase {
  subjectType: string;
  subjectId: string;
  /** The agents its evidence names. */
  agentIds: readonly string[];
}

/** Whether the agent handled the account: its contacts, its refunds' requests and decisions, agent actions on it. */
export function agentHandledAccount(state: RiskState, agentId: string, accountId: string): boolean {
  const account = state.accounts.get(accountId);
  if (account !== undefined) {
    if (account.contacts.some((contact) => contact.agentId === agentId)) return true;
    if (account.refunds.some((refund) => refund.agentId === agentId || refund.decided?.agentId === agentId))
      return true;
  }
  const actions = state.agents.get(agentId)?.actions ?? [];
  if (actions.length === 0) return false;
  const refundIds = new Set(account?.refunds.map((refund) => refund.refundId));
  return actions.some(
    (action) =>
      action.accountId === accountId || (action.refundId !== undefined && refundIds.has(action.refundId)),
  );
}

/**
 * Whether a case is about any of these agents (the caller's own agent ids). `accounts` are the
 * case's accounts to look through in the state: its subject account, or a ring's members.
 */
export function isCaseAboutAgents(
  agentIds: readonly string[],
  record: SelfSubjectCase,
  state: RiskState,
  accounts: readonly string[],
): boolean {
  for (const agentId of agentIds) {
    if (record.subjectType === 'agent' && record.subjectId === agentId) return true;
    if (record.agentIds.includes(agentId)) return true;
    if (accounts.some((accountId) => agentHandledAccount(state, agentId, accountId))) return true;
  }
  return false;
}
