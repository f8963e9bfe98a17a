// Table shapes of the console's tables (migrations 0002 and 0003) for Kysely.
import type { Database } from './schema.ts';

export interface UserTable {
  id: string;
  email: string;
  name: string;
  role: string;
  agent_id: string | null;
  password_hash: string;
  disabled: number;
  created_at: number;
  /** Migration 0005: the actor who made the user (null: at the shell), and the admin who confirmed them. */
  created_by: string | null;
  confirmed_by: string | null;
}

export interface SessionTable {
  id_hash: string;
  user_id: string;
  created_at: number;
  expires_at: number;
}

export interface CaseTable {
  id: string;
  type: string;
  subject_type: string;
  subject_id: string;
  title: string;
  status: string;
  priority_usd_minor: number;
  marketplace: string | null;
  assignee_id: string | null;
  opened_at: number;
  updated_at: number;
  refund_count: number;
  /** JSON text of string[]. */
  top_reasons: string;
  /** JSON text of string[]. */
  agent_ids: string;
  /** JSON text of the outcome, or null. */
  outcome: string | null;
}

export interface CaseHistoryTable {
  case_id: string;
  from_status: string | null;
  to_status: string;
  by_user: string;
  at: number;
  note: string | null;
}

export interface CaseNoteTable {
  id: string;
  case_id: string;
  by_user: string;
  at: number;
  text: string;
}

export interface CaseEvidenceTable {
  case_id: string;
  kind: string;
  ref_id: string;
  summary: string;
  at: number;
  amount_usd_minor: number | null;
  data: string;
}

export interface ActionTable {
  id: string;
  case_id: string;
  type: string;
  key: string;
  account_id: string | null;
  refund_id: string | null;
  status: string;
  proposed_by: string;
  proposed_at: number;
  decided_by: string | null;
  decided_at: number | null;
  note: string | null;
  result: string | null;
  /** Migration 0003: the bulk proposal (a ring's members) this action belongs to. */
  batch_id: string | null;
}

export interface WebhookTable {
  id: string;
  url: string;
  secret: string;
  events: string;
  active: number;
  created_at: number;
}

export interface WebhookDeliveryTable {
  id: string;
  webhook_id: string;
  action_id: string | null;
  event_type: string;
  body: string;
  status: string;
  attempts: number;
  last_attempt_at: number | null;
  last_status_code: number | null;
  last_error: string | null;
  created_at: number;
}

/** Migration 0003: deliveries still to attempt (the outbox). */
export interface WebhookOutboxTable {
  delivery_id: string;
  webhook_id: string;
  attempts: number;
  next_at: number;
  claimed_until: number;
}

/** Migration 0003 adds `last_used_at` to api_keys. */
export interface ApiKeyUsageTable {
  id: string;
  name: string;
  hash: string;
  role: string;
  created_at: number;
  revoked_at: number | null;
  last_used_at: number | null;
  created_by: string | null;
}

export interface TemplateTable {
  name: string;
  body: string;
  updated_at: number;
}

export interface AuditTable {
  seq: number;
  at: number;
  actor: string;
  action: string;
  subject: string;
  detail: string;
  prev_hash: string;
  hash: string;
}

export interface ConsoleDatabase extends Omit<Database, 'api_keys'> {
  api_keys: ApiKeyUsageTable;
  webhook_outbox: WebhookOutboxTable;
  users: UserTable;
  sessions: SessionTable;
  cases: CaseTable;
  case_history: CaseHistoryTable;
  case_notes: CaseNoteTable;
  case_evidence: CaseEvidenceTable;
  actions: ActionTable;
  webhooks: WebhookTable;
  webhook_deliveries: WebhookDeliveryTable;
  templates: TemplateTable;
  audit_log: AuditTable;
}
