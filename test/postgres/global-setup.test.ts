import { describe, expect, it } from 'vitest';
import { needsEmbeddedPostgres } from './global-setup.ts';

describe('needsEmbeddedPostgres', () => {
  it('starts a server only when PostgreSQL is tested and no URL is given', () => {
    expect(needsEmbeddedPostgres({})).toBe(true);
    expect(needsEmbeddedPostgres({ DIALECTS: 'sqlite,postgres' })).toBe(true);
    expect(needsEmbeddedPostgres({ DIALECTS: ' postgres ' })).toBe(true);
    // CI's Debian server, or a developer's own: never a second one.
    expect(needsEmbeddedPostgres({ REFUNDGUARD_TEST_PG_URL: 'postgres://x@127.0.0.1:1/postgres' })).toBe(
      false,
    );
    expect(needsEmbeddedPostgres({ DIALECTS: 'sqlite' })).toBe(false);
  });

  it('gave this run a server: the store suites see a URL', () => {
    // Either the given one or the one the global setup started (DIALECTS=sqlite runs neither).
    if (needsEmbeddedPostgres({ ...process.env, REFUNDGUARD_TEST_PG_URL: undefined })) {
      expect(process.env.REFUNDGUARD_TEST_PG_URL).toMatch(/^postgres:\/\/.+@127\.0\.0\.1:\d+\//);
    }
  });
});
