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

export const AUDIT_ACTIONS: AuditAction[] = [
  'READ',
  'WRITE',
  'DELETE',
  'ROTATE',
  'ROLLBACK',
  'RESTORE',
  'LIST',
  'NAMESPACE_CREATE',
  'NAMESPACE_UPDATE',
  'NAMESPACE_DELETE',
  'AUDIT_READ',
];

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
