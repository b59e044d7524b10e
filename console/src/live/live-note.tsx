import { describeError } from '../api/problem.js';
import type { ChangeType } from './namespace-changes.js';
import type { LiveState } from './use-namespace-changes.js';

const VERB: Record<ChangeType, string> = {
  'kv.entry.created': 'created',
  'kv.entry.updated': 'updated',
  'kv.entry.deleted': 'deleted',
  'kv.entry.expired': 'expired',
  'kv.entry.rotated': 'rotated',
  'kv.entry.rolled_back': 'rolled back',
  'kv.entry.restored': 'restored',
};

/** "config/x updated by alice at 10:02:03", read out by screen readers as it changes. */
export function LiveNote({ live, enabled }: { live: LiveState; enabled: boolean }) {
  if (!enabled) {
    return <p class="hint">Live updates need kv-namespace:read; reload to see others' changes.</p>;
  }
  if (live.stopped !== undefined) {
    return (
      <p class="hint" role="status">
        Live updates stopped ({describeError(live.stopped)}); reload to see others' changes.
      </p>
    );
  }
  const last = live.last;
  return (
    <p class="live-note" role="status">
      {last === undefined
        ? 'Watching for changes.'
        : `${last.keyPath} ${VERB[last.type]} by ${last.actor} at ${new Date(last.at).toLocaleTimeString()}`}
    </p>
  );
}
