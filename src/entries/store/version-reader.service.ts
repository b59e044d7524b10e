import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { EntryVersionEntity } from '../entry-version.entity';
import type { ValueType } from '../model/value-type.enum';
import type { ChangeReason } from './change-reason.enum';
import { LAST_VERSION, LIST_VERSIONS, READ_VERSION } from './entry.sql';

/** A version of an entry as listed: who changed it, when and why, without its value. */
export type ListedVersion = Pick<
  EntryVersionEntity,
  'version' | 'valueType' | 'changeReason' | 'changedBy' | 'createdAt'
>;

interface VersionRow {
  version: number;
  value_type: ValueType;
  change_reason: ChangeReason;
  changed_by: string;
  created_at: Date;
}

/** A version's value, sealed with the namespace's data key. */
export interface SealedVersion {
  version: number;
  value_type: ValueType;
  value_ciphertext: Buffer;
}

/** A version as stored: its value as JSON text (plain) or sealed (secret), and who made it. */
export interface StoredVersion extends ListedVersion {
  value: string | null;
  valueCiphertext: Buffer | null;
}

function listed(row: VersionRow): ListedVersion {
  return {
    version: row.version,
    valueType: row.value_type,
    changeReason: row.change_reason,
    changedBy: row.changed_by,
    createdAt: row.created_at,
  };
}

/** Reads the kept versions of an entry (one row per change). */
@Injectable()
export class VersionReader {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Up to `limit` versions (older than `before`, if given), newest first. */
  async page(entryId: string, before: number | undefined, limit: number): Promise<ListedVersion[]> {
    const rows = await this.dataSource.query<VersionRow[]>(LIST_VERSIONS, [entryId, before, limit]);
    return rows.map(listed);
  }

  /** Version `version` of the entry, within the caller's transaction (or on its own). */
  async one(
    manager: Pick<EntityManager, 'query'> | undefined,
    entryId: string,
    version: number,
  ): Promise<StoredVersion | undefined> {
    const [row] = await (manager ?? this.dataSource).query<
      (VersionRow & { value: string | null; value_ciphertext: Buffer | null })[]
    >(READ_VERSION, [entryId, version]);
    return (
      row && {
        ...listed(row),
        value: row.value,
        valueCiphertext: row.value_ciphertext,
      }
    );
  }

  /** The entry's last version, within the caller's transaction. */
  async last(manager: EntityManager, entryId: string): Promise<SealedVersion | undefined> {
    const [row] = await manager.query<SealedVersion[]>(LAST_VERSION, [entryId]);
    return row;
  }
}
