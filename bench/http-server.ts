// The server side of the HTTP benchmark, run as a child process so that the load generator
// (autocannon, in the parent) does not share this event loop, as in a real deployment where the
// retailer's support system calls from elsewhere. Opens the store, rebuilds the engine's state,
// creates an `ingest` API key, listens on an ephemeral loopback port and sends the parent
// `{ address, secret }` over IPC (and `{ rss }` when sent `memory`). Ends on SIGTERM/SIGINT or
// when the parent disconnects.
//   node [--cpu-prof …] --import tsx bench/http-server.ts <store location>   (BENCH_DIAG=1: histograms)
import {
  createHistogram,
  type IntervalHistogram,
  monitorEventLoopDelay,
  type RecordableHistogram,
} from 'node:perf_hooks';
import { openStore } from '../src/adapters/db/open-store.ts';
import { startServer } from '../src/adapters/http/server.ts';
import { createApiKey } from '../src/app/api-keys.ts';
import { RiskEngine } from '../src/app/engine.ts';
import { loadRulePack } from '../src/app/rule-pack-file.ts';

export interface BenchServerReady {
  address: string;
  secret: string;
  events: number;
  loadSeconds: number;
}

const location = process.argv[2];
if (location === undefined) throw new Error('usage: bench/http-server.ts <store location>');

const store = await openStore(location);
const engine = new RiskEngine(store, loadRulePack(), Date.now);
const started = performance.now();
await engine.load();
const loadSeconds = (performance.now() - started) / 1000;
const key = await createApiKey(store, { name: 'bench-child', role: 'ingest' }, Date.now);
const server = await startServer({ engine, store, clock: Date.now, port: 0, host: '127.0.0.1' });
const diagnostics = process.env.BENCH_DIAG === '1' ? diagnose() : undefined;

/**
 * BENCH_DIAG=1: the event-loop delay and how long each assessment takes (decision and write), as
 * histograms the parent asks for; `exp:nosave` skips writing API assessments (to see what the
 * write costs; never in the figures), `exp:store` writes them again.
 */
function diagnose() {
  const loop = monitorEventLoopDelay({ resolution: 1 });
  const assess = createHistogram();
  const writes = createHistogram();
  const appendBatch = store.appendBatch.bind(store);
  let skipWrites = false;
  store.appendBatch = async (events, assessments) => {
    if (events.length > 0) return appendBatch(events, assessments);
    if (skipWrites) return { inserted: 0 };
    const started = process.hrtime.bigint();
    const result = await appendBatch(events, assessments);
    writes.record(process.hrtime.bigint() - started);
    return result;
  };
  const assessRefundRequest = engine.assessRefundRequest.bind(engine);
  engine.assessRefundRequest = async (payload, time) => {
    const started = process.hrtime.bigint();
    const result = await assessRefundRequest(payload, time);
    assess.record(process.hrtime.bigint() - started);
    return result;
  };
  const ms = (histogram: RecordableHistogram | IntervalHistogram) =>
    `${[50, 90, 99, 99.9].map((p) => (histogram.percentile(p) / 1e6).toFixed(2)).join(' / ')}, max ${(histogram.max / 1e6).toFixed(1)} (n=${histogram.count})`;
  return {
    experiment: (name: string) => {
      skipWrites = name === 'nosave';
    },
    start: () => {
      for (const histogram of [loop, assess, writes]) histogram.reset();
      loop.enable();
    },
    report: () => {
      console.log(`  event-loop delay ms p50/p90/p99/p99.9: ${ms(loop)}`);
      console.log(`  assessment (decide + write) ms       : ${ms(assess)}`);
      console.log(`  group-commit write ms                : ${ms(writes)}`);
    },
  };
}
process.on('message', (message) => {
  if (message === 'memory') process.send?.({ rss: process.memoryUsage().rss });
  if (message === 'diag:start') diagnostics?.start();
  if (message === 'diag:report') diagnostics?.report();
  if (typeof message === 'string' && message.startsWith('exp:')) diagnostics?.experiment(message.slice(4));
});

let stopping = false;
async function stop(): Promise<void> {
  if (stopping) return;
  stopping = true;
  diagnostics?.report();
  await server.app.close();
  await store.close();
  process.exit(0);
}
process.once('SIGTERM', () => void stop());
process.once('SIGINT', () => void stop());
process.once('disconnect', () => void stop());

const ready: BenchServerReady = {
  address: server.address,
  secret: key.secret,
  events: await store.countEvents(),
  loadSeconds,
};
if (process.send) process.send(ready);
else console.log(JSON.stringify(ready));
