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
}

/** A namespace and a page of its live entries, in key order; shared as NamespaceAndEntry is. */
export interface FoundPage {
  readonly namespace: NamespaceRef;
  readonly entries: readonly EntryEntity[];
}
