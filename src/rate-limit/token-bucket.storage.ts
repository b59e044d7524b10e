import { performance } from 'node:perf_hooks';
import type { ThrottlerStorage } from '@nestjs/throttler';

// The package does not export the record type itself.
type ThrottlerStorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

interface Bucket {
  tokens: number;
  /** performance.now() when `tokens` was last brought up to date. */
  at: number;
}

// Idle buckets are forgotten only when the map has grown past this (and then past twice its
// size after the last sweep), so that a sweep's cost is spread over the keys that caused it.
const SWEEP_THRESHOLD = 10_000;

/**
 * Storage for @nestjs/throttler that keeps one token bucket per key: `limit` tokens at most,
 * refilled continuously at `limit` per `ttl` milliseconds. Constant work per request and no
 * timers, unlike the library's default storage, whose cost grows with the limit. A bucket
 * idle for `ttl` is full again, so forgetting it changes nothing. Per process.
 */
export class TokenBucketStorage implements ThrottlerStorage {
  private readonly buckets = new Map<string, Bucket>();
  private sweepAt = SWEEP_THRESHOLD;

  constructor(private readonly now: () => number = () => performance.now()) {}

  increment(key: string, ttl: number, limit: number): Promise<ThrottlerStorageRecord> {
    const now = this.now();
    const perMs = limit / ttl;
    let bucket = this.buckets.get(key);
    if (bucket === undefined) {
      this.sweep(now, ttl);
      bucket = { tokens: limit, at: now };
      this.buckets.set(key, bucket);
    } else {
      bucket.tokens = Math.min(limit, bucket.tokens + (now - bucket.at) * perMs);
      bucket.at = now;
    }
    const isBlocked = bucket.tokens < 1;
    if (!isBlocked) {
      bucket.tokens -= 1;
    }
    return Promise.resolve({
      totalHits: Math.ceil(limit - bucket.tokens),
      timeToExpire: Math.ceil((limit - bucket.tokens) / perMs / 1000),
      isBlocked,
      // Whole seconds until the next token, as Retry-After counts them.
      timeToBlockExpire: isBlocked ? Math.max(1, Math.ceil((1 - bucket.tokens) / perMs / 1000)) : 0,
    });
  }

  /** Number of callers remembered; for tests. */
  get size(): number {
    return this.buckets.size;
  }

  private sweep(now: number, ttl: number): void {
    if (this.buckets.size < this.sweepAt) {
      return;
    }
    for (const [key, bucket] of this.buckets) {
      if (now - bucket.at >= ttl) {
        this.buckets.delete(key);
      }
    }
    this.sweepAt = Math.max(SWEEP_THRESHOLD, 2 * this.buckets.size);
  }
}
