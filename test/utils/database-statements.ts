import type { PoolClient, QueryConfig } from 'pg';
import type { DataSource } from 'typeorm';
import { poolOf } from '../../src/database/pg-pool';

interface Sent {
  statement: string;
  values: readonly unknown[];
}

/** The statement of a query as `client.query` takes it: its prepared name, or its text. */
function sentOf(args: unknown[]): Sent {
  const [first, second] = args;
  if (typeof first === 'string') {
    return { statement: first, values: Array.isArray(second) ? second : [] };
  }
  const config = first as QueryConfig;
  return {
    statement: config.name ?? config.text,
    values: config.values ?? (Array.isArray(second) ? second : []),
  };
}

/**
 * Records every statement the service sends through its database pool (TypeORM's queries and
 * the hot paths' prepared statements alike; not the audit log's or the change feed's own
 * connections), so a test can count the round trips a request makes.
 */
export class DatabaseStatements {
  private readonly sent: Sent[] = [];
  private readonly originals = new Map<PoolClient, PoolClient['query']>();
  private readonly onAcquire = (client: PoolClient): void => {
    if (this.originals.has(client)) {
      return;
    }
    const original = client.query;
    this.originals.set(client, original);
    const sent = this.sent;
    client.query = function (this: PoolClient, ...args: unknown[]) {
      sent.push(sentOf(args));
      return (original as (...args: unknown[]) => unknown).apply(this, args);
    } as PoolClient['query'];
  };

  constructor(private readonly dataSource: DataSource) {
    poolOf(dataSource).on('acquire', this.onAcquire);
  }

  /**
   * The statements sent while `work` ran that name `id` in their parameters (or text), in
   * order, with the id replaced by `<id>`: those of a request about that id, and none of the
   * service's background work (outbox relay, sweeps), which runs meanwhile.
   */
  async naming(id: string, work: () => Promise<unknown>): Promise<string[]> {
    const from = this.sent.length;
    await work();
    return this.sent
      .slice(from)
      .filter(
        ({ statement, values }) =>
          statement.includes(id) || values.some((value) => String(value).includes(id)),
      )
      .map(({ statement }) => statement.split(id).join('<id>').replace(/\s+/g, ' ').trim());
  }

  /** Stops recording and gives the pool's connections their own query method back. */
  stop(): void {
    poolOf(this.dataSource).off('acquire', this.onAcquire);
    for (const [client, original] of this.originals) {
      client.query = original;
    }
    this.originals.clear();
  }
}
