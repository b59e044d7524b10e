import { SetMetadata } from '@nestjs/common';
import { AuditAction } from './audit-action.enum';

export const AUDITED_KEY = 'kv:audited';

export interface AuditedRoute {
  /** The action, or how to tell it from the key path (one route serves rotate and rollback). */
  action: AuditAction | ((keyPath: string) => AuditAction);
  /** The path parameter holding the namespace id, if the route names one. */
  namespaceParam?: string;
  /** The path parameter holding the key path, if the route names one. */
  keyParam?: string;
}

/** Every call of the route leaves one audit row with this action, success or failure. */
export const Audited = (
  action: AuditedRoute['action'],
  namespaceParam?: string,
  keyParam?: string,
): MethodDecorator =>
  SetMetadata(AUDITED_KEY, { action, namespaceParam, keyParam } satisfies AuditedRoute);
