import { Client } from 'pg';

export interface NotificationHandlers {
  notify: (payload: string) => void;
  /** True once LISTEN is in place (every later NOTIFY arrives), false when the connection is lost. */
  listening?: (up: boolean) => void;
}

/**
 * One LISTEN connection that comes back after PostgreSQL does. A lost connection reports
 * itself more than once (the server's FATAL message, then the socket's end), so reconnects
 * go through one pending timer, never one per report.
 */
export class NotificationListener {
  private client?: Client;
  private retry?: NodeJS.Timeout;
  private up = false;
  private stopped = false;

  constructor(
    private readonly url: string,
    private readonly channel: string,
    private readonly handlers: NotificationHandlers,
    private readonly retryMs: number,
  ) {}

  start(): void {
    void this.connect();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retry);
    this.setUp(false);
    await this.client?.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    this.retry = undefined;
    if (this.stopped) {
      return;
    }
    // Keep-alives notice a connection that died without a word (the caches rely on it).
    const client = new Client({
      connectionString: this.url,
      keepAlive: true,
      keepAliveInitialDelayMillis: 10_000,
    });
    this.client = client;
    client.on('notification', (message) => this.handlers.notify(message.payload ?? ''));
    client.on('error', () => this.lost(client));
    client.on('end', () => this.lost(client));
    try {
      await client.connect();
      await client.query(`LISTEN ${this.channel}`);
      if (client === this.client && !this.stopped) {
        this.setUp(true);
      }
    } catch {
      this.lost(client);
    }
  }

  private lost(client: Client): void {
    if (this.stopped || client !== this.client || this.retry) {
      return;
    }
    this.setUp(false);
    void client.end().catch(() => undefined);
    this.retry = setTimeout(() => void this.connect(), this.retryMs);
    this.retry.unref();
  }

  private setUp(up: boolean): void {
    if (up !== this.up) {
      this.up = up;
      this.handlers.listening?.(up);
    }
  }
}
