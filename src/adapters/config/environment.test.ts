import { describe, expect, it } from 'vitest';
import { DEFAULT_STORE_LOCATION, MIN_TRANSCRIPT_RETENTION_DAYS, parseEnvironment } from './environment.ts';

describe('the environment', () => {
  it('parses a good environment into typed values, ignoring variables it does not read', () => {
    expect(
      parseEnvironment({
        PORT: '9090',
        HOST: '0.0.0.0',
        REFUNDGUARD_DB: 'postgres://somewhere/db',
        REFUNDGUARD_RULES: 'rules/strict.yaml',
        REFUNDGUARD_RETRAIN_HOURS: '1.5',
        REFUNDGUARD_PASSWORD: 'a long enough password',
        REFUNDGUARD_MAX_FUTURE_HOURS: '2',
        REFUNDGUARD_EARLIEST_EVENT: '2020-01-01T00:00:00Z',
        REFUNDGUARD_WEBHOOK_ALLOW: '10.20.0.0/16, fd00::/8,127.0.0.1',
        REFUNDGUARD_TRUST_PROXY: '10.0.0.5',
        REFUNDGUARD_AUDIT_KEY: 'k'.repeat(32),
        REFUNDGUARD_AUDIT_ANCHOR: '/var/lib/refundguard/anchor.jsonl',
        LOG_LEVEL: 'warn',
        REFUNDGUARD_RATE_LIMIT: '1200',
        REFUNDGUARD_ANONYMOUS_RATE_LIMIT: '0',
        PATH: '/usr/bin',
      }),
    ).toEqual({
      ok: true,
      environment: {
        port: 9090,
        host: '0.0.0.0',
        storeLocation: 'postgres://somewhere/db',
        rulePackPath: 'rules/strict.yaml',
        retrainIntervalMs: 5_400_000,
        password: 'a long enough password',
        timeWindow: { maxFutureMs: 7_200_000, earliestMs: Date.parse('2020-01-01T00:00:00Z') },
        webhookAllow: ['10.20.0.0/16', 'fd00::/8', '127.0.0.1'],
        trustProxy: ['10.0.0.5'],
        auditKey: 'k'.repeat(32),
        auditKeyFile: undefined,
        auditAnchorFile: '/var/lib/refundguard/anchor.jsonl',
        logLevel: 'warn',
        rateLimitPerMinute: 1200,
        anonymousRateLimitPerMinute: 0,
        pseudonymKey: undefined,
        pseudonymKeyFile: undefined,
        transcriptRetentionDays: 180,
        apiAssessmentRetentionDays: 90,
      },
    });
  });

  it('has defaults for what is unset, and an empty variable counts as unset', () => {
    const defaults = {
      ok: true,
      environment: {
        port: 8080,
        host: '127.0.0.1',
        storeLocation: DEFAULT_STORE_LOCATION,
        rulePackPath: undefined,
        retrainIntervalMs: 24 * 3_600_000,
        password: undefined,
        timeWindow: { maxFutureMs: 86_400_000, earliestMs: Date.parse('2000-01-01T00:00:00Z') },
        webhookAllow: [],
        trustProxy: [],
        auditKey: undefined,
        auditKeyFile: undefined,
        auditAnchorFile: undefined,
        logLevel: 'info',
        rateLimitPerMinute: 60_000,
        anonymousRateLimitPerMinute: 600,
        pseudonymKey: undefined,
        pseudonymKeyFile: undefined,
        transcriptRetentionDays: 180,
        apiAssessmentRetentionDays: 90,
      },
    };
    expect(parseEnvironment({})).toEqual(defaults);
    expect(parseEnvironment({ PORT: '', REFUNDGUARD_DB: '', REFUNDGUARD_PASSWORD: '' })).toEqual(defaults);
    expect(parseEnvironment({ REFUNDGUARD_RETRAIN_HOURS: '0' })).toMatchObject({
      environment: { retrainIntervalMs: 0 },
    });
  });

  it('refuses a time window that is no window, naming the variable', () => {
    expect(parseEnvironment({ REFUNDGUARD_EARLIEST_EVENT: '2026-02-30T00:00:00Z' })).toEqual({
      ok: false,
      problems: [
        'REFUNDGUARD_EARLIEST_EVENT: expected an RFC 3339 timestamp such as 2020-01-01T00:00:00Z, got "2026-02-30T00:00:00Z"',
      ],
    });
    expect(parseEnvironment({ REFUNDGUARD_MAX_FUTURE_HOURS: 'soon' }).ok).toBe(false);
    expect(parseEnvironment({ REFUNDGUARD_MAX_FUTURE_HOURS: '100000' }).ok).toBe(false);
  });

  it('names each bad variable and why, with the value it got', () => {
    expect(parseEnvironment({ PORT: 'abc' })).toEqual({
      ok: false,
      problems: ['PORT: expected an integer 1–65535, got "abc"'],
    });
    for (const port of ['0', '65536', '80.5', '-1', ' 80'])
      expect(parseEnvironment({ PORT: port }).ok, port).toBe(false);
    const both = parseEnvironment({ PORT: '99999', REFUNDGUARD_RETRAIN_HOURS: 'daily' });
    expect(both).toEqual({
      ok: false,
      problems: [
        'PORT: expected an integer 1–65535, got "99999"',
        'REFUNDGUARD_RETRAIN_HOURS: expected a number of hours 0–596 (0: never retrain), got "daily"',
      ],
    });
    expect(parseEnvironment({ REFUNDGUARD_WEBHOOK_ALLOW: '10.0.0.0/8,intranet' })).toEqual({
      ok: false,
      problems: [
        'REFUNDGUARD_WEBHOOK_ALLOW: expected comma-separated IP addresses or CIDR ranges (10.0.0.0/8, fd00::/8, 127.0.0.1), got "10.0.0.0/8,intranet"',
      ],
    });
    // Longer than a Node timer can wait: it would retrain every millisecond.
    expect(parseEnvironment({ REFUNDGUARD_RETRAIN_HOURS: '1000' }).ok).toBe(false);
    expect(parseEnvironment({ LOG_LEVEL: 'loud' })).toEqual({
      ok: false,
      problems: ['LOG_LEVEL: expected one of fatal, error, warn, info, debug, trace, silent, got "loud"'],
    });
    expect(parseEnvironment({ REFUNDGUARD_RATE_LIMIT: 'lots' }).ok).toBe(false);
  });

  it('never shows the audit key, not even when it is too short', () => {
    const result = parseEnvironment({ REFUNDGUARD_AUDIT_KEY: 'short-secret' });
    expect(result).toEqual({
      ok: false,
      problems: ['REFUNDGUARD_AUDIT_KEY: expected at least 32 characters'],
    });
  });

  it('keeps transcripts at least as long as a detector reads them, and never shows the pseudonym key', () => {
    expect(
      parseEnvironment({
        REFUNDGUARD_TRANSCRIPT_RETENTION_DAYS: '365',
        REFUNDGUARD_API_ASSESSMENT_RETENTION_DAYS: '30',
        REFUNDGUARD_PSEUDONYM_KEY: 'a-key-of-sixteen-or-more',
        REFUNDGUARD_PSEUDONYM_KEY_FILE: '/secrets/pseudonym.key',
      }),
    ).toMatchObject({
      environment: {
        transcriptRetentionDays: 365,
        apiAssessmentRetentionDays: 30,
        pseudonymKey: 'a-key-of-sixteen-or-more',
        pseudonymKeyFile: '/secrets/pseudonym.key',
      },
    });
    // Script twins, the script index and ring detection read texts up to 180 days back (default pack).
    expect(MIN_TRANSCRIPT_RETENTION_DAYS).toBe(180);
    expect(parseEnvironment({ REFUNDGUARD_TRANSCRIPT_RETENTION_DAYS: '179' })).toEqual({
      ok: false,
      problems: [
        'REFUNDGUARD_TRANSCRIPT_RETENTION_DAYS: expected a whole number of days 180–36500 (180: the longest window a detector reads contact texts over), got "179"',
      ],
    });
    expect(parseEnvironment({ REFUNDGUARD_API_ASSESSMENT_RETENTION_DAYS: '0' }).ok).toBe(false);
    expect(parseEnvironment({ REFUNDGUARD_PSEUDONYM_KEY: 'short-secret' })).toEqual({
      ok: false,
      problems: ['REFUNDGUARD_PSEUDONYM_KEY: expected at least 16 characters'],
    });
  });
});
