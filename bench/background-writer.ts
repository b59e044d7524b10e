import { Agent, request } from 'node:http';
import { API, BACKGROUND_WRITES_PER_SECOND } from './bench-config';
import { randomKey, randomValue } from './key-space';
import { sleep } from './service-process';

/**
 * PUTs at a steady rate into a namespace of their own while it runs, so that the outbox relay
 * publishes to RabbitMQ and the change feed reports changes during every service run, as in
 * production. Failed writes end the benchmark.
 */
export class BackgroundWriter {
  private running?: Promise<void>;
  private stopped = false;
  private failure?: Error;
  private readonly inFlight = new Set<Promise<void>>();
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 4 });

  constructor(
    private readonly port: number,
    private readonly token: string,
    private readonly namespaceId: string,
  ) {}

  start(): void {
    if (BACKGROUND_WRITES_PER_SECOND === 0) {
      return;
    }
    this.stopped = false;
    this.running = this.loop();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.running;
    await Promise.all(this.inFlight);
    if (this.failure) {
      throw this.failure;
    }
  }

  private async loop(): Promise<void> {
    const interval = 1000 / BACKGROUND_WRITES_PER_SECOND;
    while (!this.stopped) {
      const started = Date.now();
      const put = this.put().catch((error: Error) => {
        this.failure ??= error;
        this.stopped = true;
      });
      this.inFlight.add(put);
      void put.finally(() => this.inFlight.delete(put));
      await sleep(Math.max(0, interval - (Date.now() - started)));
    }
  }

  private put(): Promise<void> {
    const body = JSON.stringify({ value: randomValue(), valueType: 'STRING' });
    const path = `${API}/${this.namespaceId}/entries/${encodeURIComponent(randomKey())}`;
    return new Promise((resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port: this.port,
          path,
          method: 'PUT',
          agent: this.agent,
          headers: {
            authorization: `Bearer ${this.token}`,
            'content-type': 'application/json',
          },
        },
        (res) => {
          res.resume();
          res.on('end', () =>
            res.statusCode === 200 || res.statusCode === 201
              ? resolve()
              : reject(new Error(`background PUT: HTTP ${res.statusCode}`)),
          );
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  }

  destroy(): void {
    this.agent.destroy();
  }
}
