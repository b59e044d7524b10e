import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { DataSource } from 'typeorm';
import { PeriodicPass } from '../common/runtime/periodic-pass';
import type { KvConfig } from '../config/kv-config.types';

/** Rows deleted per statement: short transactions, a bounded burst of WAL and locks. */
const BATCH = 1000;
/** Hourly: an hour's rows past the retention are a small fraction of the table. */
const INTERVAL_MS = 60 * 60_000;
/** The first pass waits until start-up (migrations, cache warm-up) is well over. */
const FIRST_PASS_DELAY_MS = 60_000;

/**
 * Deletes audit rows older than KV_AUDIT_RETENTION_DAYS (judged by the database clock), a batch
 * of the oldest at a time through the (timestamp, id) index, hourly. SKIP LOCKED lets replicas
 * prune side by side without waiting on each other.
 */
@Injectable()
export class AuditRetention implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(AuditRetention.name);
  private readonly retentionDays: number;
  private readonly passes = new PeriodicPass(() => this.pruneAll());

  constructor(
    private readonly dataSource: DataSource,
    config: ConfigService<KvConfig, true>,
  ) {
    this.retentionDays = config.get('audit.retentionDays', { infer: true });
  }

  onApplicationBootstrap(): void {
    if (this.retentionDays === 0) {
      return;
    }
    this.passes.start(FIRST_PASS_DELAY_MS, INTERVAL_MS, () => this.pruneSafely());
  }

  onApplicationShutdown(): Promise<void> {
    return this.passes.stop();
  }

  /** Deletes every row past the retention; resolves to how many (0 when rows are kept forever). */
  prune(): Promise<number> {
    if (this.retentionDays === 0) {
      return Promise.resolve(0);
    }
    return this.passes.run();
  }

  private async pruneAll(): Promise<number> {
    let total = 0;
    for (;;) {
      const [, count] = await this.dataSource.query<[unknown[], number]>(
        `DELETE FROM audit_log WHERE id IN (
           SELECT id FROM audit_log WHERE timestamp < now() - make_interval(days => $1)
           ORDER BY timestamp LIMIT ${BATCH} FOR UPDATE SKIP LOCKED)`,
        [this.retentionDays],
      );
      total += count;
      if (count < BATCH) {
        return total;
      }
    }
  }

  private async pruneSafely(): Promise<void> {
    try {
      const removed = await this.prune();
      if (removed > 0) {
        this.logger.log(`Removed ${removed} audit rows older than ${this.retentionDays} days`);
      }
    } catch (error) {
      this.logger.warn(`Audit retention failed, will retry: ${(error as Error).message}`);
    }
  }
}
