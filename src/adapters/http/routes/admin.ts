// Administration: users and roles, API keys (secret shown once), webhooks and their delivery log,
// the warn_customer template, and the audit log (filtered, paged, and its chain verified).

import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ROLES as KEY_ROLES } from '../../../app/api-keys.ts';
import { verifyAudit } from '../../../app/audit.ts';
import type { ConsoleServices } from '../../../app/console.ts';
import type { ApiKeyUsage } from '../../../app/console-ports.ts';
import { actorId, USER_ROLES } from '../../../app/people.ts';
import { consoleCall, principalOf } from '../console-auth.ts';
import { toIsoTime } from '../views.ts';
import { userView } from './session.ts';

const newUserSchema = z.object({
  email: z.string().min(3).max(320),
  name: z.string().min(1).max(200),
  role: z.enum(USER_ROLES),
  agentId: z.string().min(1).nullable().optional(),
  password: z.string().min(1).max(1000),
});
const userChangesSchema = z
  .object({
    name: z.string().min(1).max(200).optional(),
    role: z.enum(USER_ROLES).optional(),
    agentId: z.string().min(1).nullable().optional(),
    disabled: z.boolean().optional(),
    password: z.string().min(1).max(1000).optional(),
  })
  .strict();
const webhookSchema = z.object({ url: z.string().min(1).max(2000) });
const webhookChangesSchema = z.object({ active: z.boolean() }).strict();
const newKeySchema = z.object({ name: z.string().trim().min(1).max(200), role: z.enum(KEY_ROLES) });
const idParams = z.object({ id: z.string().min(1) });
const templateSchema = z.object({ body: z.string().min(1).max(20_000) });
const auditQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  before: z.coerce.number().int().positive().optional(),
  actor: z.string().trim().min(1).max(200).optional(),
  action: z.string().trim().min(1).max(200).optional(),
  subject: z.string().trim().min(1).max(500).optional(),
});
const deliveriesQuerySchema = z.object({ limit: z.coerce.number().int().min(1).max(1000).default(100) });

function keyView(key: ApiKeyUsage) {
  return {
    id: key.id,
    name: key.name,
    role: key.role,
    createdAt: toIsoTime(key.createdAt),
    lastUsedAt: key.lastUsedAt === null ? null : toIsoTime(key.lastUsedAt),
    revokedAt: key.revokedAt === null ? null : toIsoTime(key.revokedAt),
  };
}

export function registerAdminRoutes(server: FastifyInstance, services: ConsoleServices): void {
  const app = server.withTypeProvider<ZodTypeProvider>();
  const { people, webhooks, actions, consoleStore, keys } = services;

  app.get(
    '/keys',
    {
      config: { permission: 'keys:manage' },
      schema: { summary: 'API keys, with when each was last used', tags: ['admin'] },
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
        body: newKeySchema,
      },
    },
    async (request, reply) =>
      consoleCall(async () => {
        const body = request.body;
        const created = await keys.create(body, actorId(principalOf(request)));
        return reply.code(201).send({ ...keyView(created), secret: created.secret });
      }),
  );

  app.delete(
    '/keys/:id',
    {
      config: { permission: 'keys:manage' },
      schema: { params: idParams, summary: 'Revoke an API key (idempotent)', tags: ['admin'] },
    },
    async (request) =>
      consoleCall(async () => {
        const { id } = request.params;
        return keyView(await keys.revoke(id, actorId(principalOf(request))));
      }),
  );

  app.get(
    '/users',
    { config: { permission: 'users:manage' }, schema: { summary: 'Users', tags: ['admin'] } },
    async () => ({
      items: (await people.listUsers()).map((user) => ({
        ...userView(user),
        disabled: user.disabled,
        createdAt: toIsoTime(user.createdAt),
      })),
    }),
  );

  app.post(
    '/users',
    {
      config: { permission: 'users:manage' },
      schema: { summary: 'Create a user', tags: ['admin'], body: newUserSchema },
    },
    async (request, reply) =>
      consoleCall(async () => {
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
      }),
  );

  app.patch(
    '/users/:id',
    {
      config: { permission: 'users:manage' },
      schema: {
        params: idParams,
        summary: 'Change a user (role, name, agent, disabled, password)',
        tags: ['admin'],
        body: userChangesSchema,
      },
    },
    async (request) =>
      consoleCall(async () => {
        const { id } = request.params;
        const body = request.body;
        const changes = Object.fromEntries(Object.entries(body).filter(([, value]) => value !== undefined));
        const user = await people.updateUser(id, changes, actorId(principalOf(request)));
        return { ...userView(user), disabled: user.disabled };
      }),
  );

  app.get(
    '/webhooks',
    {
      config: { permission: 'webhooks:manage' },
      schema: { summary: 'Registered webhooks', tags: ['admin'] },
    },
    async () => ({
      items: (await consoleStore.listWebhooks()).map((webhook) => ({
        id: webhook.id,
        url: webhook.url,
        events: webhook.events,
        active: webhook.active,
        createdAt: toIsoTime(webhook.createdAt),
      })),
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
        body: webhookSchema,
      },
    },
    async (request, reply) =>
      consoleCall(async () => {
        const body = request.body;
        const webhook = await webhooks.register({ url: body.url }, actorId(principalOf(request)));
        return reply.code(201).send({
          id: webhook.id,
          url: webhook.url,
          events: webhook.events,
          active: webhook.active,
          secret: webhook.secret,
          createdAt: toIsoTime(webhook.createdAt),
        });
      }),
  );

  app.patch(
    '/webhooks/:id',
    {
      config: { permission: 'webhooks:manage' },
      schema: {
        params: idParams,
        summary: 'Disable or re-enable a webhook',
        tags: ['admin'],
        body: webhookChangesSchema,
      },
    },
    async (request) =>
      consoleCall(async () => {
        const { id } = request.params;
        const body = request.body;
        const webhook = await webhooks.setActive(id, body.active, actorId(principalOf(request)));
        return {
          id: webhook.id,
          url: webhook.url,
          events: webhook.events,
          active: webhook.active,
          createdAt: toIsoTime(webhook.createdAt),
        };
      }),
  );

  app.get(
    '/webhooks/deliveries',
    {
      config: { permission: 'webhooks:manage' },
      schema: {
        summary: 'The delivery log, newest first',
        tags: ['admin'],
        querystring: deliveriesQuerySchema,
      },
    },
    async (request) => {
      const query = request.query;
      const rows = await consoleStore.listDeliveries({ limit: query.limit });
      return {
        items: rows.map((delivery) => ({
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
        })),
      };
    },
  );

  app.get(
    '/templates/warn_customer',
    {
      config: { permission: 'cases:read' },
      schema: { summary: 'The warn_customer notice template', tags: ['admin'] },
    },
    async () => ({ name: 'warn_customer', body: await actions.template() }),
  );

  app.put(
    '/templates/warn_customer',
    {
      config: { permission: 'templates:manage' },
      schema: {
        summary:
          'Edit the warn_customer notice template ({{name}}, {{accountId}}, {{email}}, {{marketplace}})',
        tags: ['admin'],
        body: templateSchema,
      },
    },
    async (request) =>
      consoleCall(async () => {
        const body = request.body;
        await actions.setTemplate(principalOf(request), body.body);
        return { name: 'warn_customer', body: body.body };
      }),
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
        items: rows.map((row) => ({
          seq: row.seq,
          at: toIsoTime(row.at),
          actor: row.actor,
          action: row.action,
          subject: row.subject,
          detail: row.detail,
          hash: row.hash,
          prevHash: row.prevHash,
        })),
      };
    },
  );

  app.get(
    '/audit/verify',
    {
      config: { permission: 'audit:read' },
      schema: { summary: 'Check the whole hash chain: intact, or the first broken row', tags: ['admin'] },
    },
    async () => {
      const check = await verifyAudit(consoleStore);
      return check.ok
        ? { ok: true, rows: check.rows }
        : { ok: false, rows: check.rows, brokenSeq: check.brokenSeq, problem: check.problem };
    },
  );
}
