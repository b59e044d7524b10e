import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { KvEvent, orderingKeyOf } from './kv-event.types';

export const OUTBOX_CHANNEL = 'kv_outbox';
/** Carries the id of each namespace a committed change touched, for the replicas' caches. */
export const CHANGES_CHANNEL = 'kv_changes';
/** Where a transaction's query runner collects the namespaces it changed, until it commits. */
export const CHANGED_NAMESPACES = 'kvChangedNamespaces';

// The NOTIFYs are delivered at commit, waking the relays and updating the caches of every
// replica at once (PostgreSQL folds repeats of one payload within a transaction).
const INSERT_EVENTS = `
  WITH added AS (
    INSERT INTO event_outbox (event_id, routing_key, ordering_key, payload)
    SELECT * FROM unnest($1::uuid[], $2::varchar[], $3::text[], $4::text[])
    RETURNING 1
  )
  SELECT pg_notify('${OUTBOX_CHANNEL}', ''),
         (SELECT count(pg_notify('${CHANGES_CHANNEL}', ns)) FROM unnest($5::text[]) AS ns)
  FROM (SELECT 1 FROM added LIMIT 1) AS any_added`;

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
    const namespaceIds = new Set(events.map((e) => e.namespaceId));
    await manager.query(INSERT_EVENTS, [
      events.map((e) => e.eventId),
      events.map((e) => e.type),
      events.map(orderingKeyOf),
      events.map((e) => JSON.stringify(e)),
      [...namespaceIds],
    ]);
    const data: Record<string, Set<string> | undefined> | undefined = manager.queryRunner?.data;
    if (data) {
      const changed = (data[CHANGED_NAMESPACES] ??= new Set());
      namespaceIds.forEach((id) => changed.add(id));
    }
  }

  async pendingStats(): Promise<PendingStats> {
    const [row] = await this.dataSource.query<{ pending: number; age: number | null }[]>(
      `SELECT count(*)::int AS pending, extract(epoch FROM now() - min(created_at))::float AS age
       FROM event_outbox WHERE sent_at IS NULL`,
    );
    return { pending: row.pending, oldestAgeSeconds: row.age ?? 0 };
  }
}
