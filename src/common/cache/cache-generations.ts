import { LRUCache } from 'lru-cache';

/**
 * Per namespace, the number of the last change heard of it (numbers only grow), for at most
 * `max` namespaces. A namespace forgotten to make room counts as the highest number forgotten
 * so far: what was cached before its forgotten change can never be current again.
 */
export class CacheGenerations {
  private readonly last: LRUCache<string, number>;
  private floor = 0;

  constructor(max: number) {
    this.last = new LRUCache<string, number>({
      max,
      dispose: (generation, _namespaceId, reason) => {
        if (reason === 'evict') {
          this.floor = Math.max(this.floor, generation);
        }
      },
    });
  }

  of(namespaceId: string): number {
    return this.last.get(namespaceId) ?? this.floor;
  }

  set(namespaceId: string, generation: number): void {
    this.last.set(namespaceId, generation);
  }
}
