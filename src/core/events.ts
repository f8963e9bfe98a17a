// The public event contract (shared/contract/EVENTS.md, v1) as zod schemas.
// Payloads are loose objects: unknown fields inside `data` are kept, never rejected.
import { z } from 'zod';
import {
  AGENT_ACTIONS,
  CLOSE_REASONS,
  CONTACT_CHANNELS,
  INTEL_SOURCES,
  LABEL_SUBJECTS,
  LABELS,
  REFUND_CHANNELS,
  REFUND_OUTCOMES,
  REFUND_REASONS,
  RETURN_CONDITIONS,
  RETURN_STATUSES,
  type FieldProblem,
  RFC3339,
  timestampMs,
} from './event-vocabulary.ts';
import {
  eventLimitProblem,
  type FieldShape,
  type ObjectShape,
  payloadLimitProblem,
  stringKindOf,
} from './event-limits.ts';
import { PAYLOAD_CHECKS } from './payload-checks.ts';

// The vocabularies are part of this module's contract for its importers.
export * from './event-vocabulary.ts';

export const timestampSchema = z
  .string()
  .regex(RFC3339, 'must be an RFC 3339 timestamp with a timezone')
  .refine(
    // A value off the format is the regex's to name, once.
    (value) => !RFC3339.test(value) || timestampMs(value) !== undefined,
    'is not a real moment (month 01–12, a day the month has, hours 00–23, minutes and seconds 00–59)',
  );

const id = z.string().min(1, 'must not be empty');
const currency = z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as USD');
const minorUnits = z.number().int('must be an integer number of minor units (cents)');

export const addressSchema = z.looseObject({
  line1: z.string(),
  line2: z.string().optional(),
  city: z.string(),
  region: z.string().optional(),
  postalCode: z.string(),
  country: z.string().regex(/^[A-Za-z]{2}$/, 'must be an ISO 3166 alpha-2 code'),
});
export type Address = z.infer<typeof addressSchema>;

export const accountCreatedSchema = z.looseObject({
  accountId: id,
  email: z.string(),
  name: z.string(),
  phone: z.string().optional(),
  address: addressSchema.optional(),
  deviceId: z.string().optional(),
  ip: z.string().optional(),
  marketplace: z.string().optional(),
});

export const accountUpdatedSchema = z.looseObject({
  accountId: id,
  email: z.string().optional(),
  name: z.string().optional(),
  phone: z.string().optional(),
  address: addressSchema.optional(),
});

export const accountLoginSchema = z.looseObject({
  accountId: id,
  deviceId: z.string().optional(),
  ip: z.string().optional(),
  userAgent: z.string().optional(),
});

export const accountClosedSchema = z.looseObject({
  accountId: id,
  reason: z.enum(CLOSE_REASONS),
  agentId: z.string().optional(),
});

export const orderItemSchema = z.looseObject({
  sku: z.string(),
  title: z.string(),
  category: z.string().optional(),
  brand: z.string().optional(),
  priceMinor: minorUnits.nonnegative(),
  quantity: z.number().int().positive().optional(),
});
export type OrderItem = z.infer<typeof orderItemSchema>;

export const orderPlacedSchema = z.looseObject({
  orderId: id,
  accountId: id,
  currency,
  items: z.array(orderItemSchema).min(1, 'an order needs at least one item'),
  shipTo: addressSchema,
  paymentFingerprint: z.string().optional(),
  deviceId: z.string().optional(),
  ip: z.string().optional(),
  marketplace: z.string().optional(),
});

export const orderDeliveredSchema = z.looseObject({
  orderId: id,
  carrier: z.string().optional(),
  trackingId: z.string().optional(),
  signature: z.boolean().optional(),
  photo: z.boolean().optional(),
  weightGrams: z.number().nonnegative().optional(),
});

export const contactMessageSchema = z.looseObject({
  from: z.enum(['customer', 'agent']),
  text: z.string(),
  time: timestampSchema.optional(),
});

export const contactCreatedSchema = z.looseObject({
  contactId: id,
  accountId: id,
  channel: z.enum(CONTACT_CHANNELS),
  agentId: z.string().optional(),
  deviceId: z.string().optional(),
  ip: z.string().optional(),
  language: z.string().optional(),
  orderId: z.string().optional(),
  identityVerified: z.boolean().optional(),
  messages: z.array(contactMessageSchema).optional(),
});

export const refundRequestedSchema = z.looseObject({
  refundId: id,
  orderId: id,
  accountId: id,
  amountMinor: minorUnits.nonnegative(),
  currency,
  reason: z.enum(REFUND_REASONS),
  channel: z.enum(REFUND_CHANNELS),
  contactId: z.string().optional(),
  agentId: z.string().optional(),
  returnRequired: z.boolean().optional(),
});
export type RefundRequested = z.infer<typeof refundRequestedSchema>;

export const refundDecidedSchema = z.looseObject({
  refundId: id,
  outcome: z.enum(REFUND_OUTCOMES),
  agentId: z.string().optional(),
  policyOverride: z.boolean().optional(),
});

export const returnUpdatedSchema = z.looseObject({
  refundId: id,
  status: z.enum(RETURN_STATUSES),
  carrier: z.string().optional(),
  trackingId: z.string().optional(),
  destinationPostalCode: z.string().optional(),
  weightGrams: z.number().nonnegative().optional(),
  condition: z.enum(RETURN_CONDITIONS).optional(),
});

export const agentActionSchema = z.looseObject({
  agentId: id,
  action: z.enum(AGENT_ACTIONS),
  accountId: z.string().optional(),
  orderId: z.string().optional(),
  refundId: z.string().optional(),
  contactId: z.string().optional(),
  deviceId: z.string().optional(),
  ip: z.string().optional(),
});

export const intelImageSchema = z.looseObject({
  file: z.string().optional(),
  base64: z.string().optional(),
  mime: z.string().optional(),
});

export const intelPostSchema = z.looseObject({
  postId: id,
  source: z.enum(INTEL_SOURCES),
  channel: z.string(),
  author: z.string().optional(),
  url: z.string().optional(),
  text: z.string().optional(),
  images: z.array(intelImageSchema).optional(),
});

export const labelSetSchema = z.looseObject({
  subject: z.enum(LABEL_SUBJECTS),
  subjectId: id,
  label: z.enum(LABELS),
  note: z.string().optional(),
});

export const PAYLOAD_SCHEMAS = {
  'account.created': accountCreatedSchema,
  'account.updated': accountUpdatedSchema,
  'account.login': accountLoginSchema,
  'account.closed': accountClosedSchema,
  'order.placed': orderPlacedSchema,
  'order.delivered': orderDeliveredSchema,
  'contact.created': contactCreatedSchema,
  'refund.requested': refundRequestedSchema,
  'refund.decided': refundDecidedSchema,
  'return.updated': returnUpdatedSchema,
  'agent.action': agentActionSchema,
  'intel.post': intelPostSchema,
  'label.set': labelSetSchema,
} as const;

export type EventType = keyof typeof PAYLOAD_SCHEMAS;
export const EVENT_TYPES = Object.keys(PAYLOAD_SCHEMAS) as EventType[];

// One fast check per contract type, no more and no fewer (payload-checks.ts cannot import this
// file without a cycle, so the two key sets are compared here, at compile time).
type SameKeys<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never;
const _everyTypeChecked: SameKeys<keyof typeof PAYLOAD_CHECKS, EventType> = true;

/** What each payload schema says about its fields, for the event limits (event-limits.ts). */
function shapeOf(schema: z.ZodType, key: string): FieldShape {
  if (schema instanceof z.ZodOptional) return shapeOf(schema.unwrap() as z.ZodType, key);
  if (schema instanceof z.ZodObject) return objectShape(schema);
  if (schema instanceof z.ZodArray) return { items: shapeOf(schema.element as z.ZodType, key) };
  return stringKindOf(key);
}

function objectShape(schema: z.ZodObject): ObjectShape {
  const fields: Record<string, FieldShape> = {};
  for (const [key, field] of Object.entries(schema.shape)) fields[key] = shapeOf(field as z.ZodType, key);
  return { fields };
}

const PAYLOAD_SHAPES = Object.fromEntries(
  EVENT_TYPES.map((type) => [type, objectShape(PAYLOAD_SCHEMAS[type])]),
) as Record<EventType, ObjectShape>;

/** The first limit of event-limits.ts a payload of this type passes, named under `prefix`. */
export function payloadLimit(type: EventType, data: object, prefix = ''): FieldProblem | undefined {
  return payloadLimitProblem(data, PAYLOAD_SHAPES[type], prefix);
}

export type PayloadOf<T extends EventType> = z.infer<(typeof PAYLOAD_SCHEMAS)[T]>;

/** A validated event: a discriminated union on `type`. `at` is `time` in epoch milliseconds. */
export type RefundguardEvent = {
  [T in EventType]: { id: string; type: T; time: string; at: number; data: PayloadOf<T> };
}[EventType];

export type EventOf<T extends EventType> = Extract<RefundguardEvent, { type: T }>;

const envelopeSchema = z.looseObject({
  id: id,
  type: z.enum(EVENT_TYPES as [EventType, ...EventType[]], {
    error: () => `must be one of ${EVENT_TYPES.join(', ')}`,
  }),
  time: timestampSchema,
  data: z.record(z.string(), z.unknown()),
});

export type ParseResult = { ok: true; event: RefundguardEvent } | { ok: false; problems: FieldProblem[] };

function toProblems(error: z.ZodError, prefix: string): FieldProblem[] {
  return error.issues.map((issue) => ({
    field: [prefix, ...issue.path.map(String)].filter(Boolean).join('.') || '(root)',
    reason: issue.message,
  }));
}

/** Validates one event against the envelope and its type's payload schema. */
export function parseEvent(input: unknown): ParseResult {
  const given = (input as { type?: unknown } | null)?.type;
  const limit = eventLimitProblem(
    input,
    typeof given === 'string' && Object.hasOwn(PAYLOAD_SHAPES, given)
      ? PAYLOAD_SHAPES[given as EventType]
      : undefined,
  );
  if (limit !== undefined) return { ok: false, problems: [limit] };
  const checked = checkedEnvelope(input);
  // A payload the hand-written check accepts is used as it is; any other is zod's to judge and name.
  if (checked !== undefined && PAYLOAD_CHECKS[checked.type](checked.data)) {
    return { ok: true, event: checked as RefundguardEvent };
  }
  let envelope: CheckedEnvelope;
  if (checked !== undefined) envelope = checked;
  else {
    const parsed = envelopeSchema.safeParse(input);
    if (!parsed.success) return { ok: false, problems: toProblems(parsed.error, '') };
    const { id: eventId, type, time, data } = parsed.data;
    envelope = { id: eventId, type, time, at: timestampMs(time) as number, data };
  }
  const payload = PAYLOAD_SCHEMAS[envelope.type].safeParse(envelope.data);
  if (!payload.success) return { ok: false, problems: toProblems(payload.error, 'data') };
  const { id: eventId, type, time, at } = envelope;
  return { ok: true, event: { id: eventId, type, time, at, data: payload.data } as RefundguardEvent };
}

/** An envelope that passed, with its time as milliseconds: the event, once its payload passes too. */
interface CheckedEnvelope {
  id: string;
  type: EventType;
  time: string;
  at: number;
  data: Record<string, unknown>;
}

/**
 * The envelope checked by hand: the same rules as `envelopeSchema` for an envelope that passes
 * them, without copying `data` key by key (the record schema did, and cost more than most
 * payload schemas), and made in the event's own shape, so a valid event costs one object.
 * Anything it does not accept goes through `envelopeSchema`, which names the problems exactly
 * as before.
 */
function checkedEnvelope(input: unknown): CheckedEnvelope | undefined {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return undefined;
  const { id: eventId, type, time, data } = input as Record<string, unknown>;
  if (typeof eventId !== 'string' || eventId.length === 0) return undefined;
  if (typeof type !== 'string' || !Object.hasOwn(PAYLOAD_SCHEMAS, type)) return undefined;
  if (typeof time !== 'string') return undefined;
  const at = timestampMs(time);
  if (at === undefined) return undefined;
  if (typeof data !== 'object' || data === null || Object.getPrototypeOf(data) !== Object.prototype) {
    return undefined;
  }
  return { id: eventId, type: type as EventType, time, at, data: data as Record<string, unknown> };
}

export function describeProblems(problems: FieldProblem[]): string {
  return problems.map((problem) => `${problem.field}: ${problem.reason}`).join('; ');
}
