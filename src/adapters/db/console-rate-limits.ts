// Rate-limit counters in the console's database, shared by every process over the store. A hit is
// one INSERT … ON CONFLICT DO UPDATE … RETURNING: atomic on SQLite and PostgreSQL alike, so a burst
// of parallel attempts is counted one by one. Back-off restarts the window on each hit past the
// limit, doubling it (as @fastify/rate-limit's own store does), up to a cap.
import { sql } from 'kysely';
import type { RateLimitCount, RateLimitRule, RateLimitStore } from '../../app/console-ports.ts';
import { type ConsoleConnection, escapeLike } from './console-connection.ts';

/** 2^30 windows is past any cap; the shift stays inside 64 bits. */
const MAX_DOUBLINGS = 30;

export function rateLimitStore({ db, dialect }: ConsoleConnection): RateLimitStore {
  const least = dialect === 'sqlite' ? sql.raw('min') : sql.raw('least');
  return {
    async hitRateLimit(key: string, now: number, rule: RateLimitRule): Promise<RateLimitCount> {
      const window = sql.lit(Math.round(rule.windowMs));
      const max = sql.lit(Math.round(rule.max));
      const cap = sql.lit(Math.round(Math.max(rule.maxLockMs, rule.windowMs)));
      // Typed: PostgreSQL would take a bare parameter beside an integer literal for a 32-bit one.
      const at = sql`cast(${now} as bigint)`;
      const expired = sql`rate_limits.window_start + rate_limits.ttl <= ${at}`;
      const over = rule.backoff ? sql`rate_limits.hits + 1 > ${max}` : sql`1 = 0`;
      const doublings = sql`${least}(rate_limits.hits - ${max}, ${sql.lit(MAX_DOUBLINGS)})`;
      const backedOff =
        dialect === 'sqlite'
          ? sql`min(${cap}, ${window} << ${doublings})`
          : sql`least(${cap}, cast(${window} as bigint) << cast(${doublings} as integer))`;
      const result = await sql<{
        hits: number | string;
        window_start: number | string;
        ttl: number | string;
      }>`
        insert into rate_limits (key, hits, window_start, ttl, expires_at)
        values (${key}, 1, ${at}, ${window}, ${at} + ${window})
        on conflict (key) do update set
          hits = case when ${expired} then 1 else rate_limits.hits + 1 end,
          window_start = case when ${expired} then ${at} when ${over} then ${at} else rate_limits.window_start end,
          ttl = case when ${expired} then ${window} when ${over} then ${backedOff} else rate_limits.ttl end,
          expires_at = case when ${expired} then ${at} + ${window} when ${over} then ${at} + ${backedOff} else rate_limits.expires_at end
        returning hits, window_start, ttl`.execute(db);
      const row = result.rows[0];
      if (row === undefined) throw new Error('rate limit upsert returned no row');
      return { hits: Number(row.hits), resetAt: Number(row.window_start) + Number(row.ttl) };
    },

    async releaseRateLimit(key: string): Promise<void> {
      await sql`update rate_limits set hits = hits - 1 where key = ${key} and hits > 0`.execute(db);
    },

    async clearRateLimit(key: string): Promise<void> {
      await sql`delete from rate_limits where key = ${key}`.execute(db);
    },

    async takeExpiredRateLimits(prefix: string, now: number): Promise<{ key: string; hits: number }[]> {
      const result = await sql<{ key: string; hits: number | string }>`
        delete from rate_limits
        where key like ${`${escapeLike(prefix)}%`} escape '\\' and expires_at <= cast(${now} as bigint)
        returning key, hits`.execute(db);
      return result.rows.map((row) => ({ key: row.key, hits: Number(row.hits) }));
    },
  };
}
