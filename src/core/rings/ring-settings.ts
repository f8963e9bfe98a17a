// Ring detection's tunables, in the versioned pack: a change to any of them changes decisions
// (a ring's members get the ring's reason), so it must change the pack's version too. Defaults
// are the values the detector was tuned with; times are in days or hours, as people write them.
import { z } from 'zod';
import { DEFAULT_SCRIPT_INDEX_OPTIONS } from '../text/script-similarity.ts';
import { LINK_KINDS, type LinkKind } from './link-graph.ts';
import {
  DEFAULT_RING_OPTIONS,
  DEFAULT_RING_SCORE_WEIGHTS,
  type RingDetectionOptions,
} from './ring-options.ts';
import type { RingStateOptions } from './ring-state.ts';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

const weight = z.number().min(0).max(10);
const linkWeightSchema = z.object({ suspect: weight, mixed: weight, own: weight });
/** One value per kind of link, each defaulted on its own (a pack may set only `card`). */
function perKind<T>(value: z.ZodType<T>, defaults: Record<LinkKind, T>) {
  const shape: Record<string, z.ZodType> = {};
  for (const kind of LINK_KINDS) shape[kind] = value.default(defaults[kind] as never);
  return z
    .object(shape)
    .strict()
    .default(defaults as never) as unknown as z.ZodType<Record<LinkKind, T>>;
}

const defaults = DEFAULT_RING_OPTIONS;
const score = DEFAULT_RING_SCORE_WEIGHTS;
const share = z.number().min(0).max(1);
const scripts = DEFAULT_SCRIPT_INDEX_OPTIONS;

/** Near-duplicate scripts (MinHash/LSH over word shingles): what counts as the same story. */
export const scriptSettingsSchema = z
  .object({
    numHashes: z.number().int().min(8).max(512).default(scripts.numHashes),
    bands: z.number().int().min(1).default(scripts.bands),
    /** Estimated Jaccard similarity from which two texts are near-duplicates. */
    threshold: share.default(scripts.threshold),
    minShingles: z.number().int().min(1).default(scripts.minShingles),
    maxCandidates: z.number().int().min(1).default(scripts.maxCandidates),
    maxBucketScan: z.number().int().min(1).default(scripts.maxBucketScan),
    /** A text more accounts than this wrote in the window is boilerplate, not a script. */
    boilerplateAccounts: z.number().int().min(1).default(scripts.boilerplateAccounts),
    retentionDays: z
      .number()
      .positive()
      .default(scripts.retentionMs / DAY_MS),
    familyWindowDays: z
      .number()
      .positive()
      .default(scripts.familyWindowMs / DAY_MS),
  })
  .strict()
  .refine((settings) => settings.numHashes % settings.bands === 0, {
    message: 'numHashes must be a multiple of bands',
    path: ['bands'],
  });

export const ringSettingsSchema = z
  .object({
    /** Event time between detection runs (longer on big graphs, see accountsPerRunInterval). */
    detectEveryHours: z.number().positive().default(24),
    accountsPerRunInterval: z.number().int().positive().default(50_000),
    windowDays: z
      .number()
      .positive()
      .default(defaults.windowMs / DAY_MS),
    minRingSize: z.number().int().min(2).default(defaults.minRingSize),
    minScore: share.default(defaults.minScore),
    minPairWeight: z.number().min(0).default(defaults.minPairWeight),
    maxAccountsPerValue: perKind(z.number().int().min(0), defaults.maxAccountsPerValue),
    maxValueUsers: perKind(z.number().int().min(0), defaults.maxValueUsers),
    linkWeights: perKind(linkWeightSchema, defaults.weights),
    denseLimit: z.number().int().min(2).default(defaults.denseLimit),
    chainNeighbours: z.number().int().min(1).default(defaults.chainNeighbours),
    burstDays: z
      .number()
      .min(0)
      .default(defaults.burstMs / DAY_MS),
    burstBoost: z.number().min(1).default(defaults.burstBoost),
    mergeRatio: share.default(defaults.mergeRatio),
    gangTieSupport: z.number().min(0).default(defaults.gangTieSupport),
    timingSpanDays: z
      .number()
      .positive()
      .default(defaults.timingSpanMs / DAY_MS),
    resolution: z.number().positive().default(defaults.resolution),
    modularityWeight: z.number().positive().default(defaults.modularityWeight),
    seed: z.number().int().default(defaults.seed),
    score: z
      .object({
        sharedOrigin: share.default(score.sharedOrigin),
        sharedRange: share.default(score.sharedRange),
        sharedScript: share.default(score.sharedScript),
        sharedReturns: share.default(score.sharedReturns),
        thirdParty: share.default(score.thirdParty),
        repeatRefunds: share.default(score.repeatRefunds),
        clusteredTiming: share.default(score.clusteredTiming),
        value: share.default(score.value),
        agentConcentration: share.default(score.agentConcentration),
      })
      .strict()
      .default(score),
    scripts: scriptSettingsSchema.default(scriptSettingsSchema.parse({})),
  })
  .strict();
export type RingSettings = z.infer<typeof ringSettingsSchema>;

/** The ring state's options from the pack's ring settings. */
export function ringStateOptionsOf(settings: RingSettings): RingStateOptions {
  const rings: Partial<RingDetectionOptions> = {
    windowMs: settings.windowDays * DAY_MS,
    minRingSize: settings.minRingSize,
    minScore: settings.minScore,
    minPairWeight: settings.minPairWeight,
    maxAccountsPerValue: settings.maxAccountsPerValue,
    maxValueUsers: settings.maxValueUsers,
    weights: settings.linkWeights,
    denseLimit: settings.denseLimit,
    chainNeighbours: settings.chainNeighbours,
    burstMs: settings.burstDays * DAY_MS,
    burstBoost: settings.burstBoost,
    mergeRatio: settings.mergeRatio,
    gangTieSupport: settings.gangTieSupport,
    timingSpanMs: settings.timingSpanDays * DAY_MS,
    resolution: settings.resolution,
    modularityWeight: settings.modularityWeight,
    seed: settings.seed,
    scoreWeights: settings.score,
  };
  return {
    detectEveryMs: settings.detectEveryHours * HOUR_MS,
    accountsPerRunInterval: settings.accountsPerRunInterval,
    rings,
    scripts: {
      numHashes: settings.scripts.numHashes,
      bands: settings.scripts.bands,
      threshold: settings.scripts.threshold,
      minShingles: settings.scripts.minShingles,
      maxCandidates: settings.scripts.maxCandidates,
      maxBucketScan: settings.scripts.maxBucketScan,
      boilerplateAccounts: settings.scripts.boilerplateAccounts,
      retentionMs: settings.scripts.retentionDays * DAY_MS,
      familyWindowMs: settings.scripts.familyWindowDays * DAY_MS,
    },
  };
}
