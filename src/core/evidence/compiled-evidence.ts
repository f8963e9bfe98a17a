// The evidence families and hard policies of a pack, compiled once. Evaluating them over a
// refund's signals gives its *observation*: for each family, which level it shows (or `none`, or
// that the family does not apply), and which hard policies hold. A condition that fails to
// evaluate never crashes a decision: the refund is sent to review with the failure as a reason.
import type { Decision, Reason } from '../decisions.ts';
import { type CompiledCondition, compileConditions, firstLine } from '../rules/conditions.ts';
import type { EvidenceFamily, HardPolicy } from './evidence-pack.ts';

export type Stage = 'request' | 'final';

/** A family's answer: -1 outside its population, 0..levels-1 the level shown, `levels` for none. */
export type Observation = Int16Array;

export const OUTSIDE = -1;

export interface EvaluatedEvidence {
  observation: Observation;
  /** Hard policies that hold, in pack order. */
  policies: HardPolicy[];
  failures: Reason[];
}

interface CompiledFamily {
  family: EvidenceFamily;
  among: CompiledCondition;
  levels: CompiledCondition[];
}

interface CompiledPolicy {
  policy: HardPolicy;
  condition: CompiledCondition;
}

export class CompiledEvidence {
  readonly families: readonly EvidenceFamily[];
  private readonly compiled: CompiledFamily[];
  private readonly compiledPolicies: CompiledPolicy[];
  /** Index of each family by id, and each level by `family/level`. */
  private readonly familyIndex = new Map<string, number>();

  constructor(families: EvidenceFamily[], policies: HardPolicy[], variables: readonly string[]) {
    this.families = families;
    const conditions: { id: string; when: string }[] = [];
    for (const family of families) {
      conditions.push({ id: `${family.family}/among`, when: family.among });
      for (const level of family.levels)
        conditions.push({ id: `${family.family}/${level.id}`, when: level.when });
    }
    for (const policy of policies) conditions.push({ id: `policy/${policy.id}`, when: policy.when });
    const compiled = compileConditions(conditions, variables);
    let next = 0;
    this.compiled = families.map((family, index) => {
      this.familyIndex.set(family.family, index);
      const among = compiled[next++] as CompiledCondition;
      const levels = family.levels.map(() => compiled[next++] as CompiledCondition);
      return { family, among, levels };
    });
    this.compiledPolicies = policies.map((policy) => ({
      policy,
      condition: compiled[next++] as CompiledCondition,
    }));
  }

  familyIndexOf(familyId: string): number | undefined {
    return this.familyIndex.get(familyId);
  }

  /** Which level each family shows for these signals, and which hard policies hold. */
  evaluate(context: Record<string, unknown>, stage: Stage): EvaluatedEvidence {
    const observation = new Int16Array(this.compiled.length);
    const failures: Reason[] = [];
    const test = (condition: CompiledCondition, what: string): boolean => {
      try {
        return condition(context) === true;
      } catch (error) {
        failures.push({ code: 'RULE_FAILED', text: `${what} could not be evaluated: ${firstLine(error)}` });
        return false;
      }
    };
    this.compiled.forEach(({ family, among, levels }, index) => {
      if ((family.stage === 'final' && stage !== 'final') || !test(among, `Evidence ${family.family}`)) {
        observation[index] = OUTSIDE;
        return;
      }
      let shown = levels.length;
      for (let level = 0; level < levels.length; level += 1) {
        if (
          test(levels[level] as CompiledCondition, `Evidence ${family.family}/${family.levels[level]?.id}`)
        ) {
          shown = level;
          break;
        }
      }
      observation[index] = shown;
    });
    const policies: HardPolicy[] = [];
    for (const { policy, condition } of this.compiledPolicies) {
      if (policy.stage !== 'both' && policy.stage !== stage) continue;
      if (test(condition, `Policy ${policy.id}`)) policies.push(policy);
    }
    return { observation, policies, failures };
  }

  /** The observation as `{family: level}` (levels by id, `none`), as it is stored with a decision. */
  describe(observation: Observation): Record<string, string> {
    const described: Record<string, string> = {};
    this.families.forEach((family, index) => {
      const shown = observation[index] as number;
      if (shown === OUTSIDE) return;
      described[family.family] = family.levels[shown]?.id ?? 'none';
    });
    return described;
  }

  /** Reads a stored `{family: level}` back (families or levels the pack no longer has are left out). */
  parse(described: Record<string, string>): Observation {
    const observation = new Int16Array(this.families.length).fill(OUTSIDE);
    for (const [familyId, levelId] of Object.entries(described)) {
      const index = this.familyIndex.get(familyId);
      if (index === undefined) continue;
      const family = this.families[index] as EvidenceFamily;
      const level =
        levelId === 'none'
          ? family.levels.length
          : family.levels.findIndex((candidate) => candidate.id === levelId);
      if (level >= 0) observation[index] = level;
    }
    return observation;
  }
}

/** The most severe of two decisions. */
export function severest(left: Decision, right: Decision, order: readonly Decision[]): Decision {
  return order.indexOf(left) >= order.indexOf(right) ? left : right;
}
