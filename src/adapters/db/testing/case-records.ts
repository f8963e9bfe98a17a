// A refund case about one account, as the console stores it, for tests that need a case to hang
// actions, evidence or notes on.
import { randomUUID } from 'node:crypto';
import type { CaseRecord } from '../../../app/console-ports.ts';

export function accountCase(subjectId: string, title = `Risky refunds on account ${subjectId}`): CaseRecord {
  return {
    id: randomUUID(),
    type: 'refund',
    subjectType: 'account',
    subjectId,
    title,
    status: 'open',
    priorityUsdMinor: 0,
    marketplace: null,
    assigneeId: null,
    openedAt: 1,
    updatedAt: 1,
    refundCount: 0,
    topReasons: [],
    agentIds: [],
    outcome: null,
  };
}
