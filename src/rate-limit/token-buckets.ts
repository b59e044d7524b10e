import { performance } from 'node:perf_hooks';

interface Bucket {
  tokens: number;
  /** performance.now() when `tokens` was last brought up to date. */
  at: number;
}

// Idle buckets are forgotten only when the map has grown past this (and then past twice its
// size after the last sweep), so that a sweep's cost is spread over the keys that caused it.
const SWEEP_THRESHOLD = 10_000;

/**
 * One token bucket per key: `burst` tokens at most, refilled continuously at `perSecond`.
 * Constant work per request and no timers. A bucket idle long enough to refill is full again,
 * so forgetting it changes nothing. Per process.
 */
export class TokenBuckets {
  private readonly buckets = new Map<string, Bucket>();
  private readonly perMs: number;
  /** How long an empty bucket takes to fill up. */
  private readonly refillMs: number;
  private sweepAt = SWEEP_THRESHOLD;

  constructor(
    perSecond: number,
    private readonly burst: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.perMs = perSecond / 1000;
    this.refillMs = burst / this.perMs;
  }

  /** Takes a token of `key`'s bucket: 0 if there was one, else the whole seconds to the next. */
  take(key: string): number {
    const now = this.now();
    let bucket = this.buckets.get(key);
    if (bucket === undefined) {
      this.sweep(now);
      bucket = { tokens: this.burst, at: now };
      this.buckets.set(key, bucket);
    } else {
      bucket.tokens = Math.min(this.burst, bucket.tokens + (now - bucket.at) * this.perMs);
      bucket.at = now;
    }
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil((1 - bucket.tokens) / this.perMs / 1000));
  }

  /** Number of callers remembered; for tests. */
  get size(): number {
    return this.buckets.size;
  }

  private sweep(now: number): void {
    if (this.buckets.size < this.sweepAt) {
      return;
    }
    for (const [key, bucket] of this.buckets) {
      if (now - bucket.at >= this.refillMs) {
        this.buckets.delete(key);
      }
    }
    this.sweepAt = Math.max(SWEEP_THRESHOLD, 2 * this.buckets.size);
  }
}
