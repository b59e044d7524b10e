import type { ValueType } from '../model/value-type.enum';
import type { BulkWriteItem } from '../store/bulk-entry-writer.service';

/** A key's row as an import finds it, locked: alive or not, with its value's JSON text. */
export interface ImportTarget {
  key: string;
  version: number;
  alive: boolean;
  valueType: ValueType;
  /** Plaintext JSON text of a live entry's value. */
  value: string | null;
}

export interface PlannedKey {
  key: string;
  version: number;
}

/** What an import changes; versions are those the change gives (or leaves, or deletes). */
export interface ImportPlan {
  created: PlannedKey[];
  updated: (PlannedKey & { previousVersion: number })[];
  unchanged: PlannedKey[];
  deleted: PlannedKey[];
  /** The items to write: the created and updated ones. */
  writes: BulkWriteItem[];
}

function sameValue(item: BulkWriteItem, target: ImportTarget): boolean {
  return (
    target.valueType === item.valueType &&
    target.value !== null &&
    JSON.stringify(JSON.parse(target.value)) === JSON.stringify(JSON.parse(item.serialized))
  );
}

/**
 * The plan of an import from what it found: a key with the same type and value is left as it
 * is (metadata and expiry included); with prune, each live key in scope that the document does
 * not name is deleted. Dry run and import both apply this, so they cannot differ.
 */
export function planImport(
  items: BulkWriteItem[],
  found: ImportTarget[],
  prune: boolean,
): ImportPlan {
  const byKey = new Map(found.map((target) => [target.key, target]));
  const plan: ImportPlan = { created: [], updated: [], unchanged: [], deleted: [], writes: [] };
  for (const item of items) {
    const target = byKey.get(item.key);
    if (target?.alive && sameValue(item, target)) {
      plan.unchanged.push({ key: item.key, version: target.version });
      continue;
    }
    const version = (target?.version ?? 0) + 1;
    if (target?.alive) {
      plan.updated.push({ key: item.key, version, previousVersion: target.version });
    } else {
      plan.created.push({ key: item.key, version });
    }
    plan.writes.push(item);
  }
  if (prune) {
    const named = new Set(items.map((item) => item.key));
    plan.deleted = found
      .filter((target) => target.alive && !named.has(target.key))
      .map((target) => ({ key: target.key, version: target.version }));
  }
  return plan;
}
