import type { LiveState } from './use-namespace-changes.js';

const VERB = {
  WRITE: 'updated',
  DELETE: 'deleted',
  ROTATE: 'rotated',
  ROLLBACK: 'rolled back',
  RESTORE: 'restored',
} as Record<string, string>;

/** "config/x updated by alice at 10:02:03", read out by screen readers as it changes. */
export function LiveNote({ live, enabled }: { live: LiveState; enabled: boolean }) {
  if (!enabled) {
    return <p class="hint">Live updates need kv-audit:read; reload to see others' changes.</p>;
  }
  const last = live.last;
  return (
    <p class="live-note" role="status">
      {last === undefined
        ? 'Watching for changes.'
        : `${last.keyPath} ${VERB[last.action] ?? last.action.toLowerCase()} by ${last.actor ?? 'unknown'} at ${new Date(last.at).toLocaleTimeString()}`}
    </p>
  );
}
