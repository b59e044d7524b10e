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

  constructor(
    readonly action: AuditAction,
    readonly requestId: string,
    public namespaceId: string | null,
    public keyPath: string | null,
    /** The status of success: the route's, unless a service decides (201 vs 200 on PUT). */
    public successStatus: number,
  ) {}

  row(success: boolean, statusCode: number): AuditLogEntity {
    return {
      id: randomUUID(),
      applicationId: this.applicationId,
      namespaceId: this.namespaceId,
      entryId: this.entryId,
      keyPath: this.keyPath,
      action: this.action,
      userId: this.userId,
      success,
      statusCode,
      requestId: this.requestId,
      timestamp: new Date(),
    };
  }
}
