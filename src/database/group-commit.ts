interface Waiting<T, R> {
  item: T;
  resolve: (result: R) => void;
  reject: (error: unknown) => void;
}

export interface GroupCommitOptions<T> {
  /** Most items in one flush. */
  maxBatch?: number;
  /** Flushes running at once. */
  concurrency?: number;
  /** Items of one key never share a flush: the later ones wait for the next. */
  keyOf?: (item: T) => string;
  /**
   * Whether a flush of several items that failed with this error may have failed for one bad
   * item: if so, its halves are flushed again, down to single items, so the bad one fails alone
   * and the others still commit. Without it (or when it says no, as for a database that is down)
   * every item of the flush fails with it.
   */
  isolateFailures?: (error: unknown) => boolean;
}

/**
 * Group commit: items added while flushes are running wait for the next one, so concurrent
 * callers share one statement and one commit, and each learns when its own item is durable
 * (with its own result, if the flush gives one per item). Up to `concurrency` flushes run at
 * once, so an item waits for one flush to end before its own starts, unless more items wait
 * than a flush takes or an item of its key is in the running flush. At low load an
 * item is flushed on the next turn of the event loop, with no added delay.
 */
export class GroupCommit<T, R = void> {
  private queue: Waiting<T, R>[] = [];
  private running = 0;
  private scheduled = false;
  private readonly maxBatch: number;
  private readonly concurrency: number;

  constructor(
    /** Makes the items durable; gives each its result, in order (or nothing, for void). */
    private readonly flush: (items: T[]) => Promise<R[] | void>,
    private readonly options: GroupCommitOptions<T> = {},
  ) {
    this.maxBatch = options.maxBatch ?? 1000;
    this.concurrency = options.concurrency ?? 1;
  }

  add(item: T): Promise<R> {
    return new Promise((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      if (this.running < this.concurrency && !this.scheduled) {
        this.scheduled = true;
        setImmediate(() => {
          this.scheduled = false;
          this.start();
        });
      }
    });
  }

  private start(): void {
    while (this.running < this.concurrency && this.queue.length > 0) {
      this.running += 1;
      void this.run(this.take());
    }
  }

  /** The next batch off the queue, in order; with `keyOf`, the first item of each key only. */
  private take(): Waiting<T, R>[] {
    const { keyOf } = this.options;
    if (keyOf === undefined) {
      return this.queue.splice(0, this.maxBatch);
    }
    const batch: Waiting<T, R>[] = [];
    const later: Waiting<T, R>[] = [];
    const keys = new Set<string>();
    for (const waiting of this.queue) {
      const key = keyOf(waiting.item);
      if (batch.length < this.maxBatch && !keys.has(key)) {
        keys.add(key);
        batch.push(waiting);
      } else {
        later.push(waiting);
      }
    }
    this.queue = later;
    return batch;
  }

  private async run(batch: Waiting<T, R>[]): Promise<void> {
    await this.settle(batch);
    this.running -= 1;
    this.start();
  }

  /** Flushes the batch and answers each of its items; splits it in halves as isolateFailures allows. */
  private async settle(batch: Waiting<T, R>[]): Promise<void> {
    try {
      const results = await this.flush(batch.map((waiting) => waiting.item));
      batch.forEach((waiting, i) => waiting.resolve((results ?? [])[i]));
    } catch (error) {
      if (batch.length > 1 && this.options.isolateFailures?.(error) === true) {
        // Halves rather than one flush per item: one bad item among n costs about 2·log2(n)
        // flushes instead of n.
        const half = Math.ceil(batch.length / 2);
        await this.settle(batch.slice(0, half));
        await this.settle(batch.slice(half));
        return;
      }
      batch.forEach((waiting) => waiting.reject(error));
    }
  }
}
