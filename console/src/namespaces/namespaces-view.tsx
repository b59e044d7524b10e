import { useState } from 'preact/hooks';
import type { NamespaceDto } from '../api/kv-client.js';
import { unwrap } from '../api/problem.js';
import { can } from '../auth/claims.js';
import { Permission } from '../auth/permissions.js';
import { useSession } from '../auth/session.js';
import { ErrorLine } from '../shell/error-line.js';
import { routeHref } from '../shell/route.js';
import { usePaged } from '../shell/use-paged.js';
import { DeleteNamespaceDialog } from './delete-namespace-dialog.js';
import { NamespaceForm } from './namespace-form.js';

type Dialog = { kind: 'create' } | { kind: 'edit' | 'delete'; namespace: NamespaceDto };

/** The caller's namespaces, filtered by application, and their creation, edits and deletion. */
export function NamespacesView() {
  const { client, claims } = useSession();
  const [draftFilter, setDraftFilter] = useState('');
  const [applicationId, setApplicationId] = useState('');
  const [dialog, setDialog] = useState<Dialog>();
  const namespaces = usePaged(
    async (cursor) =>
      unwrap(
        await client.GET('/api/v1/kv/namespaces', {
          params: {
            query: {
              applicationId: applicationId === '' ? undefined : applicationId,
              cursor,
              limit: 50,
            },
          },
        }),
      ),
    [client, applicationId],
  );
  const canWrite = can(claims, Permission.NamespaceWrite);
  const canDelete = can(claims, Permission.NamespaceDelete);
  const close = (changed: unknown) => {
    setDialog(undefined);
    if (changed !== undefined && changed !== false) {
      namespaces.reload();
    }
  };

  return (
    <section aria-labelledby="namespaces-title">
      <div class="title-row">
        <h1 id="namespaces-title">Namespaces</h1>
        <button
          type="button"
          disabled={!canWrite}
          title={canWrite ? undefined : 'Needs kv-namespace:write'}
          onClick={() => setDialog({ kind: 'create' })}
        >
          New namespace
        </button>
      </div>
      <form
        class="filters"
        role="search"
        onSubmit={(event) => {
          event.preventDefault();
          setApplicationId(draftFilter.trim());
        }}
      >
        <label for="filter-app">Application</label>
        <input
          id="filter-app"
          value={draftFilter}
          placeholder="all"
          onInput={(event) => setDraftFilter(event.currentTarget.value)}
        />
        <button type="submit" class="secondary">
          Filter
        </button>
      </form>
      <ErrorLine error={namespaces.error} />
      <table class="grid">
        <caption class="visually-hidden">Namespaces</caption>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Application</th>
            <th scope="col">Kind</th>
            <th scope="col">Default TTL</th>
            <th scope="col">Description</th>
            <th scope="col">
              <span class="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {namespaces.items.map((namespace) => (
            <tr key={namespace.id}>
              <th scope="row">
                <a href={routeHref({ view: 'namespace', id: namespace.id })}>{namespace.name}</a>
              </th>
              <td>{namespace.applicationId}</td>
              <td>
                {namespace.isSecretNamespace ? <span class="badge secret">secret</span> : 'plain'}
              </td>
              <td>
                {namespace.defaultTtlSeconds === null ? 'none' : `${namespace.defaultTtlSeconds} s`}
              </td>
              <td>{namespace.description ?? ''}</td>
              <td class="row-actions">
                <button
                  type="button"
                  class="secondary"
                  disabled={!canWrite}
                  aria-label={`Edit ${namespace.name}`}
                  onClick={() => setDialog({ kind: 'edit', namespace })}
                >
                  Edit
                </button>
                <button
                  type="button"
                  class="danger"
                  disabled={!canDelete}
                  aria-label={`Delete ${namespace.name}`}
                  onClick={() => setDialog({ kind: 'delete', namespace })}
                >
                  Delete
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {!namespaces.loading && namespaces.items.length === 0 && namespaces.error === undefined && (
        <p class="empty">No namespaces{applicationId === '' ? '' : ` of ${applicationId}`}.</p>
      )}
      {namespaces.hasMore && (
        <button
          type="button"
          class="secondary"
          onClick={namespaces.loadMore}
          disabled={namespaces.loading}
        >
          Load more
        </button>
      )}
      {dialog?.kind === 'create' && <NamespaceForm onDone={close} />}
      {dialog?.kind === 'edit' && <NamespaceForm namespace={dialog.namespace} onDone={close} />}
      {dialog?.kind === 'delete' && (
        <DeleteNamespaceDialog namespace={dialog.namespace} onDone={close} />
      )}
    </section>
  );
}
