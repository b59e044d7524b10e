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
  /** With `keyOf`: items of one key that may wait at once; more are refused (GroupCommitFull). */
  maxWaitingPerKey?: number;
  /**
   * Items of one group never go into two flushes at once: while a flush holds items of a
   * group, the group's other items wait for the next one after it (which then takes all it
   * can). For flushes that serialise on something of the group anyway (a namespace's
   * revision counter): a second flush would only wait for the first's commit, and commit
   * fewer items with a flush of its own.
   */
  groupOf?: (item: T) => string;
  /**
   * Whether a flush of several items that failed with this error may have failed for one bad
   * item: if so, its halves are flushed again, down to single items, so the bad one fails alone
   * and the others still commit. Without it (or when it says no, as for a database that is down)
   * every item of the flush fails with it.
   */
  isolateFailures?: (error: unknown) => boolean;
}

/** An item refused because too many of its key wait already: a hot key's writers must back off. */
export class GroupCommitFull extends Error {
  constructor(readonly key: string) {
    super('too many items of one key are waiting');
  }
}

/** One key's waiting items, oldest first: taken from the front without moving the rest. */
class KeyQueue<T, R> {
  private readonly items: Waiting<T, R>[] = [];
  private head = 0;

  get size(): number {
    return this.items.length - this.head;
  }

  push(waiting: Waiting<T, R>): void {
    this.items.push(waiting);
  }

  /** The oldest item, left in place. */
  peek(): Waiting<T, R> {
    return this.items[this.head];
  }

  shift(): Waiting<T, R> {
    const waiting = this.items[this.head];
    this.head += 1;
    // Drop the taken front now and then, so a long queue costs its length once, not per take.
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items.splice(0, this.head);
      this.head = 0;
    }
    return waiting;
  }
}

/**
 * Group commit: items added while flushes are running wait for the next one, so concurrent
 * callers share one statement and one commit, and each learns when its own item is durable
 * (with its own result, if the flush gives one per item). Up to `concurrency` flushes run at
 * once, so an item waits for one flush to end before its own starts, unless more items wait
 * than a flush takes or an item of its key is in the running flush. At low load an
 * item is flushed on the next turn of the event loop, with no added delay.
 * With `keyOf`, taking a batch costs the number of keys waiting, not of items: a hot key's
 * thousand waiting writes are not looked at again for every flush.
 */
export class GroupCommit<T, R = void> {
  /** Keys in the order their oldest waiting item came; each with its items. */
  private readonly queues = new Map<string, KeyQueue<T, R>>();
  private waiting = 0;
  private running = 0;
  private scheduled = false;
  private readonly maxBatch: number;
  private readonly concurrency: number;
  private readonly maxWaitingPerKey: number;
  private unkeyed = 0;
  /** With groupOf: the groups of the running flushes, and each flush's. */
  private readonly flushing = new Set<string>();
  private readonly groupsOf = new Map<Waiting<T, R>[], Set<string>>();

  constructor(
    /** Makes the items durable; gives each its result, in order (or nothing, for void). */
    private readonly flush: (items: T[]) => Promise<R[] | void>,
    private readonly options: GroupCommitOptions<T> = {},
  ) {
    this.maxBatch = options.maxBatch ?? 1000;
    this.concurrency = options.concurrency ?? 1;
    this.maxWaitingPerKey = options.maxWaitingPerKey ?? Infinity;
  }

  add(item: T): Promise<R> {
    // Without keyOf every item is a key of its own: a batch is simply the oldest items.
    const key = this.options.keyOf?.(item) ?? String((this.unkeyed += 1));
    let queue = this.queues.get(key);
    if (queue !== undefined && queue.size >= this.maxWaitingPerKey) {
      return Promise.reject(new GroupCommitFull(key));
    }
    return new Promise((resolve, reject) => {
      if (queue === undefined) {
        queue = new KeyQueue();
        this.queues.set(key, queue);
      }
      queue.push({ item, resolve, reject });
      this.waiting += 1;
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
    while (this.running < this.concurrency && this.waiting > 0) {
      const batch = this.take();
      if (batch.length === 0) {
        // Everything waiting is of groups in flight: their flushes start the next.
        return;
      }
      this.running += 1;
      void this.run(batch);
    }
  }

  /**
   * The next batch: the oldest item of each key, keys in order, at most maxBatch. A key with
   * items left goes to the back, so a hot key takes its turn behind the others.
   */
  private take(): Waiting<T, R>[] {
    const batch: Waiting<T, R>[] = [];
    const taken: [string, KeyQueue<T, R>][] = [];
    const groupOf = this.options.groupOf;
    const groups = new Set<string>();
    for (const entry of this.queues) {
      if (batch.length >= this.maxBatch) {
        break;
      }
      const group = groupOf?.(entry[1].peek().item);
      if (group !== undefined && this.flushing.has(group)) {
        continue;
      }
      if (group !== undefined) {
        groups.add(group);
      }
      batch.push(entry[1].shift());
      taken.push(entry);
    }
    groups.forEach((group) => this.flushing.add(group));
    this.groupsOf.set(batch, groups);
    for (const [key, queue] of taken) {
      this.queues.delete(key);
      if (queue.size > 0) {
        this.queues.set(key, queue);
      }
    }
    this.waiting -= batch.length;
    return batch;
  }

  private async run(batch: Waiting<T, R>[]): Promise<void> {
    await this.settle(batch);
    this.groupsOf.get(batch)?.forEach((group) => this.flushing.delete(group));
    this.groupsOf.delete(batch);
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
