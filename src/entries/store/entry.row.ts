import type { EntryEntity } from '../entry.entity';
import type { ValueType } from '../model/value-type.enum';

/** A row of `entries` as RETURNING * gives it. */
export interface EntryRow {
  id: string;
  namespace_id: string;
  key_path: string;
  value_type: ValueType;
  value: string;
  version: number;
  expires_at: Date | null;
  metadata: string | null;
  created_at: Date;
  updated_at: Date;
  /** See entryRevisions; bigint text, null before revisions, absent where not read. */
  mod_revision?: string | null;
  create_revision?: string | null;
}

export function entryFromRow(row: EntryRow): EntryEntity {
  return {
    id: row.id,
    namespaceId: row.namespace_id,
    keyPath: row.key_path,
    valueType: row.value_type,
    value: row.value,
    version: row.version,
    expiresAt: row.expires_at,
    metadata: row.metadata,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    ...(row.mod_revision === undefined
      ? {}
      : {
          modRevision: Number(row.mod_revision ?? 0),
          createRevision: Number(row.create_revision ?? 0),
        }),
  };
}

/** TypeORM answers UPDATE/DELETE … RETURNING with [rows, count] and INSERT with rows. */
export function returnedRows<T>(result: unknown): T[] {
  const [first] = result as unknown[];
  return (Array.isArray(first) ? first : result) as T[];
}
