// Vocabularies and shapes every area of the console shares: people, roles, decisions, reasons.
import { ACTION_RULES, ACTION_TYPES, type ActionType } from '../../../src/contract/vocabulary.ts';
import { obj, str } from './client.ts';

export type { SessionView as Session, UserView as User } from '../../../src/contract/session.ts';
export {
  ACTION_TYPES,
  type ActionType,
  CASE_STATUSES,
  CASE_TYPES,
  DECISIONS,
  OUTCOME_LABELS,
  type OutcomeLabel,
  USER_ROLES as ROLES,
  type UserRole as Role,
} from '../../../src/contract/vocabulary.ts';

/** Actions that start `proposed` and need a supervisor (four eyes). */
export const FOUR_EYES_ACTIONS: readonly ActionType[] = ACTION_TYPES.filter(
  (type) => ACTION_RULES[type].needsApproval,
);

export interface Reason {
  code: string;
  text: string;
}

export interface PersonRef {
  id: string;
  name: string;
}

export function toPerson(value: unknown): PersonRef {
  if (typeof value === 'string') return { id: value, name: value };
  const person = obj(value);
  const id = str(person.id);
  return { id, name: str(person.name, id) };
}

/** Reasons arrive as `{code, text}` objects or as plain codes. */
export function toReason(value: unknown): Reason {
  if (typeof value === 'string') return { code: value, text: value };
  const reason = obj(value);
  const code = str(reason.code);
  return { code, text: str(reason.text, code) };
}
