// Administration (admin role): users, API keys, webhooks, the template and the audit log.

import { userSchema } from '../../../src/contract/session.ts';
import { arr, call, items, num, obj, optStr, optTime, str, time } from './client.ts';
import type { Role, User } from './common.ts';

export const KEY_ROLES = ['ingest', 'analyst', 'admin'] as const;
export type KeyRole = (typeof KEY_ROLES)[number];

export interface AdminUser extends User {
  disabled: boolean;
  createdAt: number;
}

export interface ApiKey {
  id: string;
  name: string;
  role: string;
  createdAt: number;
  lastUsedAt?: number;
  revokedAt?: number;
}

export interface Webhook {
  id: string;
  url: string;
  events: string[];
  active: boolean;
  createdAt: number;
}

export interface WebhookDelivery {
  id: string;
  webhookId: string;
  actionId?: string;
  eventType: string;
  status: string;
  attempts: number;
  lastAttemptAt?: number;
  lastStatusCode?: number;
  lastError?: string;
  nextAttemptAt?: number;
  createdAt: number;
}

export interface AuditEntry {
  seq: number;
  at: number;
  actor: string;
  action: string;
  subject: string;
  detail: Record<string, unknown>;
  hash: string;
  prevHash: string;
}

export interface AuditCheck {
  ok: boolean;
  rows: number;
  brokenSeq?: number;
  problem?: string;
}

export interface AuditFilters {
  actor?: string;
  action?: string;
  subject?: string;
  before?: number;
  limit: number;
}

export function toAdminUser(value: unknown): AdminUser {
  const user = obj(value);
  return { ...userSchema.parse(user), disabled: user.disabled === true, createdAt: time(user.createdAt) };
}

export function toApiKey(value: unknown): ApiKey {
  const key = obj(value);
  const lastUsedAt = optTime(key.lastUsedAt);
  const revokedAt = optTime(key.revokedAt);
  return {
    id: str(key.id),
    name: str(key.name),
    role: str(key.role),
    createdAt: time(key.createdAt),
    ...(lastUsedAt !== undefined ? { lastUsedAt } : {}),
    ...(revokedAt !== undefined ? { revokedAt } : {}),
  };
}

export function toWebhook(value: unknown): Webhook {
  const hook = obj(value);
  return {
    id: str(hook.id),
    url: str(hook.url),
    events: arr(hook.events).map((event) => str(event)),
    active: hook.active === true,
    createdAt: time(hook.createdAt),
  };
}

export function toDelivery(value: unknown): WebhookDelivery {
  const row = obj(value);
  const actionId = optStr(row.actionId);
  const lastAttemptAt = optTime(row.lastAttemptAt);
  const nextAttemptAt = optTime(row.nextAttemptAt);
  const lastError = optStr(row.lastError);
  return {
    id: str(row.id),
    webhookId: str(row.webhookId),
    ...(actionId ? { actionId } : {}),
    eventType: str(row.eventType),
    status: str(row.status),
    attempts: num(row.attempts),
    ...(lastAttemptAt !== undefined ? { lastAttemptAt } : {}),
    ...(typeof row.lastStatusCode === 'number' ? { lastStatusCode: row.lastStatusCode } : {}),
    ...(lastError ? { lastError } : {}),
    ...(nextAttemptAt !== undefined ? { nextAttemptAt } : {}),
    createdAt: time(row.createdAt),
  };
}

export function toAuditEntry(value: unknown): AuditEntry {
  const row = obj(value);
  return {
    seq: num(row.seq),
    at: time(row.at),
    actor: str(row.actor),
    action: str(row.action),
    subject: str(row.subject),
    detail: obj(row.detail),
    hash: str(row.hash),
    prevHash: str(row.prevHash),
  };
}

export function toAuditCheck(value: unknown): AuditCheck {
  const body = obj(value);
  const problem = optStr(body.problem);
  return {
    ok: body.ok === true,
    rows: num(body.rows),
    ...(typeof body.brokenSeq === 'number' ? { brokenSeq: body.brokenSeq } : {}),
    ...(problem ? { problem } : {}),
  };
}

export const adminApi = {
  users: (signal?: AbortSignal) => call('GET', '/users', items(toAdminUser), signal ? { signal } : {}),
  createUser: (input: { email: string; name: string; role: Role; password: string; agentId?: string }) =>
    call('POST', '/users', userSchema, { body: input }),
  updateUser: (id: string, changes: { role?: Role; disabled?: boolean; name?: string }) =>
    call('PATCH', `/users/${encodeURIComponent(id)}`, toAdminUser, { body: changes }),
  keys: (signal?: AbortSignal) => call('GET', '/keys', items(toApiKey), signal ? { signal } : {}),
  createKey: (input: { name: string; role: KeyRole }) =>
    call('POST', '/keys', (body) => ({ key: toApiKey(body), secret: str(obj(body).secret) }), {
      body: input,
    }),
  revokeKey: (id: string) => call('DELETE', `/keys/${encodeURIComponent(id)}`, toApiKey),
  webhooks: (signal?: AbortSignal) => call('GET', '/webhooks', items(toWebhook), signal ? { signal } : {}),
  createWebhook: (url: string) =>
    call('POST', '/webhooks', (body) => ({ webhook: toWebhook(body), secret: str(obj(body).secret) }), {
      body: { url },
    }),
  setWebhookActive: (id: string, active: boolean) =>
    call('PATCH', `/webhooks/${encodeURIComponent(id)}`, toWebhook, { body: { active } }),
  deliveries: (signal?: AbortSignal) =>
    call('GET', '/webhooks/deliveries', items(toDelivery), {
      query: { limit: 200 },
      ...(signal ? { signal } : {}),
    }),
  template: (signal?: AbortSignal) =>
    call('GET', '/templates/warn_customer', (body) => str(obj(body).body), signal ? { signal } : {}),
  setTemplate: (body: string) =>
    call('PUT', '/templates/warn_customer', (reply) => str(obj(reply).body), { body: { body } }),
  audit: (filters: AuditFilters, signal?: AbortSignal) =>
    call('GET', '/audit', items(toAuditEntry), { query: { ...filters }, ...(signal ? { signal } : {}) }),
  verifyAudit: () => call('GET', '/audit/verify', toAuditCheck),
};
