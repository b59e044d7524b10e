import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ChangeFeed } from './change-feed.service';
import { EventPublisher } from './event-publisher';

const BATCH = 200;
const POLL_MS = 1000;
const PRUNE_EVERY_MS = 60_000;
const RETENTION = '24 hours';
const MAX_BACKOFF_SECONDS = 10;

interface ClaimedRow {
  id: string;
  event_id: string;
  routing_key: string;
  payload: string;
}

// Rows are claimed with SKIP LOCKED, so replicas never take the same row; a row waits while an
// earlier row of its key is unsent, so each key's events go out in commit order and a batch
// holds at most one row per key (which lets a batch be published all at once).
const CLAIM = `
  SELECT o.id, o.event_id, o.routing_key, o.payload FROM event_outbox o
  WHERE o.sent_at IS NULL AND o.next_attempt_at <= now()
    AND NOT EXISTS (
      SELECT 1 FROM event_outbox p WHERE p.ordering_key = o.ordering_key AND p.sent_at IS NULL AND p.id < o.id)
  ORDER BY o.id LIMIT ${BATCH}
  FOR UPDATE SKIP LOCKED`;

/**
 * Publishes outbox rows and marks them sent only after the broker's confirm: at least once,
 * none lost while the broker is down. Wakes when this process commits a change, and polls
 * every second for the rest: another replica publishes its own commits as this one does, so
 * waking on the feed's report of them (and of this process's, again) only cost each write a
 * second, empty pass.
 */
@Injectable()
export class OutboxRelay implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(OutboxRelay.name);
  private timer?: NodeJS.Timeout;
  private pruneTimer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private again = false;
  private stopped = false;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly publisher: EventPublisher,
    feed: ChangeFeed,
  ) {
    feed.subscribe({
      changed: (_, local) => {
        if (local) {
          this.kick();
        }
      },
    });
  }

  onApplicationBootstrap(): void {
    if (this.publisher.state() === 'disabled') {
      return;
    }
    this.timer = setInterval(() => this.kick(), POLL_MS);
    this.timer.unref();
    this.pruneTimer = setInterval(() => void this.prune(), PRUNE_EVERY_MS);
    this.pruneTimer.unref();
    this.kick();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    clearInterval(this.pruneTimer);
    await this.running;
  }

  /** Runs a relay pass now, or right after the one in progress. */
  kick(): void {
    if (this.stopped || this.publisher.state() === 'disabled') {
      return;
    }
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.drain().finally(() => {
      this.running = undefined;
      if (this.again && !this.stopped) {
        this.again = false;
        this.kick();
      }
    });
  }

  /** Publishes everything publishable now; resolves when nothing more can go out. */
  async drain(): Promise<void> {
    try {
      while (!this.stopped && this.publisher.state() === 'up' && (await this.relayBatch()) > 0) {
        // keep going while batches come back full of sent rows
      }
    } catch (error) {
      this.logger.warn(`Outbox relay pass failed, will retry: ${(error as Error).message}`);
    }
  }

  /** Claims, publishes and marks one batch; returns how many rows were sent. */
  private relayBatch(): Promise<number> {
    return this.dataSource.transaction(async (manager) => {
      const rows = await manager.query<ClaimedRow[]>(CLAIM);
      if (rows.length === 0) {
        return 0;
      }
      // Marking rows sent need not wait for the disk: a mark lost in a crash only sends its
      // events again, as at-least-once allows. Its flush would queue every read's audit
      // commit behind it: with 50 writes a second, hot reads fell from 7 300/s to 2 500/s.
      await manager.query('SET LOCAL synchronous_commit = off');
      const results = await Promise.allSettled(
        rows.map((row) => this.publisher.publish(row.routing_key, row.event_id, row.payload)),
      );
      const sent = rows.filter((_, i) => results[i].status === 'fulfilled').map((row) => row.id);
      const failed = rows.filter((_, i) => results[i].status === 'rejected').map((row) => row.id);
      if (sent.length > 0) {
        await manager.query(
          'UPDATE event_outbox SET sent_at = now() WHERE id = ANY($1::bigint[])',
          [sent],
        );
      }
      if (failed.length > 0) {
        await manager.query(
          `UPDATE event_outbox SET attempts = attempts + 1,
             next_attempt_at = now() + make_interval(secs => least(power(2, attempts) * 0.25, ${MAX_BACKOFF_SECONDS}))
           WHERE id = ANY($1::bigint[])`,
          [failed],
        );
        this.logger.warn(
          `${failed.length} event(s) not confirmed by the broker; they will be retried`,
        );
      }
      return sent.length;
    });
  }

  private async prune(): Promise<void> {
    try {
      await this.dataSource.query(
        `DELETE FROM event_outbox WHERE id IN (
           SELECT id FROM event_outbox WHERE sent_at < now() - interval '${RETENTION}' LIMIT 10000)`,
      );
    } catch (error) {
      this.logger.warn(`Pruning sent events failed: ${(error as Error).message}`);
    }
  }
}
