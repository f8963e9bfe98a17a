// Ring cases: the ring page and actions on all members, read with the contract's schemas.
import {
  type ActionBatchView,
  actionBatchSchema,
  type BULK_ACTION_TYPES,
  type RingPageView,
  ringPageSchema,
} from '../../../src/contract/rings.ts';
import { call } from './client.ts';

export type ActionBatch = ActionBatchView;
export type RingPageData = RingPageView;
type BulkActionType = (typeof BULK_ACTION_TYPES)[number];

export const ringsApi = {
  ring: (caseId: string, signal?: AbortSignal) =>
    call('GET', `/cases/${encodeURIComponent(caseId)}/ring`, ringPageSchema, signal ? { signal } : {}),
  bulkAction: (caseId: string, type: BulkActionType, note?: string) =>
    call('POST', `/cases/${encodeURIComponent(caseId)}/bulk-actions`, actionBatchSchema, {
      body: { type, ...(note ? { note } : {}) },
    }),
  decideBatch: (batchId: string, approve: boolean, note?: string) =>
    call(
      'POST',
      `/action-batches/${encodeURIComponent(batchId)}/${approve ? 'approve' : 'reject'}`,
      actionBatchSchema,
      { body: note ? { note } : {} },
    ),
};
