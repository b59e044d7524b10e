/**
 * A background pass (a retention sweep, say) run after a first delay and then at an interval:
 * never two at once in one process (asking while one runs shares it), and the one running is
 * awaited by stop(), so shutdown does not cut it off half-way.
 */
export class PeriodicPass<T> {
  private timers: NodeJS.Timeout[] = [];
  private running?: Promise<T>;

  constructor(private readonly pass: () => Promise<T>) {}

  /** Schedules `onTimer` (which runs the pass and handles its failure); timers keep no process alive. */
  start(firstDelayMs: number, intervalMs: number, onTimer: () => Promise<void>): void {
    this.timers = [
      setTimeout(() => void onTimer(), firstDelayMs),
      setInterval(() => void onTimer(), intervalMs),
    ];
    this.timers.forEach((timer) => timer.unref());
  }

  run(): Promise<T> {
    this.running ??= this.pass().finally(() => (this.running = undefined));
    return this.running;
  }

  async stop(): Promise<void> {
    this.timers.forEach((timer) => clearTimeout(timer));
    await this.running;
  }
}
