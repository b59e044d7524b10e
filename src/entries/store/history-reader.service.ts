import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { CHANGES_SINCE } from './entry.sql';

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
}
