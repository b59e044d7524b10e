import type { FastifyReply } from 'fastify';
import { REVISION_HEADER } from '../common/http/revision-header';
import type { ChangeSink } from './change-sink';

/**
 * A client that does not read what is left after the end (a slow one's last events and the
 * `overflow` event that names where to resume) has this long before it is cut off.
 */
const DRAIN_GRACE_MS = 60_000;

/**
 * Server-Sent Events on a Fastify reply, written to the raw response (the reply is hijacked:
 * Fastify sends nothing of its own). Counts what waits for the client, so a slow one can be
 * cut rather than buffered without bound.
 */
export class SseStream implements ChangeSink {
  readonly whenClosed: Promise<void>;
  private ended = false;

  constructor(
    private readonly reply: FastifyReply,
    private readonly maxBufferBytes: number,
  ) {
    this.whenClosed = new Promise((resolve) => {
      reply.raw.once('close', () => {
        this.ended = true;
        resolve();
      });
    });
  }

  open(revision: number): void {
    this.reply.hijack();
    this.reply.raw.writeHead(200, {
      // What the request's hooks set (security headers, the request id): hijacked, Fastify
      // would not send them.
      ...(this.reply.getHeaders() as Record<string, string>),
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
      // Proxies such as nginx would otherwise hold events back.
      'x-accel-buffering': 'no',
      [REVISION_HEADER]: String(revision),
    });
    this.reply.raw.flushHeaders();
  }

  send(event: string, data: unknown, id?: number): void {
    if (this.ended) {
      return;
    }
    const idLine = id === undefined ? '' : `id: ${id}\n`;
    this.reply.raw.write(`event: ${event}\n${idLine}data: ${JSON.stringify(data)}\n\n`);
  }

  get overflowed(): boolean {
    return this.reply.raw.writableLength > this.maxBufferBytes;
  }

  get closed(): boolean {
    return this.ended;
  }

  end(): void {
    if (this.ended) {
      return;
    }
    this.ended = true;
    const raw = this.reply.raw;
    raw.end();
    const cutOff = setTimeout(() => raw.destroy(), DRAIN_GRACE_MS);
    cutOff.unref();
    raw.once('close', () => clearTimeout(cutOff));
  }
}
