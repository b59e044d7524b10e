import { Injectable } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import type { Changes } from '../../events/change-feed.service';
import { CacheTicket, CacheValidity } from '../../common/cache/cache-validity';
import type { EntryEntity } from '../entry.entity';
import { CacheGenerations } from '../../common/cache/cache-generations';
import { FoundPage, KeyRange, NamespaceAndEntry, inRange } from './cached-read.types';

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
/**
 * Changes of entries remembered for the reads in flight when they were heard; a read that
 * outlasts this many later changes fills nothing (see CacheGenerations).
 */
const MAX_TRACKED_CHANGES = 100_000;
/** What an entry costs beside its strings: ids, dates, map slots. */
const ENTRY_OVERHEAD_BYTES = 256;

/**
 * What a read saw before it went to the database: the namespace's state (see CacheValidity)
 * and how many changes of entries had been heard. What it found may fill the cache only if
 * neither moved for what it read.
 */
export interface EntryTicket extends CacheTicket {
  readonly changes: number;
}

interface Cached {
  ticket: CacheTicket;
  found: NamespaceAndEntry;
}

interface CachedPage {
  ticket: CacheTicket;
  namespaceId: string;
  range: KeyRange;
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
 * feed's interval), and nothing is cached or served while the feed is not following the
 * outbox, when a change could go unheard. A change of an entry drops that entry and the pages
 * whose range it falls in, nothing else; a change of a namespace drops all of it. A read fills
 * the cache only if nothing it read changed while it ran.
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
    dispose: (page, id) => {
      const ids = this.pagesOf.get(page.namespaceId);
      ids?.delete(id);
      if (ids?.size === 0) {
        this.pagesOf.delete(page.namespaceId);
      }
    },
  });
  /** The cached pages of each namespace, for the changes of its entries to find. */
  private readonly pagesOf = new Map<string, Set<string>>();
  /** Changes of namespaces themselves, which take their entries along. */
  private readonly validity = new CacheValidity(MAX_TRACKED_NAMESPACES);
  /** Changes of entries heard so far, and the number of the last one of each recent key… */
  private changes = 0;
  private readonly keyChanges = new CacheGenerations(MAX_TRACKED_CHANGES);
  /** …and of each namespace's entries, for the pages read meanwhile. */
  private readonly namespaceChanges = new CacheGenerations(MAX_TRACKED_NAMESPACES);
  /** Lookups answered, and not, since start (for /metrics). */
  readonly lookups = { hits: 0, misses: 0 };

  /** For a read of entries of a namespace. */
  ticket(namespaceId: string): EntryTicket {
    return { ...this.validity.ticket(namespaceId), changes: this.changes };
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

  /** Keeps what a read found, unless the entry changed meanwhile or it expires. */
  offer(namespaceId: string, key: string, found: NamespaceAndEntry, ticket: EntryTicket): void {
    const id = cacheKey(namespaceId, key);
    if (
      found.entry !== undefined &&
      !expires(found.entry) &&
      this.validity.isCurrent(namespaceId, ticket) &&
      this.keyChanges.of(id) <= ticket.changes
    ) {
      this.entries.set(id, { ticket, found });
    }
  }

  /** A page of a namespace's list, by what selects it (see EntryReader.readPage). */
  getPage(namespaceId: string, range: KeyRange, withValues: boolean): FoundPage | undefined {
    if (!this.validity.following) {
      return undefined;
    }
    const cached = this.pages.get(pageKey(namespaceId, range, withValues));
    return this.counted(
      cached && this.validity.isCurrent(namespaceId, cached.ticket) ? cached.found : undefined,
    );
  }

  /**
   * Keeps a page as a read found it, unless an entry of the namespace changed meanwhile (any
   * one: a page read races a write seldom) or it holds an expiry.
   */
  offerPage(
    namespaceId: string,
    range: KeyRange,
    withValues: boolean,
    found: FoundPage,
    ticket: EntryTicket,
  ): void {
    if (
      !found.entries.some(expires) &&
      this.validity.isCurrent(namespaceId, ticket) &&
      this.namespaceChanges.of(namespaceId) <= ticket.changes
    ) {
      const id = pageKey(namespaceId, range, withValues);
      this.pages.set(id, { ticket, namespaceId, range, found });
      let ids = this.pagesOf.get(namespaceId);
      if (ids === undefined) {
        ids = new Set();
        this.pagesOf.set(namespaceId, ids);
      }
      ids.add(id);
    }
  }

  /**
   * Committed changes: a changed entry and the cached pages whose range it falls in are
   * stale; so is all that is cached of a namespace that itself changed.
   */
  changed({ entries, namespaces }: Changes): void {
    for (const changed of entries) {
      // `namespaceId/keyPath`: namespace ids hold no slash.
      const slash = changed.indexOf('/');
      const namespaceId = changed.slice(0, slash);
      const key = changed.slice(slash + 1);
      this.changes += 1;
      this.keyChanges.set(changed, this.changes);
      this.namespaceChanges.set(namespaceId, this.changes);
      this.entries.delete(changed);
      const ids = this.pagesOf.get(namespaceId);
      if (ids !== undefined) {
        for (const id of ids) {
          const page = this.pages.peek(id);
          if (page === undefined || inRange(key, page.range)) {
            this.pages.delete(id);
          }
        }
      }
    }
    for (const namespaceId of namespaces) {
      this.validity.changed(namespaceId);
    }
  }

  /** The change feed follows the outbox (every later change will be heard), or not. */
  setFollowing(following: boolean): void {
    this.validity.setFollowing(following);
    this.entries.clear();
    this.pages.clear();
    this.pagesOf.clear();
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

function pageKey(namespaceId: string, range: KeyRange, withValues: boolean): string {
  return [namespaceId, range.from, range.after, range.before ?? '', range.limit, withValues].join(
    '\0',
  );
}
