// The words the API and the console share, each defined once in the domain core and gathered here
// so that the console imports them without reaching into the core's internals.
export {
  isUserRole,
  KEY_ROLES,
  type KeyRole,
  type Permission,
  USER_ROLES,
  type UserRole,
  userRoleMay,
} from '../core/access.ts';
export { ACTION_RULES, ACTION_TYPES, type ActionType } from '../core/cases/actions.ts';
export { CASE_STATUSES, CASE_TYPES, type CaseStatus, type CaseType } from '../core/cases/case-machine.ts';
export { DECISIONS, type Decision } from '../core/decisions.ts';

import { LABELS } from '../core/event-vocabulary.ts';

/** What an investigator records as a case's outcome: the contract's `label.set` labels. */
export const OUTCOME_LABELS = LABELS;
export type OutcomeLabel = (typeof LABELS)[number];

// Added for the cases contract: action statuses, what a case is about, and the four-eyes actions.
export { ACTION_STATUSES, type ActionStatus } from '../core/cases/actions.ts';
export { CASE_SUBJECT_TYPES, type CaseSubjectType } from '../core/cases/case-machine.ts';

import {
  ACTION_RULES as RULES,
  ACTION_TYPES as TYPES,
  type ActionType as Type,
} from '../core/cases/actions.ts';

/** Actions that start `proposed` and need a supervisor who is someone else (four eyes). */
export const FOUR_EYES_ACTIONS: readonly Type[] = TYPES.filter((type) => RULES[type].needsApproval);
