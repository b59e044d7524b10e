import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { DataSource } from 'typeorm';
import type { KvConfig } from '../config/kv-config.types';
import { KvEventType, SYSTEM_ACTOR, entryEvent } from '../events/kv-event.types';
import { OutboxService } from '../events/outbox.service';

interface ExpiredRow {
  id: string;
  namespace_id: string;
  key_path: string;
  version: number;
  application_id: string;
}

const BATCH = 500;

/**
 * Deletes expired entries in batches, well within the minute the contract allows, and
 * announces each with kv.entry.expired in the same transaction. Reads already hide them. SKIP LOCKED lets replicas sweep side by side
 * without taking the same rows.
 */
@Injectable()
export class TtlSweeper implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(TtlSweeper.name);
  private timer?: NodeJS.Timeout;
  private running?: Promise<number>;

  constructor(
    private readonly dataSource: DataSource,
    private readonly outbox: OutboxService,
    private readonly config: ConfigService<KvConfig, true>,
  ) {}

  onApplicationBootstrap(): void {
    const interval = this.config.get('ttl.sweepIntervalMs', { infer: true });
    this.timer = setInterval(() => void this.sweepSafely(), interval);
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
      const count = await this.dataSource.transaction(async (manager) => {
        const [removed] = await manager.query<[ExpiredRow[], number]>(
          `DELETE FROM entries e USING namespaces n
           WHERE n.id = e.namespace_id AND e.id IN (
             SELECT id FROM entries WHERE expires_at <= now() ORDER BY expires_at LIMIT ${BATCH} FOR UPDATE SKIP LOCKED)
           RETURNING e.id, e.namespace_id, e.key_path, e.version, n.application_id`,
        );
        await this.outbox.add(
          manager,
          removed.map((row) =>
            entryEvent(
              KvEventType.EntryExpired,
              { id: row.namespace_id, applicationId: row.application_id },
              { id: row.id, keyPath: row.key_path, version: row.version },
              SYSTEM_ACTOR,
            ),
          ),
        );
        return removed.length;
      });
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
