import { useEffect, useRef, useState } from 'preact/hooks';
import type { KvClient } from '../api/kv-client.js';
import type { ApiError } from '../api/problem.js';
import { changesReader, type KeyChange, watchNamespace } from './namespace-changes.js';

export interface LiveState {
  /** Grows with every batch of changes and every resync: listings keyed on it read again. */
  revision: number;
  /** Grows when the feed lost its place: everything shown, the open entry too, is read again. */
  resyncs: number;
  /** The latest change, for the "updated by" note. */
  last: KeyChange | undefined;
  /** How many changes of each key were seen since the view opened. */
  changesByKey: ReadonlyMap<string, number>;
  /** Why the watch stopped, when it did. */
  stopped: ApiError | undefined;
}

/**
 * Live changes of the open namespace from its watch feed, while the view is open. The watch
 * starts once `listedRevision` (the revision of the listing shown) is known, from that revision:
 * a change committed after the listing was read and before the first poll is shown too. Later
 * listings do not move it, as the feed already follows them.
 */
export function useNamespaceChanges(
  client: KvClient,
  namespaceId: string,
  enabled: boolean,
  listedRevision: number | undefined,
): LiveState {
  const [state, setState] = useState<LiveState>({
    revision: 0,
    resyncs: 0,
    last: undefined,
    changesByKey: new Map(),
    stopped: undefined,
  });
  const start = useRef(listedRevision);
  start.current = listedRevision;
  const listed = listedRevision !== undefined;
  useEffect(() => {
    if (!enabled || !listed) {
      return undefined;
    }
    // The cleanup runs when the user leaves the namespace or signs out (the client changes).
    return watchNamespace(
      changesReader(client, namespaceId),
      {
        onChanges: (changes) =>
          setState((previous) => {
            const changesByKey = new Map(previous.changesByKey);
            for (const change of changes) {
              changesByKey.set(change.keyPath, (changesByKey.get(change.keyPath) ?? 0) + 1);
            }
            return {
              ...previous,
              revision: previous.revision + 1,
              last: changes[changes.length - 1],
              changesByKey,
            };
          }),
        onResync: () =>
          setState((previous) => ({
            ...previous,
            revision: previous.revision + 1,
            resyncs: previous.resyncs + 1,
          })),
        onStopped: (error) => setState((previous) => ({ ...previous, stopped: error })),
      },
      { sinceRevision: start.current },
    );
  }, [client, namespaceId, enabled, listed]);
  return state;
}
