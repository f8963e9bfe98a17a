import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Builds the web console (dist/web) when it is missing or stale, for the browser tests.
    globalSetup: ['test/browser/global-setup.ts'],
  },
});
