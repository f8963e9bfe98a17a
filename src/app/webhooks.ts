// Webhooks: executed actions go to the retailer's systems as signed POSTs. The body is signed with
// HMAC-SHA256 (`x-refundguard-signature: sha256=<hex>`); failures are retried with exponential
// back-off a bounded number of times, from a persisted outbox (a restart loses nothing); every
// attempt is in the delivery log.
import { createHash, createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import type { AuditLog } from './audit.ts';
import { invalid, notFound } from './console-errors.ts';
import type { DeliveryRecord, OutboxStore, WebhookRecord } from './console-ports.ts';
import type { Clock } from './ports.ts';

export const SIGNATURE_HEADER = 'x-refundguard-signature';
export const WEBHOOK_EVENTS = ['action.executed'] as const;

/** A UUID-shaped id derived from what the delivery is about (the body's `id`, so receivers can de-duplicate). */
export function deliveryIdFor(webhookId: string, actionId: string, eventType: string): string {
  const hex = createHash('sha256').update(`${webhookId}|${actionId}|${eventType}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

export function signBody(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body, 'utf8').digest('hex')}`;
}

/** What a receiver does: recompute the signature over the raw body and compare in constant time. */
export function verifySignature(secret: string, body: string, header: string | undefined): boolean {
  if (header === undefined) return false;
  const expected = Buffer.from(signBody(secret, body));
  const given = Buffer.from(header);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

export interface WebhookOptions {
  /** Attempts per delivery, the first included (default 6). */
  maxAttempts?: number;
  /** Delay before the first retry; doubles each time (default 1 s: 1, 2, 4, 8, 16 s). */
  baseDelayMs?: number;
  /** Per-attempt timeout (default 10 s). */
  timeoutMs?: number;
  /** How often the outbox is looked at when nothing is due sooner (default 1 s): other processes' rows, expired leases. */
  pollMs?: number;
  /**
   * Sends one attempt. The composition root passes the guarded client (OutboundGuard in
   * src/adapters/http/outbound.ts: refused addresses, no redirects, a deadline, a size cap);
   * without one nothing is sent.
   */
  fetch?: typeof fetch;
  /** Why a URL may not be registered (a refused address), or undefined; absent: scheme check only. */
  checkUrl?: (url: URL) => Promise<string | undefined>;
}

const NO_CLIENT: typeof fetch = () => Promise.reject(new Error('no outbound HTTP client is configured'));

/** Rows taken from the outbox per pass. */
const CLAIM_BATCH = 20;

/**
 * Sends deliveries from the outbox (a table: what is still to attempt, its attempt count and when
 * the next attempt is due). `dispatch` writes the delivery and its outbox row in one transaction;
 * a background loop takes due rows (leased, so two processes never send the same one at once),
 * attempts them and reschedules with back-off or removes them. A restart picks up where it left off.
 */
export class WebhookDispatcher {
  readonly #maxAttempts: number;
  readonly #baseDelayMs: number;
  readonly #timeoutMs: number;
  readonly #pollMs: number;
  readonly #fetch: typeof fetch;
  readonly #checkUrl: ((url: URL) => Promise<string | undefined>) | undefined;
  readonly #clock: Clock;
  #timer: NodeJS.Timeout | undefined;
  #pass: Promise<void> = Promise.resolve();
  #passQueued = false;
  #started = false;
  #closed = false;

  constructor(
    private readonly store: OutboxStore,
    private readonly audit: AuditLog,
    clock: Clock,
    options: WebhookOptions = {},
  ) {
    this.#maxAttempts = options.maxAttempts ?? 6;
    this.#baseDelayMs = options.baseDelayMs ?? 1000;
    this.#timeoutMs = options.timeoutMs ?? 10_000;
    this.#pollMs = options.pollMs ?? 1000;
    this.#fetch = options.fetch ?? NO_CLIENT;
    this.#checkUrl = options.checkUrl;
    this.#clock = clock;
  }

  async register(
    input: { url: string; events?: string[] },
    actor: string,
  ): Promise<WebhookRecord & { secret: string }> {
    let url: URL;
    try {
      url = new URL(input.url);
    } catch {
      throw invalid('url', 'must be an absolute http(s) URL');
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') throw invalid('url', 'must be an http(s) URL');
    const refused = await this.#checkUrl?.(url);
    if (refused !== undefined) throw invalid('url', `may not be reached: ${refused}`);
    const webhook: WebhookRecord = {
      id: randomUUID(),
      url: url.toString(),
      secret: `whsec_${randomBytes(24).toString('base64url')}`,
      events: input.events ?? [...WEBHOOK_EVENTS],
      active: true,
      createdAt: this.#clock(),
    };
    await this.store.createWebhook(webhook);
    await this.audit.record(actor, 'webhook.create', `webhook:${webhook.id}`, { url: webhook.url });
    return webhook;
  }

  /** Turns an endpoint off (its pending deliveries fail at their next attempt) or back on. */
  async setActive(id: string, active: boolean, actor: string): Promise<WebhookRecord> {
    const existing = await this.store.getWebhook(id);
    if (existing === undefined) throw notFound(`No webhook ${id}.`);
    if (existing.active !== active) {
      await this.store.setWebhookActive(id, active);
      await this.audit.record(actor, active ? 'webhook.enable' : 'webhook.disable', `webhook:${id}`, {
        url: existing.url,
      });
    }
    return { ...existing, active };
  }

  /** Queues one delivery per active webhook (in the outbox) and returns at once; sending happens in the background. */
  async dispatch(
    eventType: string,
    actionId: string | null,
    payload: Record<string, unknown>,
  ): Promise<DeliveryRecord[]> {
    const webhooks = (await this.store.listWebhooks()).filter(
      (webhook) => webhook.active && webhook.events.includes(eventType),
    );
    const deliveries: DeliveryRecord[] = [];
    for (const webhook of webhooks) {
      // One delivery per action, event and endpoint however often this is called: the id says which.
      const id = actionId === null ? randomUUID() : deliveryIdFor(webhook.id, actionId, eventType);
      const now = this.#clock();
      const body = JSON.stringify({
        id,
        type: eventType,
        createdAt: new Date(now).toISOString(),
        data: payload,
      });
      const delivery: DeliveryRecord = {
        id,
        webhookId: webhook.id,
        actionId,
        eventType,
        body,
        status: 'pending',
        attempts: 0,
        lastAttemptAt: null,
        lastStatusCode: null,
        lastError: null,
        createdAt: now,
      };
      if (await this.store.enqueueDelivery(delivery, now))
        deliveries.push({ ...delivery, nextAttemptAt: now });
    }
    if (deliveries.length > 0) this.#wake();
    return deliveries;
  }

  /** Starts the sending loop (deliveries left in the outbox by an earlier run go first). */
  start(): void {
    if (this.#started || this.#closed) return;
    this.#started = true;
    this.#wake();
  }

  /** Resolves when the outbox is empty: every delivery succeeded or used up its attempts (tests, shutdown). */
  async idle(): Promise<void> {
    for (;;) {
      await this.#pass;
      if (!this.#started || this.#closed) return;
      if (!this.#passQueued && (await this.store.nextOutboxAt()) === undefined) return;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }

  /** Stops the loop after the attempts under way (what is left stays in the outbox for the next start). */
  async close(): Promise<void> {
    this.#closed = true;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    await this.#pass;
  }

  /** Runs a pass soon; calls while one is queued share it. */
  #wake(): void {
    if (!this.#started || this.#closed || this.#passQueued) return;
    this.#passQueued = true;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    const run = async () => {
      this.#passQueued = false;
      if (!this.#closed) await this.#sendDue();
    };
    this.#pass = this.#pass.then(run, run).catch(() => undefined);
    void this.#pass.then(() => this.#scheduleNext());
  }

  async #scheduleNext(): Promise<void> {
    if (this.#closed || this.#passQueued) return;
    const next = await this.store.nextOutboxAt().catch(() => undefined);
    if (this.#closed || this.#passQueued) return;
    const delay =
      next === undefined ? this.#pollMs : Math.min(this.#pollMs, Math.max(0, next - this.#clock()));
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#wake();
    }, delay);
    this.#timer.unref();
  }

  async #sendDue(): Promise<void> {
    for (;;) {
      const due = await this.store.claimDueDeliveries(this.#clock(), this.#timeoutMs + 5000, CLAIM_BATCH);
      if (due.length === 0) return;
      await Promise.all(
        due.map(({ delivery, webhook }) => this.#attempt(webhook, delivery).catch(() => undefined)),
      );
      if (this.#closed) return;
    }
  }

  async #attempt(webhook: WebhookRecord | undefined, delivery: DeliveryRecord): Promise<void> {
    const attempts = delivery.attempts + 1;
    let statusCode: number | null = null;
    let error: string | null = null;
    if (webhook === undefined || !webhook.active) {
      const failed: DeliveryRecord = {
        ...delivery,
        status: 'failed',
        lastError: webhook === undefined ? 'the webhook was removed' : 'the webhook is disabled',
        nextAttemptAt: null,
      };
      await this.store.finishAttempt(failed, null);
      return;
    }
    try {
      const response = await this.#fetch(webhook.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          [SIGNATURE_HEADER]: signBody(webhook.secret, delivery.body),
          'x-refundguard-delivery': delivery.id,
          'x-refundguard-event': delivery.eventType,
        },
        body: delivery.body,
        signal: AbortSignal.timeout(this.#timeoutMs),
        redirect: 'manual',
      });
      statusCode = response.status;
      await response.body?.cancel().catch(() => undefined);
      if (response.status >= 300 && response.status < 400)
        error = `HTTP ${response.status} (redirects are not followed)`;
      else if (!response.ok) error = `HTTP ${response.status}`;
    } catch (cause) {
      error = cause instanceof Error ? cause.message : String(cause);
    }
    const now = this.#clock();
    const delivered = error === null;
    const status = delivered ? 'delivered' : attempts >= this.#maxAttempts ? 'failed' : 'pending';
    const nextAt = status === 'pending' ? now + this.#baseDelayMs * 2 ** (attempts - 1) : null;
    const next: DeliveryRecord = {
      ...delivery,
      attempts,
      lastAttemptAt: now,
      lastStatusCode: statusCode,
      lastError: error,
      status,
      nextAttemptAt: nextAt,
    };
    await this.store.finishAttempt(next, nextAt);
  }
}
