import type { RiskEngine } from '../../../app/engine.ts';
import type { Store } from '../../../app/ports.ts';

/** What the /v1 routes work with, passed in by buildServer. */
export interface RouteDependencies {
  engine: RiskEngine;
  store: Store;
  /** Largest accepted POST /v1/events body, in bytes. */
  eventsBodyLimit: number;
}
