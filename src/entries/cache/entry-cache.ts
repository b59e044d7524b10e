import { Injectable } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import type { Changes } from '../../events/change-feed.service';
import { CacheTicket, CacheValidity } from '../../common/cache/cache-validity';
import type { EntryEntity } from '../entry.entity';
import type { FoundPage, NamespaceAndEntry } from './cached-read.types';

/** Memory for cached entries, with the responses and JSON texts made of them. */
const MAX_CACHED_BYTES = 192 * 1024 * 1024;
/** Memory for cached pages of lists, counted the same way. */
const MAX_CACHED_PAGE_BYTES = 48 * 1024 * 1024;
/**
 * A cached value (or ciphertext) and its metadata are held three times over once read: as
 * the row found them, in the response made of them, in its JSON text. They are counted so
 * when cached, before the response is made, so the bounds hold once it is.
 */
const COPIES_PER_READ = 3;
/** Namespaces whose last change is remembered; older ones count as changed (see CacheGenerations). */
const MAX_TRACKED_NAMESPACES = 100_000;
/** What an entry costs beside its strings: ids, dates, map slots. */
const ENTRY_OVERHEAD_BYTES = 256;

interface Cached {
  ticket: CacheTicket;
  found: NamespaceAndEntry;
}

interface CachedPage {
  ticket: CacheTicket;
  found: FoundPage;
}

function entrySize(entry: EntryEntity): number {
  return (
    ENTRY_OVERHEAD_BYTES +
    entry.keyPath.length +
    COPIES_PER_READ *
      ((entry.value?.length ?? 0) +
        (entry.valueCiphertext?.length ?? 0) +
        (entry.metadata?.length ?? 0))
  );
}

/** Nothing that expires is kept: its expiry would have to be judged on this clock. */
const expires = (entry: EntryEntity) => entry.expiresAt !== null;

/**
 * Live entries without an expiry, and pages of lists holding none, as a read found them, so
 * hot reads skip the database.
 * Correct across replicas: every committed change is reported by the change feed (this
 * process's own at commit, so it reads its own writes at once; other replicas' within the
 * feed's interval). A read fills the cache only if no change of its namespace was reported
 * while it ran, and nothing is cached or served while the feed is not following the outbox,
 * when a change could go unheard.
 * Secret entries are kept sealed; EntryResponses keeps the response (opened) made of each.
 */
@Injectable()
export class EntryCache {
  private readonly entries = new LRUCache<string, Cached>({
    maxSize: MAX_CACHED_BYTES,
    sizeCalculation: ({ found }) => entrySize(found.entry!),
  });
  private readonly pages = new LRUCache<string, CachedPage>({
    maxSize: MAX_CACHED_PAGE_BYTES,
    sizeCalculation: ({ found }) =>
      ENTRY_OVERHEAD_BYTES + found.entries.reduce((sum, entry) => sum + entrySize(entry), 0),
  });
  /** A change of a namespace's entries, or of itself (which takes its entries along). */
  private readonly validity = new CacheValidity(MAX_TRACKED_NAMESPACES);
  /** Lookups answered, and not, since start (for /metrics). */
  readonly lookups = { hits: 0, misses: 0 };

  /** For a read of entries. */
  ticket(namespaceId: string): CacheTicket {
    return this.validity.ticket(namespaceId);
  }

  /** `refresh: false` leaves the entry's place in the eviction order alone (bulk reads). */
  get(namespaceId: string, key: string, refresh = true): NamespaceAndEntry | undefined {
    if (!this.validity.following) {
      return undefined;
    }
    const id = cacheKey(namespaceId, key);
    const cached = refresh ? this.entries.get(id) : this.entries.peek(id);
    return this.counted(
      cached && this.validity.isCurrent(namespaceId, cached.ticket) ? cached.found : undefined,
    );
  }

  /** Keeps what a read found, unless the namespace changed meanwhile or the entry expires. */
  offer(namespaceId: string, key: string, found: NamespaceAndEntry, ticket: CacheTicket): void {
    if (
      found.entry !== undefined &&
      !expires(found.entry) &&
      this.validity.isCurrent(namespaceId, ticket)
    ) {
      this.entries.set(cacheKey(namespaceId, key), { ticket, found });
    }
  }

  /** A page of a namespace's list, by what selects it (see EntryReader.readPage). */
  getPage(namespaceId: string, page: string): FoundPage | undefined {
    if (!this.validity.following) {
      return undefined;
    }
    const cached = this.pages.get(cacheKey(namespaceId, page));
    return this.counted(
      cached && this.validity.isCurrent(namespaceId, cached.ticket) ? cached.found : undefined,
    );
  }

  /** Keeps a page as a read found it, unless the namespace changed meanwhile or it holds an expiry. */
  offerPage(namespaceId: string, page: string, found: FoundPage, ticket: CacheTicket): void {
    if (!found.entries.some(expires) && this.validity.isCurrent(namespaceId, ticket)) {
      this.pages.set(cacheKey(namespaceId, page), { ticket, found });
    }
  }

  /** Committed changes: what was cached of them is stale (entries go with their namespace). */
  changed({ entries, namespaces }: Changes): void {
    for (const namespaceId of [...entries, ...namespaces]) {
      this.validity.changed(namespaceId);
    }
  }

  /** The change feed follows the outbox (every later change will be heard), or not. */
  setFollowing(following: boolean): void {
    this.validity.setFollowing(following);
    this.entries.clear();
    this.pages.clear();
  }

  private counted<T>(found: T | undefined): T | undefined {
    if (found === undefined) {
      this.lookups.misses += 1;
    } else {
      this.lookups.hits += 1;
    }
    return found;
  }
}

function cacheKey(namespaceId: string, key: string): string {
  return `${namespaceId}/${key}`;
}
