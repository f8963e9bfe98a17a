// Conversions between database rows and the domain's records, in one place for both dialects.

import type { ApiKeyRecord, AssessmentKind, AssessmentRecord } from '../../app/ports.ts';
import type { RefundguardEvent } from '../../core/events.ts';
import { eventAccountId, eventSubjectId } from './event-columns.ts';
import type { ApiKeyTable, AssessmentTable, EventTable } from './schema.ts';

export type EventRow = Omit<EventTable, 'seq'>;
type StoredEventRow = Pick<EventTable, 'id' | 'type' | 'time' | 'at' | 'payload'>;

export function toEventRow(event: RefundguardEvent): EventRow {
  return {
    id: event.id,
    type: event.type,
    time: event.time,
    at: event.at,
    account_id: eventAccountId(event),
    subject_id: eventSubjectId(event),
    payload: JSON.stringify(event.data),
  };
}

export function fromEventRow(row: StoredEventRow): RefundguardEvent {
  // Events were validated before they were stored; the row is trusted as the same shape.
  return {
    id: row.id,
    type: row.type,
    time: row.time,
    at: Number(row.at),
    data: JSON.parse(row.payload),
  } as RefundguardEvent;
}

export function toAssessmentRow(record: AssessmentRecord): AssessmentTable {
  return {
    subject_type: record.subjectType,
    subject_id: record.subjectId,
    kind: record.kind,
    account_id: record.accountId,
    at: record.at,
    decision: record.decision,
    score: record.score,
    reasons: JSON.stringify(record.reasons),
    signals: JSON.stringify(record.signals),
    rule_pack_version: record.rulePackVersion,
    model_version: record.modelVersion,
    amount_minor: record.amountMinor,
    currency: record.currency,
    amount_usd_minor: record.amountUsdMinor,
    created_at: record.createdAt,
  };
}

export function fromAssessmentRow(row: AssessmentTable): AssessmentRecord {
  return {
    subjectType: row.subject_type,
    subjectId: row.subject_id,
    kind: row.kind as AssessmentKind,
    accountId: row.account_id,
    at: Number(row.at),
    decision: row.decision,
    score: Number(row.score),
    reasons: JSON.parse(row.reasons),
    signals: JSON.parse(row.signals),
    rulePackVersion: row.rule_pack_version,
    modelVersion: row.model_version ?? null,
    amountMinor: nullableNumber(row.amount_minor),
    currency: row.currency,
    amountUsdMinor: nullableNumber(row.amount_usd_minor),
    createdAt: Number(row.created_at),
  };
}

export function toApiKeyRow(record: ApiKeyRecord): ApiKeyTable {
  return {
    id: record.id,
    name: record.name,
    hash: record.hash,
    role: record.role,
    created_at: record.createdAt,
    revoked_at: record.revokedAt,
    created_by: record.createdBy,
  };
}

export function fromApiKeyRow(row: ApiKeyTable): ApiKeyRecord {
  return {
    id: row.id,
    name: row.name,
    hash: row.hash,
    role: row.role,
    createdAt: Number(row.created_at),
    revokedAt: nullableNumber(row.revoked_at),
    createdBy: row.created_by ?? null,
  };
}

function nullableNumber(value: number | null): number | null {
  return value === null ? null : Number(value);
}
