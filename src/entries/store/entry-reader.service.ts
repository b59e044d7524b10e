import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
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
import { LIST_DELETED, READ_ALIVE, READ_MANY, READ_ONE, READ_PAGE, READ_RANGE } from './entry.sql';

/** A namespace joined to one of its entries, or to nothing (all entry columns null). */
type ReadRow = EntryRow & {
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
}

/**
 * Reads entries as stored (secret values sealed), through the read cache: live entries one,
 * a page or a set of keys at a time, and the tombstones a secret namespace can restore.
 */
@Injectable()
export class EntryReader {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly cache: EntryCache,
  ) {}

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
    const { rows } = await poolOf(this.dataSource).query<ReadRow>({
      ...READ_ONE,
      values: [namespaceId, key],
    });
    const row = rows[0];
    if (!row) {
      return undefined;
    }
    const found = {
      namespace: namespaceOf(namespaceId, row),
      entry: row.id === null ? undefined : entityOf(row),
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
    };
    // A caller of another application is shown no entries: that is no page to keep.
    if (caller.canAccess(found.namespace.applicationId)) {
      this.cache.offerPage(namespaceId, range, withValues, found, ticket);
    }
    return found;
  }

  /**
   * The live entries of these keys of a namespace the caller may see, by key: those the
   * cache holds from it, the others in one statement.
   */
  async readMany(namespace: NamespaceRef, keys: string[]): Promise<Map<string, NamespaceAndEntry>> {
    const found = new Map<string, NamespaceAndEntry>();
    // Up to a thousand lookups: moving each to the front of the eviction order cost more
    // than the lookups themselves.
    const missed = keys.filter((key) => {
      const cached = this.cache.get(namespace.id, key, false);
      if (cached) {
        found.set(key, cached);
      }
      return !cached;
    });
    if (missed.length === 0) {
      return found;
    }
    const ticket = this.cache.ticket(namespace.id);
    const { rows } = await poolOf(this.dataSource).query<ReadRow>({
      ...READ_MANY,
      values: [namespace.id, missed],
    });
    const { id, applicationId, isSecretNamespace } = namespace;
    for (const row of rows) {
      const read = { namespace: { id, applicationId, isSecretNamespace }, entry: entityOf(row) };
      this.cache.offer(id, row.key_path, read, ticket);
      found.set(row.key_path, read);
    }
    return found;
  }

  /** Every live entry from `from` up to `before` (to the end without it), as stored, in key order. */
  async readRange(namespaceId: string, from: string, before?: string): Promise<EntryEntity[]> {
    const rows = await this.dataSource.query<ReadRow[]>(READ_RANGE, [
      namespaceId,
      from,
      before ?? null,
    ]);
    return rows.map(entityOf);
  }

  /** What an import of these keys (and with a range, a prune of it) finds now, unlocked: its dry run. */
  readForImport(
    namespaceId: string,
    keys: string[],
    range: ImportRange | undefined,
  ): Promise<ImportRow[]> {
    return readImportRows(this.dataSource.manager, false, namespaceId, keys, range);
  }

  /** The live entry of a key, without its value, from the database. */
  async findAlive(namespaceId: string, key: string): Promise<AliveEntry | undefined> {
    const [row] = await this.dataSource.query<
      { id: string; version: number; value_type: ValueType }[]
    >(READ_ALIVE, [namespaceId, key]);
    return row && { id: row.id, version: row.version, valueType: row.value_type };
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
