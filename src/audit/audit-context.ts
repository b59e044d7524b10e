import { v7 as timeOrderedUuid } from 'uuid';
import { AuditAction } from './audit-action.enum';
import type { AuditRecord } from './audit-record';

/** A key of a bulk call as its audit row records it; `missing` marks a 404 key of a read. */
export interface AuditedKey {
  keyPath: string;
  entryId: string | null;
  missing?: boolean;
}

/**
 * What one request will leave in the audit log. The guard opens it from the route; services
 * fill in what they learn (application, entry); exactly one record is written per request,
 * by the change's own transaction or by the audit interceptor. A bulk call's record holds
 * one row per key (see AuditRecord).
 */
export class AuditContext {
  applicationId: string | null = null;
  entryId: string | null = null;
  userId: string | null = null;
  /** Set once the record of this request is durable, so nothing writes it twice. */
  written = false;
  /** Bulk calls: one row per key instead of one per request. */
  keys?: AuditedKey[];

  constructor(
    readonly action: AuditAction,
    readonly requestId: string,
    public namespaceId: string | null,
    public keyPath: string | null,
    /** The status of success: the route's, unless a service decides (201 vs 200 on PUT). */
    public successStatus: number,
  ) {}

  /** The change wrote this request's record itself, for this entry and with this status. */
  recorded(entryId: string, successStatus: number): void {
    this.entryId = entryId;
    this.successStatus = successStatus;
    this.written = true;
  }

  /** The record of this request's outcome; undefined for a bulk call of no keys (no rows). */
  record(success: boolean, statusCode: number): AuditRecord | undefined {
    const keys = this.keys;
    if (keys?.length === 0) {
      return undefined;
    }
    return {
      // Time-ordered, so the primary key grows at its end instead of touching a random page of a
      // large index (and writing that page whole to the WAL after each checkpoint) per row.
      id: timeOrderedUuid(),
      application_id: this.applicationId,
      namespace_id: this.namespaceId,
      entry_id: keys ? null : this.entryId,
      key_path: keys ? null : this.keyPath,
      action: this.action,
      user_id: this.userId,
      success,
      status_code: statusCode,
      request_id: this.requestId,
      timestamp: new Date().toISOString(),
      key_paths: keys ? keys.map((key) => key.keyPath) : null,
      // A missing key of a successful call is stored without an entry: that marks its 404.
      entry_ids: keys ? keys.map((key) => (success && key.missing ? null : key.entryId)) : null,
    };
  }
}
