import type { AuditAction } from '../api/kv-client.js';

/** The audit query's filters as the form holds them: empty text is no filter. */
export interface AuditFilters {
  namespaceId: string;
  keyPath: string;
  userId: string;
  action: AuditAction | '';
  success: '' | 'true' | 'false';
  /** datetime-local values, in the browser's time zone. */
  from: string;
  to: string;
}

export const NO_FILTERS: AuditFilters = {
  namespaceId: '',
  keyPath: '',
  userId: '',
  action: '',
  success: '',
  from: '',
  to: '',
};

/**
 * Every action of the generated client's AuditAction, each once: the compiler refuses this
 * record when the API gains or loses an action, so the filter cannot fall behind it.
 */
const ACTION_KEYS: Record<AuditAction, true> = {
  READ: true,
  WRITE: true,
  DELETE: true,
  ROTATE: true,
  ROLLBACK: true,
  RESTORE: true,
  LIST: true,
  NAMESPACE_CREATE: true,
  NAMESPACE_UPDATE: true,
  NAMESPACE_DELETE: true,
  SNAPSHOT_CREATE: true,
  WATCH: true,
  AUDIT_READ: true,
};

export const AUDIT_ACTIONS = Object.keys(ACTION_KEYS) as AuditAction[];

function instant(local: string): string | undefined {
  return local === '' ? undefined : new Date(local).toISOString();
}

/** The query parameters of GET /audit for these filters. */
export function auditQuery(filters: AuditFilters) {
  return {
    namespaceId: filters.namespaceId || undefined,
    keyPath: filters.keyPath || undefined,
    userId: filters.userId || undefined,
    action: filters.action || undefined,
    success: filters.success === '' ? undefined : filters.success === 'true',
    from: instant(filters.from),
    to: instant(filters.to),
  };
}
