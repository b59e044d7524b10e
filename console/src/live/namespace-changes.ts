import type { KvClient, Schemas } from '../api/kv-client.js';
import { ApiError, unwrap } from '../api/problem.js';

export type ChangeType = Schemas['ChangeDto']['type'];

/** A change of a key, as the namespace's watch feed reports it (never a value). */
export interface KeyChange {
  revision: number;
  keyPath: string;
  type: ChangeType;
  actor: string;
  at: string;
}

export interface ChangesPage {
  items: KeyChange[];
  /** Every change up to this revision was answered: where the next read starts. */
  revision: number;
}

/** One long-poll of the feed: the changes after `since` (undefined: from now on). */
export type ReadChanges = (since: number | undefined, signal: AbortSignal) => Promise<ChangesPage>;

export interface WatchHandlers {
  onChanges: (changes: KeyChange[]) => void;
  /** The position left the history kept: what was missed is unknown, so read everything again. */
  onResync: () => void;
  /** A refusal that a retry would not change (403, 404): the watch has stopped. */
  onStopped: (error: ApiError) => void;
}

/** Each answer waits up to this long for a change, and is one audited WATCH. */
export const WAIT_SECONDS = 25;
/** After a failure that may pass (network, 429, 503), the next try waits this long. */
export const RETRY_MS = 3000;

export interface WatchOptions {
  /**
   * Where the watch starts: the revision of what the user is looking at, so every change after
   * it is reported. Undefined: from the namespace's revision when the first read arrives.
   */
  sinceRevision?: number;
  retryMs?: number;
}

/** The feed of GET /{nsId}/changes as long-polls of the generated client, token in its header. */
export function changesReader(client: KvClient, namespaceId: string): ReadChanges {
  return async (since, signal) => {
    const page = unwrap(
      await client.GET('/api/v1/kv/{nsId}/changes', {
        params: {
          path: { nsId: namespaceId },
          query: { sinceRevision: since, waitSeconds: WAIT_SECONDS },
        },
        headers: { Accept: 'application/json' },
        signal,
      }),
    );
    if (typeof page === 'string') {
      // Asked for JSON: text here would be a stream the console did not ask for.
      throw new ApiError(200, 'HTTP_ERROR', 'the watch feed answered a stream, not JSON');
    }
    return {
      revision: page.revision,
      items: page.items.map((item) => ({
        revision: item.revision,
        keyPath: item.keyPath,
        type: item.type,
        actor: item.actor,
        at: item.occurredAt,
      })),
    };
  };
}

function passing(error: unknown): boolean {
  return !(error instanceof ApiError) || error.status >= 500 || [408, 429].includes(error.status);
}

/**
 * Follows a namespace's changes after `sinceRevision`, each read resuming after the last revision
 * answered, so none is missed or seen twice. On 410 REVISION_COMPACTED it asks for a resync and
 * resumes from the revision the problem names. Returns the function that stops it, which also
 * cuts the read in flight.
 */
export function watchNamespace(
  read: ReadChanges,
  handlers: WatchHandlers,
  { sinceRevision, retryMs = RETRY_MS }: WatchOptions = {},
): () => void {
  const controller = new AbortController();
  const { signal } = controller;
  let since = sinceRevision;

  async function follow(): Promise<void> {
    while (!signal.aborted) {
      try {
        const page = await read(since, signal);
        since = page.revision;
        if (page.items.length > 0 && !signal.aborted) {
          handlers.onChanges(page.items);
        }
      } catch (error) {
        if (signal.aborted) {
          return;
        }
        if (error instanceof ApiError && error.code === 'REVISION_COMPACTED') {
          since = error.revision;
          handlers.onResync();
        } else if (passing(error)) {
          await pause(retryMs, signal);
        } else {
          handlers.onStopped(error as ApiError);
          return;
        }
      }
    }
  }

  void follow();
  return () => controller.abort();
}

function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}
