import { randomUUID } from 'node:crypto';
import { AuditAction } from './audit-action.enum';
import type { AuditLogEntity } from './audit-log.entity';

/**
 * What one request will leave in the audit log. The guard opens it from the route; services
 * fill in what they learn (application, entry); exactly one row is written per request
 * (per key for bulk), by the change's own transaction or by the audit interceptor.
 */
export class AuditContext {
  applicationId: string | null = null;
  entryId: string | null = null;
  userId: string | null = null;
  /** Set once rows of this request are durable, so nothing writes them twice. */
  written = false;
  /** Bulk calls: one row per key instead of one per request; `missing` marks a 404 key of a read. */
  keys?: { keyPath: string; entryId: string | null; missing?: boolean }[];

  constructor(
    readonly action: AuditAction,
    readonly requestId: string,
    public namespaceId: string | null,
    public keyPath: string | null,
    /** The status of success: the route's, unless a service decides (201 vs 200 on PUT). */
    public successStatus: number,
  ) {}

  /** The rows of this request: one, or one per key of a bulk call, all at one instant. */
  rows(success: boolean, statusCode: number): AuditLogEntity[] {
    const timestamp = new Date();
    const row = (
      keyPath: string | null,
      entryId: string | null,
      ok: boolean,
      status: number,
    ): AuditLogEntity => ({
      id: randomUUID(),
      applicationId: this.applicationId,
      namespaceId: this.namespaceId,
      entryId,
      keyPath,
      action: this.action,
      userId: this.userId,
      success: ok,
      statusCode: status,
      requestId: this.requestId,
      timestamp,
    });
    if (!this.keys) {
      return [row(this.keyPath, this.entryId, success, statusCode)];
    }
    return this.keys.map((key) =>
      key.missing && success
        ? row(key.keyPath, null, false, 404)
        : row(key.keyPath, key.entryId, success, statusCode),
    );
  }
}
