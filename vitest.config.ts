import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Builds the web console (dist/web) when it is missing or stale, for the browser tests; and
    // starts a throw-away PostgreSQL when REFUNDGUARD_TEST_PG_URL is not given.
    globalSetup: ['test/browser/global-setup.ts', 'test/postgres/global-setup.ts'],
  },
});
