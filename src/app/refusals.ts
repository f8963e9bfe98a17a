// Refused calls (401, 403, 429) are audited in aggregate: the first refusal of a caller, address,
// route and status in a minute is written at once, and the rest of that minute as one row with
// their count when the minute is over. A flood of refused calls costs two rows a minute, not one
// each. The counts live in the shared rate-limit table, so several processes add up to one tally.
import type { AuditLog } from './audit.ts';
import type { RateLimitStore } from './console-ports.ts';
import type { Clock } from './ports.ts';

const MINUTE_MS = 60_000;
const PREFIX = 'refused|';

export interface Refusal {
  /** `user:…`, `key:…` or `anonymous`. */
  actor: string;
  ip: string;
  status: number;
  /** The route pattern (`GET /v1/cases/:id`), not the URL: one tally per route. */
  route: string;
  /** The path asked for (shown on the first row of a minute). */
  path: string;
  reason: string;
}

export class RefusalTally {
  constructor(
    private readonly store: RateLimitStore,
    private readonly audit: AuditLog,
    private readonly clock: Clock,
  ) {}

  async note(refusal: Refusal): Promise<void> {
    const now = this.clock();
    const minute = Math.floor(now / MINUTE_MS) * MINUTE_MS;
    const { actor, ip, status, route } = refusal;
    const key = `${PREFIX}${minute}|${JSON.stringify({ actor, ip, status, route })}`;
    const end = minute + MINUTE_MS;
    const { hits } = await this.store.hitRateLimit(key, now, {
      windowMs: end - now,
      max: Number.MAX_SAFE_INTEGER,
      backoff: false,
      maxLockMs: 0,
    });
    if (hits === 1)
      await this.audit.record(actor, status === 403 ? 'forbidden' : 'refused', route, {
        status,
        ip,
        path: refusal.path,
        reason: refusal.reason,
      });
  }

  /** Writes one row for each minute that is over with more than one refusal; returns how many. */
  async sweep(): Promise<number> {
    const taken = await this.store.takeExpiredRateLimits(PREFIX, this.clock());
    let written = 0;
    for (const { key, hits } of taken) {
      if (hits <= 1) continue;
      const rest = key.slice(PREFIX.length);
      const bar = rest.indexOf('|');
      const minute = Number(rest.slice(0, bar));
      const { actor, ip, status, route } = JSON.parse(rest.slice(bar + 1)) as Pick<
        Refusal,
        'actor' | 'ip' | 'status' | 'route'
      >;
      await this.audit.record(actor, 'refused.repeated', route, {
        status,
        ip,
        count: hits - 1,
        from: minute,
        to: minute + MINUTE_MS,
      });
      written += 1;
    }
    return written;
  }
}
