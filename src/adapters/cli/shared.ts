// What every command shares: the store and rule-pack options, and an engine loaded from the store.
import { userInfo } from 'node:os';
import { InvalidArgumentError, Option } from 'commander';
import type { AuditTrust } from '../../app/audit.ts';
import { type EngineOptions, RiskEngine } from '../../app/engine.ts';
import type { Clock, Store } from '../../app/ports.ts';
import { loadRulePack } from '../../app/rule-pack-file.ts';
import type { Environment } from '../config/environment.ts';
import { openStore } from '../db/open-store.ts';
import { defaultAuditPaths, fileAuditAnchor, loadAuditKey } from '../files/audit-anchor.ts';
import { progressBar } from './progress.ts';

export function integer(value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0)
    throw new InvalidArgumentError('must be a non-negative integer');
  return parsed;
}

export function decimal(value: string): number {
  const parsed = Number(value);
  if (!Number.isFinite(parsed)) throw new InvalidArgumentError('must be a number');
  return parsed;
}

/** What the composition root hands the commands registered outside it. */
export interface CommandContext {
  environment: Environment;
  clock: Clock;
}

/** The environment's values are the defaults (the composition root read it). */
export const dbOption = (storeLocation: string) =>
  new Option('--db <location>', 'SQLite file or postgres:// URL (env REFUNDGUARD_DB)').default(storeLocation);
export const rulesOption = (rulePackPath: string | undefined) =>
  new Option('--rules <file>', 'rule pack YAML (env REFUNDGUARD_RULES)').default(rulePackPath);

/** The store, and an engine whose state, counts, model and policy are loaded from it (with a progress bar). */
export async function openEngine(
  location: string,
  rulesPath: string | undefined,
  clock: Clock,
  engineOptions: EngineOptions = {},
): Promise<{ store: Store; engine: RiskEngine }> {
  const rules = loadRulePack(rulesPath);
  const store = await openStore(location);
  const engine = new RiskEngine(store, rules, clock, engineOptions);
  const events = await store.countEvents();
  const bar = events > 0 ? progressBar('Loading') : undefined;
  await engine.load((done, total) => bar?.update(done, total));
  bar?.stop();
  return { store, engine };
}

/** Actions taken at the command line are audited by the operating-system user who took them. */
export function cliActor(): string {
  return `cli:${userInfo().username}`;
}

/** Where messages about the audit key and anchor go: the server's log, or stderr for a command. */
export type Say = (message: string, level: 'info' | 'warn', fields?: Record<string, unknown>) => void;

const sayOnStderr: Say = (message) => console.error(`refundguard: ${message}`);

/**
 * The audit chain's key and anchor for a store: from the configuration, else beside the store (the
 * key is created there on first start, and said so, never shown).
 */
export function auditTrustFor(
  location: string,
  environment: Environment,
  say: Say = sayOnStderr,
  onAppend?: AuditTrust['onAppend'],
): AuditTrust {
  const paths = defaultAuditPaths(location);
  const keyFile = environment.auditKeyFile ?? paths.key;
  const anchorFile = environment.auditAnchorFile ?? paths.anchor;
  const key = loadAuditKey({ key: environment.auditKey, file: keyFile });
  if (key.created)
    say(
      `created the audit chain key in ${keyFile} (mode 0600); keep it, and out of the database's backups`,
      'warn',
      { auditKeyFile: keyFile },
    );
  return {
    key: key.key,
    anchor: fileAuditAnchor(anchorFile),
    onBegin: (message, level) => say(`${message} (${anchorFile})`, level, { auditAnchor: anchorFile }),
    ...(onAppend !== undefined ? { onAppend } : {}),
  };
}
