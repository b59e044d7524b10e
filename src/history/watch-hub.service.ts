import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { ErrorCode } from '../common/errors/error-code.enum';
import { KvException } from '../common/errors/kv.exception';
import type { KvConfig } from '../config/kv-config.types';
import { ChangeFeed, type Changes } from '../events/change-feed.service';

/**
 * While the change feed does not follow the outbox (it is lost, or nothing polls: the embedded
 * database), a waiting watcher looks for itself this often.
 */
const UNFOLLOWED_LOOK_MS = 500;

/** A watcher's place in the hub: resolves its wait when its namespace changes. */
interface Waiter {
  namespaceId: string;
  wake: () => void;
}

/**
 * The watchers of this process: how many there are (at most KV_MAX_WATCHERS), and waking
 * those of a namespace when the change feed reports a commit of it, on this replica or any
 * other (within the feed's 1 s). A wait never trusts the wake alone: it ends at its deadline,
 * and while the feed is down, every UNFOLLOWED_LOOK_MS, so the watcher reads for itself.
 */
@Injectable()
export class WatchHub implements OnApplicationShutdown {
  private readonly waiters = new Set<Waiter>();
  private readonly closers = new Set<() => void>();
  private watchers = 0;
  private following = false;
  private stopping = false;
  readonly maxWatchers: number;

  constructor(feed: ChangeFeed, config: ConfigService<KvConfig, true>) {
    this.maxWatchers = config.get('history.maxWatchers', { infer: true });
    feed.subscribe({
      changed: (changes) => this.changed(changes),
      following: (up) => (this.following = up),
    });
  }

  /** Counts a watcher in (503 past KV_MAX_WATCHERS); the returned function counts it out. */
  enter(): () => void {
    if (this.stopping || this.watchers >= this.maxWatchers) {
      throw new KvException(
        ErrorCode.SERVICE_UNAVAILABLE,
        this.stopping
          ? 'The service is shutting down; watch another replica'
          : `This replica serves ${this.maxWatchers} watchers already (KV_MAX_WATCHERS); retry later or elsewhere`,
      );
    }
    this.watchers += 1;
    let left = false;
    return () => {
      if (!left) {
        left = true;
        this.watchers -= 1;
      }
    };
  }

  get active(): number {
    return this.watchers;
  }

  /** Resolves when the namespace may have changed, or after `ms` at most. */
  wait(namespaceId: string, ms: number): Promise<void> {
    const bound = this.following ? ms : Math.min(ms, UNFOLLOWED_LOOK_MS);
    return new Promise((resolve) => {
      const waiter: Waiter = {
        namespaceId,
        wake: () => {
          clearTimeout(timer);
          this.waiters.delete(waiter);
          resolve();
        },
      };
      const timer = setTimeout(waiter.wake, Math.max(0, bound));
      this.waiters.add(waiter);
    });
  }

  /** Registers what ends a stream at shutdown; the returned function unregisters it. */
  onShutdown(close: () => void): () => void {
    this.closers.add(close);
    return () => this.closers.delete(close);
  }

  get isStopping(): boolean {
    return this.stopping;
  }

  onApplicationShutdown(): void {
    this.stopping = true;
    this.closers.forEach((close) => close());
    this.waiters.forEach((waiter) => waiter.wake());
  }

  private changed({ entries, namespaces }: Changes): void {
    const touched = new Set(namespaces);
    for (const ordering of entries) {
      touched.add(ordering.slice(0, ordering.indexOf('/')));
    }
    for (const waiter of [...this.waiters]) {
      if (touched.has(waiter.namespaceId)) {
        waiter.wake();
      }
    }
  }
}
