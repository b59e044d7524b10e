/** What an entry's size in a response depends on. */
export interface SizedEntry {
  keyPath: string;
  value: string | null;
  valueCiphertext?: Buffer | null;
  metadata: string | null;
}

/** What an entry adds to a response beside its value and key: ids, dates, names, metadata. */
const ENTRY_OVERHEAD_BYTES = 256;

/**
 * About how many bytes an entry adds to a response with its value: its stored value (or the
 * ciphertext, a few bytes longer than the value it seals), key path and metadata.
 */
export function responseBytesOf(entry: SizedEntry): number {
  return (
    ENTRY_OVERHEAD_BYTES +
    entry.keyPath.length +
    (entry.value?.length ?? entry.valueCiphertext?.length ?? 0) +
    (entry.metadata?.length ?? 0)
  );
}

/** How many of these entries, from the first, fit in `maxBytes`: one at least. */
export function entriesWithin(entries: SizedEntry[], maxBytes: number): number {
  let bytes = 0;
  for (let i = 0; i < entries.length; i += 1) {
    bytes += responseBytesOf(entries[i]);
    if (bytes > maxBytes && i > 0) {
      return i;
    }
  }
  return entries.length;
}
