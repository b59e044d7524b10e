import { Injectable, Logger } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { ErrorCode } from '../common/errors/error-code.enum';
import { KvException } from '../common/errors/kv.exception';
import { AuditContext } from './audit-context';
import type { AuditLogEntity } from './audit-log.entity';
import { GroupCommit } from './group-commit';

// One statement for any number of rows: arrays unnested server-side.
const INSERT_ROWS = `
  INSERT INTO "audit_log" ("id", "application_id", "namespace_id", "entry_id", "key_path", "action",
    "user_id", "success", "status_code", "request_id", "timestamp")
  SELECT * FROM unnest($1::uuid[], $2::varchar[], $3::uuid[], $4::uuid[], $5::text[], $6::varchar[],
    $7::varchar[], $8::boolean[], $9::smallint[], $10::varchar[], $11::timestamptz[])`;

function columns(rows: AuditLogEntity[]): unknown[][] {
  return [
    rows.map((r) => r.id),
    rows.map((r) => r.applicationId),
    rows.map((r) => r.namespaceId),
    rows.map((r) => r.entryId),
    rows.map((r) => r.keyPath),
    rows.map((r) => r.action),
    rows.map((r) => r.userId),
    rows.map((r) => r.success),
    rows.map((r) => r.statusCode),
    rows.map((r) => r.requestId),
    rows.map((r) => r.timestamp),
  ];
}

/**
 * Writes audit rows durably and fails closed: a request whose row cannot be written gets
 * 503, and a change whose row cannot be written is rolled back.
 */
@Injectable()
export class AuditService {
  private readonly logger = new Logger(AuditService.name);
  private readonly groupCommit = new GroupCommit<AuditLogEntity>((rows) =>
    this.insert(this.dataSource.manager, rows),
  );

  constructor(private readonly dataSource: DataSource) {}

  /** Records the request's outcome; resolves once its row has committed (with others'). */
  async record(audit: AuditContext, success: boolean, statusCode: number): Promise<void> {
    if (audit.written) {
      return;
    }
    try {
      await Promise.all(audit.rows(success, statusCode).map((row) => this.groupCommit.add(row)));
    } catch (error) {
      throw this.unavailable(error);
    }
    audit.written = true;
  }

  /** Runs a change and writes its success row in the same transaction: no change without its row. */
  async change<T>(audit: AuditContext, work: (manager: EntityManager) => Promise<T>): Promise<T> {
    const result = await this.dataSource.transaction(async (manager) => {
      const value = await work(manager);
      try {
        await this.insert(manager, audit.rows(true, audit.successStatus));
      } catch (error) {
        throw this.unavailable(error);
      }
      return value;
    });
    audit.written = true;
    return result;
  }

  private async insert(manager: EntityManager, rows: AuditLogEntity[]): Promise<void> {
    await manager.query(INSERT_ROWS, columns(rows));
  }

  private unavailable(error: unknown): KvException {
    this.logger.error(
      { err: { message: (error as Error).message } },
      'Audit rows cannot be written',
    );
    return new KvException(
      ErrorCode.SERVICE_UNAVAILABLE,
      'The audit log cannot be written; the operation was not performed',
    );
  }
}
