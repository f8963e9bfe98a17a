// Vocabularies and shapes every area of the console shares: people, roles, decisions, reasons.
import type { z } from 'zod';
import type { personRefSchema } from '../../../src/contract/cases.ts';
import type { reasonSchema } from '../../../src/contract/refunds.ts';
import { obj, str } from './client.ts';

export type { SessionView as Session, UserView as User } from '../../../src/contract/session.ts';
export {
  ACTION_RULES,
  ACTION_TYPES,
  type ActionType,
  CASE_STATUSES,
  CASE_TYPES,
  DECISIONS,
  FOUR_EYES_ACTIONS,
  OUTCOME_LABELS,
  type OutcomeLabel,
  USER_ROLES as ROLES,
  type UserRole as Role,
} from '../../../src/contract/vocabulary.ts';

export type Reason = z.infer<typeof reasonSchema>;
export type PersonRef = z.infer<typeof personRefSchema>;

/**
 * Reasons arrive as `{code, text}` objects or as plain codes. Left for web/src/api/decisions.ts
 * until that area reads its replies through the contract; nothing else uses it.
 */
export function toReason(value: unknown): Reason {
  if (typeof value === 'string') return { code: value, text: value };
  const reason = obj(value);
  const code = str(reason.code);
  return { code, text: str(reason.text, code) };
}
