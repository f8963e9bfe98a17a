// Administration: users and their roles, API keys (the secret shown once), webhooks and their
// delivery log, the warn_customer notice template, and the audit log with its chain check.
import { z } from 'zod';
import { KEY_ROLES, USER_ROLES } from '../core/access.ts';
import { isoTime, wholeNumber } from './query.ts';
import { userSchema } from './session.ts';

export const idParamsSchema = z.object({ id: z.string().min(1) });

// ---- users ----

export const newUserBodySchema = z.object({
  email: z.string().min(3).max(320),
  name: z.string().min(1).max(200),
  role: z.enum(USER_ROLES),
  agentId: z.string().min(1).nullable().optional(),
  password: z.string().min(1).max(1000),
});

export const userChangesBodySchema = z
  .object({
    name: z.string().min(1).max(200).optional(),
    role: z.enum(USER_ROLES).optional(),
    agentId: z.string().min(1).nullable().optional().describe('null: no longer a support agent.'),
    disabled: z.boolean().optional().describe('A disabled user cannot sign in; their sessions end.'),
    password: z.string().min(1).max(1000).optional(),
  })
  .strict();

/** A user as changed: the signed-in view and whether they may sign in. */
export const changedUserSchema = userSchema.extend({
  disabled: z.boolean().describe('A disabled user cannot sign in.'),
});

/** A user as the admins' list shows them. */
export const adminUserSchema = changedUserSchema.extend({
  createdAt: isoTime,
  createdBy: z
    .string()
    .nullable()
    .describe('Who made the user in the console (`user:…`, `key:…`); null: made at the shell (the CLI).'),
  confirmed: z
    .boolean()
    .describe(
      'Four-eyes on new people: false while a user made in the console awaits confirmation by a second admin; until then they count as their maker (no one approves their own proposal through a user they made).',
    ),
});

export const adminUserListSchema = z.object({ items: z.array(adminUserSchema) });

// ---- API keys ----

export const newKeyBodySchema = z.object({
  name: z.string().trim().min(1).max(200),
  role: z.enum(KEY_ROLES),
});

export const apiKeySchema = z.object({
  id: z.string(),
  name: z.string(),
  role: z.enum(KEY_ROLES),
  createdBy: z
    .string()
    .nullable()
    .describe(
      'Who made the key (`user:…`, `key:…`): the key answers for them, so it is never a second pair of eyes on their proposals. null: made at the shell.',
    ),
  createdAt: isoTime,
  lastUsedAt: isoTime
    .nullable()
    .describe('When the key last authenticated a call (noted at most once a minute); null: never.'),
  revokedAt: isoTime.nullable().describe('null while the key works.'),
});

export const createdApiKeySchema = apiKeySchema.extend({
  secret: z
    .string()
    .describe('The bearer secret: in this answer only, never stored in clear or shown again.'),
});

export const apiKeyListSchema = z.object({ items: z.array(apiKeySchema) });

// ---- webhooks ----

export const newWebhookBodySchema = z.object({ url: z.string().min(1).max(2000) });

export const webhookChangesBodySchema = z.object({ active: z.boolean() }).strict();

const webhookFields = {
  id: z.string(),
  url: z.string(),
  events: z.array(z.string()).describe('The event types sent to this endpoint.'),
  active: z.boolean().describe('An inactive endpoint is sent nothing; its pending deliveries fail.'),
};

export const webhookSchema = z.object({ ...webhookFields, createdAt: isoTime });

// The secret sits before createdAt: the order the server has always sent.
export const createdWebhookSchema = z.object({
  ...webhookFields,
  secret: z
    .string()
    .describe('The HMAC-SHA256 signing key: in this answer only. Verify `x-refundguard-signature`.'),
  createdAt: isoTime,
});

export const webhookListSchema = z.object({ items: z.array(webhookSchema) });

export const deliveriesQuerySchema = z.object({ limit: wholeNumber(1, 1000).default(100) });

export const deliverySchema = z.object({
  id: z.string(),
  webhookId: z.string(),
  actionId: z.string().nullable().describe('The case action that caused it; null for other events.'),
  eventType: z.string(),
  // The app's DELIVERY_STATUSES (src/app, which the contract may not import); the route's view is
  // typed by this schema, so a status added there fails the type check here.
  status: z
    .enum(['pending', 'delivered', 'failed'])
    .describe(
      '`pending`: in the outbox, to be (re)tried; `failed`: out of attempts or the endpoint disabled.',
    ),
  attempts: z.number().int(),
  lastAttemptAt: isoTime.nullable(),
  lastStatusCode: z.number().int().nullable().describe("The endpoint's HTTP status at the last attempt."),
  lastError: z.string().nullable().describe('Why the last attempt failed, when it did.'),
  nextAttemptAt: isoTime.nullable().describe('When the next attempt is due; null once delivered or failed.'),
  createdAt: isoTime,
});

export const deliveryListSchema = z.object({ items: z.array(deliverySchema).describe('Newest first.') });

// ---- the warn_customer notice ----

export const templateBodySchema = z.object({ body: z.string().min(1).max(20_000) });

export const templateSchema = z.object({
  name: z.literal('warn_customer'),
  body: z.string().describe('Placeholders: {{name}}, {{accountId}}, {{email}}, {{marketplace}}.'),
});

// ---- the audit log ----

export const auditQuerySchema = z.object({
  limit: wholeNumber(1, 1000).default(100),
  before: wholeNumber(1, Number.MAX_SAFE_INTEGER)
    .optional()
    .describe('Rows before this seq: the last seq of the previous page.'),
  actor: z.string().trim().min(1).max(200).optional().describe('Exact: `user:…`, `key:…`, `system`.'),
  action: z.string().trim().min(1).max(200).optional().describe('An action, or a prefix ending in `.`.'),
  subject: z.string().trim().min(1).max(500).optional().describe('Part of the subject (`case:…`).'),
});

export const auditRowSchema = z.object({
  seq: z.number().int(),
  at: isoTime,
  actor: z.string().describe('`user:<id>`, `key:<id>`, `system` or `anonymous`.'),
  action: z.string(),
  subject: z.string(),
  detail: z.record(z.string(), z.unknown()),
  hash: z
    .string()
    .describe('HMAC-SHA256 (rows before the key: SHA-256) of prevHash and the canonical JSON of the row.'),
  prevHash: z.string(),
});

export const auditListSchema = z.object({ items: z.array(auditRowSchema).describe('Newest first.') });

const auditWarnings = z
  .array(z.string())
  .describe('What the check could not prove (rows not anchored yet, an anchor started again).');

export const auditCheckSchema = z.discriminatedUnion('ok', [
  z.object({
    ok: z.literal(true),
    rows: z.number().int().describe('Rows verified.'),
    warnings: auditWarnings,
  }),
  z.object({
    ok: z.literal(false),
    rows: z.number().int().describe('Rows read, the broken one included.'),
    brokenSeq: z.number().int().describe('The first row that does not chain (or the first missing one).'),
    kind: z
      .enum(['edited', 'deleted', 'truncated', 'wiped', 'reordered', 'relinked'])
      .describe(
        'What was done: a row changed (or re-chained), rows deleted, the tail cut, the table wiped, rows reordered, a row that does not follow its predecessor.',
      ),
    problem: z.string(),
    warnings: auditWarnings,
  }),
]);

export type AdminUserView = z.infer<typeof adminUserSchema>;
export type ApiKeyView = z.infer<typeof apiKeySchema>;
export type WebhookView = z.infer<typeof webhookSchema>;
export type DeliveryView = z.infer<typeof deliverySchema>;
export type AuditRowView = z.infer<typeof auditRowSchema>;
export type AuditCheckView = z.infer<typeof auditCheckSchema>;
