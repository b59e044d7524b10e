import type { NamespaceEntity } from '../../namespaces/namespace.entity';
import type { EntryEntity } from '../entry.entity';

/** What a read needs of a namespace: whose it is, and whether its values are sealed. */
export type NamespaceRef = Pick<NamespaceEntity, 'id' | 'applicationId' | 'isSecretNamespace'>;

/**
 * A namespace and, if alive, one of its entries: what a read needs, in one round trip. Shared
 * by every read the cache serves it to: nothing changes it once read.
 */
export interface NamespaceAndEntry {
  readonly namespace: NamespaceRef;
  readonly entry: EntryEntity | undefined;
  /** The namespace's revision when read: the answer is that revision's (and later ones' while cached). */
  readonly revision: number;
}

/** A namespace and a page of its live entries, in key order; shared as NamespaceAndEntry is. */
export interface FoundPage {
  readonly namespace: NamespaceRef;
  readonly entries: readonly EntryEntity[];
  /** As NamespaceAndEntry's. */
  readonly revision: number;
}

/** A page of keys in byte order: what a list reads, and what a write must fall in to change it. */
export interface KeyRange {
  /** Inclusive lower bound: the prefix ('' for none). */
  from: string;
  /** Exclusive lower bound: the cursor's last key ('' for the first page). */
  after: string;
  /** Exclusive upper bound, if the prefix has one. */
  before: string | undefined;
  limit: number;
}

/** Whether a write of `key` can change what a read of `range` found. */
export function inRange(key: string, { from, after, before }: KeyRange): boolean {
  return key >= from && key > after && (before === undefined || key < before);
}
