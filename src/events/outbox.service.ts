import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { KvEvent, orderingKeyOf } from './kv-event.types';

export const OUTBOX_CHANNEL = 'kv_outbox';

// The NOTIFY is delivered at commit, waking the relays of every replica at once.
const INSERT_EVENTS = `
  WITH added AS (
    INSERT INTO event_outbox (event_id, routing_key, ordering_key, payload)
    SELECT * FROM unnest($1::uuid[], $2::varchar[], $3::text[], $4::text[])
    RETURNING 1
  )
  SELECT pg_notify('${OUTBOX_CHANNEL}', '') FROM (SELECT 1 FROM added LIMIT 1) AS any_added`;

export interface PendingStats {
  pending: number;
  oldestAgeSeconds: number;
}

/** Writes change events into the transaction of their change: committed together or not at all. */
@Injectable()
export class OutboxService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async add(manager: EntityManager, events: KvEvent[]): Promise<void> {
    if (events.length === 0) {
      return;
    }
    await manager.query(INSERT_EVENTS, [
      events.map((e) => e.eventId),
      events.map((e) => e.type),
      events.map(orderingKeyOf),
      events.map((e) => JSON.stringify(e)),
    ]);
  }

  async pendingStats(): Promise<PendingStats> {
    const [row] = await this.dataSource.query<{ pending: number; age: number | null }[]>(
      `SELECT count(*)::int AS pending, extract(epoch FROM now() - min(created_at))::float AS age
       FROM event_outbox WHERE sent_at IS NULL`,
    );
    return { pending: row.pending, oldestAgeSeconds: row.age ?? 0 };
  }
}
