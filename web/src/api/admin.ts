// Administration (admin role): users, API keys, webhooks, the template and the audit log.
import type { z } from 'zod';
import {
  adminUserListSchema,
  apiKeyListSchema,
  apiKeySchema,
  auditCheckSchema,
  auditListSchema,
  type auditQuerySchema,
  changedUserSchema,
  createdApiKeySchema,
  createdWebhookSchema,
  deliveryListSchema,
  type newKeyBodySchema,
  type newUserBodySchema,
  templateSchema,
  type userChangesBodySchema,
  webhookListSchema,
  webhookSchema,
} from '../../../src/contract/admin.ts';
import { userSchema } from '../../../src/contract/session.ts';
import { call } from './client.ts';

export type {
  AdminUserView as AdminUser,
  ApiKeyView as ApiKey,
  AuditCheckView as AuditCheck,
  AuditRowView as AuditEntry,
  DeliveryView as WebhookDelivery,
  WebhookView as Webhook,
} from '../../../src/contract/admin.ts';
export { KEY_ROLES, type KeyRole } from '../../../src/contract/vocabulary.ts';
/** What the audit log is filtered by: the server's reading of the query. */
export type AuditFilters = z.output<typeof auditQuerySchema>;

const withSignal = (signal?: AbortSignal) => (signal ? { signal } : {});

export const adminApi = {
  users: async (signal?: AbortSignal) =>
    (await call('GET', '/users', adminUserListSchema, withSignal(signal))).items,
  createUser: (input: z.input<typeof newUserBodySchema>) =>
    call('POST', '/users', userSchema, { body: input }),
  /** Four-eyes on new people: a second admin confirms a user made in the console. */
  confirmUser: (id: string) => call('POST', `/users/${encodeURIComponent(id)}/confirm`, changedUserSchema),
  updateUser: (id: string, changes: z.input<typeof userChangesBodySchema>) =>
    call('PATCH', `/users/${encodeURIComponent(id)}`, changedUserSchema, { body: changes }),
  keys: async (signal?: AbortSignal) =>
    (await call('GET', '/keys', apiKeyListSchema, withSignal(signal))).items,
  createKey: (input: z.input<typeof newKeyBodySchema>) =>
    call('POST', '/keys', createdApiKeySchema, { body: input }),
  revokeKey: (id: string) => call('DELETE', `/keys/${encodeURIComponent(id)}`, apiKeySchema),
  webhooks: async (signal?: AbortSignal) =>
    (await call('GET', '/webhooks', webhookListSchema, withSignal(signal))).items,
  createWebhook: (url: string) => call('POST', '/webhooks', createdWebhookSchema, { body: { url } }),
  setWebhookActive: (id: string, active: boolean) =>
    call('PATCH', `/webhooks/${encodeURIComponent(id)}`, webhookSchema, { body: { active } }),
  deliveries: async (signal?: AbortSignal) =>
    (
      await call('GET', '/webhooks/deliveries', deliveryListSchema, {
        query: { limit: 200 },
        ...withSignal(signal),
      })
    ).items,
  template: async (signal?: AbortSignal) =>
    (await call('GET', '/templates/warn_customer', templateSchema, withSignal(signal))).body,
  setTemplate: async (body: string) =>
    (await call('PUT', '/templates/warn_customer', templateSchema, { body: { body } })).body,
  audit: async (filters: AuditFilters, signal?: AbortSignal) =>
    (await call('GET', '/audit', auditListSchema, { query: { ...filters }, ...withSignal(signal) })).items,
  verifyAudit: () => call('GET', '/audit/verify', auditCheckSchema),
};
