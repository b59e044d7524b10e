import { randomUUID } from 'node:crypto';

/** Routing keys of change events; each is also the event's `type` (CONTRACT §5). */
export enum KvEventType {
  NamespaceCreated = 'kv.namespace.created',
  NamespaceUpdated = 'kv.namespace.updated',
  NamespaceDeleted = 'kv.namespace.deleted',
  /** A snapshot of the namespace made: `snapshot` names it, `revision` is the one it pins. */
  SnapshotCreated = 'kv.namespace.snapshot_created',
  EntryCreated = 'kv.entry.created',
  EntryUpdated = 'kv.entry.updated',
  EntryDeleted = 'kv.entry.deleted',
  EntryExpired = 'kv.entry.expired',
  EntryRotated = 'kv.entry.rotated',
  EntryRolledBack = 'kv.entry.rolled_back',
  /** A deleted or expired secret entry brought back from its tombstone, as a new version. */
  EntryRestored = 'kv.entry.restored',
  /** The versions of a deleted or expired secret entry are gone for good. */
  EntryPurged = 'kv.entry.purged',
}

/** The body of a change event. Never a value. */
export interface KvEvent {
  eventId: string;
  type: KvEventType;
  occurredAt: string;
  applicationId: string;
  namespaceId: string;
  entryId?: string;
  keyPath?: string;
  version?: number;
  /** The snapshot a snapshot event is of. */
  snapshot?: string;
  actor: string;
}

/** The actor of changes the service makes by itself (expiry, purge). */
export const SYSTEM_ACTOR = 'system:ttl-sweeper';

export function kvEvent(
  type: KvEventType,
  fields: Omit<KvEvent, 'eventId' | 'type' | 'occurredAt'>,
): KvEvent {
  return { eventId: randomUUID(), type, occurredAt: new Date().toISOString(), ...fields };
}

/** Events of one key (or of one namespace) are published in the order they were committed. */
export function orderingKeyOf(event: KvEvent): string {
  return event.keyPath === undefined ? event.namespaceId : `${event.namespaceId}/${event.keyPath}`;
}

/** The event of a change to one entry. */
export function entryEvent(
  type: KvEventType,
  namespace: { id: string; applicationId: string },
  entry: { id: string; keyPath: string; version: number },
  actor: string,
): KvEvent {
  return kvEvent(type, {
    applicationId: namespace.applicationId,
    namespaceId: namespace.id,
    entryId: entry.id,
    keyPath: entry.keyPath,
    version: entry.version,
    actor,
  });
}
