// Turns generated events into sorted contract JSON Lines. Events are bucketed by day
// (on disk for big worlds, in memory for small ones), each bucket is sorted by time
// (stable, so ties keep generation order), and ids are given in output order.
import {
  appendFileSync,
  closeSync,
  mkdirSync,
  openSync,
  readFileSync,
  rmSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import type { LabelRecord } from '../app/labels.ts';
import type { EventType, PayloadOf } from '../core/events.ts';
import { DAY, type EventSink } from './kernel.ts';
import { type SimulationOptions, type SimulationOptionsInput, simulationOptionsSchema } from './options.ts';
import type { WorldProfile } from './profile.ts';
import { hash32 } from './random.ts';
import { generateWorld, type ProgressListener } from './world.ts';

interface BucketStore {
  append(bucket: number, line: string): void;
  /** Bucket numbers in ascending order. */
  buckets(): number[];
  read(bucket: number): string[];
  dispose(): void;
}

class MemoryBuckets implements BucketStore {
  private readonly store = new Map<number, string[]>();

  append(bucket: number, line: string): void {
    let lines = this.store.get(bucket);
    if (!lines) {
      lines = [];
      this.store.set(bucket, lines);
    }
    lines.push(line);
  }

  buckets(): number[] {
    return [...this.store.keys()].sort((left, right) => left - right);
  }

  read(bucket: number): string[] {
    return this.store.get(bucket) ?? [];
  }

  dispose(): void {
    this.store.clear();
  }
}

/** Buffers lines per bucket and spills them to one file per bucket when the buffer fills. */
class DiskBuckets implements BucketStore {
  private readonly pending = new Map<number, string[]>();
  private readonly known = new Set<number>();
  private pendingChars = 0;

  constructor(
    private readonly directory: string,
    private readonly limitChars = 16 * 1024 * 1024,
  ) {
    mkdirSync(directory, { recursive: true });
  }

  private file(bucket: number): string {
    return join(this.directory, `bucket-${bucket}.tsv`);
  }

  append(bucket: number, line: string): void {
    let lines = this.pending.get(bucket);
    if (!lines) {
      lines = [];
      this.pending.set(bucket, lines);
    }
    lines.push(line);
    this.known.add(bucket);
    this.pendingChars += line.length + 1;
    if (this.pendingChars > this.limitChars) this.flush();
  }

  private flush(): void {
    for (const [bucket, lines] of this.pending) {
      if (lines.length > 0) appendFileSync(this.file(bucket), `${lines.join('\n')}\n`);
    }
    this.pending.clear();
    this.pendingChars = 0;
  }

  buckets(): number[] {
    return [...this.known].sort((left, right) => left - right);
  }

  read(bucket: number): string[] {
    this.flush();
    const text = readFileSync(this.file(bucket), 'utf8');
    const lines = text.split('\n');
    lines.pop();
    return lines;
  }

  dispose(): void {
    this.pending.clear();
    rmSync(this.directory, { recursive: true, force: true });
  }
}

/** Serialises events into day buckets: `epochMs \t {"type":…,"time":…,"data":…}`. */
class BucketSink implements EventSink {
  readonly counts: Record<string, number> = {};

  constructor(
    private readonly store: BucketStore,
    private readonly startMs: number,
  ) {}

  emit<T extends EventType>(type: T, at: number, data: PayloadOf<T>): void {
    const bucket = at < this.startMs ? -1 : Math.floor((at - this.startMs) / DAY);
    this.store.append(
      bucket,
      `${at}\t{"type":"${type}","time":"${isoSeconds(at)}","data":${JSON.stringify(data)}}`,
    );
    this.counts[type] = (this.counts[type] ?? 0) + 1;
  }
}

function isoSeconds(epochMs: number): string {
  return new Date(epochMs).toISOString().replace('.000Z', 'Z');
}

/** Sorted envelope lines, bucket by bucket. */
function* sortedLines(store: BucketStore, tag: string): Generator<string> {
  let sequence = 0;
  for (const bucket of store.buckets()) {
    const rows = store.read(bucket).map((line) => {
      const tab = line.indexOf('\t');
      return { at: Number(line.slice(0, tab)), line, tab };
    });
    rows.sort((left, right) => left.at - right.at);
    for (const row of rows) {
      sequence++;
      // The stored envelope starts `{"type"`: put the id in front of it.
      yield `{"id":"ev-${tag}-${String(sequence).padStart(7, '0')}",${row.line.slice(row.tab + 2)}`;
    }
  }
}

/** A short tag from the options, so event ids of different worlds never collide. */
function worldTag(options: SimulationOptions): string {
  return hash32(JSON.stringify(options)).toString(36).padStart(6, '0').slice(0, 6);
}

export interface WorldSummary {
  seed: string;
  mix: string;
  start: string;
  days: number;
  customers: number;
  events: number;
  eventsByType: Record<string, number>;
  labels: number;
  /** Refund labels by scheme (count and amount in minor units per currency are in the labels file). */
  refundsByScheme: Record<string, number>;
  refundsByMethod: Record<string, number>;
  accountsByLabel: Record<string, number>;
  /** How the world's honest customers and gangs behave, and its counts. */
  profile: WorldProfile;
  counts: {
    gangs: number;
    clientsPerGang: number;
    refundersPerGang: number;
    insiders: number;
    banEvaders: number;
  };
  insiders: number;
}

function summarise(
  options: SimulationOptions,
  counts: Record<string, number>,
  labels: LabelRecord[],
): WorldSummary {
  const refundsByScheme: Record<string, number> = {};
  const refundsByMethod: Record<string, number> = {};
  const accountsByLabel: Record<string, number> = {};
  let insiders = 0;
  for (const label of labels) {
    if (label.subject === 'refund') {
      const scheme = label.scheme ?? 'unknown';
      refundsByScheme[scheme] = (refundsByScheme[scheme] ?? 0) + 1;
      const method = `${label.label === 'legit' ? 'honest' : 'fraud'}:${label.method ?? 'unknown'}`;
      refundsByMethod[method] = (refundsByMethod[method] ?? 0) + 1;
    } else if (label.subject === 'account') {
      accountsByLabel[label.label] = (accountsByLabel[label.label] ?? 0) + 1;
    } else if (label.subject === 'agent' && label.label === 'insider') insiders++;
  }
  const eventsByType = Object.fromEntries(
    Object.entries(counts).sort(([left], [right]) => left.localeCompare(right)),
  );
  return {
    seed: options.seed,
    mix: options.mix,
    start: options.start,
    days: options.days,
    customers: options.customers,
    events: Object.values(counts).reduce((sum, count) => sum + count, 0),
    eventsByType,
    labels: labels.length,
    refundsByScheme,
    refundsByMethod,
    accountsByLabel,
    insiders,
    profile: options.profile,
    counts: {
      gangs: options.gangs,
      clientsPerGang: options.clientsPerGang,
      refundersPerGang: options.refundersPerGang,
      insiders: options.insiders,
      banEvaders: options.banEvaders,
    },
  };
}

function isResolved(input: SimulationOptionsInput | SimulationOptions): input is SimulationOptions {
  return (
    typeof (input as SimulationOptions).startMs === 'number' &&
    typeof (input as SimulationOptions).behaviour === 'object'
  );
}

/** Accepts raw options (validated here) or options already parsed by `simulationOptionsSchema`. */
function resolveOptions(input: SimulationOptionsInput | SimulationOptions): SimulationOptions {
  return isResolved(input) ? input : simulationOptionsSchema.parse(input);
}

export interface ContractEnvelope {
  id: string;
  type: EventType;
  time: string;
  data: Record<string, unknown>;
}

export interface SimulatedWorld {
  /** Contract events sorted by time, exactly as `writeWorld` writes them. */
  events: ContractEnvelope[];
  labels: LabelRecord[];
  summary: WorldSummary;
}

/**
 * Generates a world in memory. Meant for tests and small worlds; use `writeWorld` for big ones.
 * Throws a ZodError when the options are invalid.
 */
export function simulateWorld(input: SimulationOptionsInput | SimulationOptions = {}): SimulatedWorld {
  const options = resolveOptions(input);
  const store = new MemoryBuckets();
  const sink = new BucketSink(store, options.startMs);
  const labels = generateWorld(options, sink);
  const events: ContractEnvelope[] = [];
  for (const line of sortedLines(store, worldTag(options))) events.push(JSON.parse(line) as ContractEnvelope);
  store.dispose();
  return { events, labels, summary: summarise(options, sink.counts, labels) };
}

export interface WriteWorldResult extends WorldSummary {
  eventsPath: string;
  labelsPath: string;
}

/**
 * Generates a world and writes `outDir/events.jsonl` (contract envelopes sorted by time) and
 * `outDir/labels.jsonl` (one label per line). Memory stays bounded: events are spilled to
 * day buckets on disk, then sorted one day at a time. Throws a ZodError for invalid options.
 */
export async function writeWorld(
  input: SimulationOptionsInput | SimulationOptions,
  outDir: string,
  onProgress?: ProgressListener,
): Promise<WriteWorldResult> {
  const options = resolveOptions(input);
  mkdirSync(outDir, { recursive: true });
  const tag = worldTag(options);
  const store = new DiskBuckets(join(outDir, `.sim-buckets-${tag}`));
  try {
    const sink = new BucketSink(store, options.startMs);
    const labels = generateWorld(options, sink, onProgress);
    const eventsPath = join(outDir, 'events.jsonl');
    const labelsPath = join(outDir, 'labels.jsonl');
    const total = Object.values(sink.counts).reduce((sum, count) => sum + count, 0);
    writeLines(eventsPath, sortedLines(store, tag), (done) => onProgress?.(done, total, 'write'));
    writeLines(
      labelsPath,
      labels.map((label) => JSON.stringify(label)),
    );
    const summary = summarise(options, sink.counts, labels);
    writeFileSync(join(outDir, 'world.json'), `${JSON.stringify(summary, null, 2)}\n`);
    onProgress?.(total, total, 'write');
    await Promise.resolve();
    return { ...summary, eventsPath, labelsPath };
  } finally {
    store.dispose();
  }
}

function writeLines(path: string, lines: Iterable<string>, onChunk?: (done: number) => void): void {
  const descriptor = openSync(path, 'w');
  try {
    let chunk: string[] = [];
    let written = 0;
    for (const line of lines) {
      chunk.push(line);
      if (chunk.length >= 20_000) {
        writeSync(descriptor, `${chunk.join('\n')}\n`);
        written += chunk.length;
        chunk = [];
        onChunk?.(written);
      }
    }
    if (chunk.length > 0) writeSync(descriptor, `${chunk.join('\n')}\n`);
  } finally {
    closeSync(descriptor);
  }
}
