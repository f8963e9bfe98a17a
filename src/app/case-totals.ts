// What a case shows of its evidence (money at risk, refunds, top reasons, agents), recomputed from
// all of it when evidence joins the case (inside the store's transaction, see addEvidenceAndRefresh).
import { moneyAtRiskUsdMinor, topReasonCodes } from '../core/cases/case-machine.ts';
import type { Ring } from '../core/rings/ring.ts';
import type { CaseRecord, CaseTotals, EvidenceRecord } from './console-ports.ts';
import { type RingSnapshot, ringSnapshot, ringTitle } from './ring-cases.ts';

/** A refund or ban-evasion case: its flagged assessments' refunds, reasons and handling agents. */
export function assessmentCaseTotals(all: EvidenceRecord[], current: CaseRecord, now: number): CaseTotals {
  const assessments = all.filter((item) => item.kind === 'assessment');
  const refunds = assessments.filter((item) => item.data.subjectType !== 'signup');
  const agents = new Set(current.agentIds);
  for (const item of assessments) if (typeof item.data.agentId === 'string') agents.add(item.data.agentId);
  return {
    priorityUsdMinor: moneyAtRiskUsdMinor(
      refunds.map((item) => ({ refundId: item.refId, amountUsdMinor: item.amountUsdMinor })),
    ),
    refundCount: new Set(refunds.map((item) => item.refId)).size,
    topReasons: topReasonCodes(assessments.map((item) => (item.data.reasons as string[] | undefined) ?? [])),
    agentIds: [...agents],
    updatedAt: now,
  };
}

/** A ring case: the latest detection it holds (else the ring that joins it) is what it shows. */
export function ringCaseTotals(all: EvidenceRecord[], ring: Ring, now: number): CaseTotals {
  const latest = all.filter((item) => item.kind === 'ring').at(-1)?.data as RingSnapshot | undefined;
  const snapshot = latest ?? ringSnapshot(ring);
  return {
    priorityUsdMinor: Math.round(snapshot.valueUsd * 100),
    refundCount: snapshot.refundIds.length,
    topReasons: snapshot.reasons.map((reason) => reason.code).slice(0, 5),
    agentIds: snapshot.agentIds,
    updatedAt: now,
    title: ringTitle(snapshot),
    subjectId: snapshot.ringId,
  };
}
