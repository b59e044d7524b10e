import type { AuditAction, KvClient } from '../api/kv-client.js';
import { unwrap } from '../api/problem.js';

/** A change of a key, as the watch feed of the revisions issue will report it. */
export interface KeyChange {
  keyPath: string;
  action: AuditAction;
  actor: string | null;
  at: string;
}

const CHANGES: ReadonlySet<AuditAction> = new Set([
  'WRITE',
  'DELETE',
  'ROTATE',
  'ROLLBACK',
  'RESTORE',
]);

/** Every 3 s: each poll is one audited AUDIT_READ, so the console keeps it unhurried. */
export const POLL_INTERVAL_MS = 3000;

/**
 * Reports the successful changes of a namespace's keys, by polling its audit rows since the
 * last poll (it needs kv-audit:read). The one place that knows how changes are found: a watch
 * feed (GET /{nsId}/changes) can replace it behind the same signature. Polls pause while the
 * tab is hidden. Returns the function that stops it.
 */
export function watchNamespace(
  client: KvClient,
  namespaceId: string,
  onChanges: (changes: KeyChange[]) => void,
  intervalMs = POLL_INTERVAL_MS,
): () => void {
  let since = new Date().toISOString();
  const seen = new Set<string>();
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;

  async function poll(): Promise<void> {
    if (!document.hidden) {
      const page = unwrap(
        await client.GET('/api/v1/kv/audit', {
          params: { query: { namespaceId, from: since, success: true, limit: 100 } },
        }),
      );
      const fresh = page.items.filter((row) => !seen.has(row.id));
      fresh.forEach((row) => seen.add(row.id));
      if (page.items.length > 0) {
        since = page.items[0].timestamp;
      }
      const changes = fresh
        .filter((row) => CHANGES.has(row.action) && row.keyPath !== null)
        .reverse()
        .map((row) => ({
          keyPath: row.keyPath ?? '',
          action: row.action,
          actor: row.userId,
          at: row.timestamp,
        }));
      if (changes.length > 0 && !stopped) {
        onChanges(changes);
      }
    }
  }

  const schedule = () => {
    timer = setTimeout(() => {
      poll().then(
        () => !stopped && schedule(),
        // A failed poll (network, 503) is retried at the next tick.
        () => !stopped && schedule(),
      );
    }, intervalMs);
  };
  schedule();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}
