import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { AuditContext } from '../audit/audit-context';
import { AuditAction } from '../audit/audit-action.enum';
import { isDatabaseUnavailable } from '../database/is-database-unavailable';
import { poolOf } from '../database/pg-pool';
import { ChangeFeed } from '../events/change-feed.service';
import { KvEventType, kvEvent } from '../events/kv-event.types';
import { OUTBOX_TX } from '../events/outbox.service';
import type { NamespaceEntity } from '../namespaces/namespace.entity';
import { EntryRow, entryFromRow } from './entry-row';
import { ALIVE, ValueInput, expiresAt } from './entry-writer.service';
import type { EntryEntity } from './entry.entity';

export interface PlainWrite {
  key: string;
  value: ValueInput;
  /** JSON text of the metadata; undefined keeps the current metadata. */
  metadata: string | null | undefined;
  /** Seconds to live, null for never. */
  ttl: number | null;
  expectedVersion: number | undefined;
}

// The whole write in one statement, committed on its own: replace the live entry (at the
// expected version, if one is given) or else insert it, then its event and its audit row,
// each only if the entry was written. Whatever it cannot decide alone (an expired row in the
// way, a racing first insert, a version that does not match) writes nothing, and the caller
// takes the transactional path, which decides and explains.
const WRITE = `
  WITH upd AS (
    UPDATE entries e SET value_type = $3::varchar, value = $4::text, value_ciphertext = NULL,
      version = e.version + 1, updated_at = now(),
      metadata = CASE WHEN $5::boolean THEN $6::text ELSE e.metadata END,
      expires_at = ${expiresAt('$7')}
    WHERE e.namespace_id = $1::uuid AND e.key_path = $2::text AND ${ALIVE}
      AND ($8::int IS NULL OR e.version = $8::int)
    RETURNING e.*
  ), ins AS (
    INSERT INTO entries (id, namespace_id, key_path, value_type, value, version, metadata, expires_at)
    SELECT $9::uuid, $1::uuid, $2::text, $3::varchar, $4::text, 1, $6::text, ${expiresAt('$7')}
    WHERE NOT EXISTS (SELECT 1 FROM upd) AND ($8::int IS NULL OR $8::int = 0)
    ON CONFLICT (namespace_id, key_path) DO NOTHING
    RETURNING *
  ), written AS (
    SELECT upd.*, false AS created FROM upd UNION ALL SELECT ins.*, true AS created FROM ins
  ), event AS (
    INSERT INTO event_outbox (event_id, routing_key, ordering_key, payload, namespace_id, tx)
    SELECT $10::uuid, t.type, $11::text,
      json_build_object('eventId', $10::uuid, 'type', t.type, 'occurredAt', $12::text,
        'applicationId', $13::text, 'namespaceId', $1::uuid, 'entryId', w.id, 'keyPath', $2::text,
        'version', w.version, 'actor', $14::text)::text,
      $1::uuid, ${OUTBOX_TX}
    FROM written w,
      LATERAL (SELECT CASE WHEN w.created THEN '${KvEventType.EntryCreated}'
                           ELSE '${KvEventType.EntryUpdated}' END AS type) t
  ), audit AS (
    INSERT INTO audit_log (id, application_id, namespace_id, entry_id, key_path, action, user_id,
      success, status_code, request_id, timestamp)
    SELECT $15::uuid, $16::varchar, $17::uuid, w.id, $18::text, '${AuditAction.WRITE}', $19::varchar,
      true, CASE WHEN w.created THEN 201 ELSE 200 END, $20::varchar, $21::timestamptz
    FROM written w
  )
  SELECT * FROM written`;

/**
 * Writes an entry of a plain namespace in one round trip and one commit, with its event and
 * its audit row: the common write costs one statement instead of a five-step transaction.
 */
@Injectable()
export class PlainEntryWriter {
  private readonly logger = new Logger(PlainEntryWriter.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly feed: ChangeFeed,
  ) {}

  /**
   * The written entity (with its plaintext value, for the response) and whether it was
   * created; undefined when the statement wrote nothing and the transactional path must
   * decide. The audit context is filled and marked written when the write is done.
   */
  async write(
    namespace: NamespaceEntity,
    request: PlainWrite,
    audit: AuditContext,
    actor: string,
  ): Promise<{ entity: EntryEntity; created: boolean } | undefined> {
    const event = kvEvent(KvEventType.EntryUpdated, {
      applicationId: namespace.applicationId,
      namespaceId: namespace.id,
      actor,
    });
    const record = audit.record(true, audit.successStatus)!;
    let rows: (EntryRow & { created: boolean })[];
    try {
      ({ rows } = await poolOf(this.dataSource).query<EntryRow & { created: boolean }>({
        name: 'kv_write_plain_entry',
        text: WRITE,
        values: [
          namespace.id,
          request.key,
          request.value.valueType,
          request.value.serialized,
          request.metadata !== undefined,
          request.metadata ?? null,
          request.ttl,
          request.expectedVersion ?? null,
          randomUUID(),
          event.eventId,
          `${namespace.id}/${request.key}`,
          event.occurredAt,
          namespace.applicationId,
          actor,
          record.id,
          record.application_id,
          record.namespace_id,
          record.key_path,
          record.user_id,
          record.request_id,
          record.timestamp,
        ],
      }));
    } catch (error) {
      // Whether it committed is unknown when the connection failed: no second attempt then.
      if (isDatabaseUnavailable(error)) {
        throw error;
      }
      this.logger.debug(`One-statement write failed, taking the transaction: ${String(error)}`);
      return undefined;
    }
    const [row] = rows;
    if (!row) {
      return undefined;
    }
    this.feed.committed({ entries: [namespace.id], namespaces: [] });
    audit.entryId = row.id;
    audit.successStatus = row.created ? 201 : 200;
    audit.written = true;
    return {
      entity: { ...entryFromRow(row), value: request.value.serialized },
      created: row.created,
    };
  }
}
