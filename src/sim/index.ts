// The world simulator: synthetic retailer event streams with ground-truth labels, for
// back-testing detectors. Same seed and options, same bytes.
export {
  MIX_NAMES,
  MIX_PRESETS,
  type MixName,
  type SimulationOptions,
  type SimulationOptionsInput,
  simulationOptionsSchema,
} from './options.ts';
export type { MixBehaviour } from './profile.ts';
export type { GenerationPhase, ProgressListener } from './world.ts';
export {
  type ContractEnvelope,
  type SimulatedWorld,
  simulateWorld,
  type WorldSummary,
  type WriteWorldResult,
  writeWorld,
} from './writer.ts';
