import type { components } from '../../../clients/typescript/src';
import { problemLine } from './cli-error';
import type { Settings } from './settings';

type ChangesPage = components['schemas']['ChangesPageDto'];

/** How long one long-poll of the feed waits for a change (the service allows 60 s). */
const LONG_POLL_SECONDS = 25;
/** How long to wait before asking again after a failed look. */
const RETRY_MS = 2000;

/** What a watch follows and how it tells of trouble. */
export interface WatchOptions {
  nsId: string;
  /** Only changes of keys starting with this ('' for all). */
  prefix: string;
  /** How long the namespace must stay unchanged before a burst counts as over. */
  quietSeconds: number;
  /** Ends the watch, an open long-poll included. */
  signal: AbortSignal;
  warn: (line: string) => void;
}

/** A look at the feed: its page, or the revision a 410 says to resync from. */
type Look = { page: ChangesPage } | { resyncFrom: number };

async function look(
  settings: Settings,
  options: WatchOptions,
  since: number,
  waitSeconds: number,
): Promise<Look> {
  const { data, error, response } = await settings.client.GET('/api/v1/kv/{nsId}/changes', {
    params: {
      path: { nsId: options.nsId },
      query: { sinceRevision: since, prefix: options.prefix, waitSeconds, limit: 1000 },
    },
    headers: { accept: 'application/json' },
    signal: options.signal,
  });
  if (response.ok) {
    return { page: data as ChangesPage };
  }
  const problem = error as { code?: string; revision?: number } | undefined;
  if (response.status === 410 && typeof problem?.revision === 'number') {
    return { resyncFrom: problem.revision };
  }
  throw new Error(problemLine(error, response.status));
}

/**
 * Follows the namespace's watch feed (GET /{nsId}/changes, long-poll) from revision `since` and
 * calls `onBurst` once per burst of changes: after a change, once the feed has stayed quiet for
 * `quietSeconds`. `onBurst` answers the revision to follow on from (that of what it read). A
 * 410 (history compacted past the position) is a burst too: `onBurst` reads the namespace
 * anew, after the revision the problem names. Ends when the signal aborts.
 */
export async function watchBursts(
  settings: Settings,
  options: WatchOptions,
  since: number,
  onBurst: () => Promise<number>,
): Promise<void> {
  let position = since;
  let failing = false;
  while (!options.signal.aborted) {
    try {
      let found = await look(settings, options, position, LONG_POLL_SECONDS);
      if ('page' in found) {
        position = found.page.revision;
        if (found.page.items.length === 0) {
          failing = false;
          continue;
        }
        // A burst: wait until a look of quietSeconds finds nothing more.
        do {
          found = await look(settings, options, position, options.quietSeconds);
          if ('page' in found) {
            position = found.page.revision;
          }
        } while ('page' in found && found.page.items.length > 0);
      }
      if ('resyncFrom' in found) {
        position = found.resyncFrom;
      }
      position = Math.max(position, await onBurst());
      failing = false;
    } catch (error) {
      if (options.signal.aborted) {
        return;
      }
      if (!failing) {
        options.warn(`cannot watch: ${(error as Error).message}`);
        failing = true;
      }
      await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
    }
  }
}
