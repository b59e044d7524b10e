import { AuditLogEntity } from '../audit/audit-log.entity';
import { EntryEntity } from '../entries/entry.entity';
import { NamespaceEntity } from '../namespaces/namespace.entity';

/** Every TypeORM entity of the service. */
export const ENTITIES = [NamespaceEntity, AuditLogEntity, EntryEntity];
