/**
 * A row of audit_log as it is inserted (JSON keyed by column name). A bulk call stores one
 * record for all its keys (`key_paths`, `entry_ids`, in order): the audit query unpacks it into
 * one row per key, each with an id of its own, and reads a key of a successful call that has
 * no entry as missing (404). One record instead of a thousand inserted rows per call.
 */
export interface AuditRecord {
  id: string;
  application_id: string | null;
  namespace_id: string | null;
  entry_id: string | null;
  key_path: string | null;
  action: string;
  user_id: string | null;
  success: boolean;
  status_code: number;
  request_id: string;
  /** ISO-8601 with milliseconds. */
  timestamp: string;
  key_paths: string[] | null;
  entry_ids: (string | null)[] | null;
}

/** The columns of audit_log an AuditRecord fills, in the order of INSERT statements. */
export const AUDIT_RECORD_COLUMNS =
  'id, application_id, namespace_id, entry_id, key_path, action, user_id, success, status_code, request_id, timestamp, key_paths, entry_ids';
