// The process environment, read once at start-up by the composition root (src/adapters/cli/main.ts)
// and checked as a whole: a bad value stops the program with the variable's name and the reason,
// instead of turning into NaN somewhere later. Nothing else reads process.env.
import { z } from 'zod';
import { DEFAULT_TIME_WINDOW, type TimeWindow } from '../../app/ingest-batch.ts';
import { timestampMs } from '../../core/events.ts';
import { longestTextWindowDays } from '../../core/personal-data.ts';
import { ringSettingsSchema } from '../../core/rings/ring-settings.ts';
import { parseCidr } from '../http/outbound.ts';

/** What the environment configures, typed; the CLI's options default to these. */
export interface Environment {
  /** HTTP port for `start` / `serve` (PORT). */
  port: number;
  /** Interface to listen on (HOST). */
  host: string;
  /** The store: a SQLite file or a postgres:// URL (REFUNDGUARD_DB). */
  storeLocation: string;
  /** The rule pack YAML (REFUNDGUARD_RULES); undefined: the default pack. */
  rulePackPath: string | undefined;
  /** How often a live server retrains (REFUNDGUARD_RETRAIN_HOURS), in ms; 0 for never. */
  retrainIntervalMs: number;
  /** A new console user's password (REFUNDGUARD_PASSWORD); never logged nor echoed. */
  password: string | undefined;
  /**
   * The moments events and API assessments may have: up to REFUNDGUARD_MAX_FUTURE_HOURS past the
   * clock, from REFUNDGUARD_EARLIEST_EVENT on.
   */
  timeWindow: TimeWindow;
  /**
   * Addresses and CIDR ranges webhooks may reach although they are loopback, private, link-local
   * or otherwise refused (REFUNDGUARD_WEBHOOK_ALLOW, comma-separated); empty: none.
   */
  webhookAllow: string[];
  /**
   * The reverse proxies whose X-Forwarded-For names the caller (REFUNDGUARD_TRUST_PROXY, addresses
   * or CIDR ranges); empty: none, and every caller is the address it connects from. Sign-in and
   * API limits count per caller's address, so behind a proxy they need it.
   */
  trustProxy: string[];
  /** The audit chain's HMAC key itself (REFUNDGUARD_AUDIT_KEY); never logged nor echoed. */
  auditKey: string | undefined;
  /** A file holding the audit key (REFUNDGUARD_AUDIT_KEY_FILE); default: `audit.key` beside the store, created on first start. */
  auditKeyFile: string | undefined;
  /** The audit anchor file (REFUNDGUARD_AUDIT_ANCHOR); default: `<store>.audit-anchor.jsonl` beside it. */
  auditAnchorFile: string | undefined;
  /** Pino's level for `serve` and `start` (LOG_LEVEL). */
  logLevel: LogLevel;
  /** Requests per minute one API key or session may make (REFUNDGUARD_RATE_LIMIT); 0: no limit. */
  rateLimitPerMinute: number;
  /** Requests per minute one IP address may make without credentials (REFUNDGUARD_ANONYMOUS_RATE_LIMIT). */
  anonymousRateLimitPerMinute: number;
  /** The key of erasure's pseudonyms (REFUNDGUARD_PSEUDONYM_KEY); else read from (or made in) the key file. */
  pseudonymKey: string | undefined;
  /** Where the pseudonym key is kept (REFUNDGUARD_PSEUDONYM_KEY_FILE); undefined: beside the SQLite store, or ./data. */
  pseudonymKeyFile: string | undefined;
  /** Contact transcripts older than this many days are stripped (REFUNDGUARD_TRANSCRIPT_RETENTION_DAYS). */
  transcriptRetentionDays: number;
  /** API (what-if) assessments older than this many days are deleted (REFUNDGUARD_API_ASSESSMENT_RETENTION_DAYS). */
  apiAssessmentRetentionDays: number;
}

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
export const DEFAULT_RATE_LIMIT = 60_000;
export const DEFAULT_ANONYMOUS_RATE_LIMIT = 600;

export const DEFAULT_PORT = 8080;
export const DEFAULT_HOST = '127.0.0.1';
export const DEFAULT_STORE_LOCATION = './data/refundguard.sqlite';
export const DEFAULT_RETRAIN_HOURS = 24;
const HOUR_MS = 3_600_000;
/** No shorter: the default pack's detectors read contact texts this far back (core/personal-data.ts). */
export const MIN_TRANSCRIPT_RETENTION_DAYS = longestTextWindowDays(ringSettingsSchema.parse({}));
export const DEFAULT_TRANSCRIPT_RETENTION_DAYS = Math.max(180, MIN_TRANSCRIPT_RETENTION_DAYS);
export const DEFAULT_API_ASSESSMENT_RETENTION_DAYS = 90;
const MAX_RETENTION_DAYS = 36_500;
/** Node's timers hold at most 2^31 - 1 ms (~24.8 days); a longer interval would fire every millisecond. */
const MAX_RETRAIN_HOURS = Math.floor((2 ** 31 - 1) / HOUR_MS);

/** Variables whose values are never shown, not even in an error about them. */
const SECRETS = new Set(['REFUNDGUARD_PASSWORD', 'REFUNDGUARD_AUDIT_KEY', 'REFUNDGUARD_PSEUDONYM_KEY']);

/** A year: past it, "the future" is no bound at all. */
const MAX_FUTURE_HOURS = 366 * 24;
const wholeNumber = /^\d+$/;
const decimalNumber = /^\d+(\.\d+)?$/;

function perMinute(fallback: number) {
  return z
    .string()
    .refine((text) => wholeNumber.test(text) && Number(text) <= 10_000_000, {
      error: 'expected requests per minute, an integer 0–10000000 (0: no limit)',
    })
    .transform(Number)
    .default(fallback);
}

const environmentSchema = z.object({
  PORT: z
    .string()
    .refine((text) => wholeNumber.test(text) && Number(text) >= 1 && Number(text) <= 65_535, {
      error: 'expected an integer 1–65535',
    })
    .transform(Number)
    .default(DEFAULT_PORT),
  HOST: z.string().default(DEFAULT_HOST),
  REFUNDGUARD_DB: z.string().default(DEFAULT_STORE_LOCATION),
  REFUNDGUARD_RULES: z.string().optional(),
  REFUNDGUARD_RETRAIN_HOURS: z
    .string()
    .refine((text) => decimalNumber.test(text) && Number(text) <= MAX_RETRAIN_HOURS, {
      error: `expected a number of hours 0–${MAX_RETRAIN_HOURS} (0: never retrain)`,
    })
    .transform(Number)
    .default(DEFAULT_RETRAIN_HOURS),
  REFUNDGUARD_PASSWORD: z.string().optional(),
  REFUNDGUARD_MAX_FUTURE_HOURS: z
    .string()
    .refine((text) => decimalNumber.test(text) && Number(text) <= MAX_FUTURE_HOURS, {
      error: `expected a number of hours 0–${MAX_FUTURE_HOURS}`,
    })
    .transform(Number)
    .default(DEFAULT_TIME_WINDOW.maxFutureMs / HOUR_MS),
  REFUNDGUARD_EARLIEST_EVENT: z
    .string()
    .refine((text) => timestampMs(text) !== undefined, {
      error: 'expected an RFC 3339 timestamp such as 2020-01-01T00:00:00Z',
    })
    .transform((text) => timestampMs(text) as number)
    .default(DEFAULT_TIME_WINDOW.earliestMs),
  REFUNDGUARD_WEBHOOK_ALLOW: addressList(),
  REFUNDGUARD_TRUST_PROXY: addressList(),
  REFUNDGUARD_AUDIT_KEY: z.string().min(32, { error: 'expected at least 32 characters' }).optional(),
  REFUNDGUARD_AUDIT_KEY_FILE: z.string().optional(),
  REFUNDGUARD_AUDIT_ANCHOR: z.string().optional(),
  LOG_LEVEL: z.enum(LOG_LEVELS, { error: `expected one of ${LOG_LEVELS.join(', ')}` }).default('info'),
  REFUNDGUARD_RATE_LIMIT: perMinute(DEFAULT_RATE_LIMIT),
  REFUNDGUARD_ANONYMOUS_RATE_LIMIT: perMinute(DEFAULT_ANONYMOUS_RATE_LIMIT),
  REFUNDGUARD_PSEUDONYM_KEY: z.string().min(16, { error: 'expected at least 16 characters' }).optional(),
  REFUNDGUARD_PSEUDONYM_KEY_FILE: z.string().optional(),
  REFUNDGUARD_TRANSCRIPT_RETENTION_DAYS: days(
    MIN_TRANSCRIPT_RETENTION_DAYS,
    'the longest window a detector reads contact texts over',
  ).default(DEFAULT_TRANSCRIPT_RETENTION_DAYS),
  REFUNDGUARD_API_ASSESSMENT_RETENTION_DAYS: days(1, 'a day').default(DEFAULT_API_ASSESSMENT_RETENTION_DAYS),
});

/** Comma-separated IP addresses or CIDR ranges; empty: none. */
function addressList() {
  return z
    .string()
    .transform((text) =>
      text
        .split(',')
        .map((entry) => entry.trim())
        .filter((entry) => entry !== ''),
    )
    .refine((entries) => entries.every((entry) => parseCidr(entry) !== undefined), {
      error: 'expected comma-separated IP addresses or CIDR ranges (10.0.0.0/8, fd00::/8, 127.0.0.1)',
    })
    .default([]);
}

/** A whole number of days from `min` (and why that is the least) to a century. */
function days(min: number, why: string) {
  return z
    .string()
    .refine((text) => wholeNumber.test(text) && Number(text) >= min && Number(text) <= MAX_RETENTION_DAYS, {
      error: `expected a whole number of days ${min}–${MAX_RETENTION_DAYS} (${min}: ${why})`,
    })
    .transform(Number);
}

type Variable = keyof z.infer<typeof environmentSchema>;
const VARIABLES = Object.keys(environmentSchema.shape) as Variable[];

export type EnvironmentResult = { ok: true; environment: Environment } | { ok: false; problems: string[] };

/**
 * Parses the variables refundguard reads (others are ignored). An empty variable counts as unset
 * (`PORT= refundguard serve` clears it), as an empty REFUNDGUARD_PASSWORD always did.
 */
export function parseEnvironment(env: Readonly<Record<string, string | undefined>>): EnvironmentResult {
  const given: Partial<Record<Variable, string>> = {};
  for (const name of VARIABLES) {
    const value = env[name];
    if (value !== undefined && value !== '') given[name] = value;
  }
  const parsed = environmentSchema.safeParse(given);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const name = String(issue.path[0]) as Variable;
      const shown = SECRETS.has(name) ? '' : `, got ${JSON.stringify(given[name])}`;
      return `${name}: ${issue.message}${shown}`;
    });
    return { ok: false, problems };
  }
  const values = parsed.data;
  return {
    ok: true,
    environment: {
      port: values.PORT,
      host: values.HOST,
      storeLocation: values.REFUNDGUARD_DB,
      rulePackPath: values.REFUNDGUARD_RULES,
      retrainIntervalMs: values.REFUNDGUARD_RETRAIN_HOURS * HOUR_MS,
      password: values.REFUNDGUARD_PASSWORD,
      timeWindow: {
        maxFutureMs: values.REFUNDGUARD_MAX_FUTURE_HOURS * HOUR_MS,
        earliestMs: values.REFUNDGUARD_EARLIEST_EVENT,
      },
      webhookAllow: values.REFUNDGUARD_WEBHOOK_ALLOW,
      trustProxy: values.REFUNDGUARD_TRUST_PROXY,
      auditKey: values.REFUNDGUARD_AUDIT_KEY,
      auditKeyFile: values.REFUNDGUARD_AUDIT_KEY_FILE,
      auditAnchorFile: values.REFUNDGUARD_AUDIT_ANCHOR,
      logLevel: values.LOG_LEVEL,
      rateLimitPerMinute: values.REFUNDGUARD_RATE_LIMIT,
      anonymousRateLimitPerMinute: values.REFUNDGUARD_ANONYMOUS_RATE_LIMIT,
      pseudonymKey: values.REFUNDGUARD_PSEUDONYM_KEY,
      pseudonymKeyFile: values.REFUNDGUARD_PSEUDONYM_KEY_FILE,
      transcriptRetentionDays: values.REFUNDGUARD_TRANSCRIPT_RETENTION_DAYS,
      apiAssessmentRetentionDays: values.REFUNDGUARD_API_ASSESSMENT_RETENTION_DAYS,
    },
  };
}
