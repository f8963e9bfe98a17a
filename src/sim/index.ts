// The world simulator: synthetic retailer event streams with ground-truth labels, for
// back-testing detectors. Same seed and options, same bytes.
export {
  MIX_NAMES,
  MIX_PRESETS,
  type MixBehaviour,
  type MixName,
  type SimulationOptions,
  type SimulationOptionsInput,
  simulationOptionsSchema,
} from './options.ts';
export type { GenerationPhase, ProgressListener } from './world.ts';
export {
  type ContractEnvelope,
  type SimulatedWorld,
  type WorldSummary,
  type WriteWorldResult,
  simulateWorld,
  writeWorld,
} from './writer.ts';
