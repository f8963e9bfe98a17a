// The shared rate-limit counters on each database: parallel hits from two connections (two
// processes) are each counted once, a window ends, back-off doubles the lock, and expired refusal
// tallies are taken exactly once.
import { afterEach, describe, expect, it } from 'vitest';
import type { RateLimitRule } from '../../app/console-ports.ts';
import { type KyselyConsoleStore, openConsoleStore } from './console-store.ts';
import { createTestLocation, dialectsToTest } from './testing/test-locations.ts';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()?.();
});

async function twoConnections(
  dialect: 'sqlite' | 'postgres',
): Promise<[KyselyConsoleStore, KyselyConsoleStore]> {
  const location = await createTestLocation(dialect);
  const first = await openConsoleStore(location.location);
  const second = await openConsoleStore(location.location);
  cleanups.push(async () => {
    await first.close();
    await second.close();
    await location.dispose();
  });
  return [first, second];
}

const rule: RateLimitRule = { windowMs: 60_000, max: 5, backoff: false, maxLockMs: 60_000 };

for (const dialect of dialectsToTest()) {
  describe(`rate-limit counters on ${dialect}`, () => {
    it('counts 200 parallel hits from two connections one by one', async () => {
      const [first, second] = await twoConnections(dialect);
      const now = 1_800_000_000_000;
      const hits = await Promise.all(
        Array.from({ length: 200 }, (_, index) =>
          (index % 2 === 0 ? first : second).hitRateLimit('k', now, rule).then((count) => count.hits),
        ),
      );
      expect(hits.sort((a, b) => a - b)).toEqual(Array.from({ length: 200 }, (_, index) => index + 1));
    });

    it('starts a new window when the last one ended, and doubles the lock past the limit with back-off', async () => {
      const [store] = await twoConnections(dialect);
      const backoff = { ...rule, max: 2, backoff: true, maxLockMs: 4 * 60_000 };
      expect(await store.hitRateLimit('a', 0, backoff)).toEqual({ hits: 1, resetAt: 60_000 });
      expect(await store.hitRateLimit('a', 10, backoff)).toEqual({ hits: 2, resetAt: 60_000 });
      // Past the limit: locked from now for one window, then two, then four (the cap), then four.
      expect(await store.hitRateLimit('a', 20, backoff)).toEqual({ hits: 3, resetAt: 20 + 60_000 });
      expect(await store.hitRateLimit('a', 30, backoff)).toEqual({ hits: 4, resetAt: 30 + 120_000 });
      expect(await store.hitRateLimit('a', 40, backoff)).toEqual({ hits: 5, resetAt: 40 + 240_000 });
      expect(await store.hitRateLimit('a', 50, backoff)).toEqual({ hits: 6, resetAt: 50 + 240_000 });
      // After the lock, a fresh window.
      expect(await store.hitRateLimit('a', 50 + 240_000, backoff)).toEqual({
        hits: 1,
        resetAt: 50 + 300_000,
      });
      // Without back-off the window stays put.
      await store.hitRateLimit('b', 0, rule);
      for (let index = 0; index < 8; index += 1) await store.hitRateLimit('b', 100, rule);
      expect(await store.hitRateLimit('b', 200, rule)).toEqual({ hits: 10, resetAt: 60_000 });
      expect(await store.hitRateLimit('b', 60_000, rule)).toEqual({ hits: 1, resetAt: 120_000 });
    });

    it('takes a hit back, clears a key, and hands each expired counter to one taker only', async () => {
      const [first, second] = await twoConnections(dialect);
      await first.hitRateLimit('x', 0, rule);
      await first.hitRateLimit('x', 0, rule);
      await first.releaseRateLimit('x');
      expect((await first.hitRateLimit('x', 0, rule)).hits).toBe(2);
      await first.clearRateLimit('x');
      expect((await first.hitRateLimit('x', 0, rule)).hits).toBe(1);
      for (let index = 0; index < 3; index += 1) await first.hitRateLimit('refused|a', 0, rule);
      await first.hitRateLimit('refused|b', 0, { ...rule, windowMs: 120_000 });
      expect(await first.takeExpiredRateLimits('refused|', 59_999)).toEqual([]);
      const [one, two] = await Promise.all([
        first.takeExpiredRateLimits('refused|', 60_000),
        second.takeExpiredRateLimits('refused|', 60_000),
      ]);
      expect([...one, ...two]).toEqual([{ key: 'refused|a', hits: 3 }]);
      // Other prefixes are not swept (LIKE's wildcards are escaped).
      expect(await first.takeExpiredRateLimits('x', 1_000_000)).toEqual([{ key: 'x', hits: 1 }]);
    });
  });
}
