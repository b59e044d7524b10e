import { Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntitySubscriberInterface, QueryRunner } from 'typeorm';
import type { TransactionCommitEvent } from 'typeorm/subscriber/event/TransactionCommitEvent';
import type { TransactionRollbackEvent } from 'typeorm/subscriber/event/TransactionRollbackEvent';
import type { KvConfig } from '../config/kv-config.types';
import { NotificationListener } from '../database/notification-listener';
import { CHANGED_NAMESPACES, CHANGES_CHANNEL } from '../events/outbox.service';
import { EntryCache } from './entry-cache';

const RELISTEN_MS = 1000;

/** The namespaces a finished transaction changed, taken off its query runner. */
function takeChanged(queryRunner: QueryRunner): Set<string> | undefined {
  const data = queryRunner.data as Record<string, Set<string> | undefined>;
  const changed = data[CHANGED_NAMESPACES];
  delete data[CHANGED_NAMESPACES];
  return changed;
}

/**
 * Tells the entry cache of every change: this process's own at commit (a TypeORM subscriber),
 * the other replicas' through NOTIFY on a connection of its own. Without a DATABASE_URL
 * (the embedded database) nothing listens, so the cache stays off.
 */
@Injectable()
export class EntryCacheInvalidator
  implements EntitySubscriberInterface, OnApplicationBootstrap, OnApplicationShutdown
{
  private listener?: NotificationListener;

  constructor(
    @InjectDataSource() dataSource: DataSource,
    private readonly cache: EntryCache,
    private readonly config: ConfigService<KvConfig, true>,
  ) {
    dataSource.subscribers.push(this);
  }

  afterTransactionCommit({ queryRunner }: TransactionCommitEvent): void {
    // A released savepoint is not a commit yet: the outer transaction may still roll back.
    if (!queryRunner.isTransactionActive) {
      const changed = takeChanged(queryRunner);
      if (changed) {
        this.cache.changed(changed);
      }
    }
  }

  afterTransactionRollback({ queryRunner }: TransactionRollbackEvent): void {
    if (!queryRunner.isTransactionActive) {
      takeChanged(queryRunner);
    }
  }

  onApplicationBootstrap(): void {
    const url = this.config.get('database.url', { infer: true });
    if (url === undefined) {
      return;
    }
    this.listener = new NotificationListener(
      url,
      CHANGES_CHANNEL,
      {
        notify: (namespaceId) => this.cache.changed([namespaceId]),
        listening: (up) => this.cache.setListening(up),
      },
      RELISTEN_MS,
    );
    this.listener.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.listener?.stop();
  }
}
