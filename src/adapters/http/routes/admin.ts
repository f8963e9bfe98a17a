// Administration: users and roles, API keys (secret shown once), webhooks and their delivery log,
// the warn_customer template, and the audit log (filtered, paged, and its chain verified).

import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { z } from 'zod';
import type { ConsoleServices } from '../../../app/console.ts';
import type { ApiKeyUsage, WebhookRecord } from '../../../app/console-ports.ts';
import { actorId } from '../../../app/people.ts';
import {
  type AdminUserView,
  type ApiKeyView,
  type AuditRowView,
  adminUserListSchema,
  apiKeyListSchema,
  apiKeySchema,
  auditCheckSchema,
  auditListSchema,
  auditQuerySchema,
  changedUserSchema,
  createdApiKeySchema,
  createdWebhookSchema,
  type DeliveryView,
  deliveriesQuerySchema,
  deliveryListSchema,
  idParamsSchema,
  newKeyBodySchema,
  newUserBodySchema,
  newWebhookBodySchema,
  templateBodySchema,
  templateSchema,
  userChangesBodySchema,
  type WebhookView,
  webhookChangesBodySchema,
  webhookListSchema,
  webhookSchema,
} from '../../../contract/admin.ts';
import { problemSchema } from '../../../contract/problems.ts';
import { userSchema } from '../../../contract/session.ts';
import type { KeyRole } from '../../../contract/vocabulary.ts';
import { principalOf } from '../console-auth.ts';
import { PROBLEM_CONTENT_TYPE } from '../problems.ts';
import { toIsoTime } from '../views.ts';
import { userView } from './session.ts';

const problemResponse = { content: { [PROBLEM_CONTENT_TYPE]: { schema: problemSchema } } };

function keyView(key: ApiKeyUsage): ApiKeyView {
  return {
    id: key.id,
    name: key.name,
    // The store holds only roles that key creation accepted; the reply's schema checks it.
    role: key.role as KeyRole,
    createdBy: key.createdBy,
    createdAt: toIsoTime(key.createdAt),
    lastUsedAt: key.lastUsedAt === null ? null : toIsoTime(key.lastUsedAt),
    revokedAt: key.revokedAt === null ? null : toIsoTime(key.revokedAt),
  };
}

function webhookView(webhook: WebhookRecord): WebhookView {
  return {
    id: webhook.id,
    url: webhook.url,
    events: webhook.events,
    active: webhook.active,
    createdAt: toIsoTime(webhook.createdAt),
  };
}

export function registerAdminRoutes(server: FastifyInstance, services: ConsoleServices): void {
  const app = server.withTypeProvider<ZodTypeProvider>();
  const { people, webhooks, actions, consoleStore, keys } = services;

  app.get(
    '/keys',
    {
      config: { permission: 'keys:manage' },
      schema: {
        summary: 'API keys, with when each was last used',
        tags: ['admin'],
        response: { 200: apiKeyListSchema },
      },
    },
    async () => ({
      items: (await keys.list()).map(keyView),
    }),
  );

  app.post(
    '/keys',
    {
      config: { permission: 'keys:manage' },
      schema: {
        summary: 'Create an API key (the secret is in this answer only)',
        tags: ['admin'],
        body: newKeyBodySchema,
        response: { 201: createdApiKeySchema, 400: problemResponse },
      },
    },
    async (request, reply) => {
      const created = await keys.create(request.body, actorId(principalOf(request)));
      const view: z.infer<typeof createdApiKeySchema> = { ...keyView(created), secret: created.secret };
      return reply.code(201).send(view);
    },
  );

  app.delete(
    '/keys/:id',
    {
      config: { permission: 'keys:manage' },
      schema: {
        params: idParamsSchema,
        summary: 'Revoke an API key (idempotent)',
        tags: ['admin'],
        response: { 200: apiKeySchema, 400: problemResponse, 404: problemResponse },
      },
    },
    async (request) => keyView(await keys.revoke(request.params.id, actorId(principalOf(request)))),
  );

  app.get(
    '/users',
    {
      config: { permission: 'users:manage' },
      schema: { summary: 'Users', tags: ['admin'], response: { 200: adminUserListSchema } },
    },
    async () => ({
      items: (await people.listUsers()).map(
        (user): AdminUserView => ({
          ...userView(user),
          disabled: user.disabled,
          createdAt: toIsoTime(user.createdAt),
          createdBy: user.createdBy,
          confirmed: user.createdBy === null || user.confirmedBy !== null,
        }),
      ),
    }),
  );

  app.post(
    '/users',
    {
      config: { permission: 'users:manage' },
      schema: {
        summary: 'Create a user',
        tags: ['admin'],
        body: newUserBodySchema,
        response: { 201: userSchema, 400: problemResponse },
      },
    },
    async (request, reply) => {
      const body = request.body;
      const user = await people.createUser(
        {
          email: body.email,
          name: body.name,
          role: body.role,
          agentId: body.agentId ?? null,
          password: body.password,
        },
        actorId(principalOf(request)),
      );
      return reply.code(201).send(userView(user));
    },
  );

  app.patch(
    '/users/:id',
    {
      config: { permission: 'users:manage' },
      schema: {
        params: idParamsSchema,
        summary: 'Change a user (role, name, agent, disabled, password)',
        tags: ['admin'],
        body: userChangesBodySchema,
        response: { 200: changedUserSchema, 400: problemResponse, 404: problemResponse },
      },
    },
    async (request) => {
      const changes = Object.fromEntries(
        Object.entries(request.body).filter(([, value]) => value !== undefined),
      );
      const user = await people.updateUser(request.params.id, changes, actorId(principalOf(request)));
      return { ...userView(user), disabled: user.disabled };
    },
  );

  app.post(
    '/users/:id/confirm',
    {
      config: { permission: 'users:manage' },
      schema: {
        params: idParamsSchema,
        summary:
          'Confirm a user made in the console as a person of their own (four-eyes: an admin other than their maker; idempotent)',
        tags: ['admin'],
        response: { 200: changedUserSchema, 400: problemResponse, 404: problemResponse },
      },
    },
    async (request) => {
      const user = await people.confirmUser(request.params.id, actorId(principalOf(request)));
      return { ...userView(user), disabled: user.disabled };
    },
  );

  app.get(
    '/webhooks',
    {
      config: { permission: 'webhooks:manage' },
      schema: { summary: 'Registered webhooks', tags: ['admin'], response: { 200: webhookListSchema } },
    },
    async () => ({
      items: (await consoleStore.listWebhooks()).map(webhookView),
    }),
  );

  app.post(
    '/webhooks',
    {
      config: { permission: 'webhooks:manage' },
      schema: {
        summary: 'Register a webhook',
        description:
          'The answer holds the signing secret, shown once: verify `x-refundguard-signature: sha256=<hex HMAC-SHA256 of the raw body>`.',
        tags: ['admin'],
        body: newWebhookBodySchema,
        response: { 201: createdWebhookSchema, 400: problemResponse },
      },
    },
    async (request, reply) => {
      const webhook = await webhooks.register({ url: request.body.url }, actorId(principalOf(request)));
      const view: z.infer<typeof createdWebhookSchema> = { ...webhookView(webhook), secret: webhook.secret };
      return reply.code(201).send(view);
    },
  );

  app.patch(
    '/webhooks/:id',
    {
      config: { permission: 'webhooks:manage' },
      schema: {
        params: idParamsSchema,
        summary: 'Disable or re-enable a webhook',
        tags: ['admin'],
        body: webhookChangesBodySchema,
        response: { 200: webhookSchema, 400: problemResponse, 404: problemResponse },
      },
    },
    async (request) =>
      webhookView(
        await webhooks.setActive(request.params.id, request.body.active, actorId(principalOf(request))),
      ),
  );

  app.get(
    '/webhooks/deliveries',
    {
      config: { permission: 'webhooks:manage' },
      schema: {
        summary: 'The delivery log, newest first',
        tags: ['admin'],
        querystring: deliveriesQuerySchema,
        response: { 200: deliveryListSchema, 400: problemResponse },
      },
    },
    async (request) => {
      const rows = await consoleStore.listDeliveries({ limit: request.query.limit });
      return {
        items: rows.map(
          (delivery): DeliveryView => ({
            id: delivery.id,
            webhookId: delivery.webhookId,
            actionId: delivery.actionId,
            eventType: delivery.eventType,
            status: delivery.status,
            attempts: delivery.attempts,
            lastAttemptAt: delivery.lastAttemptAt === null ? null : toIsoTime(delivery.lastAttemptAt),
            lastStatusCode: delivery.lastStatusCode,
            lastError: delivery.lastError,
            nextAttemptAt:
              delivery.nextAttemptAt === undefined || delivery.nextAttemptAt === null
                ? null
                : toIsoTime(delivery.nextAttemptAt),
            createdAt: toIsoTime(delivery.createdAt),
          }),
        ),
      };
    },
  );

  app.get(
    '/templates/warn_customer',
    {
      config: { permission: 'cases:read' },
      schema: {
        summary: 'The warn_customer notice template',
        tags: ['admin'],
        response: { 200: templateSchema },
      },
    },
    async () => ({ name: 'warn_customer' as const, body: await actions.template() }),
  );

  app.put(
    '/templates/warn_customer',
    {
      config: { permission: 'templates:manage' },
      schema: {
        summary:
          'Edit the warn_customer notice template ({{name}}, {{accountId}}, {{email}}, {{marketplace}})',
        tags: ['admin'],
        body: templateBodySchema,
        response: { 200: templateSchema, 400: problemResponse },
      },
    },
    async (request) => {
      const { body } = request.body;
      await actions.setTemplate(principalOf(request), body);
      return { name: 'warn_customer' as const, body };
    },
  );

  app.get(
    '/audit',
    {
      config: { permission: 'audit:read' },
      schema: {
        summary:
          'The audit log, newest first; filter by actor, action (or a prefix ending in ".") and subject',
        tags: ['admin'],
        querystring: auditQuerySchema,
        response: { 200: auditListSchema, 400: problemResponse },
      },
    },
    async (request) => {
      const query = request.query;
      const rows = await consoleStore.listAudit({
        limit: query.limit,
        ...(query.before !== undefined ? { beforeSeq: query.before } : {}),
        ...(query.actor !== undefined ? { actor: query.actor } : {}),
        ...(query.action !== undefined ? { action: query.action } : {}),
        ...(query.subject !== undefined ? { subject: query.subject } : {}),
      });
      return {
        items: rows.map(
          (row): AuditRowView => ({
            seq: row.seq,
            at: toIsoTime(row.at),
            actor: row.actor,
            action: row.action,
            subject: row.subject,
            detail: row.detail,
            hash: row.hash,
            prevHash: row.prevHash,
          }),
        ),
      };
    },
  );

  app.get(
    '/audit/verify',
    {
      config: { permission: 'audit:read' },
      schema: {
        summary: 'Check the whole chain against its anchor: intact, or the first break and what it is',
        tags: ['admin'],
        response: { 200: auditCheckSchema },
      },
    },
    async (): Promise<z.infer<typeof auditCheckSchema>> => {
      const check = await services.audit.verify();
      return check.ok
        ? { ok: true, rows: check.rows, warnings: check.warnings }
        : {
            ok: false,
            rows: check.rows,
            brokenSeq: check.brokenSeq,
            kind: check.kind,
            problem: check.problem,
            warnings: check.warnings,
          };
    },
  );
}
