import { Injectable } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import type { Changes } from '../events/change-feed.service';
import type { NamespaceEntity } from '../namespaces/namespace.entity';
import type { NamespaceAndEntry } from './entry-reader.service';

/** Memory for cached entries: values, ciphertexts and metadata, by their length. */
const MAX_CACHED_BYTES = 64 * 1024 * 1024;
/** Namespaces are small and few; every write looks its namespace up. */
const MAX_CACHED_NAMESPACES = 10_000;
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

interface CachedNamespace {
  ticket: CacheTicket;
  namespace: Readonly<NamespaceEntity>;
}

function sizeOf({ found }: Cached): number {
  const entry = found.entry!;
  return (
    ENTRY_OVERHEAD_BYTES +
    entry.keyPath.length +
    (entry.value?.length ?? 0) +
    (entry.valueCiphertext?.length ?? 0) +
    (entry.metadata?.length ?? 0)
  );
}

/**
 * Live entries without an expiry, as a read found them, so the hot GET skips the database;
 * and namespace records, so a write looks its namespace up without a round trip.
 * Correct across replicas: every committed change NOTIFYs its namespace and the listener
 * announces it here (`changed`); the writing process announces its own changes at commit, so
 * it reads its own writes at once, and other replicas within the NOTIFY's delivery. A read
 * fills the cache only if no change of its namespace was announced while it ran, and nothing
 * is cached or served while the LISTEN connection is down, when a change could go unheard.
 * Secret values stay sealed here: they are opened per read, as from the database.
 */
@Injectable()
export class EntryCache {
  private readonly entries = new LRUCache<string, Cached>({
    maxSize: MAX_CACHED_BYTES,
    sizeCalculation: sizeOf,
  });
  private readonly namespaces = new LRUCache<string, CachedNamespace>({
    max: MAX_CACHED_NAMESPACES,
  });
  /**
   * Per namespace, the number of the last change heard of its entries, and of the namespace
   * itself: a counter that never goes back. Writes of entries leave namespace records alone.
   */
  private readonly entryGenerations = new Map<string, number>();
  private readonly recordGenerations = new Map<string, number>();
  private changes = 0;
  /** Bumped whenever the LISTEN connection comes or goes: tickets of before are void. */
  private epoch = 0;
  private listening = false;

  /** For a read of entries. */
  ticket(namespaceId: string): CacheTicket {
    return { epoch: this.epoch, generation: this.entryGenerations.get(namespaceId) ?? 0 };
  }

  /** For a read of a namespace record. */
  namespaceTicket(namespaceId: string): CacheTicket {
    return { epoch: this.epoch, generation: this.recordGenerations.get(namespaceId) ?? 0 };
  }

  get(namespaceId: string, key: string): NamespaceAndEntry | undefined {
    if (!this.listening) {
      return undefined;
    }
    const cached = this.entries.get(cacheKey(namespaceId, key));
    return cached && this.isCurrent(this.entryGenerations, namespaceId, cached.ticket)
      ? cached.found
      : undefined;
  }

  /** Keeps what a read found, unless the namespace changed meanwhile or the entry expires. */
  offer(namespaceId: string, key: string, found: NamespaceAndEntry, ticket: CacheTicket): void {
    if (
      this.listening &&
      found.entry !== undefined &&
      found.entry.expiresAt === null &&
      this.isCurrent(this.entryGenerations, namespaceId, ticket)
    ) {
      this.entries.set(cacheKey(namespaceId, key), { ticket, found });
    }
  }

  getNamespace(namespaceId: string): Readonly<NamespaceEntity> | undefined {
    if (!this.listening) {
      return undefined;
    }
    const cached = this.namespaces.get(namespaceId);
    return cached && this.isCurrent(this.recordGenerations, namespaceId, cached.ticket)
      ? cached.namespace
      : undefined;
  }

  /** Keeps a namespace as a read found it, frozen: every caller shares the one object. */
  offerNamespace(namespace: NamespaceEntity, ticket: CacheTicket): void {
    if (this.listening && this.isCurrent(this.recordGenerations, namespace.id, ticket)) {
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

  /** The LISTEN connection is up (every later change will be heard) or down. */
  setListening(listening: boolean): void {
    this.listening = listening;
    this.epoch += 1;
    this.entries.clear();
    this.namespaces.clear();
  }

  private isCurrent(
    generations: Map<string, number>,
    namespaceId: string,
    ticket: CacheTicket,
  ): boolean {
    return ticket.epoch === this.epoch && ticket.generation === (generations.get(namespaceId) ?? 0);
  }
}

function cacheKey(namespaceId: string, key: string): string {
  return `${namespaceId}/${key}`;
}
