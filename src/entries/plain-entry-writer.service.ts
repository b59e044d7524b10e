import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { AuditContext } from '../audit/audit-context';
import { AuditAction } from '../audit/audit-action.enum';
import { ErrorCode } from '../common/errors/error-code.enum';
import { KvException } from '../common/errors/kv.exception';
import { GroupCommit, GroupCommitFull } from '../database/group-commit';
import { isDatabaseUnavailable } from '../database/is-database-unavailable';
import { poolOf } from '../database/pg-pool';
import { ChangeFeed } from '../events/change-feed.service';
import { KvEventType } from '../events/kv-event.types';
import { OUTBOX_TX } from '../events/outbox.service';
import type { NamespaceEntity } from '../namespaces/namespace.entity';
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

/** One write of a batch, as the statement reads it (JSON keyed by these names). */
interface BatchItem {
  ord: number;
  ns: string;
  key: string;
  vtype: string;
  val: string;
  meta_given: boolean;
  meta: string | null;
  ttl: number | null;
  expected: number | null;
  new_id: string;
  event_id: string;
  at: string;
  app: string;
  actor: string;
  audit_id: string;
  request_id: string;
}

interface WrittenRow {
  ord: number;
  id: string;
  version: number;
  expires_at: Date | null;
  metadata: string | null;
  created_at: Date;
  updated_at: Date;
  created: boolean;
}

interface Pending {
  item: Omit<BatchItem, 'ord'>;
  entity: Pick<EntryEntity, 'namespaceId' | 'keyPath' | 'valueType' | 'value'>;
}

export type PlainWritten = { entity: EntryEntity; created: boolean } | undefined;

// Writes of many requests in one statement, committed together: each replaces its live entry
// (at the expected version, if one is given) or else inserts it, then adds its event and its
// audit row, each only if its entry was written. (The time goes in as the text the other
// events carry, and is read as a timestamp only for the audit row.) A write that cannot be
// decided here (an expired row or a tombstone in the way, a racing first insert, a version
// that does not match) writes nothing, and its request takes the transactional path, which
// decides and explains: a tombstone (a deleted entry's row, see Tombstones) comes back there
// with the version after its last, under the row lock.
export const WRITE_BATCH = `
  WITH i AS (
    SELECT * FROM json_to_recordset($1::json) AS i(ord int, ns uuid, key text, vtype varchar,
      val text, meta_given boolean, meta text, ttl int, expected int, new_id uuid, event_id uuid,
      at text, app varchar, actor varchar, audit_id uuid, request_id varchar)
  ), upd AS (
    UPDATE entries e SET value_type = i.vtype, value = i.val, value_ciphertext = NULL,
      version = e.version + 1, updated_at = now(),
      metadata = CASE WHEN i.meta_given THEN i.meta ELSE e.metadata END,
      expires_at = ${expiresAt('i.ttl')}
    FROM i
    WHERE e.namespace_id = i.ns AND e.key_path = i.key AND ${ALIVE}
      AND (i.expected IS NULL OR e.version = i.expected)
    RETURNING e.id, e.version, e.expires_at, e.metadata, e.created_at, e.updated_at,
      false AS created, i.*
  ), ins AS (
    INSERT INTO entries (id, namespace_id, key_path, value_type, value, version, metadata, expires_at)
    SELECT i.new_id, i.ns, i.key, i.vtype, i.val, 1, i.meta, ${expiresAt('i.ttl')}
    FROM i
    WHERE NOT EXISTS (SELECT 1 FROM upd WHERE upd.ord = i.ord)
      AND (i.expected IS NULL OR i.expected = 0)
    ON CONFLICT (namespace_id, key_path) DO NOTHING
    RETURNING id, version, expires_at, metadata, created_at, updated_at
  ), written AS (
    SELECT * FROM upd
    UNION ALL
    SELECT ins.*, true, i.* FROM ins JOIN i ON i.new_id = ins.id
  ), event AS (
    INSERT INTO event_outbox (event_id, routing_key, ordering_key, payload, namespace_id, tx)
    SELECT w.event_id, w.type, w.ns || '/' || w.key,
      json_build_object('eventId', w.event_id, 'type', w.type, 'occurredAt', w.at,
        'applicationId', w.app, 'namespaceId', w.ns, 'entryId', w.id, 'keyPath', w.key,
        'version', w.version, 'actor', w.actor)::text,
      w.ns, ${OUTBOX_TX}
    FROM (SELECT *, CASE WHEN created THEN '${KvEventType.EntryCreated}'
                         ELSE '${KvEventType.EntryUpdated}' END AS type
          FROM written) w
  ), audit AS (
    INSERT INTO audit_log (id, application_id, namespace_id, entry_id, key_path, action, user_id,
      success, status_code, request_id, timestamp)
    SELECT w.audit_id, w.app, w.ns, w.id, w.key, '${AuditAction.WRITE}', w.actor, true,
      CASE WHEN w.created THEN 201 ELSE 200 END, w.request_id, w.at::timestamptz
    FROM written w
  )
  SELECT ord, id, version, expires_at, metadata, created_at, updated_at, created FROM written`;

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The batch's items in the order of their rows' (namespace, key): the statement updates and
 * inserts in input order, and bulk sets lock in key order, so neither can wait on the other in
 * a cycle. (JavaScript compares UTF-16 code units, the "C" collation UTF-8 bytes: they disagree
 * only between characters from U+E000 up and those beyond U+FFFF: only there can the two still
 * deadlock, and PostgreSQL then fails one of them.)
 */
function inKeyOrder(pending: Pending[]): BatchItem[] {
  return pending
    .map(({ item }, ord) => ({ ord, ...item }))
    .sort((a, b) => compare(a.ns, b.ns) || compare(a.key, b.key));
}

/**
 * Writes of one key waiting at once; one goes per statement, so more would only queue memory
 * and time: the rest are told to retry (503).
 */
const MAX_WAITING_PER_KEY = 1000;

/** Writes in one statement at most: more than this wait for the next. */
const MAX_BATCH = 100;
/**
 * Batches in flight at once: while one commits, the next gathers and can be on its way;
 * PostgreSQL writes both commits with one flush of its log.
 */
const CONCURRENT_BATCHES = 2;

/**
 * Writes entries of plain namespaces with their events and audit rows, the writes of
 * concurrent requests grouped into one statement and one commit: the common write costs a
 * share of a round trip instead of a five-step transaction, and PostgreSQL starts, plans and
 * commits one statement for many.
 */
@Injectable()
export class PlainEntryWriter {
  private readonly logger = new Logger(PlainEntryWriter.name);
  private readonly batches = new GroupCommit<Pending, PlainWritten>(
    (pending) => this.run(pending),
    {
      maxBatch: MAX_BATCH,
      concurrency: CONCURRENT_BATCHES,
      // Two writes of one key in one statement would meet in one UPDATE: one waits its turn.
      keyOf: ({ item }) => `${item.ns}/${item.key}`,
      maxWaitingPerKey: MAX_WAITING_PER_KEY,
    },
  );

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly feed: ChangeFeed,
  ) {}

  /**
   * The written entity (with its plaintext value, for the response) and whether it was
   * created, once committed; undefined when the write must take the transactional path. The
   * audit context is filled and marked written when the write is done.
   */
  async write(
    namespace: NamespaceEntity,
    request: PlainWrite,
    audit: AuditContext,
    actor: string,
  ): Promise<PlainWritten> {
    const record = audit.record(true, audit.successStatus)!;
    let written: PlainWritten;
    try {
      written = await this.batches.add({
        item: {
          ns: namespace.id,
          key: request.key,
          vtype: request.value.valueType,
          val: request.value.serialized,
          meta_given: request.metadata !== undefined,
          meta: request.metadata ?? null,
          ttl: request.ttl,
          expected: request.expectedVersion ?? null,
          new_id: randomUUID(),
          event_id: randomUUID(),
          at: record.timestamp,
          app: namespace.applicationId,
          actor,
          audit_id: record.id,
          request_id: record.request_id,
        },
        entity: {
          namespaceId: namespace.id,
          keyPath: request.key,
          valueType: request.value.valueType,
          value: request.value.serialized,
        },
      });
    } catch (error) {
      if (error instanceof GroupCommitFull) {
        throw new KvException(
          ErrorCode.SERVICE_UNAVAILABLE,
          'Too many writes of this key are waiting; nothing was written, retry later',
        );
      }
      throw error;
    }
    if (written) {
      audit.entryId = written.entity.id;
      audit.successStatus = written.created ? 201 : 200;
      audit.written = true;
    }
    return written;
  }

  private async run(pending: Pending[]): Promise<PlainWritten[]> {
    let rows: WrittenRow[];
    try {
      ({ rows } = await poolOf(this.dataSource).query<WrittenRow>({
        name: 'kv_write_plain_entries',
        text: WRITE_BATCH,
        values: [JSON.stringify(inKeyOrder(pending))],
      }));
    } catch (error) {
      // Whether it committed is unknown when the connection failed: no second attempt then.
      if (isDatabaseUnavailable(error)) {
        throw error;
      }
      // The code only: a message can quote the input it failed on.
      this.logger.debug(
        `Batched write failed (${String((error as { code?: unknown }).code)}), taking the transactions`,
      );
      return pending.map(() => undefined);
    }
    if (rows.length > 0) {
      this.feed.committed({
        entries: new Set(rows.map((row) => pending[row.ord].item.ns)),
        namespaces: [],
      });
    }
    const results: PlainWritten[] = pending.map(() => undefined);
    for (const row of rows) {
      results[row.ord] = {
        created: row.created,
        entity: {
          ...pending[row.ord].entity,
          id: row.id,
          version: row.version,
          expiresAt: row.expires_at,
          metadata: row.metadata,
          createdAt: row.created_at,
          updatedAt: row.updated_at,
        },
      };
    }
    return results;
  }
}
