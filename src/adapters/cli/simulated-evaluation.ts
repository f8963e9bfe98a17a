// A simulated world replayed and scored the way `simulate` → `replay` → `eval` would, in memory:
// what the detection-quality test and `bench:quality` both measure.
import { RiskEngine } from '../../app/engine.ts';
import { type Evaluation, evaluate } from '../../app/evaluation.ts';
import type { LabelRecord } from '../../app/labels.ts';
import type { Clock } from '../../app/ports.ts';
import { replay } from '../../app/replay.ts';
import { evaluateRings, type RingEvaluation } from '../../app/ring-evaluation.ts';
import type { CompiledRulePack } from '../../core/rules/rule-engine.ts';
import { DAY_MS } from '../../core/time.ts';
import {
  type ContractEnvelope,
  type SimulationOptionsInput,
  simulateWorld,
  type WorldSummary,
} from '../../sim/index.ts';
import { openStore } from '../db/open-store.ts';

export interface SimulatedEvaluation {
  events: number;
  refunds: Evaluation;
  rings: RingEvaluation;
  summary: WorldSummary;
  /** Models promoted during the replay (learned from the world's own `label.set` outcomes). */
  modelsPromoted: number;
}

export interface EvaluationWindow {
  /** Only refunds requested on or after this day of the world are scored (a model had time to learn). */
  fromDay?: number;
}

export async function evaluateSimulatedWorld(
  world: SimulationOptionsInput,
  rules: CompiledRulePack,
  clock: Clock,
  window: EvaluationWindow = {},
): Promise<SimulatedEvaluation> {
  const simulated = simulateWorld(world);
  const store = await openStore(':memory:');
  try {
    const engine = new RiskEngine(store, rules, clock);
    async function* lines() {
      let line = 0;
      for (const event of simulated.events) yield { line: ++line, value: event };
    }
    const result = await replay(lines(), engine);
    const labels = window.fromDay
      ? labelsFrom(simulated.events, simulated.labels, window.fromDay)
      : simulated.labels;
    const models = await store.listModels();
    return {
      events: simulated.events.length,
      refunds: evaluate(labels, result.refunds),
      rings: evaluateRings(simulated.labels, result.rings),
      summary: simulated.summary,
      modelsPromoted: models.filter((model) => model.promotedAt !== null).length,
    };
  } finally {
    await store.close();
  }
}

/** The labels of refunds requested from `fromDay` on (days counted from the first event); others as they are. */
function labelsFrom(
  events: readonly ContractEnvelope[],
  labels: readonly LabelRecord[],
  fromDay: number,
): LabelRecord[] {
  const first = events[0] ? Date.parse(events[0].time) : 0;
  const cutoff = first + fromDay * DAY_MS;
  const early = new Set<string>();
  for (const event of events)
    if (event.type === 'refund.requested' && Date.parse(event.time) < cutoff)
      early.add(String(event.data.refundId));
  return labels.filter((label) => label.subject !== 'refund' || !early.has(label.subjectId));
}
