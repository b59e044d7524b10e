import { AuditLogEntity } from '../audit/audit-log.entity';
import { NamespaceDataKeyEntity } from '../crypto/namespace-data-key.entity';
import { EntryEntity } from '../entries/entry.entity';
import { OutboxEventEntity } from '../events/outbox-event.entity';
import { NamespaceEntity } from '../namespaces/namespace.entity';
import { EntryVersionEntity } from '../entries/entry-version.entity';
import { NamespaceChangeEntity } from '../entries/namespace-change.entity';
import { NamespaceRevisionEntity } from '../entries/namespace-revision.entity';
import { SnapshotEntity } from '../entries/snapshots/snapshot.entity';

/** Every TypeORM entity of the service. */
export const ENTITIES = [
  NamespaceEntity,
  AuditLogEntity,
  EntryEntity,
  NamespaceDataKeyEntity,
  EntryVersionEntity,
  OutboxEventEntity,
  NamespaceRevisionEntity,
  NamespaceChangeEntity,
  SnapshotEntity,
];
