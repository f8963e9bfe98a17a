// The HTTP benchmark's load side, shared by `npm run bench` and `bench/http.ts`: refund requests
// taken from a simulated world, a server in a child process (bench/http-server.ts), and a fixed
// request rate against POST /v1/refunds/assess with autocannon's latency histogram.
import { type ChildProcess, fork } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import autocannon from 'autocannon';
import type { BenchServerReady } from './http-server.ts';

/** Refund requests from an events file, each under a new id, as a support system asks about a new claim. */
export function refundRequests(path: string, limit: number): Record<string, unknown>[] {
  const requests: Record<string, unknown>[] = [];
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (!line.includes('"refund.requested"')) continue;
    const event = JSON.parse(line) as { type: string; data: Record<string, unknown> };
    if (event.type !== 'refund.requested') continue;
    requests.push({ ...event.data, refundId: `bench-${requests.length}` });
    if (requests.length >= limit) break;
  }
  return requests;
}

export interface ChildServer extends BenchServerReady {
  child: ChildProcess;
  stop(): Promise<void>;
}

/** Starts bench/http-server.ts over `location` in its own Node process; `nodeFlags` e.g. `--cpu-prof`. */
export function startChildServer(location: string, nodeFlags: string[] = []): Promise<ChildServer> {
  const child = fork(join(import.meta.dirname, 'http-server.ts'), [location], {
    execArgv: [...nodeFlags, '--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the bench server exited early (code ${code})`)));
    child.once('message', (message) => {
      const ready = message as BenchServerReady;
      resolve({
        ...ready,
        child,
        stop: async () => {
          child.kill('SIGTERM');
          await exited;
        },
      });
    });
  });
}

export interface LoadOptions {
  address: string;
  secret: string;
  bodies: string[];
  rate?: number;
  connections?: number;
  durationSeconds?: number;
}

export interface LoadFigures {
  requestsPerSecond: number;
  p50: number;
  p90: number;
  p99: number;
  p999: number;
  max: number;
  non2xx: number;
  errors: number;
}

/** A fixed rate of POST /v1/refunds/assess, cycling through `bodies`; latencies in ms. */
export async function loadAssess(options: LoadOptions): Promise<LoadFigures> {
  const { bodies } = options;
  let next = 0;
  const result = await autocannon({
    url: `${options.address}/v1/refunds/assess`,
    method: 'POST',
    headers: { authorization: `Bearer ${options.secret}`, 'content-type': 'application/json' },
    connections: options.connections ?? 20,
    overallRate: options.rate ?? 1_000,
    duration: options.durationSeconds ?? 20,
    requests: [
      {
        setupRequest: (request) => {
          next = (next + 1) % bodies.length;
          return { ...request, body: bodies[next] };
        },
      },
    ],
  });
  return {
    requestsPerSecond: Math.round(result.requests.average),
    p50: result.latency.p50,
    p90: result.latency.p90,
    p99: result.latency.p99,
    p999: result.latency.p99_9,
    max: result.latency.max,
    non2xx: result.non2xx,
    errors: result.errors,
  };
}

/** `loadAssess` from a fresh child process (bench/http-client.ts). */
export function loadAssessFromChild(options: LoadOptions): Promise<LoadFigures> {
  const child = fork(join(import.meta.dirname, 'http-client.ts'), [], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    child.once('message', (figures) => resolve(figures as LoadFigures));
    child.once('exit', (code) => reject(new Error(`the load client exited early (code ${code})`)));
    child.send(options);
  });
}
