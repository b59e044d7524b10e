interface Waiting<T> {
  item: T;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit: items added while a flush is running wait for the next one, so concurrent
 * callers share one statement and one commit, and each learns when its own item is durable.
 * At low load an item is flushed on the next turn of the event loop, with no added delay.
 */
export class GroupCommit<T> {
  private queue: Waiting<T>[] = [];
  private running = false;

  constructor(
    private readonly flush: (items: T[]) => Promise<void>,
    private readonly maxBatch = 1000,
  ) {}

  add(item: T): Promise<void> {
    return new Promise((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      if (!this.running) {
        this.running = true;
        setImmediate(() => void this.drain());
      }
    });
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, this.maxBatch);
      try {
        await this.flush(batch.map((waiting) => waiting.item));
        batch.forEach((waiting) => waiting.resolve());
      } catch (error) {
        batch.forEach((waiting) => waiting.reject(error));
      }
    }
    this.running = false;
  }
}
