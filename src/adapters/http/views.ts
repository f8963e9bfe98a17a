// Records as the API shows them: times as RFC 3339 strings instead of epoch milliseconds.
import type { AssessmentRecord } from '../../app/ports.ts';
import type { AssessmentView } from '../../contract/refunds.ts';

export function toIsoTime(epochMilliseconds: number): string {
  return new Date(epochMilliseconds).toISOString();
}

export function assessmentView(record: AssessmentRecord): AssessmentView {
  return {
    subjectType: record.subjectType,
    subjectId: record.subjectId,
    kind: record.kind,
    accountId: record.accountId,
    at: toIsoTime(record.at),
    decision: record.decision,
    score: record.score,
    reasons: record.reasons,
    signals: record.signals,
    rulePackVersion: record.rulePackVersion,
    modelVersion: record.modelVersion,
    amountMinor: record.amountMinor,
    currency: record.currency,
    amountUsdMinor: record.amountUsdMinor,
    createdAt: toIsoTime(record.createdAt),
  };
}
