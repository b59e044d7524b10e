import { useCallback, useEffect, useState } from 'preact/hooks';

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface Paged<T> {
  items: T[];
  loading: boolean;
  error: unknown;
  hasMore: boolean;
  loadMore: () => void;
  reload: () => void;
}

/** Pages of a listing, fetched on demand and appended; a change of `deps` starts over. */
export function usePaged<T>(
  fetchPage: (cursor: string | undefined) => Promise<Page<T>>,
  deps: unknown[],
): Paged<T> {
  const [items, setItems] = useState<T[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<unknown>();
  const [generation, setGeneration] = useState(0);

  const load = useCallback(
    async (from: string | undefined, replace: boolean) => {
      setLoading(true);
      setError(undefined);
      try {
        const page = await fetchPage(from);
        setItems((previous) => (replace ? page.items : [...previous, ...page.items]));
        setCursor(page.nextCursor);
      } catch (caught) {
        setError(caught);
      } finally {
        setLoading(false);
      }
    },
    // The caller names what the fetch depends on, as with useEffect.
    deps,
  );

  useEffect(() => {
    void load(undefined, true);
  }, [load, generation]);

  return {
    items,
    loading,
    error,
    hasMore: cursor !== null,
    loadMore: () => void load(cursor ?? undefined, false),
    reload: () => setGeneration((value) => value + 1),
  };
}
