// The console's use cases wired together over one ConsoleStore (the composition root passes it in).
// Built inert: an admin command (`users create`) uses them without sending webhooks or opening
// cases; a serving process calls `start` for the background work and `close` to stop it.
import { ActionService } from './actions.ts';
import { AuditLog, type AuditTrust } from './audit.ts';
import { CaseService } from './cases.ts';
import type { ConsoleStore, UserRecord } from './console-ports.ts';
import type { RiskEngine } from './engine.ts';
import { KeyAdmin } from './key-admin.ts';
import { DecisionSettings } from './learning/decision-settings.ts';
import { ModelLearning } from './learning/model-learning.ts';
import { ModelWatch } from './learning/model-watch.ts';
import { generatePassword, type LoginLimits, People, type UserRole } from './people.ts';
import type { Clock, Store } from './ports.ts';
import { RefusalTally } from './refusals.ts';
import type { RingSource } from './ring-cases.ts';
import { WebhookDispatcher, type WebhookOptions } from './webhooks.ts';

export interface ConsoleServices {
  consoleStore: ConsoleStore;
  audit: AuditLog;
  people: People;
  cases: CaseService;
  actions: ActionService;
  webhooks: WebhookDispatcher;
  keys: KeyAdmin;
  /** The retailer's policy, its models and a candidate in shadow. */
  decisions: DecisionSettings;
  /** Refused calls, audited in aggregate. */
  refusals: RefusalTally;
  /**
   * Starts the background work of a live server: the webhook outbox loop, opening cases as the
   * engine assesses (and from detected rings), the ring watch's timer, scheduled retraining and
   * re-reading the decision settings. Only `serve` and `start` call it; calling it again does nothing.
   */
  start(): void;
  /** Stops the background work (if started) and closes the console's store connection. */
  close(): Promise<void>;
}

export interface ConsoleOptions {
  engine: RiskEngine;
  /**
   * The engine's ring detector (RingWatch): detected rings open ring cases, ring pages show their
   * graph; `start` runs its timer and `close` stops it.
   */
  rings?: RingSource & { start?(): void };
  store: Store;
  consoleStore: ConsoleStore;
  clock: Clock;
  webhooks?: WebhookOptions;
  loginLimits?: Partial<LoginLimits>;
  /** Keys and anchors the audit chain (the composition root gives it; tests may leave it out). */
  auditTrust?: AuditTrust;
  sessionTtlMs?: number;
  /** How often a live server retrains on the labels that came in (wall clock); 0 or absent for never. */
  retrainIntervalMs?: number;
  /** How often the policy, promoted model and shadow candidate are re-read from the store. */
  decisionSyncMs?: number;
}

export function createConsoleServices(options: ConsoleOptions): ConsoleServices {
  const { engine, store, consoleStore } = options;
  const { clock } = options;
  const audit = new AuditLog(consoleStore, clock, options.auditTrust);
  const people = new People(consoleStore, audit, clock, {
    ...(options.loginLimits !== undefined ? { loginLimits: options.loginLimits } : {}),
    ...(options.sessionTtlMs !== undefined ? { sessionTtlMs: options.sessionTtlMs } : {}),
  });
  const cases = new CaseService({
    engine,
    store,
    consoleStore,
    audit,
    clock,
    ...(options.rings !== undefined ? { rings: options.rings } : {}),
  });
  const webhooks = new WebhookDispatcher(consoleStore, audit, clock, options.webhooks);
  const actions = new ActionService({ engine, store, consoleStore, cases, audit, webhooks, clock });
  const keys = new KeyAdmin(store, consoleStore, audit, clock);
  const refusals = new RefusalTally(consoleStore, audit, clock);
  const learning = new ModelLearning(store, clock);
  const decisions = new DecisionSettings({ engine, store, learning, audit, clock });
  const modelWatch = new ModelWatch(engine, learning, options.retrainIntervalMs ?? 0);
  const rings = options.rings;
  let started = false;
  let syncDecisions: NodeJS.Timeout | undefined;
  let sweepRefusals: NodeJS.Timeout | undefined;
  let stopRings: (() => void) | undefined;
  return {
    consoleStore,
    audit,
    people,
    cases,
    actions,
    webhooks,
    keys,
    decisions,
    refusals,
    start() {
      if (started) return;
      started = true;
      rings?.start?.();
      modelWatch.start();
      // Changes made elsewhere (the CLI, another server) to the policy, the model or the shadow candidate.
      syncDecisions = setInterval(() => {
        void decisions.sync().catch(() => undefined);
      }, options.decisionSyncMs ?? 30_000);
      syncDecisions.unref();
      // Each minute's tally of refused calls becomes one audit row once the minute is over.
      void refusals.sweep().catch(() => undefined);
      sweepRefusals = setInterval(() => {
        void refusals.sweep().catch(() => undefined);
      }, 60_000);
      sweepRefusals.unref();
      webhooks.start();
      // Actions a crash left approved but not run are run now (once: the store's compare-and-set).
      void actions.resumeApproved().catch(() => undefined);
      cases.start();
      stopRings = rings?.onRings?.((run) => {
        void cases.recordRings(run.rings).catch(() => undefined);
      });
      // Rings detected before the console listened (a restart, an import) open their cases now.
      const latest = rings?.current?.();
      if (latest !== undefined) void cases.recordRings(latest.rings).catch(() => undefined);
    },
    async close() {
      clearInterval(syncDecisions);
      clearInterval(sweepRefusals);
      if (started) await refusals.sweep().catch(() => undefined);
      await modelWatch.stop();
      cases.stop();
      stopRings?.();
      rings?.stop?.();
      await webhooks.close();
      await cases.idle();
      await consoleStore.close();
    },
  };
}

export interface DemoCredentials {
  email: string;
  password: string;
  role: UserRole;
  name: string;
}

const DEMO_USERS: { role: UserRole; name: string }[] = [
  { role: 'admin', name: 'Ada Admin' },
  { role: 'supervisor', name: 'Sam Supervisor' },
  { role: 'investigator', name: 'Ivy Investigator' },
  { role: 'analyst', name: 'Andy Analyst' },
];

/** On a store with no users: one user per role with a generated password, to print once. */
export async function createDemoUsers(services: ConsoleServices): Promise<DemoCredentials[]> {
  if ((await services.consoleStore.countUsers()) > 0) return [];
  const created: DemoCredentials[] = [];
  for (const { role, name } of DEMO_USERS) {
    const password = generatePassword();
    const user: UserRecord = await services.people.createUser({
      email: `${role}@refundguard.local`,
      name,
      role,
      password,
    });
    created.push({ email: user.email, password, role, name });
  }
  return created;
}
