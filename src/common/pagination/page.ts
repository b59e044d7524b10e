/** A page of a list: `nextCursor` is null on the last page. */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/**
 * Builds a page from `limit + 1` fetched rows: the extra row only tells that another page
 * exists, and the cursor is the sort key of the last row returned.
 */
export function toPage<R, T>(
  rows: readonly R[],
  limit: number,
  cursorOf: (row: R) => string,
  map: (row: R) => T,
): Page<T> {
  const items = rows.slice(0, limit);
  const hasMore = rows.length > limit;
  return {
    items: items.map(map),
    nextCursor: hasMore && items.length > 0 ? cursorOf(items[items.length - 1]) : null,
  };
}
