/** What an audit row records (CONTRACT §4). */
export enum AuditAction {
  READ = 'READ',
  WRITE = 'WRITE',
  DELETE = 'DELETE',
  ROTATE = 'ROTATE',
  ROLLBACK = 'ROLLBACK',
  RESTORE = 'RESTORE',
  NAMESPACE_CREATE = 'NAMESPACE_CREATE',
  NAMESPACE_UPDATE = 'NAMESPACE_UPDATE',
  NAMESPACE_DELETE = 'NAMESPACE_DELETE',
  LIST = 'LIST',
  /** A snapshot made (pinning the namespace's revision under a name). */
  SNAPSHOT_CREATE = 'SNAPSHOT_CREATE',
  /** A watch of a namespace's changes (long-poll or stream): one row per request. */
  WATCH = 'WATCH',
  /** A search of the audit log itself: who looked at whom. */
  AUDIT_READ = 'AUDIT_READ',
}
