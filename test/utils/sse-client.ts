import { IncomingMessage, request } from 'node:http';

/** One Server-Sent Event as received. */
export interface SseEvent {
  event: string;
  id?: string;
  data: unknown;
}

/**
 * A minimal Server-Sent Events client on node:http, for tests: collects every event, can stop
 * reading (a slow consumer) and resume, and closes its connection on demand.
 */
export class SseClient {
  readonly events: SseEvent[] = [];
  status = 0;
  headers: IncomingMessage['headers'] = {};
  body = '';
  private response?: IncomingMessage;
  private buffer = '';
  private ended = false;
  private readonly waiters: (() => void)[] = [];

  private constructor() {}

  /** Opens a stream (resolves once its status and headers arrived). */
  static open(url: string, headers: Record<string, string>): Promise<SseClient> {
    const client = new SseClient();
    return new Promise((resolve, reject) => {
      const req = request(url, { headers: { accept: 'text/event-stream', ...headers } }, (res) => {
        client.response = res;
        client.status = res.statusCode ?? 0;
        client.headers = res.headers;
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => client.take(chunk));
        res.on('end', () => client.finish());
        res.on('close', () => client.finish());
        resolve(client);
      });
      req.on('error', reject);
      req.end();
    });
  }

  get closed(): boolean {
    return this.ended;
  }

  /** Stops reading: what the server sends waits in its buffers. */
  pause(): void {
    this.response?.pause();
  }

  resume(): void {
    this.response?.resume();
  }

  close(): void {
    this.response?.destroy();
    this.finish();
  }

  /** Resolves once the predicate holds of the events (checked on every arrival), or rejects after ms. */
  async until(predicate: (events: SseEvent[]) => boolean, ms = 10000): Promise<void> {
    const deadline = Date.now() + ms;
    while (!predicate(this.events)) {
      if (this.ended) {
        throw new Error(`the stream ended first; events: ${JSON.stringify(this.events.slice(-5))}`);
      }
      if (Date.now() > deadline) {
        throw new Error(`timed out; last events: ${JSON.stringify(this.events.slice(-5))}`);
      }
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 50);
      });
    }
  }

  /** Resolves when the server ends the stream. */
  async whenEnded(ms = 30000): Promise<void> {
    const deadline = Date.now() + ms;
    while (!this.ended) {
      if (Date.now() > deadline) {
        throw new Error('the stream did not end');
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  private take(chunk: string): void {
    if (this.status !== 200) {
      this.body += chunk;
      return;
    }
    this.buffer += chunk;
    let end: number;
    while ((end = this.buffer.indexOf('\n\n')) >= 0) {
      const block = this.buffer.slice(0, end);
      this.buffer = this.buffer.slice(end + 2);
      const event: SseEvent = { event: 'message', data: undefined };
      for (const line of block.split('\n')) {
        const colon = line.indexOf(':');
        const [field, value] = [line.slice(0, colon), line.slice(colon + 1).trimStart()];
        if (field === 'event') {
          event.event = value;
        } else if (field === 'id') {
          event.id = value;
        } else if (field === 'data') {
          event.data = JSON.parse(value);
        }
      }
      if (block.length > 0 && !block.startsWith(':')) {
        this.events.push(event);
      }
    }
    this.waiters.splice(0).forEach((wake) => wake());
  }

  private finish(): void {
    this.ended = true;
    this.waiters.splice(0).forEach((wake) => wake());
  }
}
