export interface RestartPolicyOptions {
  /** Wait before the first replacement; each further unstable exit in a row doubles it. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** A worker that ran this long was stable: its exit starts the count afresh. */
  stableAfterMs: number;
  /** Unstable exits in a row at which the workers are taken to crash-loop. */
  maxUnstableExits: number;
}

export const RESTART_POLICY: RestartPolicyOptions = {
  baseDelayMs: 250,
  maxDelayMs: 10_000,
  stableAfterMs: 30_000,
  maxUnstableExits: 5,
};

/**
 * When the replacement of a worker that died unexpectedly starts, per worker slot: at once
 * (after the base delay) for a worker that had run stably, with a doubling backoff for one that
 * died soon after its start (a failed start-up, a crash at the first requests), and never once
 * that has happened maxUnstableExits times in a row: restarting would only repeat it.
 */
export class RestartPolicy {
  private unstableExits = 0;

  constructor(private readonly options: RestartPolicyOptions = RESTART_POLICY) {}

  /** A worker of this slot exited after running `uptimeMs`: the delay, or undefined to give up. */
  exited(uptimeMs: number): number | undefined {
    if (uptimeMs >= this.options.stableAfterMs) {
      this.unstableExits = 0;
    }
    this.unstableExits += 1;
    if (this.unstableExits >= this.options.maxUnstableExits) {
      return undefined;
    }
    return Math.min(
      this.options.baseDelayMs * 2 ** (this.unstableExits - 1),
      this.options.maxDelayMs,
    );
  }

  /** Unstable exits in a row so far. */
  get unstableInARow(): number {
    return this.unstableExits;
  }
}
