import { unwrap } from './cli-error';

interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** Every item of a paged list, following nextCursor. */
export async function allItems<T>(
  fetchPage: (
    cursor: string | undefined,
  ) => Promise<{ data?: Page<T>; error?: unknown; response: Response }>,
): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | undefined;
  do {
    const page = unwrap(await fetchPage(cursor));
    items.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor !== undefined);
  return items;
}
