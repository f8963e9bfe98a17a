// Decisions: the policy, what it would have done on history, models and the shadow candidate.
// Replies are read with the schemas the server serialises with (src/contract/decisions.ts).
import type { z } from 'zod';
import {
  decisionModelSchema,
  type decisionPolicySchema,
  modelListSchema,
  type policyDaySchema,
  policyRecordSchema,
  type policyRunSchema,
  policySimulationSchema,
  policyViewSchema,
  type shadowDifferenceSchema,
  shadowReportSchema,
  shadowStartedSchema,
  shadowStoppedSchema,
  type thresholdRowSchema,
  trainResultSchema,
} from '../../../src/contract/decisions.ts';
import { call } from './client.ts';

/** The retailer's decision policy (rule pack `policy`): review capacity is a share or a number per day. */
export type DecisionPolicy = z.infer<typeof decisionPolicySchema>;
export type PolicyRecord = z.infer<typeof policyRecordSchema>;
export type PolicyView = z.infer<typeof policyViewSchema>;
/** One candidate threshold on history: what sending every refund at or above it to people does. */
export type ThresholdRow = z.infer<typeof thresholdRowSchema>;
export type PolicyDay = z.infer<typeof policyDaySchema>;
/** A whole policy run on history, its bands read day by day. */
export type PolicyRun = z.infer<typeof policyRunSchema>;
export type PolicySimulation = z.infer<typeof policySimulationSchema>;
export type DecisionModel = z.infer<typeof decisionModelSchema>;
export type ModelMetrics = DecisionModel['training'];
export type TrainResult = z.infer<typeof trainResultSchema>;
/** A refund the shadow candidate decides differently from the live decider. */
export type ShadowDifference = z.infer<typeof shadowDifferenceSchema>;
export type ShadowReport = z.infer<typeof shadowReportSchema>;

export const decisionsApi = {
  policy: (signal?: AbortSignal) =>
    call('GET', '/decisions/policy', policyViewSchema, signal ? { signal } : {}),
  setPolicy: (policy: DecisionPolicy, note?: string) =>
    call('PUT', '/decisions/policy', policyRecordSchema, { body: { policy, ...(note ? { note } : {}) } }),
  /** What each threshold, the policy in force and (when given) a proposed one would have done on history. */
  simulate: (proposal?: DecisionPolicy, signal?: AbortSignal) =>
    call('POST', '/decisions/policy/simulate', policySimulationSchema, {
      body: proposal ? { policy: proposal } : {},
      ...(signal ? { signal } : {}),
    }),
  models: async (signal?: AbortSignal) =>
    (await call('GET', '/decisions/models', modelListSchema, signal ? { signal } : {})).items,
  train: () => call('POST', '/decisions/models/train', trainResultSchema),
  promote: (version: string) =>
    call('POST', `/decisions/models/${encodeURIComponent(version)}/promote`, decisionModelSchema),
  retire: (version: string) =>
    call('POST', `/decisions/models/${encodeURIComponent(version)}/retire`, decisionModelSchema),
  shadow: (signal?: AbortSignal) =>
    call('GET', '/decisions/shadow', shadowReportSchema, signal ? { signal } : {}),
  startShadow: (modelVersion: string) =>
    call('POST', '/decisions/shadow', shadowStartedSchema, { body: { modelVersion } }),
  stopShadow: () => call('DELETE', '/decisions/shadow', shadowStoppedSchema),
};
