import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { KvEvent, orderingKeyOf } from './kv-event.types';

/** The `tx` of an outbox row: the id of the transaction that writes it, for the change feed. */
export const OUTBOX_TX = 'pg_current_xact_id()::text::bigint';

/** Where a transaction's query runner collects what it changed (Changes), until it commits. */
export const CHANGED_NAMESPACES = 'kvChangedNamespaces';

/** Routing keys of events about namespaces themselves, as a LIKE pattern. */
export const NAMESPACE_EVENTS = 'kv.namespace.%';

/**
 * The outbox rows of events given as arrays from parameter `$first` on, inserted only if
 * `guard` (SQL) yields a row. No NOTIFY: PostgreSQL serialises the commits of notifying
 * transactions (a database-wide lock held through the WAL flush), which capped writes at the
 * disk's flush rate; the change feed and the relays poll the outbox instead.
 */
export function outboxInsert(first: number, guard = 'SELECT 1'): string {
  const [ids, types, orderings, payloads, namespaces] = [0, 1, 2, 3, 4].map((i) => `$${first + i}`);
  return `INSERT INTO event_outbox (event_id, routing_key, ordering_key, payload, namespace_id, tx)
    SELECT *, ${OUTBOX_TX}
    FROM unnest(${ids}::uuid[], ${types}::varchar[], ${orderings}::text[], ${payloads}::text[], ${namespaces}::uuid[])
    WHERE EXISTS (${guard})`;
}

const INSERT_EVENTS = `${outboxInsert(1)} RETURNING revision`;

interface ChangeSets {
  entries: Set<string>;
  namespaces: Set<string>;
}

export interface PendingStats {
  pending: number;
  oldestAgeSeconds: number;
}

/** Writes change events into the transaction of their change: committed together or not at all. */
/** Below this span of ids, waiting events are counted one by one. */
const EXACT_PENDING_UP_TO = 10_000;

@Injectable()
export class OutboxService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Resolves to the highest revision the events carry (their namespace's after the change;
   * see NamespaceRevisions), if any.
   * Also notes the namespaces on the transaction, so this process hears of the change at
   * commit (see ChangeFeed), before the feed reports it.
   */
  async add(manager: EntityManager, events: KvEvent[]): Promise<number | undefined> {
    if (events.length === 0) {
      return undefined;
    }
    const rows = await manager.query<{ revision: string | null }[]>(
      INSERT_EVENTS,
      this.parameters(manager, events),
    );
    return highestRevision(rows);
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
    const added = outboxInsert(write.values.length + 1, 'SELECT 1 FROM written');
    const alongside = write.alongside === undefined ? '' : `${write.alongside}, `;
    return manager.query<T[]>(
      `WITH written AS (${write.text}), ${alongside}added AS (${added})
       SELECT * FROM written`,
      [...write.values, ...this.parameters(manager, events)],
    );
  }

  /** The events as column arrays; notes what they change on the transaction. */
  private parameters(manager: EntityManager, events: KvEvent[]): unknown[] {
    const data: Record<string, ChangeSets | undefined> | undefined = manager.queryRunner?.data;
    if (data) {
      const changed = (data[CHANGED_NAMESPACES] ??= { entries: new Set(), namespaces: new Set() });
      events.forEach((e) =>
        e.keyPath === undefined
          ? changed.namespaces.add(e.namespaceId)
          : changed.entries.add(orderingKeyOf(e)),
      );
    }
    return eventColumns(events);
  }

  /**
   * How many events wait, and how long the oldest has: counted exactly up to
   * EXACT_PENDING_UP_TO, beyond as the span of their ids (an upper bound, exact while they
   * wait in a row, as they do without a broker). Two index lookups instead of a count of a
   * backlog that may hold millions, on every scrape.
   */
  async pendingStats(): Promise<PendingStats> {
    const [row] = await this.dataSource.query<{ pending: number; age: number | null }[]>(
      `WITH span AS (
         SELECT min(id) AS first, max(id) AS last FROM event_outbox WHERE sent_at IS NULL)
       SELECT CASE
           WHEN span.first IS NULL THEN 0
           WHEN span.last - span.first < ${EXACT_PENDING_UP_TO}
             THEN (SELECT count(*) FROM event_outbox WHERE sent_at IS NULL)
           ELSE span.last - span.first + 1
         END::int AS pending,
         extract(epoch FROM now() - (SELECT created_at FROM event_outbox WHERE id = span.first))::float AS age
       FROM span`,
    );
    return { pending: row.pending, oldestAgeSeconds: row.age ?? 0 };
  }
}

/** Events as the five column arrays outboxInsert reads. */
export function eventColumns(events: KvEvent[]): unknown[] {
  return [
    events.map((e) => e.eventId),
    events.map((e) => e.type),
    events.map(orderingKeyOf),
    events.map((e) => JSON.stringify(e)),
    events.map((e) => e.namespaceId),
  ];
}

/** The highest revision of outbox rows (bigint text or null), if any. */
function highestRevision(rows: { revision: string | null }[]): number | undefined {
  const revisions = rows.flatMap((row) => (row.revision === null ? [] : [Number(row.revision)]));
  return revisions.length === 0 ? undefined : Math.max(...revisions);
}
