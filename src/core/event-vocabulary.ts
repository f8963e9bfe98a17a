// The contract's vocabularies (shared/contract/EVENTS.md, v1), apart from the schemas so that
// the hand-written payload checks (payload-checks.ts) can use them too.

// RFC 3339 with a timezone (Z or ±hh:mm); fractional seconds allowed.
export const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

export const REFUND_REASONS = [
  'not_received',
  'empty_box',
  'missing_item',
  'damaged',
  'defective',
  'wrong_item',
  'not_as_described',
  'changed_mind',
] as const;
export type RefundReason = (typeof REFUND_REASONS)[number];

export const REFUND_CHANNELS = ['self_service', 'chat', 'phone', 'email'] as const;
export const CONTACT_CHANNELS = ['chat', 'phone', 'email'] as const;
export const REFUND_OUTCOMES = ['approved', 'denied', 'return_required'] as const;
export const RETURN_STATUSES = ['label_created', 'in_transit', 'delivered', 'received'] as const;
export const RETURN_CONDITIONS = ['as_expected', 'empty', 'wrong_item', 'damaged'] as const;
export const CLOSE_REASONS = ['fraud', 'abuse', 'other'] as const;
export const AGENT_ACTIONS = [
  'login',
  'account.viewed',
  'order.viewed',
  'refund.approved',
  'refund.denied',
  'policy.override',
  'return.marked_received',
  'address.changed',
  'email.changed',
  'note.added',
] as const;
export const INTEL_SOURCES = ['telegram', 'reddit', 'discord', 'forum', 'other'] as const;
export const LABEL_SUBJECTS = ['refund', 'account', 'agent', 'order'] as const;
export const LABELS = ['fraud', 'legit', 'insider', 'ban_evasion'] as const;
