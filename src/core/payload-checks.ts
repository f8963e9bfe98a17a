// The payload schemas of events.ts checked by hand, for the common case of a valid payload.
// zod's loose objects copy every payload (and each nested address, item and message) key by key;
// on an import that copy and the schema walk cost more than applying most events. A payload that
// passes these checks is used as it is. A payload that fails them goes through its zod schema,
// which names the problems, so what is accepted and how a rejection reads are zod's alone.
// Each check must accept exactly what its schema accepts (events.test.ts compares them).
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
  timestampMs,
} from './event-vocabulary.ts';

type Payload = Record<string, unknown>;

function isObject(value: unknown): value is Payload {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isId(value: unknown): boolean {
  return typeof value === 'string' && value.length > 0;
}

function isOptionalString(value: unknown): boolean {
  return value === undefined || typeof value === 'string';
}

function isOptionalBoolean(value: unknown): boolean {
  return value === undefined || typeof value === 'boolean';
}

/** z.number().nonnegative(): finite and ≥ 0. */
function isNonnegativeNumber(value: unknown): boolean {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0;
}

/** z.number().int().nonnegative(): zod's int is a safe integer. */
function isMinorUnits(value: unknown): boolean {
  return Number.isSafeInteger(value) && (value as number) >= 0;
}

const CURRENCY = /^[A-Z]{3}$/;
const COUNTRY = /^[A-Za-z]{2}$/;

function isCurrency(value: unknown): boolean {
  return typeof value === 'string' && CURRENCY.test(value);
}

function isTimestamp(value: unknown): boolean {
  return typeof value === 'string' && timestampMs(value) !== undefined;
}

function oneOf(values: readonly string[]): (value: unknown) => boolean {
  const set = new Set<unknown>(values);
  return (value) => set.has(value);
}

function optionalOneOf(values: readonly string[]): (value: unknown) => boolean {
  const set = new Set<unknown>(values);
  return (value) => value === undefined || set.has(value);
}

const isCloseReason = oneOf(CLOSE_REASONS);
const isContactChannel = oneOf(CONTACT_CHANNELS);
const isRefundReason = oneOf(REFUND_REASONS);
const isRefundChannel = oneOf(REFUND_CHANNELS);
const isRefundOutcome = oneOf(REFUND_OUTCOMES);
const isReturnStatus = oneOf(RETURN_STATUSES);
const isOptionalReturnCondition = optionalOneOf(RETURN_CONDITIONS);
const isAgentAction = oneOf(AGENT_ACTIONS);
const isIntelSource = oneOf(INTEL_SOURCES);
const isLabelSubject = oneOf(LABEL_SUBJECTS);
const isLabel = oneOf(LABELS);
const isMessageSender = oneOf(['customer', 'agent']);

function isAddress(value: unknown): boolean {
  if (!isObject(value)) return false;
  return (
    typeof value.line1 === 'string' &&
    isOptionalString(value.line2) &&
    typeof value.city === 'string' &&
    isOptionalString(value.region) &&
    typeof value.postalCode === 'string' &&
    typeof value.country === 'string' &&
    COUNTRY.test(value.country)
  );
}

function isOptionalAddress(value: unknown): boolean {
  return value === undefined || isAddress(value);
}

function isOrderItem(value: unknown): boolean {
  if (!isObject(value)) return false;
  const { quantity } = value;
  return (
    typeof value.sku === 'string' &&
    typeof value.title === 'string' &&
    isOptionalString(value.category) &&
    isOptionalString(value.brand) &&
    isMinorUnits(value.priceMinor) &&
    (quantity === undefined || (Number.isSafeInteger(quantity) && (quantity as number) > 0))
  );
}

function isContactMessage(value: unknown): boolean {
  if (!isObject(value)) return false;
  return (
    isMessageSender(value.from) &&
    typeof value.text === 'string' &&
    (value.time === undefined || isTimestamp(value.time))
  );
}

function isIntelImage(value: unknown): boolean {
  return (
    isObject(value) &&
    isOptionalString(value.file) &&
    isOptionalString(value.base64) &&
    isOptionalString(value.mime)
  );
}

function everyItem(value: unknown, check: (item: unknown) => boolean): boolean {
  if (!Array.isArray(value)) return false;
  for (const item of value) if (!check(item)) return false;
  return true;
}

/** Per event type: whether its payload schema accepts `data` (an object; see validEnvelope). */
export const PAYLOAD_CHECKS = {
  'account.created': (data) =>
    isId(data.accountId) &&
    typeof data.email === 'string' &&
    typeof data.name === 'string' &&
    isOptionalString(data.phone) &&
    isOptionalAddress(data.address) &&
    isOptionalString(data.deviceId) &&
    isOptionalString(data.ip) &&
    isOptionalString(data.marketplace),
  'account.updated': (data) =>
    isId(data.accountId) &&
    isOptionalString(data.email) &&
    isOptionalString(data.name) &&
    isOptionalString(data.phone) &&
    isOptionalAddress(data.address),
  'account.login': (data) =>
    isId(data.accountId) &&
    isOptionalString(data.deviceId) &&
    isOptionalString(data.ip) &&
    isOptionalString(data.userAgent),
  'account.closed': (data) =>
    isId(data.accountId) && isCloseReason(data.reason) && isOptionalString(data.agentId),
  'order.placed': (data) =>
    isId(data.orderId) &&
    isId(data.accountId) &&
    isCurrency(data.currency) &&
    everyItem(data.items, isOrderItem) &&
    (data.items as unknown[]).length >= 1 &&
    isAddress(data.shipTo) &&
    isOptionalString(data.paymentFingerprint) &&
    isOptionalString(data.deviceId) &&
    isOptionalString(data.ip) &&
    isOptionalString(data.marketplace),
  'order.delivered': (data) =>
    isId(data.orderId) &&
    isOptionalString(data.carrier) &&
    isOptionalString(data.trackingId) &&
    isOptionalBoolean(data.signature) &&
    isOptionalBoolean(data.photo) &&
    (data.weightGrams === undefined || isNonnegativeNumber(data.weightGrams)),
  'contact.created': (data) =>
    isId(data.contactId) &&
    isId(data.accountId) &&
    isContactChannel(data.channel) &&
    isOptionalString(data.agentId) &&
    isOptionalString(data.deviceId) &&
    isOptionalString(data.ip) &&
    isOptionalString(data.language) &&
    isOptionalString(data.orderId) &&
    isOptionalBoolean(data.identityVerified) &&
    (data.messages === undefined || everyItem(data.messages, isContactMessage)),
  'refund.requested': (data) =>
    isId(data.refundId) &&
    isId(data.orderId) &&
    isId(data.accountId) &&
    isMinorUnits(data.amountMinor) &&
    isCurrency(data.currency) &&
    isRefundReason(data.reason) &&
    isRefundChannel(data.channel) &&
    isOptionalString(data.contactId) &&
    isOptionalString(data.agentId) &&
    isOptionalBoolean(data.returnRequired),
  'refund.decided': (data) =>
    isId(data.refundId) &&
    isRefundOutcome(data.outcome) &&
    isOptionalString(data.agentId) &&
    isOptionalBoolean(data.policyOverride),
  'return.updated': (data) =>
    isId(data.refundId) &&
    isReturnStatus(data.status) &&
    isOptionalString(data.carrier) &&
    isOptionalString(data.trackingId) &&
    isOptionalString(data.destinationPostalCode) &&
    (data.weightGrams === undefined || isNonnegativeNumber(data.weightGrams)) &&
    isOptionalReturnCondition(data.condition),
  'agent.action': (data) =>
    isId(data.agentId) &&
    isAgentAction(data.action) &&
    isOptionalString(data.accountId) &&
    isOptionalString(data.orderId) &&
    isOptionalString(data.refundId) &&
    isOptionalString(data.contactId) &&
    isOptionalString(data.deviceId) &&
    isOptionalString(data.ip),
  'intel.post': (data) =>
    isId(data.postId) &&
    isIntelSource(data.source) &&
    typeof data.channel === 'string' &&
    isOptionalString(data.author) &&
    isOptionalString(data.url) &&
    isOptionalString(data.text) &&
    (data.images === undefined || everyItem(data.images, isIntelImage)),
  'label.set': (data) =>
    isLabelSubject(data.subject) &&
    isId(data.subjectId) &&
    isLabel(data.label) &&
    isOptionalString(data.note),
} as const satisfies Record<string, (data: Payload) => boolean>;
