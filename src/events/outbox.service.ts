import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { KvEvent, orderingKeyOf } from './kv-event.types';

export const OUTBOX_CHANNEL = 'kv_outbox';
/** Carries the id of each namespace a committed change touched, for the replicas' caches. */
export const CHANGES_CHANNEL = 'kv_changes';
/** Where a transaction's query runner collects the namespaces it changed, until it commits. */
export const CHANGED_NAMESPACES = 'kvChangedNamespaces';

/**
 * The outbox rows of events given as arrays from parameter `$first` on, inserted only if
 * `guard` (SQL) yields a row, and the NOTIFYs of a non-empty insert (`notified`). The NOTIFYs
 * are delivered at commit, waking the relays and updating the caches of every replica at once
 * (PostgreSQL folds repeats of one payload within a transaction).
 */
function outboxSql(first: number, guard: string): { added: string; notified: string } {
  const [ids, types, orderings, payloads, namespaces] = [0, 1, 2, 3, 4].map((i) => `$${first + i}`);
  return {
    added: `added AS (
      INSERT INTO event_outbox (event_id, routing_key, ordering_key, payload)
      SELECT * FROM unnest(${ids}::uuid[], ${types}::varchar[], ${orderings}::text[], ${payloads}::text[])
      WHERE EXISTS (${guard})
      RETURNING 1
    )`,
    // A FROM item whose columns the query returns: PostgreSQL evaluates what it returns.
    notified: `(
      SELECT pg_notify('${OUTBOX_CHANNEL}', '') AS relays_woken,
             (SELECT count(pg_notify('${CHANGES_CHANNEL}', ns)) FROM unnest(${namespaces}::text[]) AS ns) AS caches_told
      FROM (SELECT 1 FROM added LIMIT 1) AS any_added) AS notified`,
  };
}

const INSERT_EVENTS = (() => {
  const { added, notified } = outboxSql(1, 'SELECT 1');
  return `WITH ${added} SELECT notified.* FROM ${notified}`;
})();

export interface PendingStats {
  pending: number;
  oldestAgeSeconds: number;
}

/** Writes change events into the transaction of their change: committed together or not at all. */
@Injectable()
export class OutboxService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Also notes the namespaces on the transaction, so this process's cache hears of the change
   * at commit (see EntryCacheInvalidator), before its own NOTIFY comes back.
   */
  async add(manager: EntityManager, events: KvEvent[]): Promise<void> {
    if (events.length === 0) {
      return;
    }
    await manager.query(INSERT_EVENTS, this.parameters(manager, events));
  }

  /**
   * Runs a write (`text` over `values`, returning rows; `alongside`: further data-modifying
   * CTEs over its rows, `written`) and adds its events in the same statement, one round trip:
   * the events go in only if the write returned a row.
   */
  async writeWith<T>(
    manager: EntityManager,
    write: { text: string; values: unknown[]; alongside?: string },
    events: KvEvent[],
  ): Promise<T[]> {
    const { added, notified } = outboxSql(write.values.length + 1, 'SELECT 1 FROM written');
    const alongside = write.alongside === undefined ? '' : `${write.alongside}, `;
    return manager.query<T[]>(
      `WITH written AS (${write.text}), ${alongside}${added}
       SELECT written.*, notified.* FROM written LEFT JOIN ${notified} ON true`,
      [...write.values, ...this.parameters(manager, events)],
    );
  }

  /** The events as column arrays; notes their namespaces on the transaction. */
  private parameters(manager: EntityManager, events: KvEvent[]): unknown[] {
    const namespaceIds = new Set(events.map((e) => e.namespaceId));
    const data: Record<string, Set<string> | undefined> | undefined = manager.queryRunner?.data;
    if (data) {
      const changed = (data[CHANGED_NAMESPACES] ??= new Set());
      namespaceIds.forEach((id) => changed.add(id));
    }
    return [
      events.map((e) => e.eventId),
      events.map((e) => e.type),
      events.map(orderingKeyOf),
      events.map((e) => JSON.stringify(e)),
      [...namespaceIds],
    ];
  }

  async pendingStats(): Promise<PendingStats> {
    const [row] = await this.dataSource.query<{ pending: number; age: number | null }[]>(
      `SELECT count(*)::int AS pending, extract(epoch FROM now() - min(created_at))::float AS age
       FROM event_outbox WHERE sent_at IS NULL`,
    );
    return { pending: row.pending, oldestAgeSeconds: row.age ?? 0 };
  }
}
