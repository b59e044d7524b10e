import { Injectable } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import { CacheTicket, CacheValidity } from '../common/cache/cache-validity';
import { ChangeFeed } from '../events/change-feed.service';
import type { NamespaceEntity } from './namespace.entity';

/** Namespaces are small and few; every write looks its namespace up. */
const MAX_CACHED_NAMESPACES = 10_000;
/** Namespaces whose last change is remembered; older ones count as changed (see CacheGenerations). */
const MAX_TRACKED_NAMESPACES = 100_000;

interface Cached {
  ticket: CacheTicket;
  namespace: Readonly<NamespaceEntity>;
}

/**
 * Namespace records as a read found them, so a write looks its namespace up without a round
 * trip. Correct across replicas on the terms of the entry cache (see EntryCache): every
 * committed change of a namespace is heard from the change feed, a read fills the cache only
 * if none was heard while it ran, and nothing is kept while the feed does not follow.
 */
@Injectable()
export class NamespaceCache {
  private readonly namespaces = new LRUCache<string, Cached>({ max: MAX_CACHED_NAMESPACES });
  private readonly validity = new CacheValidity(MAX_TRACKED_NAMESPACES);

  constructor(feed: ChangeFeed) {
    feed.subscribe({
      changed: ({ namespaces }) => {
        for (const namespaceId of namespaces) {
          this.validity.changed(namespaceId);
        }
      },
      following: (up) => {
        this.validity.setFollowing(up);
        this.namespaces.clear();
      },
    });
  }

  ticket(namespaceId: string): CacheTicket {
    return this.validity.ticket(namespaceId);
  }

  get(namespaceId: string): Readonly<NamespaceEntity> | undefined {
    const cached = this.validity.following ? this.namespaces.get(namespaceId) : undefined;
    return cached && this.validity.isCurrent(namespaceId, cached.ticket)
      ? cached.namespace
      : undefined;
  }

  /** Keeps a namespace as a read found it, frozen: every caller shares the one object. */
  offer(namespace: NamespaceEntity, ticket: CacheTicket): void {
    if (this.validity.isCurrent(namespace.id, ticket)) {
      this.namespaces.set(namespace.id, { ticket, namespace: Object.freeze(namespace) });
    }
  }
}
