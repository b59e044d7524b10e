import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { GroupCommit } from '../../database/group-commit';
import { isDataException } from '../../database/is-database-unavailable';
import { poolOf } from '../../database/pg-pool';
import type { Principal } from '../../permissions/principal';
import { EntryCache } from '../cache/entry-cache';
import type {
  FoundPage,
  KeyRange,
  NamespaceAndEntry,
  NamespaceRef,
} from '../cache/cached-read.types';
import type { EntryEntity } from '../entry.entity';
import type { ValueType } from '../model/value-type.enum';
import { EntryRow, entryFromRow } from './entry.row';
import { ImportRange, ImportRow, readImportRows } from './import-rows';
import { namespaceRevision } from './key-revisions';
import { FIND_ALIVE, LIST_DELETED, READ_MANY, READ_ONES, READ_PAGE, READ_RANGE } from './entry.sql';

/**
 * Single-entry reads that miss the cache share a round trip with the ones waiting beside them:
 * at most this many such queries run at once (fewer than the pool's connections, which the
 * writers need too), each of at most READ_BATCH keys. At low load a read goes alone, at once.
 */
const READ_FLUSHES = 4;
const READ_BATCH = 100;

interface KeyToRead {
  namespaceId: string;
  key: string;
}

/** A namespace joined to one of its entries, or to nothing (all entry columns null). */
type ReadRow = EntryRow & {
  ns_revision: string | null;
  ns_application_id: string;
  ns_is_secret: boolean;
  value_ciphertext: Buffer | null;
};

function namespaceOf(id: string, row: ReadRow): NamespaceRef {
  return { id, applicationId: row.ns_application_id, isSecretNamespace: row.ns_is_secret };
}

function entityOf(row: ReadRow): EntryEntity {
  return { ...entryFromRow(row), valueCiphertext: row.value_ciphertext };
}

/** A tombstone that can still be restored. */
export interface DeletedRow {
  key_path: string;
  version: number;
  deleted_at: Date;
  recoverable_until: Date;
}

/** The live entry of a key, without its value. */
export interface AliveEntry {
  id: string;
  version: number;
  valueType: ValueType;
  /** The namespace's revision when read. */
  revision: number;
}

/**
 * Reads entries as stored (secret values sealed), through the read cache: live entries one,
 * a page or a set of keys at a time, and the tombstones a secret namespace can restore.
 */
@Injectable()
export class EntryReader {
  /**
   * One query, one write to the database's socket and one wake-up of its backend for every
   * batch of reads instead of every read: on a cold working set those were the larger part of
   * a GET's CPU. Each read still waits for its own row.
   */
  private readonly reads = new GroupCommit<KeyToRead, ReadRow | undefined>(
    (keys) => this.readKeys(keys),
    {
      maxBatch: READ_BATCH,
      concurrency: READ_FLUSHES,
      // A key PostgreSQL refuses (a data exception) fails its own read only; anything else (a
      // database down, a statement cancelled under load) fails the batch once, not re-run in halves.
      isolateFailures: isDataException,
    },
  );

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly cache: EntryCache,
  ) {}

  private async readKeys(keys: KeyToRead[]): Promise<(ReadRow | undefined)[]> {
    const { rows } = await poolOf(this.dataSource).query<ReadRow & { ord: string }>({
      ...READ_ONES,
      values: [keys.map((k) => k.namespaceId), keys.map((k) => k.key)],
    });
    const found = new Array<ReadRow | undefined>(keys.length);
    for (const row of rows) {
      found[Number(row.ord) - 1] = row;
    }
    return found;
  }

  /**
   * The namespace (undefined if missing) and its live entry under the key. Only a caller of
   * the namespace's application is answered from the cache: anyone else waits for the same
   * database round trip as for a namespace that does not exist, so timing tells them nothing.
   */
  async readOne(
    namespaceId: string,
    key: string,
    caller: Principal,
  ): Promise<NamespaceAndEntry | undefined> {
    const cached = this.cache.get(namespaceId, key);
    if (cached && caller.canAccess(cached.namespace.applicationId)) {
      return cached;
    }
    const ticket = this.cache.ticket(namespaceId);
    const row = await this.reads.add({ namespaceId, key });
    if (!row) {
      return undefined;
    }
    const found = {
      namespace: namespaceOf(namespaceId, row),
      entry: row.id === null ? undefined : entityOf(row),
      revision: Number(row.ns_revision ?? 0),
    };
    this.cache.offer(namespaceId, key, found, ticket);
    return found;
  }

  /**
   * The namespace (undefined if missing) and a page of its live entries, in key order; from
   * the cache, on the same terms as readOne.
   */
  async readPage(
    namespaceId: string,
    range: KeyRange,
    withValues: boolean,
    caller: Principal,
  ): Promise<FoundPage | undefined> {
    const cached = this.cache.getPage(namespaceId, range, withValues);
    if (cached && caller.canAccess(cached.namespace.applicationId)) {
      return cached;
    }
    const ticket = this.cache.ticket(namespaceId);
    const { rows } = await poolOf(this.dataSource).query<ReadRow>({
      ...READ_PAGE,
      values: [
        namespaceId,
        range.from,
        range.after,
        range.before ?? null,
        range.limit,
        withValues,
        caller.applicationScope ?? null,
      ],
    });
    if (rows.length === 0) {
      return undefined;
    }
    const found = {
      namespace: namespaceOf(namespaceId, rows[0]),
      entries: rows.filter((row) => row.id !== null).map(entityOf),
      revision: Number(rows[0].ns_revision ?? 0),
    };
    // A caller of another application is shown no entries: that is no page to keep.
    if (caller.canAccess(found.namespace.applicationId)) {
      this.cache.offerPage(namespaceId, range, withValues, found, ticket);
    }
    return found;
  }

  /**
   * The live entries of these keys of a namespace the caller may see, by key: those the
   * cache holds from it, the others in one statement; and the revision they reflect.
   */
  async readMany(
    namespace: NamespaceRef,
    keys: string[],
  ): Promise<{ found: Map<string, NamespaceAndEntry>; revision: number }> {
    const found = new Map<string, NamespaceAndEntry>();
    // What the cache holds is current up to now: the latest revision any of it was read at.
    let revision = 0;
    // Up to a thousand lookups: moving each to the front of the eviction order cost more
    // than the lookups themselves.
    const missed = keys.filter((key) => {
      const cached = this.cache.get(namespace.id, key, false);
      if (cached) {
        found.set(key, cached);
        revision = Math.max(revision, cached.revision);
      }
      return !cached;
    });
    if (missed.length === 0) {
      return { found, revision };
    }
    const ticket = this.cache.ticket(namespace.id);
    const { rows } = await poolOf(this.dataSource).query<ReadRow>({
      ...READ_MANY,
      values: [namespace.id, missed],
    });
    const { id, applicationId, isSecretNamespace } = namespace;
    revision = Math.max(revision, Number(rows[0].ns_revision ?? 0));
    for (const row of rows.filter((one) => one.id !== null)) {
      const read = {
        namespace: { id, applicationId, isSecretNamespace },
        entry: entityOf(row),
        revision: Number(row.ns_revision ?? 0),
      };
      this.cache.offer(id, row.key_path, read, ticket);
      found.set(row.key_path, read);
    }
    return { found, revision };
  }

  /**
   * Every live entry from `from` up to `before` (to the end without it), as stored, in key order,
   * and the namespace's revision they are: one statement, one snapshot.
   */
  async readRange(
    namespaceId: string,
    from: string,
    before?: string,
  ): Promise<{ entries: EntryEntity[]; revision: number }> {
    const rows = await this.dataSource.query<ReadRow[]>(READ_RANGE, [
      namespaceId,
      from,
      before ?? null,
    ]);
    return {
      entries: rows.filter((row) => row.id !== null).map(entityOf),
      revision: Number(rows[0]?.ns_revision ?? 0),
    };
  }

  /**
   * What an import of these keys (and with a range, a prune of it) finds now, unlocked, and the
   * namespace's revision that is: its dry run, in one snapshot.
   */
  readForImport(
    namespaceId: string,
    keys: string[],
    range: ImportRange | undefined,
  ): Promise<{ rows: ImportRow[]; revision: number }> {
    return this.dataSource.transaction('REPEATABLE READ', async (manager) => ({
      rows: await readImportRows(manager, false, namespaceId, keys, range),
      revision: await namespaceRevision(manager, namespaceId),
    }));
  }

  /** The live entry of a key, without its value, from the database. */
  async findAlive(namespaceId: string, key: string): Promise<AliveEntry | undefined> {
    const [row] = await this.dataSource.query<
      { id: string; version: number; value_type: ValueType; ns_revision: string | null }[]
    >(FIND_ALIVE, [namespaceId, key]);
    return (
      row && {
        id: row.id,
        version: row.version,
        valueType: row.value_type,
        revision: Number(row.ns_revision ?? 0),
      }
    );
  }

  /** The restorable tombstones of a namespace in the range, in key order. */
  listDeleted(namespaceId: string, range: KeyRange): Promise<DeletedRow[]> {
    return this.dataSource.query<DeletedRow[]>(LIST_DELETED, [
      namespaceId,
      range.from,
      range.after,
      range.before ?? null,
      range.limit,
    ]);
  }
}
