import type { NamespaceRef } from '../cache/cached-read.types';
import type { EntryResponses } from '../entry-responses.service';
import type { BulkWriteItem } from '../store/bulk-entry-writer.service';
import type { ImportRow } from '../store/import-rows';
import { ImportPlan, ImportTarget, planImport } from './import-plan';

/**
 * The plan of writing `items` over the rows found (see planImport), their values opened to
 * compare: import and restore, dry run or not, all plan through here.
 */
export async function planFromRows(
  responses: EntryResponses,
  namespace: NamespaceRef,
  items: BulkWriteItem[],
  found: ImportRow[],
  prune: boolean,
): Promise<ImportPlan> {
  const alive = found.filter((row) => row.alive);
  const opened = new Map(
    (await responses.withValues(namespace, alive)).map((entry) => [entry.keyPath, entry]),
  );
  const targets: ImportTarget[] = found.map((row) => ({
    key: row.keyPath,
    version: row.version,
    alive: row.alive,
    valueType: row.valueType,
    value: row.alive ? JSON.stringify(opened.get(row.keyPath)!.value) : null,
  }));
  return planImport(items, targets, prune);
}
