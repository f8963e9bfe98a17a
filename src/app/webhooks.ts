// Webhooks: executed actions go to the retailer's systems as signed POSTs. The body is signed with
// HMAC-SHA256 (`x-refundguard-signature: sha256=<hex>`); failures are retried with exponential
// back-off, in the background, a bounded number of times; every attempt is in the delivery log.
import { createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import type { AuditLog } from './audit.ts';
import { invalid } from './console-errors.ts';
import type { ConsoleStore, DeliveryRecord, WebhookRecord } from './console-ports.ts';

export const SIGNATURE_HEADER = 'x-refundguard-signature';
export const WEBHOOK_EVENTS = ['action.executed'] as const;

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
  fetch?: typeof fetch;
  clock?: () => number;
}

export class WebhookDispatcher {
  readonly #maxAttempts: number;
  readonly #baseDelayMs: number;
  readonly #timeoutMs: number;
  readonly #fetch: typeof fetch;
  readonly #clock: () => number;
  readonly #inFlight = new Set<Promise<void>>();
  readonly #timers = new Set<NodeJS.Timeout>();
  #closed = false;

  constructor(
    private readonly store: ConsoleStore,
    private readonly audit: AuditLog,
    options: WebhookOptions = {},
  ) {
    this.#maxAttempts = options.maxAttempts ?? 6;
    this.#baseDelayMs = options.baseDelayMs ?? 1000;
    this.#timeoutMs = options.timeoutMs ?? 10_000;
    this.#fetch = options.fetch ?? fetch;
    this.#clock = options.clock ?? Date.now;
  }

  async register(input: { url: string; events?: string[] }, actor: string): Promise<WebhookRecord & { secret: string }> {
    let url: URL;
    try {
      url = new URL(input.url);
    } catch {
      throw invalid('url: must be an absolute http(s) URL');
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') throw invalid('url: must be an http(s) URL');
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

  /** Queues one delivery per active webhook and returns at once; sending happens in the background. */
  async dispatch(eventType: string, actionId: string | null, payload: Record<string, unknown>): Promise<DeliveryRecord[]> {
    const webhooks = (await this.store.listWebhooks()).filter(
      (webhook) => webhook.active && webhook.events.includes(eventType),
    );
    const deliveries: DeliveryRecord[] = [];
    for (const webhook of webhooks) {
      const id = randomUUID();
      const body = JSON.stringify({ id, type: eventType, createdAt: new Date(this.#clock()).toISOString(), data: payload });
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
        createdAt: this.#clock(),
      };
      await this.store.saveDelivery(delivery);
      deliveries.push(delivery);
      this.#schedule(webhook, delivery, 0);
    }
    return deliveries;
  }

  /** Resolves when every delivery has succeeded or used up its attempts (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.#inFlight.size > 0 || this.#timers.size > 0) {
      if (this.#inFlight.size > 0) await Promise.allSettled([...this.#inFlight]);
      else await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }

  /** Stops retrying (pending deliveries stay `pending` in the log). */
  close(): void {
    this.#closed = true;
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
  }

  #schedule(webhook: WebhookRecord, delivery: DeliveryRecord, delayMs: number): void {
    if (this.#closed) return;
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      const attempt = this.#attempt(webhook, delivery).finally(() => this.#inFlight.delete(attempt));
      this.#inFlight.add(attempt);
    }, delayMs);
    timer.unref();
    this.#timers.add(timer);
  }

  async #attempt(webhook: WebhookRecord, delivery: DeliveryRecord): Promise<void> {
    const attempts = delivery.attempts + 1;
    let statusCode: number | null = null;
    let error: string | null = null;
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
      if (!response.ok) error = `HTTP ${response.status}`;
    } catch (cause) {
      error = cause instanceof Error ? cause.message : String(cause);
    }
    const delivered = error === null;
    const next: DeliveryRecord = {
      ...delivery,
      attempts,
      lastAttemptAt: this.#clock(),
      lastStatusCode: statusCode,
      lastError: error,
      status: delivered ? 'delivered' : attempts >= this.#maxAttempts ? 'failed' : 'pending',
    };
    await this.store.saveDelivery(next).catch(() => undefined);
    if (next.status === 'pending') this.#schedule(webhook, next, this.#baseDelayMs * 2 ** (attempts - 1));
  }
}
