// `npm run bench:model`: what a learned model costs. A world of ~1M events whose investigators
// labelled half the refunds (three weeks late, 2 % wrong) is imported into SQLite; then a model is
// trained on every label (timed, best of three), and assessment latency is measured in-process
// with the measured evidence alone and with the model on. BENCH_MODEL_CUSTOMERS overrides the size.
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { importFile } from '../src/adapters/cli/import-file.ts';
import { progressBar } from '../src/adapters/cli/progress.ts';
import { openStore } from '../src/adapters/db/open-store.ts';
import { RiskEngine } from '../src/app/engine.ts';
import { labelledRefunds, trainCandidate } from '../src/app/learning/model-training.ts';
import { loadRulePack } from '../src/app/rule-pack-file.ts';
import { assessRefund } from '../src/core/assessment.ts';
import type { RefundRequested } from '../src/core/events.ts';
import { writeWorld } from '../src/sim/index.ts';
import { copyConsoleLog, writeFiguresSection } from './figures-file.ts';
import { refundRequests } from './http-load.ts';

const OUT = join(import.meta.dirname, 'out');
const CUSTOMERS = Number(process.env.BENCH_MODEL_CUSTOMERS ?? 75_000);

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number;
}

function record(name: string, value: string | number): void {
  console.log(`  ${name.padEnd(44)} ${value}`);
}

async function main(): Promise<void> {
  mkdirSync(OUT, { recursive: true });
  const printed = copyConsoleLog();
  const dir = join(OUT, `world-${CUSTOMERS}-labelled`);
  const events = join(dir, 'events.jsonl');
  if (!existsSync(events)) {
    const bar = progressBar('Sim labelled world', 'steps');
    await writeWorld({ seed: 43, customers: CUSTOMERS, days: 60, labelShare: 0.5 }, dir, (done, total) =>
      bar.update(done, total),
    );
    bar.stop();
  }
  const rules = loadRulePack();
  const dbPath = join(OUT, 'bench-model.sqlite');
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${dbPath}${suffix}`, { force: true });
  const store = await openStore(dbPath);
  try {
    const engine = new RiskEngine(store, rules, Date.now);
    console.log(`refundguard model bench — node ${process.version}, ${new Date().toISOString()}\n`);
    const summary = await importFile(engine, events, progressBar('Import', 'bytes'));
    record('store: events', await store.countEvents());
    const state = engine.riskState;
    const labelled = labelledRefunds(state, state.lastEventAt + 1, rules.pack.model);
    record('refunds', state.refunds.size);
    record(
      'labelled refunds (fraud)',
      `${labelled.length} (${labelled.filter((entry) => entry.fraud).length})`,
    );
    record('import: seconds', summary.seconds.toFixed(1));

    console.log(
      '\nTraining on every label (labels gathered, features built, fitted, judged on the held-out quarter)',
    );
    const times: number[] = [];
    let trained: Awaited<ReturnType<typeof trainCandidate>> | undefined;
    for (let round = 0; round < 3; round += 1) {
      const started = performance.now();
      trained = await trainCandidate({
        state,
        families: rules.pack.evidence,
        settings: rules.pack.model,
        rulePackVersion: rules.pack.version,
        before: state.lastEventAt + 1,
        live: undefined,
        clock: Date.now,
      });
      times.push((performance.now() - started) / 1000);
    }
    record(
      'training: seconds (best / worst of 3)',
      `${Math.min(...times).toFixed(2)} / ${Math.max(...times).toFixed(2)}`,
    );
    if (trained?.kind !== 'trained') throw new Error(`no model: ${trained?.kind}`);
    const { model } = trained;
    record(
      'held-out log loss: model / evidence alone',
      `${model.holdout.model.logLoss.toFixed(4)} / ${model.holdout.live.logLoss.toFixed(4)}`,
    );
    record(
      'held-out AUC: model / evidence alone',
      `${model.holdout.model.auc?.toFixed(4)} / ${model.holdout.live.auc?.toFixed(4)}`,
    );

    const requests = refundRequests(events, 5_000) as RefundRequested[];
    const time = state.lastEventAt;
    const measure = (): number[] => {
      for (const request of requests.slice(0, 500))
        assessRefund(state, rules, request, time, undefined, engine.decider);
      const took: number[] = [];
      for (const request of requests) {
        const started = performance.now();
        assessRefund(state, rules, request, time, undefined, engine.decider);
        took.push(performance.now() - started);
      }
      return took.sort((left, right) => left - right);
    };
    console.log('\nAssessment in-process (decision only, 5,000 requests on the full state)');
    // Alternated, twice each: the first round also warms the code up.
    for (let round = 1; round <= 2; round += 1) {
      engine.decideWithModel(undefined);
      const without = measure();
      record(
        `round ${round}, evidence alone: p50 / p99 ms`,
        `${percentile(without, 50).toFixed(3)} / ${percentile(without, 99).toFixed(3)}`,
      );
      engine.decideWithModel(model);
      const withModel = measure();
      record(
        `round ${round}, model on: p50 / p99 ms`,
        `${percentile(withModel, 50).toFixed(3)} / ${percentile(withModel, 99).toFixed(3)}`,
      );
    }
    record('peak RSS MB', Math.round(process.resourceUsage().maxRSS / 1024));
    writeFiguresSection('model', 'npm run bench:model', printed.lines());
  } finally {
    await store.close();
  }
}

await main();
