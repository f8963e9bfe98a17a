// `npm run bench:soak`: load and soak against `serve`'s HTTP API on loopback, the server in its
// own process over a SQLite store holding the default world. Three parts:
//   1. ceilings: the highest evenly paced rate that holds p99 ≤ 20 ms, for a trivial endpoint
//      (GET /health: what Fastify and this machine allow at all) and for POST /v1/refunds/assess;
//   2. the soak: assessments and event ingestion side by side at the target rates for
//      SOAK_SECONDS (default 600), figures per minute, the server's RSS at the start and the end;
//   3. afterwards, every event the API accepted is stored exactly once.
// Latencies count from the moment each request was due (bench/paced-load.ts), so a stall shows.
// SOAK_SECONDS, SOAK_ASSESS_RATE (1,000/s), SOAK_INGEST_RATE (events/s, 10,000), SOAK_STEP_SECONDS (10).
import { createReadStream, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import Database from 'better-sqlite3';
import { importFile } from '../src/adapters/cli/import-file.ts';
import { progressBar } from '../src/adapters/cli/progress.ts';
import { openStore } from '../src/adapters/db/open-store.ts';
import { RiskEngine } from '../src/app/engine.ts';
import { loadRulePack } from '../src/app/rule-pack-file.ts';
import { BENCH_OUT, cachedWorld } from './cached-world.ts';
import { copyConsoleLog, writeFiguresSection } from './figures-file.ts';
import { refundRequests, startChildServer } from './http-load.ts';
import { highestRateHolding, type PacedFigures, pacedLoad } from './paced-load.ts';

const OUT = BENCH_OUT;
const SOAK_SECONDS = Number(process.env.SOAK_SECONDS ?? 600);
const ASSESS_RATE = Number(process.env.SOAK_ASSESS_RATE ?? 1_000);
const INGEST_RATE = Number(process.env.SOAK_INGEST_RATE ?? 10_000);
const STEP_SECONDS = Number(process.env.SOAK_STEP_SECONDS ?? 10);
const EVENTS_PER_REQUEST = 100;
const P99_MS = 20;

const printed = copyConsoleLog();

const ms = (value: number) => value.toFixed(1);
const row = (label: string, figures: PacedFigures) =>
  `| ${label} | ${figures.rate} | ${figures.answered} | ${figures.non2xx + figures.errors} | ${ms(figures.p50)} | ${ms(figures.p99)} | ${ms(figures.max)} |`;
const TABLE_HEAD =
  '| part | rate /s | answered | errors | p50 ms | p99 ms | max ms |\n|---|---|---|---|---|---|---|';

// The store the server starts from: the default world (20,000 customers, 60 days).
const baseEvents = await cachedWorld('world-default', 7, 20_000, 60);
// The events the soak sends: another retailer-sized stream, enough for the whole run.
const streamCustomers = Math.max(20_000, Math.ceil((SOAK_SECONDS * INGEST_RATE) / 13));
const streamEvents = await cachedWorld(`soak-stream-${streamCustomers}`, 8, streamCustomers, 60);

const storeDir = join(OUT, 'soak-store');
rmSync(storeDir, { recursive: true, force: true });
mkdirSync(storeDir, { recursive: true });
const location = join(storeDir, 'store.sqlite');
{
  const store = await openStore(location);
  const engine = new RiskEngine(store, loadRulePack(), Date.now);
  const summary = await importFile(engine, baseEvents, progressBar('Import', 'bytes'));
  console.log(`base store: ${summary.inserted} events`);
  await store.close();
}

const server = await startChildServer(location);
const rss = () =>
  new Promise<number>((resolve) => {
    server.child.once('message', (message) => resolve((message as { rss: number }).rss));
    server.child.send('memory');
  });
const assessBodies = refundRequests(baseEvents, 20_000).map((request) => JSON.stringify(request));
const assessStream = {
  path: '/v1/refunds/assess',
  method: 'POST' as const,
  body: (index: number) => assessBodies[index % assessBodies.length] as string,
};

// A warm-up, not measured: the JIT, the connections, the first writes.
for (const stream of [
  { path: '/health', method: 'GET' as const, rate: 200 },
  { ...assessStream, rate: 200 },
])
  await pacedLoad({ address: server.address, secret: server.secret, streams: [stream], seconds: 5 });
console.log(
  `\n### Ceilings: the highest paced rate holding p99 ≤ ${P99_MS} ms (${STEP_SECONDS} s per step)\n`,
);
const health = await highestRateHolding({
  address: server.address,
  secret: server.secret,
  stream: { path: '/health', method: 'GET' },
  rates: [500, 1_000, 2_000, 3_000, 4_000, 6_000, 8_000],
  seconds: STEP_SECONDS,
  p99Ms: P99_MS,
});
const assess = await highestRateHolding({
  address: server.address,
  secret: server.secret,
  stream: assessStream,
  rates: [250, 500, 750, 1_000, 1_250, 1_500, 2_000, 3_000],
  seconds: STEP_SECONDS,
  p99Ms: P99_MS,
});
console.log(TABLE_HEAD);
for (const step of health.steps) console.log(row('GET /health', step));
for (const step of assess.steps) console.log(row('POST /v1/refunds/assess', step));
console.log(
  `\nHighest rate holding p99 ≤ ${P99_MS} ms: GET /health ${health.highest ?? 'none'}/s (the ceiling), ` +
    `assess ${assess.highest ?? 'none'}/s.`,
);

// The soak's events, as NDJSON bodies of 100 lines each (the file's own lines: no client-side
// work), read from the file a little ahead of the schedule: a 10-minute stream does not fit in
// one string, nor comfortably in memory.
const bodies = new Map<number, { text: string; ids: string[] }>();
let bodiesRead = 0;
let bodiesUsed = 0;
let streamEnded = false;
async function readAhead(): Promise<void> {
  const reader = createInterface({
    input: createReadStream(streamEvents),
    crlfDelay: Number.POSITIVE_INFINITY,
  });
  let chunk: string[] = [];
  const flush = () => {
    bodies.set(bodiesRead++, {
      text: chunk.join('\n'),
      ids: chunk.map((line) => (JSON.parse(line) as { id: string }).id),
    });
    chunk = [];
  };
  for await (const line of reader) {
    if (streamEnded) break;
    if (line === '') continue;
    chunk.push(line);
    if (chunk.length < EVENTS_PER_REQUEST) continue;
    flush();
    while (bodiesRead - bodiesUsed > 3_000 && !streamEnded)
      await new Promise((resolve) => setTimeout(resolve, 50));
  }
  if (chunk.length > 0 && !streamEnded) flush();
  streamEnded = true;
  reader.close();
}
const reading = readAhead();
while (bodiesRead < 3_000 && !streamEnded) await new Promise((resolve) => setTimeout(resolve, 20));
const accepted = new Set<string>();
let insertedReported = 0;
const ingestStream = {
  path: '/v1/events',
  method: 'POST' as const,
  contentType: 'application/x-ndjson',
  rate: INGEST_RATE / EVENTS_PER_REQUEST,
  body: (index: number) => {
    const body = bodies.get(index);
    if (body === undefined) throw new Error(`the soak stream had no events ready for request ${index}`);
    bodiesUsed = index + 1;
    return body.text;
  },
  onAnswer: (index: number, status: number, text: string) => {
    if (status !== 200) return;
    const answer = JSON.parse(text) as { inserted: number; rejected: { index: number }[] };
    insertedReported += answer.inserted;
    const refused = new Set(answer.rejected.map((rejection) => rejection.index));
    (bodies.get(index)?.ids ?? []).forEach((id, position) => {
      if (!refused.has(position)) accepted.add(id);
    });
    bodies.delete(index);
  },
};

const rssStart = await rss();
console.log(
  `\n### Soak: assess at ${ASSESS_RATE}/s and ${INGEST_RATE} events/s (${EVENTS_PER_REQUEST} per request) for ${SOAK_SECONDS} s\n`,
);
console.log(
  '| minute | assess p50 / p99 / max ms | assess errors | ingest p50 / p99 / max ms | ingest errors |',
);
console.log('|---|---|---|---|---|');
const [assessSoak, ingestSoak] = await pacedLoad({
  address: server.address,
  secret: server.secret,
  streams: [{ ...assessStream, rate: ASSESS_RATE }, ingestStream],
  seconds: SOAK_SECONDS,
  intervalSeconds: Math.min(60, SOAK_SECONDS),
  onInterval: (elapsed, [a, i]) => {
    if (!a || !i) return;
    console.log(
      `| ${Math.round(elapsed / 60) || `${elapsed} s`} | ${ms(a.p50)} / ${ms(a.p99)} / ${ms(a.max)} | ${a.non2xx + a.errors} | ` +
        `${ms(i.p50)} / ${ms(i.p99)} / ${ms(i.max)} | ${i.non2xx + i.errors} |`,
    );
  },
});
const rssEnd = await rss();
streamEnded = true;
await Promise.race([reading, new Promise((resolve) => setTimeout(resolve, 100))]);
await server.stop();
if (!assessSoak || !ingestSoak) throw new Error('the soak returned no figures');

// Every accepted event is stored, once: ids are the table's key, so count them back.
const database = new Database(location, { readonly: true });
const countIn = database.prepare(
  `SELECT count(*) AS n FROM events WHERE id IN (${Array(500).fill('?').join(',')})`,
);
let found = 0;
const ids = [...accepted];
for (let start = 0; start < ids.length; start += 500) {
  const chunk = ids.slice(start, start + 500);
  while (chunk.length < 500) chunk.push('');
  found += (countIn.get(...chunk) as { n: number }).n;
}
const { total, distinctIds: distinct } = database
  .prepare('SELECT count(*) AS total, count(DISTINCT id) AS distinctIds FROM events')
  .get() as { total: number; distinctIds: number };
database.close();

console.log(`\n${TABLE_HEAD}`);
console.log(row('soak: POST /v1/refunds/assess', assessSoak));
console.log(
  row(`soak: POST /v1/events (${EVENTS_PER_REQUEST} events each)`, {
    ...ingestSoak,
    rate: ingestStream.rate,
  }),
);
const seconds = SOAK_SECONDS;
console.log(
  `\nThroughput: ${Math.round(assessSoak.answered / seconds)} assessments/s, ` +
    `${Math.round(accepted.size / seconds)} events/s accepted (${accepted.size} events, ${insertedReported} reported inserted).`,
);
console.log(
  `Server RSS: ${(rssStart / 2 ** 20).toFixed(0)} MB at the start, ${(rssEnd / 2 ** 20).toFixed(0)} MB at the end.`,
);
console.log(
  `Stored exactly once: ${found} of ${accepted.size} accepted events found; ${total} rows, ${distinct} distinct ids` +
    (found === accepted.size && total === distinct ? ' — nothing lost, nothing doubled.' : ' — MISMATCH.'),
);
writeFiguresSection('soak', 'npm run bench:soak', printed.lines());
if (found !== accepted.size || total !== distinct) process.exitCode = 1;
