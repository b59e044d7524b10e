import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Pool } from 'pg';
import { DataSource, EntityManager } from 'typeorm';
import { ErrorCode } from '../common/errors/error-code.enum';
import { KvException } from '../common/errors/kv.exception';
import type { KvConfig } from '../config/kv-config.types';
import { DatabaseFaults } from '../database/database-faults';
import { isDataException, isDatabaseUnavailable } from '../database/is-database-unavailable';
import { AUDIT_FLUSH_CONNECTIONS } from '../database/connection-budget';
import { BOUNDED_WAITS } from '../database/data-source-options';
import { poolOf } from '../database/pg-pool';
import { AuditContext } from './audit-context';
import { AUDIT_RECORD_COLUMNS, AuditRecord } from './audit-record';
import { GroupCommit } from '../database/group-commit';

// Any number of records as one JSON parameter: one native JSON.stringify here instead of
// arrays escaped element by element, and one statement that PostgreSQL parses and plans once
// per connection.
export const INSERT_RECORDS = `
  INSERT INTO audit_log (${AUDIT_RECORD_COLUMNS})
  SELECT ${AUDIT_RECORD_COLUMNS} FROM json_populate_recordset(NULL::audit_log, $1::json)`;

const MAX_RECORDS_PER_FLUSH = 1000;
/**
 * Flushes in flight at once: while one waits for its commit to reach the disk, the next can
 * be on its way, and PostgreSQL writes both commits with one flush of its log. One connection
 * each, counted in every process's connection budget.
 */
const CONCURRENT_FLUSHES = AUDIT_FLUSH_CONNECTIONS;

/**
 * Writes audit rows durably and fails closed: a request whose row cannot be written gets
 * 503, and a change whose row cannot be written is rolled back.
 */
@Injectable()
export class AuditService implements OnApplicationShutdown {
  private readonly logger = new Logger(AuditService.name);
  private readonly groupCommit = new GroupCommit<AuditRecord>(
    async (records) => {
      await (this.flushPool ?? poolOf(this.dataSource)).query({
        name: 'kv_audit_records',
        text: INSERT_RECORDS,
        values: [JSON.stringify(records)],
      });
      this.faults.cleared();
    },
    {
      maxBatch: MAX_RECORDS_PER_FLUSH,
      concurrency: CONCURRENT_FLUSHES,
      // A record PostgreSQL refuses (a NUL in a token's sub, say) fails its own request only;
      // a database that is down fails every record at once, without a flush per record.
      isolateFailures: (error) => !isDatabaseUnavailable(error),
    },
  );
  /**
   * Group commits go through a connection of their own: every read waits for its audit row,
   * so a flush must not queue behind the reads' queries for the pool. (The embedded database
   * takes one connection only, so there they share it.)
   */
  private readonly flushPool?: Pool;

  constructor(
    private readonly dataSource: DataSource,
    private readonly faults: DatabaseFaults,
    config: ConfigService<KvConfig, true>,
  ) {
    const url = config.get('database.url', { infer: true });
    if (url !== undefined) {
      this.flushPool = new Pool({
        connectionString: url,
        max: CONCURRENT_FLUSHES,
        ...BOUNDED_WAITS,
      });
      // A connection that breaks while idle is replaced on the next flush.
      this.flushPool.on('error', (error) =>
        this.logger.warn(`Audit connection lost: ${error.message}`),
      );
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await this.flushPool?.end();
  }

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
    audit.markWritten();
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
    audit.markWritten();
    return result;
  }

  private unavailable(error: unknown): KvException {
    // A record PostgreSQL refuses for its content says nothing about the database: readiness
    // stays up (one caller's bad record must not take the replica out of rotation).
    if (!isDataException(error)) {
      this.faults.record(error);
    }
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
