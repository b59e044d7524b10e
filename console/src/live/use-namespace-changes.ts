import { useEffect, useState } from 'preact/hooks';
import type { KvClient } from '../api/kv-client.js';
import { type KeyChange, watchNamespace } from './namespace-changes.js';

export interface LiveState {
  /** Grows with every batch of changes: listings keyed on it read again. */
  revision: number;
  /** The latest change, for the "updated by" note. */
  last: KeyChange | undefined;
  /** How many changes of each key were seen since the view opened. */
  changesByKey: ReadonlyMap<string, number>;
}

/** Live changes of the open namespace; off when the token cannot read the audit log. */
export function useNamespaceChanges(
  client: KvClient,
  namespaceId: string,
  enabled: boolean,
): LiveState {
  const [state, setState] = useState<LiveState>({
    revision: 0,
    last: undefined,
    changesByKey: new Map(),
  });
  useEffect(() => {
    if (!enabled) {
      return undefined;
    }
    return watchNamespace(client, namespaceId, (changes) =>
      setState((previous) => {
        const changesByKey = new Map(previous.changesByKey);
        for (const change of changes) {
          changesByKey.set(change.keyPath, (changesByKey.get(change.keyPath) ?? 0) + 1);
        }
        return { revision: previous.revision + 1, last: changes[changes.length - 1], changesByKey };
      }),
    );
  }, [client, namespaceId, enabled]);
  return state;
}
