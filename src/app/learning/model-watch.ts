// A live server retrains on a schedule: every `intervalMs` of wall-clock time, when labels came in
// since the last training, a candidate is trained on every label so far and promoted only if it
// beats the live model on the later period held out from it (see ModelLearning).
import type { RiskEngine } from '../engine.ts';
import type { ModelLearning, RetrainReport } from './model-learning.ts';

export class ModelWatch {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<RetrainReport | undefined> = Promise.resolve(undefined);

  constructor(
    private readonly engine: RiskEngine,
    private readonly learning: ModelLearning,
    /** How often to look; 0 for never. */
    private readonly intervalMs: number,
  ) {}

  start(): void {
    if (this.timer !== undefined || this.intervalMs <= 0) return;
    this.timer = setInterval(() => {
      void this.tick();
    }, this.intervalMs);
    this.timer.unref();
  }

  /** Retrains now if labels came in since the last training; one training at a time. */
  tick(): Promise<RetrainReport | undefined> {
    this.running = this.running.then(async () => {
      if (!this.engine.rules.pack.model.enabled || !this.learning.hasNewLabels(this.engine)) return undefined;
      try {
        return await this.learning.retrain(this.engine, this.engine.riskState.lastEventAt + 1);
      } catch {
        // A failed training leaves the live model in place; the next tick tries again.
        return undefined;
      }
    });
    return this.running;
  }

  async stop(): Promise<void> {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }
}
