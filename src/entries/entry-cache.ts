import { Injectable } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import type { Changes } from '../events/change-feed.service';
import { CacheGenerations } from './cache-generations';
import type { NamespaceEntity } from '../namespaces/namespace.entity';
import type { EntryEntity } from './entry.entity';
import type { FoundPage, NamespaceAndEntry } from './entry-reader.service';

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
/** Namespaces are small and few; every write looks its namespace up. */
const MAX_CACHED_NAMESPACES = 10_000;
/** Namespaces whose last change is remembered; older ones count as changed (see CacheGenerations). */
const MAX_TRACKED_NAMESPACES = 100_000;
/** What an entry costs beside its strings: ids, dates, map slots. */
const ENTRY_OVERHEAD_BYTES = 256;

/** What a read saw before it went to the database: it may fill the cache only if still current. */
export interface CacheTicket {
  readonly epoch: number;
  readonly generation: number;
}

interface Cached {
  ticket: CacheTicket;
  found: NamespaceAndEntry;
}

interface CachedPage {
  ticket: CacheTicket;
  found: FoundPage;
}

interface CachedNamespace {
  ticket: CacheTicket;
  namespace: Readonly<NamespaceEntity>;
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
 * hot reads skip the database; and namespace records, so a write looks its namespace up
 * without a round trip.
 * Correct across replicas: every committed change is reported by the change feed (this
 * process's own at commit, so it reads its own writes at once; other replicas' within the
 * feed's interval). A read fills the cache only if no change of its namespace was reported
 * while it ran, and nothing is cached or served while the feed is not following the outbox,
 * when a change could go unheard.
 * Secret entries are kept sealed, with their response (opened) once one was made.
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
  private readonly namespaces = new LRUCache<string, CachedNamespace>({
    max: MAX_CACHED_NAMESPACES,
  });
  /**
   * Per namespace, the number of the last change heard of its entries, and of the namespace
   * itself: a counter that never goes back. Writes of entries leave namespace records alone.
   */
  private readonly entryGenerations = new CacheGenerations(MAX_TRACKED_NAMESPACES);
  private readonly recordGenerations = new CacheGenerations(MAX_TRACKED_NAMESPACES);
  private changes = 0;
  /** Bumped whenever the feed starts or stops following: tickets of before are void. */
  private epoch = 0;
  private following = false;
  /** Lookups answered, and not, since start (for /metrics). */
  readonly lookups = { hits: 0, misses: 0 };

  /** For a read of entries. */
  ticket(namespaceId: string): CacheTicket {
    return { epoch: this.epoch, generation: this.entryGenerations.of(namespaceId) };
  }

  /** For a read of a namespace record. */
  namespaceTicket(namespaceId: string): CacheTicket {
    return { epoch: this.epoch, generation: this.recordGenerations.of(namespaceId) };
  }

  /** `refresh: false` leaves the entry's place in the eviction order alone (bulk reads). */
  get(namespaceId: string, key: string, refresh = true): NamespaceAndEntry | undefined {
    if (!this.following) {
      return undefined;
    }
    const id = cacheKey(namespaceId, key);
    const cached = refresh ? this.entries.get(id) : this.entries.peek(id);
    return this.counted(
      cached && this.isCurrent(this.entryGenerations, namespaceId, cached.ticket)
        ? cached.found
        : undefined,
    );
  }

  /** Keeps what a read found, unless the namespace changed meanwhile or the entry expires. */
  offer(namespaceId: string, key: string, found: NamespaceAndEntry, ticket: CacheTicket): void {
    if (
      this.following &&
      found.entry !== undefined &&
      !expires(found.entry) &&
      this.isCurrent(this.entryGenerations, namespaceId, ticket)
    ) {
      this.entries.set(cacheKey(namespaceId, key), { ticket, found });
    }
  }

  /** A page of a namespace's list, by what selects it (see EntryReader.readPage). */
  getPage(namespaceId: string, page: string): FoundPage | undefined {
    if (!this.following) {
      return undefined;
    }
    const cached = this.pages.get(cacheKey(namespaceId, page));
    return this.counted(
      cached && this.isCurrent(this.entryGenerations, namespaceId, cached.ticket)
        ? cached.found
        : undefined,
    );
  }

  /** Keeps a page as a read found it, unless the namespace changed meanwhile or it holds an expiry. */
  offerPage(namespaceId: string, page: string, found: FoundPage, ticket: CacheTicket): void {
    if (
      this.following &&
      !found.entries.some(expires) &&
      this.isCurrent(this.entryGenerations, namespaceId, ticket)
    ) {
      this.pages.set(cacheKey(namespaceId, page), { ticket, found });
    }
  }

  getNamespace(namespaceId: string): Readonly<NamespaceEntity> | undefined {
    if (!this.following) {
      return undefined;
    }
    const cached = this.namespaces.get(namespaceId);
    return cached && this.isCurrent(this.recordGenerations, namespaceId, cached.ticket)
      ? cached.namespace
      : undefined;
  }

  /** Keeps a namespace as a read found it, frozen: every caller shares the one object. */
  offerNamespace(namespace: NamespaceEntity, ticket: CacheTicket): void {
    if (this.following && this.isCurrent(this.recordGenerations, namespace.id, ticket)) {
      this.namespaces.set(namespace.id, { ticket, namespace: Object.freeze(namespace) });
    }
  }

  /** Committed changes: what was cached of them is stale (entries go with their namespace). */
  changed({ entries, namespaces }: Changes): void {
    for (const namespaceId of entries) {
      this.entryGenerations.set(namespaceId, ++this.changes);
    }
    for (const namespaceId of namespaces) {
      this.entryGenerations.set(namespaceId, ++this.changes);
      this.recordGenerations.set(namespaceId, this.changes);
    }
  }

  /** The change feed follows the outbox (every later change will be heard), or not. */
  setFollowing(following: boolean): void {
    this.following = following;
    this.epoch += 1;
    this.entries.clear();
    this.pages.clear();
    this.namespaces.clear();
  }

  private counted<T>(found: T | undefined): T | undefined {
    if (found === undefined) {
      this.lookups.misses += 1;
    } else {
      this.lookups.hits += 1;
    }
    return found;
  }

  private isCurrent(
    generations: CacheGenerations,
    namespaceId: string,
    ticket: CacheTicket,
  ): boolean {
    return ticket.epoch === this.epoch && ticket.generation === generations.of(namespaceId);
  }
}

function cacheKey(namespaceId: string, key: string): string {
  return `${namespaceId}/${key}`;
}
