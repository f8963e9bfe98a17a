// Batch replay (back-test), per the contract: sort by time (stable), feed a fresh store in that
// order, assess every refund request and sign-up at its own moment, then write what was decided.
import { agentRisk } from '../core/agent-risk.ts';
import type { Reason } from '../core/decisions.ts';
import { parseEvent, type RefundguardEvent } from '../core/events.ts';
import type { RiskEngine } from './engine.ts';
import { ModelLearning } from './learning/model-learning.ts';
import type { AssessmentRecord } from './ports.ts';

export interface ReplayLine {
  line: number;
  value?: unknown;
  error?: string;
}

export interface LineProblem {
  line: number;
  message: string;
}

export interface RefundResult {
  refundId: string;
  accountId: string;
  decision: string;
  score: number;
  reasons: Reason[];
  finalDecision: string;
  finalScore: number;
  finalReasons: Reason[];
  rulePackVersion: string;
  /** The model that decided the request; null when the measured evidence decided alone. */
  modelVersion: string | null;
}

export interface SignupResult {
  accountId: string;
  decision: string;
  score: number;
  matches: { accountId: string; probability: number }[];
  reasons: Reason[];
}

export interface IntelResult {
  postId: string;
  orderId: string;
  accountId?: string;
  confidence: number;
}

export interface AgentResult {
  agentId: string;
  score: number;
  reasons: Reason[];
}

/** A detected refund ring (contract: `ringId, accountIds, agentIds?, score, reasons`), with what an investigator needs. */
export interface RingResult {
  ringId: string;
  accountIds: string[];
  agentIds: string[];
  score: number;
  reasons: Reason[];
  refundIds: string[];
  valueUsd: number;
  firstAt: string;
  lastAt: string;
  fingerprints: { origins: string[]; ranges: string[]; scripts: string[]; returns: string[] };
}

export interface ReplayResult {
  refunds: RefundResult[];
  rings: RingResult[];
  signups: SignupResult[];
  agents: AgentResult[];
  intel: IntelResult[];
  problems: LineProblem[];
  events: number;
  duplicates: number;
}

export interface ReplayProgress {
  phase: 'read' | 'assess' | 'final';
  done: number;
  total?: number;
}

const BATCH = 5_000;

export async function replay(
  lines: AsyncIterable<ReplayLine>,
  engine: RiskEngine,
  onProgress?: (progress: ReplayProgress) => void,
): Promise<ReplayResult> {
  const problems: LineProblem[] = [];
  const events: RefundguardEvent[] = [];
  /** Each event's line, for naming one the state cannot take. */
  const lineOf: number[] = [];
  for await (const entry of lines) {
    if (entry.error !== undefined) {
      problems.push({ line: entry.line, message: entry.error });
      continue;
    }
    const parsed = parseEvent(entry.value);
    if (parsed.ok) {
      events.push(parsed.event);
      lineOf.push(entry.line);
    } else {
      problems.push({
        line: entry.line,
        message: parsed.problems.map((problem) => `${problem.field}: ${problem.reason}`).join('; '),
      });
    }
    if (events.length % 50_000 === 0) onProgress?.({ phase: 'read', done: events.length });
  }
  // Array.prototype.sort is stable: equal times keep their file order.
  const order = events
    .map((_, index) => index)
    .sort((left, right) => (events[left] as RefundguardEvent).at - (events[right] as RefundguardEvent).at);
  const sorted = order.map((index) => events[index] as RefundguardEvent);
  const origins = order.map((index) => ({ index, line: lineOf[index] as number }));
  for (let index = 0; index < sorted.length; index += 1) events[index] = sorted[index] as RefundguardEvent;

  // A back-test learns as history goes: models are trained on the labels dated before each batch.
  engine.learner ??= new ModelLearning(engine.store, engine.clock);
  const requestAssessments: AssessmentRecord[] = [];
  engine.onAssessed = (record) => requestAssessments.push(record);
  let duplicates = 0;
  for (let start = 0; start < events.length; start += BATCH) {
    const result = await engine.ingestEvents(
      events.slice(start, start + BATCH),
      undefined,
      origins.slice(start, start + BATCH),
    );
    duplicates += result.duplicates;
    for (const refused of result.refused ?? [])
      problems.push({
        line: refused.line ?? 0,
        message: refused.problems.map((problem) => `${problem.field}: ${problem.reason}`).join('; '),
      });
    onProgress?.({ phase: 'assess', done: Math.min(start + BATCH, events.length), total: events.length });
  }
  engine.onAssessed = undefined;

  // Rings first: final decisions may use what the whole replay revealed about them.
  const rings = finalRings(engine, events);
  const refunds: RefundResult[] = [];
  const signups: SignupResult[] = [];
  const refundRecords = requestAssessments.filter((record) => record.subjectType === 'refund');
  refundRecords.forEach((record, index) => {
    const final = engine.finalAssessment(record.subjectId);
    refunds.push({
      refundId: record.subjectId,
      accountId: record.accountId,
      decision: record.decision,
      score: record.score,
      reasons: record.reasons,
      finalDecision: final?.decision ?? record.decision,
      finalScore: final?.score ?? record.score,
      finalReasons: final?.reasons ?? record.reasons,
      rulePackVersion: record.rulePackVersion,
      modelVersion: record.modelVersion,
    });
    if (index % 2_000 === 0) onProgress?.({ phase: 'final', done: index, total: refundRecords.length });
  });
  for (const record of requestAssessments) {
    if (record.subjectType !== 'signup') continue;
    const matches =
      (record.signals.matches as { accountId: string; probability: number }[] | undefined) ?? [];
    signups.push({
      accountId: record.subjectId,
      decision: record.decision,
      score: record.score,
      matches: matches.map(({ accountId, probability }) => ({ accountId, probability })),
      reasons: record.reasons,
    });
  }

  const state = engine.riskState;
  const intel: IntelResult[] = [];
  for (const [orderId, mentions] of state.intelByOrder) {
    const accountId = state.orders.get(orderId)?.accountId;
    for (const mention of mentions) {
      intel.push({ postId: mention.postId, orderId, ...(accountId ? { accountId } : {}), confidence: 0.95 });
    }
  }
  const agents: AgentResult[] = [];
  for (const agentId of state.agents.keys()) {
    const risk = agentRisk(state, agentId, state.lastEventAt);
    if (risk) agents.push({ agentId, score: risk.score, reasons: risk.reasons });
  }
  return {
    refunds,
    rings,
    signups,
    agents,
    intel,
    problems,
    events: events.length,
    duplicates,
  };
}

/** The rings of the whole replay: one detection at its end, its window spanning every event. */
function finalRings(engine: RiskEngine, events: RefundguardEvent[]): RingResult[] {
  const first = events[0]?.at;
  const last = events.at(-1)?.at;
  if (first === undefined || last === undefined) return [];
  const gangs = engine.riskState.gangs;
  const run = gangs.detect(last + 1, { windowMs: Math.max(last + 1 - first, 180 * 86_400_000) });
  return run.rings.map((ring) => ({
    ringId: ring.ringId,
    accountIds: ring.accountIds,
    agentIds: ring.agentIds,
    score: ring.score,
    reasons: ring.reasons,
    refundIds: ring.refundIds,
    valueUsd: ring.valueUsd,
    firstAt: new Date(ring.firstAt).toISOString(),
    lastAt: new Date(ring.lastAt).toISOString(),
    fingerprints: ring.fingerprints,
  }));
}
