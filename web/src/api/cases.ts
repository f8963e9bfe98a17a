// Cases, their timelines and actions, refunds search and the dashboard: every reply is read with
// the contract schema the server serialised it with.
import type { z } from 'zod';
import {
  actionSchema,
  caseDetailSchema,
  caseListSchema,
  caseNoteSchema,
  caseSummarySchema,
  type timelineItemSchema,
  timelineSchema,
} from '../../../src/contract/cases.ts';
import { dashboardSchema, refundSearchSchema } from '../../../src/contract/console-reads.ts';
import { call } from './client.ts';
import type { ActionType, OutcomeLabel } from './common.ts';

export type CaseSummary = z.infer<typeof caseSummarySchema>;
export type CaseDetail = z.infer<typeof caseDetailSchema>;
export type Action = z.infer<typeof actionSchema>;
export type Timeline = z.infer<typeof timelineSchema>;
export type TimelineItem = z.infer<typeof timelineItemSchema>;
export type TimelineAccount = NonNullable<Timeline['account']>;
export type Assessment = NonNullable<TimelineItem['assessment']>;
export type Dashboard = z.infer<typeof dashboardSchema>;

export interface CaseFilters {
  status?: readonly string[];
  type?: readonly string[];
  marketplace?: string;
  minUsd?: number;
  maxAgeDays?: number;
  assignee?: string;
  limit: number;
  offset: number;
}

export interface RefundFilters {
  q?: string;
  decision?: readonly string[];
  from?: string;
  to?: string;
  limit: number;
  offset: number;
}

const casePath = (id: string, rest = '') => `/cases/${encodeURIComponent(id)}${rest}`;
const actionPath = (id: string, rest: string) => `/actions/${encodeURIComponent(id)}${rest}`;

export const casesApi = {
  cases: (filters: CaseFilters, signal?: AbortSignal) =>
    call('GET', '/cases', caseListSchema, { query: { ...filters }, ...(signal ? { signal } : {}) }),
  case: (id: string, signal?: AbortSignal) =>
    call('GET', casePath(id), caseDetailSchema, signal ? { signal } : {}),
  timeline: (id: string, signal?: AbortSignal) =>
    call('GET', casePath(id, '/timeline'), timelineSchema, signal ? { signal } : {}),
  transition: (id: string, to: string, note?: string) =>
    call('POST', casePath(id, '/transition'), caseSummarySchema, {
      body: { to, ...(note ? { note } : {}) },
    }),
  assign: (id: string, userId: string | null) =>
    call('POST', casePath(id, '/assign'), caseSummarySchema, { body: { userId } }),
  addNote: (id: string, text: string) =>
    call('POST', casePath(id, '/notes'), caseNoteSchema, { body: { text } }),
  setOutcome: (id: string, label: OutcomeLabel, note?: string) =>
    call('POST', casePath(id, '/outcome'), caseSummarySchema, {
      body: { label, ...(note ? { note } : {}) },
    }),
  proposeAction: (
    id: string,
    input: { type: ActionType; accountId?: string; refundId?: string; note?: string },
  ) => call('POST', casePath(id, '/actions'), actionSchema, { body: input }),
  approveAction: (id: string, note?: string) =>
    call('POST', actionPath(id, '/approve'), actionSchema, { body: note ? { note } : {} }),
  rejectAction: (id: string, note?: string) =>
    call('POST', actionPath(id, '/reject'), actionSchema, { body: note ? { note } : {} }),
  evidenceZipUrl: (actionId: string) => `/v1${actionPath(actionId, '/evidence.zip')}`,

  refunds: (filters: RefundFilters, signal?: AbortSignal) =>
    call('GET', '/refunds', refundSearchSchema, { query: { ...filters }, ...(signal ? { signal } : {}) }),
  dashboard: (days: number, signal?: AbortSignal) =>
    call('GET', '/dashboard', dashboardSchema, { query: { days }, ...(signal ? { signal } : {}) }),
};
