/** One row of a folder in the tree of keys: a sub-folder (path ends with /) or a key. */
export type TreeRow =
  { kind: 'folder'; path: string; name: string } | { kind: 'key'; path: string; name: string };

/**
 * The direct children of a folder among listed keys (all under the folder, in key order):
 * each key either is a child or names the sub-folder it lies in. Order is kept, duplicates
 * of a folder dropped.
 */
export function childrenOf(folder: string, keys: readonly string[]): TreeRow[] {
  const rows: TreeRow[] = [];
  const seen = new Set<string>();
  for (const key of keys) {
    if (!key.startsWith(folder)) {
      continue;
    }
    const rest = key.slice(folder.length);
    const slash = rest.indexOf('/');
    if (slash < 0) {
      rows.push({ kind: 'key', path: key, name: rest });
      continue;
    }
    const path = folder + rest.slice(0, slash + 1);
    if (!seen.has(path)) {
      seen.add(path);
      rows.push({ kind: 'folder', path, name: rest.slice(0, slash) });
    }
  }
  return rows;
}

/** The prefix to list a folder with under a filter: the filter where it narrows the folder. */
export function listingPrefix(folder: string, filter: string): string {
  return filter.startsWith(folder) ? filter : folder;
}

/** Whether a folder can hold keys that match the filter (a plain string prefix). */
export function folderMatches(folder: string, filter: string): boolean {
  return folder.startsWith(filter) || filter.startsWith(folder);
}
