// Rings for the people and systems around the engine: the latest detection, any ring seen
// recently by id (cases keep the id they were opened with), its graph for the console, and
// listeners told after each run. Ingestion detects as event time moves on (the risk state does it
// before each day's first refund request); a live server also detects on a timer, so that rings
// keep up between quiet periods.
import type { SerializedGraph } from 'graphology-types';
import type { LinkAttributes } from '../core/rings/link-graph.ts';
import type { Ring } from '../core/rings/ring.ts';
import { type RingGraphNode, ringGraph } from '../core/rings/ring-index.ts';
import type { RingRun } from '../core/rings/ring-state.ts';
import type { RiskEngine } from './engine.ts';
import type { Clock } from './ports.ts';

export type RingListener = (run: RingRun) => void;

export interface RingWatchOptions {
  /** How often a live server detects again; 0 for never (import, replay, tests). */
  intervalMs: number;
  /** Rings remembered by id, most recent first. */
  remembered: number;
}

const DEFAULTS: RingWatchOptions = { intervalMs: 10 * 60_000, remembered: 5_000 };

export class RingWatch {
  private readonly options: RingWatchOptions;
  private readonly listeners = new Set<RingListener>();
  private readonly known = new Map<string, { ring: Ring; asOf: number }>();
  private lastNotified: RingRun | undefined;
  private timers: NodeJS.Timeout[] = [];
  private eventsAtLastTimedRun = -1;

  constructor(
    private readonly engine: RiskEngine,
    /** Timed runs detect as of this (or just past the newest event, if later). */
    private readonly clock: Clock,
    options: Partial<RingWatchOptions> = {},
  ) {
    this.options = { ...DEFAULTS, ...options };
  }

  /** The latest detection run (during ingestion or on the timer). */
  current(): RingRun | undefined {
    this.catchUp();
    return this.engine.riskState.gangs.latest;
  }

  ring(ringId: string): Ring | undefined {
    this.catchUp();
    return this.known.get(ringId)?.ring;
  }

  /** The ring's accounts and the values two or more of them share, as of its detection, ready for sigma. */
  graph(ringId: string): SerializedGraph<RingGraphNode, LinkAttributes> | undefined {
    this.catchUp();
    const entry = this.known.get(ringId);
    if (!entry) return undefined;
    return ringGraph(this.engine.riskState.gangs.links, entry.ring, entry.asOf + 1);
  }

  /** Called after each detection run; returns the unsubscribe. */
  onRings(listener: RingListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Detects now (as of the clock, or just past the newest event if that is later). */
  detectNow(): RingRun {
    const state = this.engine.riskState;
    const run = state.gangs.detect(Math.max(this.clock(), state.lastEventAt + 1));
    this.catchUp();
    return run;
  }

  /** Runs detection on the timer, and tells listeners of runs ingestion made, every few seconds (a live server). */
  start(): void {
    if (this.timers.length > 0 || this.options.intervalMs <= 0) return;
    const detect = setInterval(() => {
      try {
        // Nothing new since the last run (an idle server): the rings cannot have changed.
        if (this.engine.riskState.eventCount === this.eventsAtLastTimedRun) return;
        this.eventsAtLastTimedRun = this.engine.riskState.eventCount;
        this.detectNow();
      } catch {
        // A failed run leaves the previous rings in place; the next tick tries again.
      }
    }, this.options.intervalMs);
    const poll = setInterval(() => this.catchUp(), Math.min(this.options.intervalMs, 5_000));
    for (const timer of [detect, poll]) timer.unref();
    this.timers = [detect, poll];
  }

  stop(): void {
    for (const timer of this.timers) clearInterval(timer);
    this.timers = [];
  }

  /** Notices runs made during ingestion (the risk state may have been rebuilt since). */
  private catchUp(): void {
    const run = this.engine.riskState.gangs.latest;
    if (!run || run === this.lastNotified) return;
    this.lastNotified = run;
    for (const ring of run.rings) {
      this.known.delete(ring.ringId);
      this.known.set(ring.ringId, { ring, asOf: run.asOf });
    }
    while (this.known.size > this.options.remembered) {
      const oldest = this.known.keys().next().value;
      if (oldest === undefined) break;
      this.known.delete(oldest);
    }
    for (const listener of this.listeners) listener(run);
  }

  /** Checks for runs made by ingestion; call after each ingested batch (or rely on the timer). */
  poll(): void {
    this.catchUp();
  }
}
