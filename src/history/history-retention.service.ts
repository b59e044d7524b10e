import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { DataSource } from 'typeorm';
import { PeriodicPass } from '../common/runtime/periodic-pass';
import type { KvConfig } from '../config/kv-config.types';
import {
  BATCH,
  COMPACT,
  HORIZON,
  NAMESPACES_TO_PRUNE,
  PRUNE_LEADING_TOMBSTONES,
  PRUNE_SUPERSEDED_CHANGES,
  PRUNE_VERSIONS,
} from './history-retention.sql';

/** Hourly, as audit retention: an hour's history past the retention is little to delete. */
const INTERVAL_MS = 60 * 60_000;
/** The first pass waits until start-up (migrations, cache warm-up) is well over. */
const FIRST_PASS_DELAY_MS = 90_000;
/** Namespaces looked at per query. */
const NAMESPACE_PAGE = 100;

/** What one pass removed. */
export interface PrunedHistory {
  namespaces: number;
  changes: number;
  versions: number;
}

/**
 * History retention: hourly, each namespace's history older than its historyRetentionDays
 * (KV_HISTORY_RETENTION_DAYS unless set) is compacted. The oldest readable revision rises
 * first, to the last one before the retention (committed before any row goes, so a read never
 * sees a half-pruned past it may still ask for); then, in batches, changes no read at or after
 * it needs, nor any as-of read of a snapshot's revision, and versions no kept change names and
 * that are not current. Every step may run on several replicas at once: deletes skip rows
 * another holds, and what each deletes is safe whatever the others did.
 */
@Injectable()
export class HistoryRetention implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(HistoryRetention.name);
  private readonly defaultDays: number;
  private readonly passes = new PeriodicPass(() => this.pruneAll());

  constructor(
    private readonly dataSource: DataSource,
    config: ConfigService<KvConfig, true>,
  ) {
    this.defaultDays = config.get('history.retentionDays', { infer: true });
  }

  onApplicationBootstrap(): void {
    this.passes.start(FIRST_PASS_DELAY_MS, INTERVAL_MS, () => this.pruneSafely());
  }

  onApplicationShutdown(): Promise<void> {
    return this.passes.stop();
  }

  /** One pass over every namespace; resolves to what it removed. */
  prune(): Promise<PrunedHistory> {
    return this.passes.run();
  }

  private async pruneAll(): Promise<PrunedHistory> {
    const total: PrunedHistory = { namespaces: 0, changes: 0, versions: 0 };
    let after = '00000000-0000-0000-0000-000000000000';
    for (;;) {
      const page = await this.dataSource.query<{ id: string; days: number }[]>(
        NAMESPACES_TO_PRUNE,
        [this.defaultDays, after, NAMESPACE_PAGE],
      );
      for (const { id, days } of page) {
        const pruned = await this.pruneNamespace(id, days);
        total.namespaces += pruned.changes + pruned.versions > 0 ? 1 : 0;
        total.changes += pruned.changes;
        total.versions += pruned.versions;
      }
      if (page.length < NAMESPACE_PAGE) {
        return total;
      }
      after = page[page.length - 1].id;
    }
  }

  private async pruneNamespace(
    namespaceId: string,
    days: number,
  ): Promise<{ changes: number; versions: number }> {
    const [found] = await this.dataSource.query<{ compacted: string; horizon: string }[]>(HORIZON, [
      namespaceId,
      days,
    ]);
    if (!found || Number(found.horizon) <= Number(found.compacted)) {
      return { changes: 0, versions: 0 };
    }
    await this.dataSource.query(COMPACT, [namespaceId, found.horizon]);
    const changes =
      (await this.deleteAll(PRUNE_SUPERSEDED_CHANGES, [namespaceId, found.horizon])) +
      (await this.deleteAll(PRUNE_LEADING_TOMBSTONES, [namespaceId, found.horizon]));
    const versions = await this.deleteAll(PRUNE_VERSIONS, [namespaceId, days]);
    return { changes, versions };
  }

  /** Runs a batched delete until a batch comes back short; resolves to the rows deleted. */
  private async deleteAll(sql: string, params: unknown[]): Promise<number> {
    let total = 0;
    for (;;) {
      const [, count] = await this.dataSource.query<[unknown[], number]>(sql, params);
      total += count;
      if (count < BATCH) {
        return total;
      }
    }
  }

  private async pruneSafely(): Promise<void> {
    try {
      const pruned = await this.prune();
      if (pruned.changes + pruned.versions > 0) {
        this.logger.log(
          `History retention removed ${pruned.changes} changes and ${pruned.versions} versions of ${pruned.namespaces} namespaces`,
        );
      }
    } catch (error) {
      this.logger.warn(`History retention failed, will retry: ${(error as Error).message}`);
    }
  }
}
