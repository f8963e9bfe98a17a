// The `refundguard` command line: the composition root that wires the store, the rule pack and
// the engine for each command.
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Command, Option } from 'commander';
import { ZodError, z } from 'zod';
import { createApiKey, ROLES, revokeApiKey } from '../../app/api-keys.ts';
import { AuditLog } from '../../app/audit.ts';
import { type ConsoleServices, createConsoleServices, createDemoUsers } from '../../app/console.ts';
import { RiskEngine } from '../../app/engine.ts';
import { evaluate, formatEvaluation } from '../../app/evaluation.ts';
import { readLabels } from '../../app/labels.ts';
import { USER_ROLES } from '../../app/people.ts';
import { ErasureWatch } from '../../app/personal-data.ts';
import type { Clock, Store } from '../../app/ports.ts';
import { replay } from '../../app/replay.ts';
import { evaluateRings, formatRingEvaluation } from '../../app/ring-evaluation.ts';
import { RingWatch } from '../../app/ring-watch.ts';
import { loadRulePack } from '../../app/rule-pack-file.ts';
import { simulationOptionsSchema, writeWorld } from '../../sim/index.ts';
import { parseEnvironment } from '../config/environment.ts';
import { openConsoleStore } from '../db/console-store.ts';
import { isPostgresLocation, openStore } from '../db/open-store.ts';
import { backupSqlite } from '../db/sqlite-backup.ts';
import { readJsonLines, writeJsonLines } from '../files/json-lines.ts';
import { OutboundGuard } from '../http/outbound.ts';
import { createLogger, startServer } from '../http/server.ts';
import { registerDecisionCommands } from './decision-commands.ts';
import { importFile } from './import-file.ts';
import { registerPersonalDataCommands, retentionService } from './personal-data-commands.ts';
import { progressBar } from './progress.ts';
import { auditTrustFor, cliActor, dbOption, integer, openEngine, rulesOption } from './shared.ts';

// The environment is checked as a whole before any command runs; a bad value is a usage error.
const parsedEnvironment = parseEnvironment(process.env);
if (!parsedEnvironment.ok) {
  for (const problem of parsedEnvironment.problems) console.error(`refundguard: ${problem}`);
  process.exit(2);
}
const { environment } = parsedEnvironment;
/** The one wall clock: every service, route and command below gets it from here. */
const clock: Clock = Date.now;
/** What the engine takes from the environment: the moments it accepts from outside. */
const engineOptions = { timeWindow: environment.timeWindow };
/** `serve` and `start` log JSON lines on stdout (progress bars stay on stderr); LOG_LEVEL sets the level. */
const logger = createLogger({ level: environment.logLevel });

function reportRejected(
  rejected: { line?: number; index: number; problems: { field: string; reason: string }[] }[],
): void {
  for (const problem of rejected.slice(0, 50)) {
    const where = problem.line !== undefined ? `line ${problem.line}` : `item ${problem.index}`;
    console.error(
      `  ${where}: ${problem.problems.map((entry) => `${entry.field}: ${entry.reason}`).join('; ')}`,
    );
  }
  if (rejected.length > 50) console.error(`  … and ${rejected.length - 50} more`);
}

/** Webhooks reach only public addresses, and those REFUNDGUARD_WEBHOOK_ALLOW names. */
function webhookClient(): { fetch: typeof fetch; checkUrl: (url: URL) => Promise<string | undefined> } {
  const guard = new OutboundGuard({ allow: environment.webhookAllow });
  return { fetch: guard.fetch, checkUrl: guard.checkUrl };
}

/**
 * The console's services for serving, over the same location as the store: their background work
 * started (only `serve` and `start` do), cases brought up to date first.
 */
async function openConsole(
  location: string,
  rulesPath: string | undefined,
  store: Store,
  engine: RiskEngine,
): Promise<ConsoleServices> {
  // Rings found while importing, and on a timer while serving, open ring cases.
  const rings = new RingWatch(engine, clock);
  const auditLog = logger.child({ component: 'audit' });
  // Every appended row's head goes to the log too: a second anchor the database cannot rewrite.
  const auditTrust = auditTrustFor(
    location,
    environment,
    (message, level, fields) => auditLog[level](fields ?? {}, message),
    (head) => auditLog.info({ auditHead: head }, 'audit appended'),
  );
  const consoleStore = await openConsoleStore(location);
  // Checked before serving: a transcript retention shorter than the pack's text windows stops the start.
  const retention = retentionService(
    environment,
    rulesPath,
    consoleStore.personalData,
    clock,
    new AuditLog(consoleStore, clock, auditTrust),
  );
  const services = createConsoleServices({
    auditTrust,
    engine,
    store,
    rings,
    consoleStore,
    clock,
    retrainIntervalMs: environment.retrainIntervalMs,
    webhooks: webhookClient(),
  });
  services.start();
  // The retention policy runs now and daily; its timer is unref'd (it never keeps the process up).
  const stopRetention = retention.startDaily((error) =>
    console.error(`refundguard: retention failed: ${error instanceof Error ? error.message : String(error)}`),
  );
  // An erasure made meanwhile (`refundguard erase`) rewrote events: the state is rebuilt from them.
  const erasures = new ErasureWatch(consoleStore.personalData, engine);
  await erasures.init();
  erasures.start(
    30_000,
    (error) =>
      console.error(
        `refundguard: reloading after an erasure failed: ${error instanceof Error ? error.message : String(error)}`,
      ),
    () => console.log('An erasure was made: the state was reloaded from the stored events.'),
  );
  const close = services.close.bind(services);
  services.close = async () => {
    stopRetention();
    erasures.stop();
    await close();
  };
  await services.cases.syncCases();
  // The policy, promoted model and shadow candidate as the store holds them (a restart goes on with them).
  await services.decisions.sync();
  return services;
}

async function serve(
  store: Store,
  engine: RiskEngine,
  port: number,
  host: string,
  printKey: boolean,
  services: ConsoleServices,
): Promise<void> {
  const { address } = await startServer({
    engine,
    store,
    clock,
    port,
    host,
    console: services,
    logger,
    trustProxy: environment.trustProxy,
    rateLimit: {
      perMinute: environment.rateLimitPerMinute,
      anonymousPerMinute: environment.anonymousRateLimitPerMinute,
    },
  });
  console.log(`\nrefundguard is serving on ${address}`);
  console.log(`  API docs:  ${address}/docs`);
  if (printKey) {
    const key = await createApiKey(
      store,
      { name: `start-${new Date(clock()).toISOString()}`, role: 'admin' },
      clock,
    );
    console.log(
      `  API key:   ${key.secret}   (admin; shown once; e.g. curl -H "Authorization: Bearer ${key.secret}" ${address}/v1/rules)`,
    );
  }
  console.log('Press Ctrl+C to stop.');
  // Once: Ctrl+C reaches this process from the terminal and again from bin/refundguard.mjs when
  // it runs the command in a child process; the second must not cut the first short.
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await services.close();
    await store.close();
    logger.flush();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

const program = new Command()
  .name('refundguard')
  .description('Detects and stops organised refund fraud. Events in, refund decisions out.')
  .showHelpAfterError();

program
  .command('start')
  .description(
    'On an empty store: simulate a retailer under attack, import and assess it; then serve the API',
  )
  .addOption(dbOption(environment.storeLocation))
  .addOption(rulesOption(environment.rulePackPath))
  .option('--port <n>', 'HTTP port (env PORT)', integer, environment.port)
  .option('--host <host>', 'interface to listen on (env HOST)', environment.host)
  .option('--customers <n>', 'customers in the simulated world', integer, 20_000)
  .option('--days <n>', 'days in the simulated world', integer, 60)
  .option('--seed <n>', 'simulation seed', integer, 1)
  .action(async (options) => {
    const { store, engine } = await openEngine(options.db, options.rules, clock, engineOptions);
    if ((await store.countEvents()) === 0) {
      const dir = join('data', 'world');
      mkdirSync(dir, { recursive: true });
      console.log(
        `Empty store: simulating ${options.customers} customers over ${options.days} days (seed ${options.seed}) into ${dir}/`,
      );
      const bar = progressBar('Simulate', 'steps');
      const world = await writeWorld(
        simulationOptionsSchema.parse({
          seed: options.seed,
          customers: options.customers,
          days: options.days,
        }),
        dir,
        (done: number, total: number) => bar.update(done, total),
      );
      bar.stop();
      console.log(`Simulated ${world.events} events, ${world.labels} labels.`);
      const importBar = progressBar('Import', 'bytes');
      const summary = await importFile(engine, join(dir, 'events.jsonl'), importBar);
      console.log(
        `Imported ${summary.inserted} events and assessed ${summary.assessed} refunds and sign-ups in ${summary.seconds.toFixed(1)} s (${Math.round(summary.inserted / summary.seconds)} events/s).`,
      );
    }
    const services = await openConsole(options.db, options.rules, store, engine);
    const demo = await createDemoUsers(services);
    if (demo.length > 0) {
      console.log('Console users (shown once; change them with `refundguard users`):');
      for (const user of demo)
        console.log(`  ${user.role.padEnd(12)} ${user.email.padEnd(32)} ${user.password}`);
    }
    await serve(store, engine, options.port, options.host, true, services);
  });

program
  .command('serve')
  .description('Serve the API (and console) over an existing store, without simulating anything')
  .addOption(dbOption(environment.storeLocation))
  .addOption(rulesOption(environment.rulePackPath))
  .option('--port <n>', 'HTTP port (env PORT)', integer, environment.port)
  .option('--host <host>', 'interface to listen on (env HOST)', environment.host)
  .option('--print-key', 'create and print an admin API key', false)
  .action(async (options) => {
    const { store, engine } = await openEngine(options.db, options.rules, clock, engineOptions);
    const services = await openConsole(options.db, options.rules, store, engine);
    await serve(store, engine, options.port, options.host, options.printKey, services);
  });

program
  .command('import')
  .description(
    'Import a JSON Lines file (.jsonl or .jsonl.gz) of contract events; bad lines are reported and skipped',
  )
  .argument('<file>')
  .addOption(dbOption(environment.storeLocation))
  .addOption(rulesOption(environment.rulePackPath))
  .action(async (file: string, options) => {
    const { store, engine } = await openEngine(options.db, options.rules, clock, engineOptions);
    const summary = await importFile(engine, file, progressBar('Import', 'bytes'));
    console.log(
      `${summary.lines} lines: ${summary.inserted} new events, ${summary.duplicates} already stored, ${summary.rejected.length} rejected; ${summary.assessed} assessments; ${summary.seconds.toFixed(1)} s (${Math.round(summary.lines / Math.max(summary.seconds, 0.001))} lines/s).`,
    );
    if (summary.rejected.length > 0) {
      console.error(`Rejected lines (${summary.rejected.length}):`);
      reportRejected(summary.rejected);
    }
    await store.close();
  });

program
  .command('replay')
  .description('Back-test: replay an events file in time order into a fresh store and write the decisions')
  .argument('<file>')
  .requiredOption(
    '--out <dir>',
    'folder for refunds.jsonl, rings.jsonl, signups.jsonl, agents.jsonl, intel.jsonl',
  )
  .option('--db <location>', 'the fresh store to replay into (default: in memory)', ':memory:')
  .addOption(rulesOption(environment.rulePackPath))
  .action(async (file: string, options) => {
    const rules = loadRulePack(options.rules);
    const store = await openStore(options.db);
    if ((await store.countEvents()) > 0)
      throw new Error(`replay needs a fresh store; ${options.db} already holds events`);
    const engine = new RiskEngine(store, rules, clock);
    const started = performance.now();
    const bar = progressBar('Replay');
    const result = await replay(readJsonLines(file).lines, engine, (progress) => {
      if (progress.phase === 'assess') bar.update(progress.done, progress.total);
    });
    bar.stop();
    mkdirSync(options.out, { recursive: true });
    await writeJsonLines(join(options.out, 'refunds.jsonl'), result.refunds);
    await writeJsonLines(join(options.out, 'rings.jsonl'), result.rings);
    await writeJsonLines(join(options.out, 'signups.jsonl'), result.signups);
    await writeJsonLines(join(options.out, 'agents.jsonl'), result.agents);
    await writeJsonLines(join(options.out, 'intel.jsonl'), result.intel);
    for (const problem of result.problems)
      console.error(`line ${problem.line}: ${problem.message} (skipped)`);
    const seconds = (performance.now() - started) / 1000;
    console.log(
      `Replayed ${result.events} events in ${seconds.toFixed(1)} s: ${result.refunds.length} refunds, ${result.signups.length} sign-ups assessed, ${result.rings.length} rings found, ${result.problems.length} bad lines skipped. Output in ${options.out}/`,
    );
    await store.close();
  });

program
  .command('simulate')
  .description(
    'Write a simulated retailer under attack: events.jsonl (contract) and labels.jsonl (ground truth)',
  )
  .requiredOption('--out <dir>', 'output folder')
  .option('--seed <n>', 'seed: the same seed gives the same world', integer, 1)
  .option('--customers <n>', 'honest and fraudulent customers', integer, 20_000)
  .option('--days <n>', 'days simulated', integer, 60)
  .option('--mix <name>', 'fraud mix preset', 'default')
  .option('--gangs <n>', 'refund-service gangs', integer)
  .option('--insiders <n>', 'bribed support agents', integer)
  .option('--ban-evaders <n>', 'banned fraudsters who re-register', integer)
  .action(async (options) => {
    const parsed = simulationOptionsSchema.parse(
      Object.fromEntries(
        Object.entries(options).filter(([key, value]) => key !== 'out' && value !== undefined),
      ),
    );
    mkdirSync(options.out, { recursive: true });
    const bar = progressBar('Simulate', 'steps');
    const world = await writeWorld(parsed, options.out, (done: number, total: number) =>
      bar.update(done, total),
    );
    bar.stop();
    console.log(`Wrote ${world.events} events and ${world.labels} labels to ${options.out}/`);
  });

program
  .command('eval')
  .description(
    'Score replay results against ground-truth labels: precision, recall, F1, value stopped, honest refunds bothered',
  )
  .requiredOption('--labels <file>', 'labels.jsonl')
  .requiredOption('--results <dir>', 'folder holding refunds.jsonl from replay')
  .option('--json', 'print JSON instead of a table', false)
  .action(async (options) => {
    const labels = await readLabels(options.labels);
    for (const problem of labels.problems)
      console.error(`labels line ${problem.line}: ${problem.message} (skipped)`);
    const results: unknown[] = [];
    for await (const entry of readJsonLines(join(options.results, 'refunds.jsonl')).lines) {
      if ('error' in entry) console.error(`refunds.jsonl line ${entry.line}: ${entry.error} (skipped)`);
      else results.push(entry.value);
    }
    const evaluation = evaluate(labels.labels, results);
    // Rings are scored when the replay wrote them (rings.jsonl) and the labels name gangs.
    const ringsFile = join(options.results, 'rings.jsonl');
    const rings: unknown[] = [];
    if (existsSync(ringsFile))
      for await (const entry of readJsonLines(ringsFile).lines) {
        if ('error' in entry) console.error(`rings.jsonl line ${entry.line}: ${entry.error} (skipped)`);
        else rings.push(entry.value);
      }
    const ringEvaluation = existsSync(ringsFile) ? evaluateRings(labels.labels, rings) : undefined;
    if (options.json) console.log(JSON.stringify({ ...evaluation, rings: ringEvaluation }, null, 2));
    else {
      console.log(formatEvaluation(evaluation));
      if (ringEvaluation && ringEvaluation.gangs.length > 0)
        console.log(`\n${formatRingEvaluation(ringEvaluation)}`);
    }
  });

const keys = program
  .command('keys')
  .description('API keys for systems (stored hashed; a secret is shown once)');
keys
  .command('create')
  .requiredOption('--name <name>', 'what the key is for')
  .addOption(new Option('--role <role>', 'what it may do').choices(ROLES).default('ingest'))
  .addOption(dbOption(environment.storeLocation))
  .action(async (options) => {
    const store = await openStore(options.db);
    const key = await createApiKey(store, { name: options.name, role: options.role }, clock);
    await auditFromCli(options.db, 'api_key.created', `api_key:${key.id}`, {
      name: key.name,
      role: key.role,
    });
    console.log(key.secret);
    console.error(
      `Created key ${key.id} (${key.name}, role ${key.role}). Store the secret now: it is not kept.`,
    );
    await store.close();
  });
keys
  .command('list')
  .addOption(dbOption(environment.storeLocation))
  .action(async (options) => {
    const store = await openStore(options.db);
    for (const key of await store.listApiKeys()) {
      console.log(
        `${key.id}\t${key.name}\t${key.role}\t${new Date(key.createdAt).toISOString()}\t${key.revokedAt ? 'revoked' : 'active'}`,
      );
    }
    await store.close();
  });
keys
  .command('revoke')
  .argument('<id>')
  .addOption(dbOption(environment.storeLocation))
  .action(async (id: string, options) => {
    const store = await openStore(options.db);
    const revoked = await revokeApiKey(store, id, clock);
    if (revoked) await auditFromCli(options.db, 'api_key.revoked', `api_key:${id}`);
    console.log(revoked ? `Revoked ${id}.` : `No active key ${id}.`);
    await store.close();
    if (!revoked) process.exitCode = 1;
  });

/** Actions taken at the command line are audited too, by the operating-system user who took them. */
async function auditFromCli(
  db: string,
  action: string,
  subject: string,
  detail: Record<string, unknown> = {},
): Promise<void> {
  const consoleStore = await openConsoleStore(db);
  try {
    await new AuditLog(consoleStore, clock, auditTrustFor(db, environment)).record(
      cliActor(),
      action,
      subject,
      detail,
    );
  } finally {
    await consoleStore.close();
  }
}

async function readPassword(): Promise<string> {
  if (environment.password !== undefined) return environment.password;
  if (process.stdin.isTTY) throw new Error('set REFUNDGUARD_PASSWORD or pipe the password on stdin');
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}

const users = program.command('users').description('People who sign in to the console');
users
  .command('create')
  .description('Create a user; the password comes from env REFUNDGUARD_PASSWORD or stdin')
  .requiredOption('--email <email>')
  .requiredOption('--name <name>')
  .addOption(new Option('--role <role>', 'what they may do').choices(USER_ROLES).makeOptionMandatory())
  .option('--agent-id <id>', 'the support agent this person is (they never see cases about it)')
  .addOption(dbOption(environment.storeLocation))
  .action(async (options) => {
    const password = await readPassword();
    const store = await openStore(options.db);
    const engine = new RiskEngine(store, loadRulePack(environment.rulePackPath), clock, engineOptions);
    // Not started: adding a user sends no webhooks and opens no cases.
    const services = createConsoleServices({
      engine,
      store,
      consoleStore: await openConsoleStore(options.db),
      clock,
      webhooks: webhookClient(),
      auditTrust: auditTrustFor(options.db, environment),
    });
    try {
      const user = await services.people.createUser({
        email: options.email,
        name: options.name,
        role: options.role,
        agentId: options.agentId ?? null,
        password,
      });
      console.log(`Created user ${user.id} (${user.email}, role ${user.role}).`);
    } finally {
      await services.close();
      await store.close();
    }
  });
users
  .command('list')
  .addOption(dbOption(environment.storeLocation))
  .action(async (options) => {
    const consoleStore = await openConsoleStore(options.db);
    for (const user of await consoleStore.listUsers()) {
      console.log(
        `${user.id}\t${user.email}\t${user.name}\t${user.role}\t${user.agentId ?? ''}\t${user.disabled ? 'disabled' : 'active'}`,
      );
    }
    await consoleStore.close();
  });

const audit = program.command('audit').description('The keyed, anchored audit log');
audit
  .command('verify')
  .description(
    'Check the chain against its key and anchor: exit 0 when intact, 1 naming the break (edited, deleted, truncated, wiped, reordered)',
  )
  .addOption(dbOption(environment.storeLocation))
  .action(async (options) => {
    const consoleStore = await openConsoleStore(options.db);
    const result = await new AuditLog(consoleStore, clock, auditTrustFor(options.db, environment)).verify();
    await consoleStore.close();
    for (const warning of result.warnings) console.error(`warning: ${warning}`);
    if (result.ok) console.log(`Audit log intact: ${result.rows} rows.`);
    else {
      console.error(
        `Audit log broken at row ${result.brokenSeq} (${result.kind}): ${result.problem} (${result.rows} rows checked).`,
      );
      process.exitCode = 1;
    }
  });

program
  .command('backup')
  .description('Copy a SQLite store (events, decisions, console, audit log) to FILE while it is in use')
  .argument('<file>', 'the backup to write; never overwritten')
  .addOption(dbOption(environment.storeLocation))
  .action(async (file: string, options) => {
    if (isPostgresLocation(options.db)) {
      console.error(
        'refundguard: a PostgreSQL store is backed up with its own tools: ' +
          'pg_dump --format=custom --file=refundguard.dump "$REFUNDGUARD_DB" (README, "Backup and restore")',
      );
      process.exitCode = 2;
      return;
    }
    const bar = progressBar('Backup', 'pages');
    const { pages } = await backupSqlite(options.db, file, ({ totalPages, remainingPages }) =>
      bar.update(totalPages - remainingPages, totalPages),
    );
    bar.stop();
    console.log(`Backed up ${options.db} to ${file} (${pages} pages).`);
  });

registerDecisionCommands(program, { environment, clock });
registerPersonalDataCommands(program, { environment, clock });

program.parseAsync(process.argv).catch((error: unknown) => {
  const message =
    error instanceof ZodError
      ? z.prettifyError(error)
      : error instanceof Error
        ? error.message
        : String(error);
  console.error(`refundguard: ${message}`);
  process.exit(1);
});
