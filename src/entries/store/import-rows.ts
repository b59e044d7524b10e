import type { EntityManager } from 'typeorm';
import type { EntryEntity } from '../entry.entity';
import { EntryRow, entryFromRow } from './entry.row';
import { importRows } from './entry.sql';

/** The range an import with prune covers: from `from` up to `before` (to the end without it). */
export interface ImportRange {
  from: string;
  before?: string;
}

/** A row an import found: an entity as stored (secret values sealed), alive or not. */
export type ImportRow = EntryEntity & { alive: boolean };

/** The rows of an import's keys and, with a range, the live entries in it; locked if asked. */
export async function readImportRows(
  manager: EntityManager,
  lock: boolean,
  namespaceId: string,
  keys: string[],
  range: ImportRange | undefined,
): Promise<ImportRow[]> {
  const rows = await manager.query<
    (EntryRow & { alive: boolean; value_ciphertext: Buffer | null })[]
  >(importRows(lock), [
    namespaceId,
    keys,
    range !== undefined,
    range?.from ?? '',
    range?.before ?? null,
  ]);
  return rows.map((row) => ({
    ...entryFromRow(row),
    valueCiphertext: row.value_ciphertext,
    alive: row.alive,
  }));
}
