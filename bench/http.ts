// The HTTP part of `npm run bench` on its own, over an existing store, for quicker iteration:
//   node --import tsx bench/http.ts --db STORE --events EVENTS.jsonl [--in-process] [--seconds 20]
//     [--rate 1000] [--connections 20] [--rounds N] [--experiments store,nosave] [--node-flag=--cpu-prof ...]
// By default the server runs in a child process (bench/http-server.ts); --in-process serves from
// this process, beside autocannon, as the bench did first. With BENCH_DIAG=1 the child also prints
// its event-loop delay and assessment/write histograms per run, and --experiments alternates its
// switches (see diagnose() there) over --rounds. Writes to the store (assessments, a key): use a copy.
import { parseArgs } from 'node:util';
import { openStore } from '../src/adapters/db/open-store.ts';
import { startServer } from '../src/adapters/http/server.ts';
import { createApiKey } from '../src/app/api-keys.ts';
import { RiskEngine } from '../src/app/engine.ts';
import { loadRulePack } from '../src/app/rule-pack-file.ts';
import { loadAssess, refundRequests, startChildServer } from './http-load.ts';

const { values } = parseArgs({
  options: {
    db: { type: 'string' },
    events: { type: 'string' },
    'in-process': { type: 'boolean', default: false },
    seconds: { type: 'string', default: '20' },
    rate: { type: 'string', default: '1000' },
    connections: { type: 'string', default: '20' },
    'node-flag': { type: 'string', multiple: true, default: [] },
    experiments: { type: 'string', default: '' },
    rounds: { type: 'string', default: '1' },
  },
});
if (values.db === undefined || values.events === undefined) {
  throw new Error('usage: bench/http.ts --db STORE --events EVENTS.jsonl [--in-process]');
}

const bodies = refundRequests(values.events, 5_000).map((request) => JSON.stringify(request));
const load = {
  rate: Number(values.rate),
  connections: Number(values.connections),
  durationSeconds: Number(values.seconds),
};

let address: string;
let secret: string;
let stop: () => Promise<void>;
let childProcess: import('node:child_process').ChildProcess | undefined;
if (values['in-process']) {
  const store = await openStore(values.db);
  const engine = new RiskEngine(store, loadRulePack(), Date.now);
  await engine.load();
  secret = (await createApiKey(store, { name: 'bench', role: 'ingest' }, Date.now)).secret;
  const server = await startServer({ engine, store, clock: Date.now, port: 0, host: '127.0.0.1' });
  address = server.address;
  stop = async () => {
    await server.app.close();
    await store.close();
  };
} else {
  const child = await startChildServer(values.db, values['node-flag']);
  console.log(`server child: ${child.events} events, state loaded in ${child.loadSeconds.toFixed(1)} s`);
  ({ address, secret } = child);
  childProcess = child.child;
  stop = child.stop;
}
// A short warm-up, not measured: the JIT, the connections, the first writes.
await loadAssess({ address, secret, bodies, ...load, durationSeconds: 3 });
const experiments = values.experiments === '' ? [''] : values.experiments.split(',');
for (let round = 0; round < Number(values.rounds); round++) {
  for (const experiment of experiments) {
    if (experiment !== '') childProcess?.send(`exp:${experiment}`);
    childProcess?.send('diag:start');
    const figures = await loadAssess({ address, secret, bodies, ...load });
    childProcess?.send('diag:report');
    await new Promise((resolve) => setTimeout(resolve, 200));
    const mode = values['in-process'] ? 'in-process' : 'child';
    console.log(JSON.stringify({ mode, experiment, ...load, ...figures }));
  }
}
await stop();
