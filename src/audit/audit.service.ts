import { Injectable, Logger } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { ErrorCode } from '../common/errors/error-code.enum';
import { KvException } from '../common/errors/kv.exception';
import { poolOf } from '../database/pg-pool';
import { AuditContext } from './audit-context';
import type { AuditRecord } from './audit-record';
import { GroupCommit } from './group-commit';

// Any number of records as one JSON parameter: one native JSON.stringify here instead of
// arrays escaped element by element, and one statement that PostgreSQL parses and plans once
// per connection.
const INSERT_RECORDS = `
  INSERT INTO audit_log (id, application_id, namespace_id, entry_id, key_path, action, user_id,
    success, status_code, request_id, timestamp, key_paths, entry_ids)
  SELECT id, application_id, namespace_id, entry_id, key_path, action, user_id, success,
    status_code, request_id, timestamp, key_paths, entry_ids
  FROM json_populate_recordset(NULL::audit_log, $1::json)`;

/**
 * Writes audit rows durably and fails closed: a request whose row cannot be written gets
 * 503, and a change whose row cannot be written is rolled back.
 */
@Injectable()
export class AuditService {
  private readonly logger = new Logger(AuditService.name);
  private readonly groupCommit = new GroupCommit<AuditRecord>(async (records) => {
    await poolOf(this.dataSource).query({
      name: 'kv_audit_records',
      text: INSERT_RECORDS,
      values: [JSON.stringify(records)],
    });
  });

  constructor(private readonly dataSource: DataSource) {}

  /** Records the request's outcome; resolves once its record has committed (with others'). */
  async record(audit: AuditContext, success: boolean, statusCode: number): Promise<void> {
    if (audit.written) {
      return;
    }
    try {
      const record = audit.record(success, statusCode);
      if (record) {
        await this.groupCommit.add(record);
      }
    } catch (error) {
      throw this.unavailable(error);
    }
    audit.written = true;
  }

  /** Runs a change and writes its success record in the same transaction: none without the other. */
  async change<T>(audit: AuditContext, work: (manager: EntityManager) => Promise<T>): Promise<T> {
    const result = await this.dataSource.transaction(async (manager) => {
      const value = await work(manager);
      try {
        const record = audit.record(true, audit.successStatus);
        if (record) {
          await manager.query(INSERT_RECORDS, [JSON.stringify([record])]);
        }
      } catch (error) {
        throw this.unavailable(error);
      }
      return value;
    });
    audit.written = true;
    return result;
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
