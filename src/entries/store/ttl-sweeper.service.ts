import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { DataSource } from 'typeorm';
import type { KvConfig } from '../../config/kv-config.types';
import { KvEventType, SYSTEM_ACTOR, entryEvent } from '../../events/kv-event.types';
import { OutboxService } from '../../events/outbox.service';
import { buryExpired, purgeDue } from './entry.sql';
import { Tombstones } from './tombstones.service';

interface SweptRow {
  id: string;
  namespace_id: string;
  key_path: string;
  version: number;
  application_id: string;
  is_secret_namespace: boolean;
}

const BATCH = 500;

/**
 * Buries expired entries in batches, well within the minute the contract allows, announcing
 * each with kv.entry.expired in the same transaction (reads already hide them), and purges the
 * versions of secret tombstones whose recovery window has passed, announcing each with
 * kv.entry.purged. SKIP LOCKED lets replicas sweep side by side without taking the same rows.
 */
@Injectable()
export class TtlSweeper implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(TtlSweeper.name);
  private timer?: NodeJS.Timeout;
  private running?: Promise<number>;

  constructor(
    private readonly dataSource: DataSource,
    private readonly outbox: OutboxService,
    private readonly tombstones: Tombstones,
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

  /** Buries every entry expired by now and purges every tombstone past its window; resolves to how many. */
  sweep(): Promise<number> {
    this.running ??= this.sweepAll().finally(() => (this.running = undefined));
    return this.running;
  }

  private async sweepAll(): Promise<number> {
    return (
      (await this.inBatches(() => this.expireBatch())) +
      (await this.inBatches(() => this.purgeBatch()))
    );
  }

  private async inBatches(batch: () => Promise<number>): Promise<number> {
    let total = 0;
    for (;;) {
      const count = await batch();
      total += count;
      if (count < BATCH) {
        return total;
      }
    }
  }

  private expireBatch(): Promise<number> {
    return this.dataSource.transaction(async (manager) => {
      const buried = await manager.query<SweptRow[]>(
        buryExpired(BATCH, SYSTEM_ACTOR, this.tombstones.recoveryDays),
      );
      // Namespace by namespace: their revision counters are taken in the order of the events,
      // and two replicas' sweeps must take them in the same order (see NamespaceRevisions).
      buried.sort((a, b) =>
        a.namespace_id < b.namespace_id ? -1 : a.namespace_id > b.namespace_id ? 1 : 0,
      );
      await this.outbox.add(
        manager,
        buried.flatMap((row) =>
          this.tombstones.events(KvEventType.EntryExpired, namespaceOf(row), [row], SYSTEM_ACTOR),
        ),
      );
      return buried.length;
    });
  }

  private purgeBatch(): Promise<number> {
    return this.dataSource.transaction(async (manager) => {
      const purged = await manager.query<SweptRow[]>(purgeDue(BATCH));
      await this.outbox.add(
        manager,
        purged.map((row) =>
          entryEvent(
            KvEventType.EntryPurged,
            namespaceOf(row),
            { id: row.id, keyPath: row.key_path, version: row.version },
            SYSTEM_ACTOR,
          ),
        ),
      );
      return purged.length;
    });
  }

  private async sweepSafely(): Promise<void> {
    try {
      const swept = await this.sweep();
      if (swept > 0) {
        this.logger.log(`Buried ${swept} expired entries and purged tombstones`);
      }
    } catch (error) {
      this.logger.warn(`TTL sweep failed, will retry: ${(error as Error).message}`);
    }
  }
}

function namespaceOf(row: SweptRow): {
  id: string;
  applicationId: string;
  isSecretNamespace: boolean;
} {
  return {
    id: row.namespace_id,
    applicationId: row.application_id,
    isSecretNamespace: row.is_secret_namespace,
  };
}
