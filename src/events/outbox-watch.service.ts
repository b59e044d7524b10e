import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { OutboxService } from './outbox.service';

const CHECK_EVERY_MS = 60_000;
/** Waiting events past which an operator should hear of it: a broker missing or down for long. */
export const OUTBOX_WARN_PENDING = 100_000;

/**
 * Warns while the outbox grows past OUTBOX_WARN_PENDING: without RABBITMQ_URL, or with the
 * broker away, events wait there without bound, and the table grows with them.
 */
@Injectable()
export class OutboxWatch implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(OutboxWatch.name);
  private timer?: NodeJS.Timeout;

  constructor(private readonly outbox: OutboxService) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.check(), CHECK_EVERY_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  /** Looks once; resolves to the number of waiting events. */
  async check(): Promise<number> {
    try {
      const { pending, oldestAgeSeconds } = await this.outbox.pendingStats();
      if (pending > OUTBOX_WARN_PENDING) {
        this.logger.warn(
          `${pending} change events wait in the outbox, the oldest for ${Math.round(oldestAgeSeconds)} s: ` +
            'set RABBITMQ_URL, or bring the broker back; the table grows until they are published',
        );
      }
      return pending;
    } catch (error) {
      this.logger.warn(`Looking at the outbox failed: ${(error as Error).message}`);
      return 0;
    }
  }
}
