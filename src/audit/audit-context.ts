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
 * What one request will leave in the audit log. The audit guard opens it from the route and
 * the caller; services tell it what they learn (the namespace's application, the entry, the
 * keys of a bulk call, a status of success other than the route's); exactly one record is
 * written per request, by the change's own transaction or by the audit interceptor (or, for a
 * request refused before its handler, by what refused it). A bulk call's record holds one row
 * per key (see AuditRecord).
 */
export class AuditContext {
  private applicationId: string | null = null;
  private entryId: string | null = null;
  /** Bulk calls: one row per key instead of one per request. */
  private keys?: AuditedKey[];
  private durable = false;

  constructor(
    readonly action: AuditAction,
    readonly requestId: string,
    private namespaceId: string | null,
    private readonly keyPath: string | null,
    /** The caller, if known: the subject of a verified token. */
    readonly userId: string | null,
    private status: number,
  ) {}

  /** The status of success: the route's, unless a service decided (201 vs 200 on PUT, 304). */
  get successStatus(): number {
    return this.status;
  }

  /** Whether the record of this request is durable, so nothing writes it twice. */
  get written(): boolean {
    return this.durable;
  }

  /** The application owning what the request named (its auditors see the request). */
  forApplication(applicationId: string | null): void {
    this.applicationId = applicationId;
  }

  /** The namespace the request created. */
  forNamespace(namespaceId: string): void {
    this.namespaceId = namespaceId;
  }

  /** The entry the request read or changed. */
  forEntry(entryId: string): void {
    this.entryId = entryId;
  }

  /** The keys of a bulk call, in order, with their entries as far as known. */
  forKeys(keys: AuditedKey[]): void {
    this.keys = keys;
  }

  /** One row for the request after all, not one per key (an import that changed none). */
  forNoKeys(): void {
    this.keys = undefined;
  }

  succeedsWith(status: number): void {
    this.status = status;
  }

  /** The record is durable. */
  markWritten(): void {
    this.durable = true;
  }

  /** The change wrote this request's record itself, for this entry and with this status. */
  recorded(entryId: string, successStatus: number): void {
    this.forEntry(entryId);
    this.succeedsWith(successStatus);
    this.markWritten();
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
