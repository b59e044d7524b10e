import { useEffect, useMemo, useState } from 'preact/hooks';
import type { AuditLogDto, NamespaceDto } from '../api/kv-client.js';
import { unwrap } from '../api/problem.js';
import { can } from '../auth/claims.js';
import { Permission } from '../auth/permissions.js';
import { useSession } from '../auth/session.js';
import { ErrorLine } from '../shell/error-line.js';
import { usePaged } from '../shell/use-paged.js';
import { ActivityPanel } from './activity-panel.js';
import { AUDIT_ACTIONS, type AuditFilters, NO_FILTERS, auditQuery } from './audit-filters.js';

/** The audit log of the caller's applications, filtered, with its activity over time. */
export function AuditView() {
  const { client, claims } = useSession();
  const [draft, setDraft] = useState<AuditFilters>(NO_FILTERS);
  const [filters, setFilters] = useState<AuditFilters>(NO_FILTERS);
  const [namespaces, setNamespaces] = useState<NamespaceDto[]>([]);
  const rows = usePaged(
    async (cursor) =>
      unwrap(
        await client.GET('/api/v1/kv/audit', {
          params: { query: { ...auditQuery(filters), cursor, limit: 50 } },
        }),
      ),
    [client, filters],
  );
  useEffect(() => {
    client.GET('/api/v1/kv/namespaces', { params: { query: { limit: 200 } } }).then(
      (result) => setNamespaces(result.data?.items ?? []),
      () => setNamespaces([]),
    );
  }, [client]);
  const names = useMemo(() => new Map(namespaces.map((ns) => [ns.id, ns.name])), [namespaces]);
  const set = (change: Partial<AuditFilters>) => setDraft({ ...draft, ...change });

  if (!can(claims, Permission.AuditRead)) {
    return <p class="hint">The audit log needs kv-audit:read.</p>;
  }
  return (
    <section aria-labelledby="audit-title">
      <h1 id="audit-title">Audit log</h1>
      <form
        class="filters grid-form"
        role="search"
        aria-label="Audit filters"
        onSubmit={(event) => {
          event.preventDefault();
          setFilters(draft);
        }}
      >
        <label for="audit-ns">Namespace</label>
        <select
          id="audit-ns"
          value={draft.namespaceId}
          onChange={(event) => set({ namespaceId: event.currentTarget.value })}
        >
          <option value="">any</option>
          {namespaces.map((ns) => (
            <option key={ns.id} value={ns.id}>
              {ns.applicationId} / {ns.name}
            </option>
          ))}
        </select>
        <label for="audit-key">Key</label>
        <input
          id="audit-key"
          value={draft.keyPath}
          onInput={(event) => set({ keyPath: event.currentTarget.value })}
        />
        <label for="audit-user">User</label>
        <input
          id="audit-user"
          value={draft.userId}
          onInput={(event) => set({ userId: event.currentTarget.value })}
        />
        <label for="audit-action">Action</label>
        <select
          id="audit-action"
          value={draft.action}
          onChange={(event) => set({ action: event.currentTarget.value as AuditFilters['action'] })}
        >
          <option value="">any</option>
          {AUDIT_ACTIONS.map((action) => (
            <option key={action} value={action}>
              {action}
            </option>
          ))}
        </select>
        <label for="audit-success">Outcome</label>
        <select
          id="audit-success"
          value={draft.success}
          onChange={(event) =>
            set({ success: event.currentTarget.value as AuditFilters['success'] })
          }
        >
          <option value="">any</option>
          <option value="true">success</option>
          <option value="false">failure</option>
        </select>
        <label for="audit-from">From</label>
        <input
          id="audit-from"
          type="datetime-local"
          step={1}
          value={draft.from}
          onInput={(event) => set({ from: event.currentTarget.value })}
        />
        <label for="audit-to">To</label>
        <input
          id="audit-to"
          type="datetime-local"
          step={1}
          value={draft.to}
          onInput={(event) => set({ to: event.currentTarget.value })}
        />
        <div class="actions">
          <button type="submit">Apply filters</button>
          <button
            type="button"
            class="secondary"
            onClick={() => {
              setDraft(NO_FILTERS);
              setFilters(NO_FILTERS);
            }}
          >
            Clear
          </button>
        </div>
      </form>
      <ActivityPanel filters={filters} />
      <ErrorLine error={rows.error} />
      <AuditTable rows={rows.items} names={names} />
      {rows.hasMore && (
        <button type="button" class="secondary" onClick={rows.loadMore} disabled={rows.loading}>
          Older rows
        </button>
      )}
    </section>
  );
}

function AuditTable({ rows, names }: { rows: AuditLogDto[]; names: Map<string, string> }) {
  return (
    <table class="grid audit">
      <caption class="visually-hidden">Audit rows, newest first</caption>
      <thead>
        <tr>
          <th scope="col">When</th>
          <th scope="col">Action</th>
          <th scope="col">Outcome</th>
          <th scope="col">User</th>
          <th scope="col">Namespace</th>
          <th scope="col">Key</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={row.id}>
            <td>
              <time dateTime={row.timestamp}>{new Date(row.timestamp).toLocaleString()}</time>
            </td>
            <td>{row.action}</td>
            <td class={row.success ? undefined : 'failure'}>
              {row.success ? 'success' : 'failure'} ({row.statusCode})
            </td>
            <td>{row.userId ?? '—'}</td>
            <td>
              {row.namespaceId === null ? '—' : (names.get(row.namespaceId) ?? row.namespaceId)}
            </td>
            <td>{row.keyPath ?? '—'}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
