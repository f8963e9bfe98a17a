// An open-loop load generator: requests leave at evenly paced moments whatever the server does,
// and each one's latency counts from the moment it was due, not from when it could be sent. A
// closed-loop tool (autocannon) waits for its connections and so sends less while the server
// stalls, hiding the stall from its percentiles (coordinated omission). Plain node:http with a
// keep-alive agent: no client library of its own to measure.
import { Agent, request } from 'node:http';
import { build } from 'hdr-histogram-js';

export interface PacedStream {
  /** Path on the server, e.g. `/v1/refunds/assess`. */
  path: string;
  method: 'GET' | 'POST';
  /** Requests per second. */
  rate: number;
  /** The i-th request's body (undefined for GET). */
  body?: (index: number) => string;
  contentType?: string;
  /** Called with each answer (status, body), e.g. to count the events accepted. */
  onAnswer?: (index: number, status: number, body: string) => void;
}

export interface PacedFigures {
  path: string;
  rate: number;
  sent: number;
  answered: number;
  /** Answers other than 2xx, and requests that failed (socket errors, timeouts, not sent: too many in flight). */
  non2xx: number;
  errors: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

/** One histogram per stream, in ms with 0.01 ms precision, from 0.01 ms to 60 s. */
function histogram() {
  return build({
    lowestDiscernibleValue: 1,
    highestTrackableValue: 6_000_000,
    numberOfSignificantValueDigits: 3,
  });
}

/**
 * Runs the streams side by side for `seconds` against `address` (http://host:port), with the
 * `secret` as bearer token. `onSecond` is told each second's figures per stream (progress, and
 * the per-minute table of a soak).
 */
export async function pacedLoad(options: {
  address: string;
  secret: string;
  streams: PacedStream[];
  seconds: number;
  connections?: number;
  /** Requests in flight past which a due request is counted as an error instead of sent (10,000). */
  maxOutstanding?: number;
  onInterval?: (elapsedSeconds: number, figures: PacedFigures[]) => void;
  intervalSeconds?: number;
}): Promise<PacedFigures[]> {
  const url = new URL(options.address);
  const agent = new Agent({ keepAlive: true, maxSockets: options.connections ?? 64 });
  const started = performance.now();
  const end = started + options.seconds * 1000;
  const totals = options.streams.map(() => histogram());
  const intervals = options.streams.map(() => histogram());
  const counts = options.streams.map(() => ({ sent: 0, answered: 0, non2xx: 0, errors: 0 }));
  const intervalCounts = options.streams.map(() => ({ sent: 0, answered: 0, non2xx: 0, errors: 0 }));
  const pending = new Set<Promise<void>>();
  const intervalMs = (options.intervalSeconds ?? 60) * 1000;
  let nextReport = started + intervalMs;

  const figuresOf = (index: number, hist: ReturnType<typeof histogram>, count: (typeof counts)[number]) => {
    const stream = options.streams[index] as PacedStream;
    return {
      path: stream.path,
      rate: stream.rate,
      ...count,
      p50: hist.getValueAtPercentile(50) / 100,
      p90: hist.getValueAtPercentile(90) / 100,
      p99: hist.getValueAtPercentile(99) / 100,
      max: hist.maxValue / 100,
    };
  };

  const maxOutstanding = options.maxOutstanding ?? 10_000;
  const send = (streamIndex: number, index: number, due: number) => {
    const stream = options.streams[streamIndex] as PacedStream;
    if (pending.size >= maxOutstanding) {
      // The server is this far behind: counting the request as failed keeps the client's memory
      // bounded, and the figures honest (it was due and not served).
      for (const count of [counts[streamIndex], intervalCounts[streamIndex]]) if (count) count.errors += 1;
      return;
    }
    const body = stream.body?.(index);
    for (const count of [counts[streamIndex], intervalCounts[streamIndex]]) if (count) count.sent += 1;
    const done = new Promise<void>((resolve) => {
      const finish = (status: number | undefined, text: string) => {
        const latency = Math.max(1, Math.round((performance.now() - due) * 100));
        totals[streamIndex]?.recordValue(latency);
        intervals[streamIndex]?.recordValue(latency);
        for (const count of [counts[streamIndex], intervalCounts[streamIndex]]) {
          if (!count) continue;
          if (status === undefined) count.errors += 1;
          else {
            count.answered += 1;
            if (status < 200 || status >= 300) count.non2xx += 1;
          }
        }
        if (status !== undefined) stream.onAnswer?.(index, status, text);
        resolve();
      };
      const outgoing = request(
        {
          agent,
          host: url.hostname,
          port: url.port,
          path: stream.path,
          method: stream.method,
          timeout: 30_000,
          headers: {
            authorization: `Bearer ${options.secret}`,
            ...(body !== undefined
              ? {
                  'content-type': stream.contentType ?? 'application/json',
                  'content-length': Buffer.byteLength(body),
                }
              : {}),
          },
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () => finish(response.statusCode, Buffer.concat(chunks).toString('utf8')));
          response.on('error', () => finish(undefined, ''));
        },
      );
      outgoing.on('timeout', () => outgoing.destroy(new Error('timeout')));
      outgoing.on('error', () => finish(undefined, ''));
      outgoing.end(body);
    });
    pending.add(done);
    void done.then(() => pending.delete(done));
  };

  const sentPerStream = options.streams.map(() => 0);
  await new Promise<void>((resolve) => {
    const tick = () => {
      const now = performance.now();
      const until = Math.min(now, end);
      options.streams.forEach((stream, streamIndex) => {
        // Every request due by now leaves now, with its latency counted from when it was due.
        for (;;) {
          const index = sentPerStream[streamIndex] as number;
          const due = started + (index * 1000) / stream.rate;
          if (due > until) break;
          sentPerStream[streamIndex] = index + 1;
          send(streamIndex, index, due);
        }
      });
      if (now >= nextReport) {
        options.onInterval?.(
          Math.round((now - started) / 1000),
          options.streams.map((_, index) =>
            figuresOf(index, intervals[index] as ReturnType<typeof histogram>, intervalCounts[index]!),
          ),
        );
        for (const hist of intervals) hist.reset();
        for (const count of intervalCounts)
          Object.assign(count, { sent: 0, answered: 0, non2xx: 0, errors: 0 });
        nextReport += intervalMs;
      }
      if (now >= end) resolve();
      else setTimeout(tick, 1);
    };
    tick();
  });
  await Promise.all(pending);
  agent.destroy();
  return options.streams.map((_, index) =>
    figuresOf(index, totals[index] as ReturnType<typeof histogram>, counts[index]!),
  );
}

/**
 * The highest of `rates` at which one stream holds p99 ≤ `p99Ms` for `seconds` each, trying them
 * in order and stopping at the first that fails; with every step's figures.
 */
export async function highestRateHolding(options: {
  address: string;
  secret: string;
  stream: Omit<PacedStream, 'rate'>;
  rates: number[];
  seconds: number;
  p99Ms: number;
}): Promise<{ highest: number | undefined; steps: PacedFigures[] }> {
  const steps: PacedFigures[] = [];
  let highest: number | undefined;
  for (const rate of options.rates) {
    const [figures] = await pacedLoad({
      address: options.address,
      secret: options.secret,
      streams: [{ ...options.stream, rate }],
      seconds: options.seconds,
    });
    if (!figures) break;
    steps.push(figures);
    if (figures.p99 > options.p99Ms || figures.errors > 0 || figures.non2xx > 0) break;
    highest = rate;
  }
  return { highest, steps };
}
