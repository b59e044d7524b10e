import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { returnedRows } from './entry-row';

const INTERVAL_MS = 15_000;
const BATCH = 500;

/**
 * Deletes expired entries in batches, well within the minute the contract allows. Reads
 * already hide them; this reclaims the rows. SKIP LOCKED lets replicas sweep side by side
 * without taking the same rows.
 */
@Injectable()
export class TtlSweeper implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(TtlSweeper.name);
  private timer?: NodeJS.Timeout;
  private running?: Promise<number>;

  constructor(private readonly dataSource: DataSource) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.sweepSafely(), INTERVAL_MS);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /** Removes every entry expired by now; resolves to how many. */
  sweep(): Promise<number> {
    this.running ??= this.sweepAll().finally(() => (this.running = undefined));
    return this.running;
  }

  private async sweepAll(): Promise<number> {
    let total = 0;
    for (;;) {
      const removed = returnedRows<{ id: string }>(
        await this.dataSource.query(
          `DELETE FROM entries WHERE id IN (
           SELECT id FROM entries WHERE expires_at <= now() ORDER BY expires_at LIMIT ${BATCH} FOR UPDATE SKIP LOCKED
         ) RETURNING id`,
        ),
      );
      const count = removed.length;
      total += count;
      if (count < BATCH) {
        return total;
      }
    }
  }

  private async sweepSafely(): Promise<void> {
    try {
      const removed = await this.sweep();
      if (removed > 0) {
        this.logger.log(`Removed ${removed} expired entries`);
      }
    } catch (error) {
      this.logger.warn(`TTL sweep failed, will retry: ${(error as Error).message}`);
    }
  }
}
