// Decisions: the policy, what it would have done on history, models and the shadow candidate.
// Replies are read with the schemas the server serialises with (src/contract/decisions.ts).
import type { DecisionModelView, DecisionPolicyView } from '../../../src/contract/decisions.ts';
import {
  decisionModelSchema,
  modelListSchema,
  policyRecordSchema,
  policySimulationSchema,
  policyViewSchema,
  shadowReportSchema,
  shadowStartedSchema,
  shadowStoppedSchema,
  trainResultSchema,
} from '../../../src/contract/decisions.ts';
import { call } from './client.ts';

export type {
  DecisionModelView as DecisionModel,
  DecisionPolicyView as DecisionPolicy,
  PolicyDayView as PolicyDay,
  PolicyRecordView as PolicyRecord,
  PolicyRunView as PolicyRun,
  PolicySimulationView as PolicySimulation,
  PolicyViewReply as PolicyView,
  ShadowDifferenceView as ShadowDifference,
  ShadowReportView as ShadowReport,
  ThresholdRowView as ThresholdRow,
  TrainResultView as TrainResult,
} from '../../../src/contract/decisions.ts';
export type ModelMetrics = DecisionModelView['training'];

export const decisionsApi = {
  policy: (signal?: AbortSignal) =>
    call('GET', '/decisions/policy', policyViewSchema, signal ? { signal } : {}),
  setPolicy: (policy: DecisionPolicyView, note?: string) =>
    call('PUT', '/decisions/policy', policyRecordSchema, { body: { policy, ...(note ? { note } : {}) } }),
  /** What each threshold, the policy in force and (when given) a proposed one would have done on history. */
  simulate: (proposal?: DecisionPolicyView, signal?: AbortSignal) =>
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
