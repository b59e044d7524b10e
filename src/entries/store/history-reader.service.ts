import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { KeyRange } from '../cache/cached-read.types';
import type { EntryEntity } from '../entry.entity';
import type { ValueType } from '../model/value-type.enum';
import { AS_OF_ONE, AS_OF_PAGE, CHANGES_SINCE } from './entry.sql';

/** One change of an entry at a revision, as the watch reports it: never a value. */
export interface Change {
  revision: number;
  type: string;
  keyPath: string;
  entryId: string;
  version: number;
  actor: string;
  occurredAt: Date;
}

/** Changes after a revision, and where to go on from. */
export interface ChangesPage {
  changes: Change[];
  /** Everything up to here was looked at: the next read starts after it. */
  position: number;
  /** The namespace's revision when read. */
  revision: number;
  /** The oldest revision whose changes are all kept. */
  compacted: number;
  /** Whether the limit cut the read: more may follow at once. */
  cut: boolean;
}

interface ChangeRow {
  ns_revision: string;
  compacted_revision: string;
  revision: string | null;
  type: string;
  key_path: string;
  entry_id: string;
  version: number;
  actor: string;
  occurred_at: Date;
}

/** Entries as a past revision left them. */
export interface AsOf {
  /** The entries (with values as stored, if asked for), in key order. */
  entries: EntryEntity[];
  /** The namespace's revision now, and the oldest readable. */
  revision: number;
  compacted: number;
  /** Whether a snapshot pins the revision read: readable even below `compacted`. */
  pinned: boolean;
  /** Whether a version one of the entries needs is no longer kept. */
  pruned: boolean;
}

interface AsOfRow {
  ns_revision: string;
  compacted_revision: string;
  pinned: boolean;
  key_path: string | null;
  mod_revision: string;
  create_revision: string;
  entry_id: string;
  version: number;
  value: string | null;
  value_ciphertext: Buffer | null;
  value_type: ValueType;
  version_created_at: Date;
  kept: boolean;
}

/**
 * An entry as history keeps it: no metadata or expiry (versions keep values), its times those
 * of the version.
 */
function asOfEntity(namespaceId: string, row: AsOfRow): EntryEntity {
  return {
    id: row.entry_id,
    namespaceId,
    keyPath: row.key_path!,
    valueType: row.value_type,
    value: row.value,
    valueCiphertext: row.value_ciphertext,
    version: row.version,
    expiresAt: null,
    metadata: null,
    createdAt: row.version_created_at,
    updatedAt: row.version_created_at,
    modRevision: Number(row.mod_revision),
    createRevision: Number(row.create_revision),
  };
}

/** Reads a namespace's history by revision (see NamespaceRevisions). */
@Injectable()
export class HistoryReader {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * The changes after `since` (undefined: the current revision) of keys under `prefix`, whole revisions of about `limit`
   * changes at most; undefined for a namespace that does not exist.
   */
  async changesSince(
    namespaceId: string,
    since: number | undefined,
    prefix: string,
    limit: number,
  ): Promise<ChangesPage | undefined> {
    const rows = await this.dataSource.query<ChangeRow[]>(CHANGES_SINCE, [
      namespaceId,
      since ?? null,
      prefix,
      limit,
    ]);
    if (rows.length === 0) {
      return undefined;
    }
    const revision = Number(rows[0].ns_revision);
    const changes = rows
      .filter((row) => row.revision !== null)
      .map((row) => ({
        revision: Number(row.revision),
        type: row.type,
        keyPath: row.key_path,
        entryId: row.entry_id,
        version: row.version,
        actor: row.actor,
        occurredAt: row.occurred_at,
      }));
    const cut = changes.length >= limit;
    return {
      changes,
      position: cut ? changes[changes.length - 1].revision : revision,
      revision,
      compacted: Number(rows[0].compacted_revision),
      cut,
    };
  }

  /** Key `key` as revision `at` left it; undefined for a namespace that does not exist. */
  async one(namespaceId: string, key: string, at: number): Promise<AsOf | undefined> {
    const rows = await this.dataSource.query<AsOfRow[]>(AS_OF_ONE, [namespaceId, key, at]);
    return asOf(namespaceId, rows);
  }

  /** A page of the keys revision `at` left alive (as READ_PAGE); undefined for no namespace. */
  async page(
    namespaceId: string,
    range: KeyRange,
    withValues: boolean,
    at: number,
  ): Promise<AsOf | undefined> {
    const rows = await this.dataSource.query<AsOfRow[]>(AS_OF_PAGE, [
      namespaceId,
      range.from,
      range.after,
      range.before ?? null,
      range.limit,
      withValues,
      at,
    ]);
    return asOf(namespaceId, rows);
  }
}

function asOf(namespaceId: string, rows: AsOfRow[]): AsOf | undefined {
  if (rows.length === 0) {
    return undefined;
  }
  const found = rows.filter((row) => row.key_path !== null);
  return {
    entries: found.map((row) => asOfEntity(namespaceId, row)),
    revision: Number(rows[0].ns_revision),
    compacted: Number(rows[0].compacted_revision),
    pinned: rows[0].pinned,
    pruned: found.some((row) => !row.kept),
  };
}
