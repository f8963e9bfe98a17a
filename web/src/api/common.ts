// Vocabularies and shapes every area of the console shares: people, roles, decisions, reasons.
import { obj, optStr, str } from './client.ts';

export const ROLES = ['analyst', 'investigator', 'supervisor', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export interface User {
  id: string;
  email: string;
  name: string;
  role: Role;
  agentId?: string;
}

export interface Session {
  user: User;
  csrfToken: string;
}

export const CASE_STATUSES = ['open', 'investigating', 'actioned', 'dismissed', 'closed'] as const;
export const CASE_TYPES = ['refund', 'ring', 'insider', 'ban_evasion', 'intel'] as const;
export const DECISIONS = ['approve', 'return_first', 'review', 'deny'] as const;
export const OUTCOME_LABELS = ['fraud', 'legit', 'insider', 'ban_evasion'] as const;
export const ACTION_TYPES = [
  'warn_customer',
  'require_return',
  'deny_refund',
  'close_account',
  'reverse_refund',
  'export_evidence',
] as const;
/** Actions that start `proposed` and need a supervisor (four eyes). */
export const FOUR_EYES_ACTIONS: readonly ActionType[] = ['close_account', 'reverse_refund'];

export type ActionType = (typeof ACTION_TYPES)[number];
export type OutcomeLabel = (typeof OUTCOME_LABELS)[number];

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

export function toRole(value: unknown): Role {
  return (ROLES as readonly string[]).includes(str(value)) ? (value as Role) : 'analyst';
}

export function toUser(value: unknown): User {
  const user = obj(value);
  const agentId = optStr(user.agentId);
  return {
    id: str(user.id),
    email: str(user.email),
    name: str(user.name, str(user.email)),
    role: toRole(user.role),
    ...(agentId ? { agentId } : {}),
  };
}

export function toSession(value: unknown): Session {
  const body = obj(value);
  return { user: toUser(body.user), csrfToken: str(body.csrfToken) };
}
