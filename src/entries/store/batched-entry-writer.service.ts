import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { AuditRecord } from '../../audit/audit-record';
import { ErrorCode } from '../../common/errors/error-code.enum';
import { KvException } from '../../common/errors/kv.exception';
import { GroupCommit, GroupCommitFull } from '../../database/group-commit';
import { isDatabaseUnavailable } from '../../database/is-database-unavailable';
import { poolOf } from '../../database/pg-pool';
import { ChangeFeed } from '../../events/change-feed.service';
import { KvEvent, KvEventType, entryEvent, orderingKeyOf } from '../../events/kv-event.types';
import type { NamespaceEntity } from '../../namespaces/namespace.entity';
import { WRITE_BATCH } from './entry.sql';
import type { ValueInput } from '../model/entry-value';
import type { EntryEntity } from '../entry.entity';

export interface BatchedWrite {
  key: string;
  value: ValueInput;
  /** JSON text of the metadata; undefined keeps the current metadata. */
  metadata: string | null | undefined;
  /** Seconds to live, null for never. */
  ttl: number | null;
  expectedVersion: number | undefined;
}

/** One write of a batch, as the statement reads it (JSON keyed by these names). */
export interface BatchItem {
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
  ordering: string;
  /** As if the write creates the entry; the statement fills in type, id and version. */
  event: KvEvent;
  /** The request's audit record; the statement fills in the entry id and the status. */
  audit: AuditRecord;
  /** The namespace's maxVersions: older versions go with the write. */
  max_versions: number | null;
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
  /** The namespace's revision this batch made (bigint text). */
  revision: string;
  /** An update's: the revision that created the key's incarnation (null before revisions). */
  prior_create_revision: string | null;
}

interface Pending {
  item: Omit<BatchItem, 'ord'>;
  entity: Pick<EntryEntity, 'namespaceId' | 'keyPath' | 'valueType' | 'value'>;
}

export type BatchedWritten =
  | {
      entity: EntryEntity;
      created: boolean;
      /** The namespace's, after the write. */ revision: number;
    }
  | undefined;

/**
 * A write as the batch statement reads it: its event as if it creates the entry, and the
 * request's audit record, both completed by the statement.
 */
export function batchItemOf(
  namespace: Pick<NamespaceEntity, 'id' | 'applicationId' | 'maxVersions'>,
  request: BatchedWrite,
  audit: AuditRecord,
  actor: string,
): Omit<BatchItem, 'ord'> {
  const newId = randomUUID();
  const event = entryEvent(
    KvEventType.EntryCreated,
    namespace,
    { id: newId, keyPath: request.key, version: 1 },
    actor,
  );
  return {
    ns: namespace.id,
    key: request.key,
    vtype: request.value.valueType,
    val: request.value.serialized,
    meta_given: request.metadata !== undefined,
    meta: request.metadata ?? null,
    ttl: request.ttl,
    expected: request.expectedVersion ?? null,
    new_id: newId,
    ordering: orderingKeyOf(event),
    event,
    audit,
    max_versions: namespace.maxVersions,
  };
}

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
 * concurrent requests grouped into one statement and one commit (WRITE_BATCH): the common
 * write costs a share of a round trip instead of a five-step transaction, and PostgreSQL
 * starts, plans and commits one statement for many. What it cannot decide it leaves to the
 * LockingEntryWriter, and counts (`fallbacks`, in /metrics).
 */
@Injectable()
export class BatchedEntryWriter {
  private readonly logger = new Logger(BatchedEntryWriter.name);
  /**
   * Writes left to the locking writer since start: because the batch's statement failed, or
   * because it could not decide them (a tombstone or expired row in the way, a version that
   * does not match, a racing first insert).
   */
  readonly fallbacks = { failed: 0, undecided: 0 };
  private readonly batches = new GroupCommit<Pending, BatchedWritten>(
    (pending) => this.run(pending),
    {
      maxBatch: MAX_BATCH,
      concurrency: CONCURRENT_BATCHES,
      // Two writes of one key in one statement would meet in one UPDATE: one waits its turn.
      keyOf: ({ item }) => `${item.ns}/${item.key}`,
      maxWaitingPerKey: MAX_WAITING_PER_KEY,
      // A batch holds its namespaces' revision counters until it commits (see
      // NamespaceRevisions): a second batch of one of them would wait for that commit.
      groupOf: ({ item }) => item.ns,
    },
  );

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly feed: ChangeFeed,
  ) {}

  /**
   * The written entity (with its plaintext value, for the response) and whether it was
   * created, once committed with its event and `audit`, the request's audit record; undefined
   * when the write must take the transactional path.
   */
  async write(
    namespace: Pick<NamespaceEntity, 'id' | 'applicationId' | 'maxVersions'>,
    request: BatchedWrite,
    audit: AuditRecord,
    actor: string,
  ): Promise<BatchedWritten> {
    try {
      return await this.batches.add({
        item: batchItemOf(namespace, request, audit, actor),
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
  }

  private async run(pending: Pending[]): Promise<BatchedWritten[]> {
    let rows: WrittenRow[];
    try {
      ({ rows } = await poolOf(this.dataSource).query<WrittenRow>({
        ...WRITE_BATCH,
        values: [JSON.stringify(inKeyOrder(pending))],
      }));
    } catch (error) {
      // Whether it committed is unknown when the connection failed: no second attempt then.
      if (isDatabaseUnavailable(error)) {
        throw error;
      }
      // The code only: a message can quote the input it failed on.
      this.logger.warn(
        `A batch of ${pending.length} write(s) failed (${String((error as { code?: unknown }).code)}); each takes the locking writer`,
      );
      this.fallbacks.failed += pending.length;
      return pending.map(() => undefined);
    }
    if (rows.length > 0) {
      this.feed.committed({
        entries: rows.map((row) => pending[row.ord].item.ordering),
        namespaces: [],
      });
    }
    this.fallbacks.undecided += pending.length - rows.length;
    const results: BatchedWritten[] = pending.map(() => undefined);
    for (const row of rows) {
      const revision = Number(row.revision);
      results[row.ord] = {
        created: row.created,
        revision,
        entity: {
          ...pending[row.ord].entity,
          id: row.id,
          version: row.version,
          expiresAt: row.expires_at,
          metadata: row.metadata,
          createdAt: row.created_at,
          updatedAt: row.updated_at,
          modRevision: revision,
          createRevision: row.created ? revision : Number(row.prior_create_revision ?? 0),
        },
      };
    }
    return results;
  }
}
