// `npm run bench:core`: measures what the README promises, on this machine, prints the figures
// and writes them into its section of docs/figures.md.
//   1. import throughput into SQLite (validation, storage, state and assessments included)
//   2. assessment latency in-process, against a store of >= 1,000,000 events
//   3. assessment latency over HTTP at a fixed 1,000 requests/s (autocannon, loopback), with the
//      server in this process and in a child process (bench/http-server.ts)
//   4. replay time of the default world; 5. peak memory
// Worlds are simulated once and cached under bench/out/. BENCH_CUSTOMERS overrides the big world's size.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { importFile } from '../src/adapters/cli/import-file.ts';
import { progressBar } from '../src/adapters/cli/progress.ts';
import { openStore } from '../src/adapters/db/open-store.ts';
import { readJsonLines } from '../src/adapters/files/json-lines.ts';
import { startServer } from '../src/adapters/http/server.ts';
import { createApiKey } from '../src/app/api-keys.ts';
import { RiskEngine } from '../src/app/engine.ts';
import { replay } from '../src/app/replay.ts';
import { loadRulePack } from '../src/app/rule-pack-file.ts';
import { assessRefund } from '../src/core/assessment.ts';
import type { RefundRequested } from '../src/core/events.ts';
import { BENCH_OUT, cachedWorld } from './cached-world.ts';
import { copyConsoleLog, writeFiguresSection } from './figures-file.ts';
import {
  type LoadFigures,
  loadAssess,
  loadAssessFromChild,
  refundRequests,
  startChildServer,
} from './http-load.ts';

const OUT = BENCH_OUT;
const BIG_CUSTOMERS = Number(process.env.BENCH_CUSTOMERS ?? 75_000);

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number;
}

/**
 * The machine's speed at the moment: a fixed task like the import's own work (parsing JSON lines,
 * a map keyed by account), about 0.8 s when this machine is fast. Figures from runs whose canaries
 * differ much are not comparable.
 */
function machineCanary(eventsPath: string): number {
  const lines = readFileSync(eventsPath, 'utf8').split('\n', 120_000);
  const started = performance.now();
  const byAccount = new Map<string, string>();
  for (let round = 0; round < 3; round += 1) {
    for (const line of lines) {
      if (!line) continue;
      const event = JSON.parse(line) as { id: string; data: { accountId?: string } };
      byAccount.set(`${event.data.accountId}:${round}`, event.id);
    }
  }
  return (performance.now() - started) / 1000;
}

const figures: Record<string, string | number> = {};
function record(name: string, value: string | number): void {
  figures[name] = value;
  console.log(`  ${name.padEnd(44)} ${value}`);
}

function recordHttp(prefix: string, where: string, load: LoadFigures): void {
  console.log(`\nAssessment over HTTP, ${where} (autocannon, 1,000 req/s, 20 connections, 20 s)`);
  record(`${prefix}: requests/s achieved`, load.requestsPerSecond);
  record(`${prefix}: p50 / p90 / p99 / max ms`, `${load.p50} / ${load.p90} / ${load.p99} / ${load.max}`);
  record(`${prefix}: non-2xx`, load.non2xx);
  record(`${prefix}: errors`, load.errors);
}

async function main(): Promise<void> {
  mkdirSync(OUT, { recursive: true });
  const printed = copyConsoleLog();
  const rules = loadRulePack();
  console.log(`refundguard benchmarks — node ${process.version}, ${new Date().toISOString()}\n`);

  const bigEvents = await cachedWorld(`world-${BIG_CUSTOMERS}`, 42, BIG_CUSTOMERS, 60);
  const defaultEvents = await cachedWorld('world-default', 7, 20_000, 60);
  console.log('Machine speed (this machine drifts by a third within an hour)');
  record('canary before, s', machineCanary(defaultEvents).toFixed(2));

  // 1–3a. Import, then latency in-process and over HTTP with the server in this process; the
  // engine's million-event state is dropped afterwards so that it does not weigh on the client.
  const dbPath = join(OUT, 'bench.sqlite');
  const { bodies, inProcess } = await importAndServeInProcess(dbPath, bigEvents, rules);
  (globalThis as { gc?: () => void }).gc?.();
  const child = await startChildServer(dbPath);
  // The load comes from a fresh process too: this one's heap has just held the in-process state.
  await loadAssessFromChild({ address: child.address, secret: child.secret, bodies, durationSeconds: 3 });
  const separate = await loadAssessFromChild({ address: child.address, secret: child.secret, bodies });
  await child.stop();
  recordHttp('http in-process', 'the server in the bench process', inProcess);
  recordHttp('http', `the server in its own process (${child.events} events)`, separate);

  // 4. Replay of the default world into a fresh in-memory store.
  const replayStore = await openStore(':memory:');
  const replayEngine = new RiskEngine(replayStore, rules, Date.now);
  const started = performance.now();
  const replayed = await replay(readJsonLines(defaultEvents).lines, replayEngine);
  console.log('\nReplay of the default world (20,000 customers, 60 days)');
  record('replay: events', replayed.events);
  record('replay: seconds', ((performance.now() - started) / 1000).toFixed(1));
  await replayStore.close();

  // 5. Memory.
  console.log('\nMemory');
  record('canary after, s', machineCanary(defaultEvents).toFixed(2));
  record('peak RSS MB', Math.round(process.resourceUsage().maxRSS / 1024));
  writeFileSync(join(OUT, 'results.json'), `${JSON.stringify(figures, null, 2)}\n`);
  console.log(`\nFigures written to ${join(OUT, 'results.json')}`);
  writeFiguresSection('core', 'npm run bench:core', printed.lines());
}

await main();

/** Sections 1–3a: everything that needs the importing engine, which is dropped on return. */
async function importAndServeInProcess(
  dbPath: string,
  bigEvents: string,
  rules: ReturnType<typeof loadRulePack>,
): Promise<{ bodies: string[]; inProcess: LoadFigures }> {
  // 1. Import into a fresh SQLite file.
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${dbPath}${suffix}`, { force: true });
  const store = await openStore(dbPath);
  const engine = new RiskEngine(store, rules, Date.now);
  console.log('\nImport');
  const summary = await importFile(engine, bigEvents, progressBar('Import', 'bytes'));
  record('import: events', summary.inserted);
  record('import: seconds', summary.seconds.toFixed(1));
  record('import: events/s (SQLite, assessed)', Math.round(summary.inserted / summary.seconds));
  record('store: events stored', await store.countEvents());

  // 2. In-process assessment latency against the full store.
  const requests = refundRequests(bigEvents, 5_000);
  const time = Date.parse('2026-11-01T00:00:00Z');
  for (const request of requests.slice(0, 500)) await engine.assessRefundRequest(request, time);
  const decideOnly: number[] = [];
  const decideAndStore: number[] = [];
  for (const request of requests) {
    let started = performance.now();
    await engine.assessRefundRequest(request, time);
    decideAndStore.push(performance.now() - started);
    started = performance.now();
    assessRefund(engine.riskState, rules, request as RefundRequested, time);
    decideOnly.push(performance.now() - started);
  }
  decideOnly.sort((a, b) => a - b);
  decideAndStore.sort((a, b) => a - b);
  console.log('\nAssessment in-process');
  record('in-process decide: p50 ms', percentile(decideOnly, 50).toFixed(3));
  record('in-process decide: p99 ms', percentile(decideOnly, 99).toFixed(3));
  record('in-process decide+store: p50 ms', percentile(decideAndStore, 50).toFixed(3));
  record('in-process decide+store: p99 ms', percentile(decideAndStore, 99).toFixed(3));

  // 3. Over HTTP on loopback at a fixed 1,000 requests/s (autocannon, 20 connections, 20 s, after
  //    a 3 s warm-up), first with the server in this process beside autocannon (they share one
  //    event loop), then with the server in a child process over the same store, as deployed: the
  //    retailer's systems call from elsewhere. The child rebuilds its state from the store first.
  const bodies = requests.map((request) => JSON.stringify(request));
  const key = await createApiKey(store, { name: 'bench', role: 'ingest' }, Date.now);
  const server = await startServer({ engine, store, clock: Date.now, port: 0, host: '127.0.0.1' });
  await loadAssess({ address: server.address, secret: key.secret, bodies, durationSeconds: 3 });
  const inProcess = await loadAssess({ address: server.address, secret: key.secret, bodies });
  await server.app.close();
  await store.close();
  return { bodies, inProcess };
}
