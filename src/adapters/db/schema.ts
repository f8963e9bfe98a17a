// Table shapes for Kysely. Column names are snake_case in the database and converted to the
// domain's camelCase records in rows.ts. Times are epoch milliseconds stored as bigint.
import type { Generated } from 'kysely';

export interface EventTable {
  /** Arrival order: breaks ties between events with the same `at`. */
  seq: Generated<number>;
  /** The sender's event id; unique, a re-sent id is a no-op. */
  id: string;
  type: string;
  /** The RFC 3339 text exactly as sent. */
  time: string;
  /** `time` in epoch milliseconds; what events are ordered by. */
  at: number;
  /** `data.accountId` when the payload names an account. */
  account_id: string | null;
  /** The id of the thing the event is about: orderId, refundId, contactId, postId, ... */
  subject_id: string | null;
  /** JSON text of `data`, unknown fields included. */
  payload: string;
}

export interface AssessmentTable {
  subject_type: 'refund' | 'signup';
  subject_id: string;
  kind: string;
  account_id: string;
  at: number;
  decision: string;
  score: number;
  /** JSON text of `Reason[]`. */
  reasons: string;
  /** JSON text of the signal values. */
  signals: string;
  rule_pack_version: string;
  /** The promoted model the decision used; null when the measured evidence decided alone. */
  model_version: string | null;
  amount_minor: number | null;
  currency: string | null;
  amount_usd_minor: number | null;
  created_at: number;
}

export interface ApiKeyTable {
  id: string;
  name: string;
  hash: string;
  role: string;
  created_at: number;
  revoked_at: number | null;
  /** Migration 0005: the actor who made the key; null when made at the shell. */
  created_by?: string | null;
}

export interface ModelTable {
  version: string;
  status: string;
  rule_pack_version: string;
  labels_before: number;
  trained_at: number;
  promoted_at: number | null;
  /** JSON text of the model. */
  body: string;
}

export interface DecisionPolicyTable {
  version: number;
  /** JSON text of the policy. */
  body: string;
  created_at: number;
  created_by: string;
  note: string | null;
}

export interface ShadowAssessmentTable {
  subject_id: string;
  candidate: string;
  at: number;
  live_decision: string;
  live_score: number;
  decision: string;
  score: number;
  amount_usd_minor: number | null;
  /** JSON text of `Reason[]`. */
  reasons: string;
}

export interface MetaTable {
  key: string;
  value: string;
}

export interface Database {
  events: EventTable;
  assessments: AssessmentTable;
  api_keys: ApiKeyTable;
  meta: MetaTable;
  models: ModelTable;
  decision_policies: DecisionPolicyTable;
  shadow_assessments: ShadowAssessmentTable;
}

export type StoreDialect = 'sqlite' | 'postgres';
