// A simulated world replayed and scored the way `simulate` → `replay` → `eval` would, in memory:
// what the detection-quality test and `bench:quality` both measure.
import { RiskEngine } from '../../app/engine.ts';
import { type Evaluation, evaluate } from '../../app/evaluation.ts';
import { replay } from '../../app/replay.ts';
import { evaluateRings, type RingEvaluation } from '../../app/ring-evaluation.ts';
import type { CompiledRulePack } from '../../core/rules/rule-engine.ts';
import { type MixName, simulateWorld } from '../../sim/index.ts';
import { openStore } from '../db/open-store.ts';

export interface SimulatedEvaluation {
  events: number;
  refunds: Evaluation;
  rings: RingEvaluation;
}

export async function evaluateSimulatedWorld(
  world: { seed: number; mix: MixName; customers: number; days: number },
  rules: CompiledRulePack,
): Promise<SimulatedEvaluation> {
  const simulated = simulateWorld(world);
  const store = await openStore(':memory:');
  try {
    const engine = new RiskEngine(store, rules);
    async function* lines() {
      let line = 0;
      for (const event of simulated.events) yield { line: ++line, value: event };
    }
    const result = await replay(lines(), engine);
    return {
      events: simulated.events.length,
      refunds: evaluate(simulated.labels, result.refunds),
      rings: evaluateRings(simulated.labels, result.rings),
    };
  } finally {
    await store.close();
  }
}
