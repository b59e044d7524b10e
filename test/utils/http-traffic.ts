import type { Entry, Problem, Reply, ServiceClient } from './service-client';

const API = '/api/v1/kv';
// A worker's breath between keys, so a fast run of 503s does not starve the machine.
const PACE_MS = 25;

type Answer = Partial<Entry> & Partial<Problem>;

/** What one request got, and in which phase of the test it was sent. */
export interface Outcome {
  phase: string;
  method: string;
  /** The HTTP status, or why no answer came. */
  status: number | string;
  ms: number;
  contentType: string | null;
  retryAfter: string | null;
  code?: string;
}

/** One key, written twice; a write without a 2xx leaves the key's outcome open, so it is the key's last. */
export interface KeyWrites {
  namespaceId: string;
  key: string;
  /** Values sent, in order: version n holds the nth if that write committed. */
  attempted: string[];
  /** The last write acknowledged with a 2xx. */
  acked?: { version: number; value: string };
}

/** Writes and reads through HTTP from a few workers until stopped, noting every outcome. */
export class HttpTraffic {
  /** Stamped on each request as it is sent. */
  phase = 'up';
  readonly outcomes: Outcome[] = [];
  readonly keys: KeyWrites[] = [];
  private running = true;
  private workers: Promise<void>[] = [];

  constructor(
    private readonly client: ServiceClient,
    private readonly namespaceIds: string[],
  ) {}

  start(workers: number): void {
    this.workers = Array.from({ length: workers }, (_, w) => this.work(w));
  }

  async stop(): Promise<void> {
    this.running = false;
    await Promise.all(this.workers);
  }

  /** Writes acknowledged among the requests sent in this phase. */
  acknowledged(phase: string): number {
    return this.outcomes.filter(
      (o) => o.phase === phase && o.method === 'PUT' && (o.status === 200 || o.status === 201),
    ).length;
  }

  /**
   * Reads every key back and describes each one that breaks the rules: an acknowledged write
   * missing or overwritten by an older one, or a value that was never sent for its version.
   */
  async broken(reader: ServiceClient): Promise<string[]> {
    const problems: string[] = [];
    for (const namespaceId of this.namespaceIds) {
      const keys = this.keys.filter((k) => k.namespaceId === namespaceId);
      const found = await reader.entries(
        namespaceId,
        keys.map((k) => k.key),
      );
      for (const { key, attempted, acked } of keys) {
        const entry = found.get(key);
        if (!entry) {
          if (acked) {
            problems.push(`${key}: acknowledged version ${acked.version} is missing`);
          }
          continue;
        }
        if (entry.version < (acked?.version ?? 1) || entry.version > attempted.length) {
          problems.push(`${key}: version ${entry.version}, acknowledged ${acked?.version}`);
        } else if (entry.value !== attempted[entry.version - 1]) {
          problems.push(`${key}: version ${entry.version} holds a value never sent for it`);
        }
      }
    }
    return problems;
  }

  private async work(worker: number): Promise<void> {
    const namespaceId = this.namespaceIds[worker % this.namespaceIds.length];
    for (let i = 0; this.running; i += 1) {
      const writes: KeyWrites = { namespaceId, key: `w${worker}/k${i}`, attempted: [] };
      this.keys.push(writes);
      const path = `${API}/${namespaceId}/entries/${writes.key}`;
      for (let n = 1; n <= 2; n += 1) {
        const value = `${writes.key}#${n}`;
        writes.attempted.push(value);
        const reply = await this.observe('PUT', path, { value, valueType: 'STRING' });
        if (reply?.status !== 200 && reply?.status !== 201) {
          break;
        }
        writes.acked = { version: reply.body.version!, value };
      }
      if (writes.acked) {
        await this.observe('GET', path);
      }
      await new Promise((resolve) => setTimeout(resolve, PACE_MS));
    }
  }

  private async observe(
    method: string,
    path: string,
    body?: unknown,
  ): Promise<Reply<Answer> | undefined> {
    const phase = this.phase;
    const started = Date.now();
    try {
      const reply = await this.client.send<Answer>(method, path, body);
      this.outcomes.push({
        phase,
        method,
        status: reply.status,
        ms: reply.ms,
        contentType: reply.headers.get('content-type'),
        retryAfter: reply.headers.get('retry-after'),
        code: reply.body.code,
      });
      return reply;
    } catch (error) {
      this.outcomes.push({
        phase,
        method,
        status: `no answer: ${(error as Error).message}`,
        ms: Date.now() - started,
        contentType: null,
        retryAfter: null,
      });
      return undefined;
    }
  }
}
