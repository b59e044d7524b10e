import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InjectDataSource } from '@nestjs/typeorm';
import { Client } from 'pg';
import type { DataSource, EntitySubscriberInterface, QueryRunner } from 'typeorm';
import type { TransactionCommitEvent } from 'typeorm/subscriber/event/TransactionCommitEvent';
import type { TransactionRollbackEvent } from 'typeorm/subscriber/event/TransactionRollbackEvent';
import type { KvConfig } from '../config/kv-config.types';
import { CHANGED_NAMESPACES, NAMESPACE_EVENTS } from './outbox.service';

/** How often the outbox is asked for changes committed since the last look. */
export const FEED_INTERVAL_MS = 25;
/**
 * A look that takes longer than this means the feed is behind: nothing may trust it. A change
 * committed just after one look's snapshot waits out the rest of that look, the interval and
 * the whole next look: under 1 s, the bound other replicas promise, while both finish in time.
 */
export const FEED_TIMEOUT_MS = 450;
/** How long a lost feed waits before it connects and looks again. */
const FEED_RETRY_MS = 1000;
/** The feed's connection, by name, in pg_stat_activity. */
export const FEED_APPLICATION_NAME = 'kv-change-feed';

/** Committed changes. */
export interface Changes {
  /** Entries that changed, each as `namespaceId/keyPath` (its events' ordering key). */
  entries: Iterable<string>;
  /** Namespaces that were themselves created, updated or deleted (their entries with them). */
  namespaces: Iterable<string>;
}

/** Something that must hear of every committed change. */
export interface ChangeListener {
  /** `local`: committed by this process, reported at commit; otherwise found by polling. */
  changed(changes: Changes, local: boolean): void;
  /** The feed follows the outbox (every later change will be reported), or lost it. */
  following?(up: boolean): void;
}

interface Look {
  xmax: string;
  xip: string[];
  entries: string[] | null;
  namespaces: string[] | null;
}

// The rows a snapshot could not see are those of transactions at or after its xmax or in
// progress at it (xip): exactly those are taken next time, with the next snapshot's bounds.
// pg_current_snapshot() is the snapshot the statement itself reads with.
const LOOK = `
  SELECT pg_snapshot_xmax(s)::text AS xmax,
         ARRAY(SELECT x::text FROM pg_snapshot_xip(s) AS x) AS xip, c.entries, c.namespaces
  FROM pg_current_snapshot() AS s,
    LATERAL (
      SELECT array_agg(DISTINCT o.ordering_key) FILTER (WHERE o.routing_key NOT LIKE '${NAMESPACE_EVENTS}') AS entries,
             array_agg(DISTINCT o.namespace_id::text) FILTER (WHERE o.routing_key LIKE '${NAMESPACE_EVENTS}') AS namespaces
      FROM event_outbox o
      WHERE $1::bigint IS NOT NULL AND o.namespace_id IS NOT NULL
        AND (o.tx >= $1::bigint OR o.tx = ANY($2::bigint[]))
    ) AS c`;

/** What a finished transaction changed, taken off its query runner. */
function takeChanged(queryRunner: QueryRunner): Changes | undefined {
  const data = queryRunner.data as Record<string, Changes | undefined>;
  const changed = data[CHANGED_NAMESPACES];
  delete data[CHANGED_NAMESPACES];
  return changed;
}

/**
 * Every committed change, reported to the listeners: this process's own at commit (a TypeORM
 * subscriber, or `committed()` after a one-statement write), every replica's by polling the
 * outbox, where each change leaves its event row in its own transaction. Polling takes
 * exactly the rows the previous look's snapshot could not see, so no commit is missed
 * whatever order transactions commit in, and a crash between a commit and any notice cannot
 * hide a change. A look that fails, or takes longer than FEED_TIMEOUT_MS, stops the feed
 * (listeners hear `following(false)`) until a look succeeds again. Without a DATABASE_URL
 * (the embedded database, one process) nothing polls.
 */
@Injectable()
export class ChangeFeed
  implements EntitySubscriberInterface, OnApplicationBootstrap, OnApplicationShutdown
{
  private readonly logger = new Logger(ChangeFeed.name);
  private readonly listeners: ChangeListener[] = [];
  private client?: Client;
  private timer?: NodeJS.Timeout;
  private cursor?: { xmax: string; xip: string[] };
  /** Callers of caughtUp(), waiting for a look to begin after their call. */
  private waiting: (() => void)[] = [];
  private up = false;
  private stopped = false;

  constructor(
    @InjectDataSource() dataSource: DataSource,
    private readonly config: ConfigService<KvConfig, true>,
  ) {
    dataSource.subscribers.push(this);
  }

  subscribe(listener: ChangeListener): void {
    this.listeners.push(listener);
  }

  /**
   * Resolves once a look that began after this call has been reported: every change
   * committed anywhere before the call has then reached the listeners. (Never, while the
   * feed is down or not polling.)
   */
  caughtUp(): Promise<void> {
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  /** This process committed these changes (outside a TypeORM transaction). */
  committed(changes: Changes): void {
    this.report(changes, true);
  }

  afterTransactionCommit({ queryRunner }: TransactionCommitEvent): void {
    // A released savepoint is not a commit yet: the outer transaction may still roll back.
    if (!queryRunner.isTransactionActive) {
      const changed = takeChanged(queryRunner);
      if (changed) {
        this.committed(changed);
      }
    }
  }

  afterTransactionRollback({ queryRunner }: TransactionRollbackEvent): void {
    if (!queryRunner.isTransactionActive) {
      takeChanged(queryRunner);
    }
  }

  onApplicationBootstrap(): void {
    if (this.config.get('database.url', { infer: true }) !== undefined) {
      this.schedule(0);
    }
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    this.setUp(false);
    await this.client?.end().catch(() => undefined);
  }

  private schedule(delayMs: number): void {
    clearTimeout(this.timer);
    if (!this.stopped) {
      this.timer = setTimeout(() => void this.look(), delayMs);
      this.timer.unref();
    }
  }

  private async look(): Promise<void> {
    const waiting = this.waiting;
    this.waiting = [];
    let client: Client | undefined;
    try {
      client = await this.connection();
      // Unnamed, so planned for its bounds each time: as a prepared statement's generic plan,
      // `tx >= $1` looked unselective and the outbox was scanned whole forty times a second.
      const { rows } = await client.query<Look>(LOOK, [
        this.cursor?.xmax ?? null,
        this.cursor?.xip ?? [],
      ]);
      if (client !== this.client) {
        // Lost while it ran: the next look starts afresh, and this one's answer is not trusted.
        this.waiting.unshift(...waiting);
        return;
      }
      const [look] = rows;
      const first = this.cursor === undefined;
      this.cursor = { xmax: look.xmax, xip: look.xip };
      if (look.entries !== null || look.namespaces !== null) {
        this.report({ entries: look.entries ?? [], namespaces: look.namespaces ?? [] }, false);
      }
      if (first) {
        this.setUp(true);
      }
      waiting.forEach((resolve) => resolve());
      this.schedule(FEED_INTERVAL_MS);
    } catch (error) {
      this.waiting.unshift(...waiting);
      if (client === undefined || client === this.client) {
        this.lost(error);
      }
    }
  }

  private report(changes: Changes, local: boolean): void {
    this.listeners.forEach((listener) => listener.changed(changes, local));
  }

  private async connection(): Promise<Client> {
    if (this.client) {
      return this.client;
    }
    const client = new Client({
      connectionString: this.config.get('database.url', { infer: true }),
      application_name: FEED_APPLICATION_NAME,
      query_timeout: FEED_TIMEOUT_MS,
      connectionTimeoutMillis: FEED_TIMEOUT_MS,
      keepAlive: true,
    });
    // An ended client can still report its end: only the current one's errors lose the feed.
    client.on('error', (error) => {
      if (client === this.client) {
        this.lost(error);
      }
    });
    this.client = client;
    await client.connect();
    return client;
  }

  /** Stops trusting the feed and starts afresh in a second: what came meanwhile is unknown. */
  private lost(error: unknown): void {
    const client = this.client;
    this.client = undefined;
    this.cursor = undefined;
    void client?.end().catch(() => undefined);
    if (this.up) {
      this.logger.warn(
        `Change feed lost, caches off until it is back: ${(error as Error).message}`,
      );
    }
    this.setUp(false);
    this.schedule(FEED_RETRY_MS);
  }

  private setUp(up: boolean): void {
    if (up !== this.up) {
      this.up = up;
      this.listeners.forEach((listener) => listener.following?.(up));
    }
  }
}
