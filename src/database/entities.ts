import { AuditLogEntity } from '../audit/audit-log.entity';
import { NamespaceEntity } from '../namespaces/namespace.entity';

/** Every TypeORM entity of the service. */
export const ENTITIES = [NamespaceEntity, AuditLogEntity];
