import { useEffect, useState } from 'preact/hooks';
import type { NamespaceDto } from '../api/kv-client.js';
import { unwrap } from '../api/problem.js';
import { can } from '../auth/claims.js';
import { Permission } from '../auth/permissions.js';
import { useSession } from '../auth/session.js';
import { draftOf, type EntryDraft } from '../entries/entry-draft.js';
import { EntryEditor } from '../entries/entry-editor.js';
import { EntryPanel } from '../entries/entry-panel.js';
import { EntryTree } from '../entries/entry-tree.js';
import { LiveNote } from '../live/live-note.js';
import { useNamespaceChanges } from '../live/use-namespace-changes.js';
import { ErrorLine } from '../shell/error-line.js';
import { navigate, routeHref } from '../shell/route.js';
import { ExportDialog } from '../transfer/export-dialog.js';
import { ImportDialog } from '../transfer/import-dialog.js';

interface Props {
  id: string;
  openKey: string | undefined;
}

/** One namespace: its keys as a tree, the open entry, a new-entry form, import and export, live changes. */
export function NamespaceView({ id, openKey }: Props) {
  const { client, claims } = useSession();
  const [namespace, setNamespace] = useState<NamespaceDto>();
  const [error, setError] = useState<unknown>();
  const [filter, setFilter] = useState('');
  const [creating, setCreating] = useState<EntryDraft>();
  const [ownRevision, setOwnRevision] = useState(0);
  const [transfer, setTransfer] = useState<'import' | 'export'>();
  const [listedRevision, setListedRevision] = useState<number>();
  const canWatch = can(claims, Permission.NamespaceRead);
  const live = useNamespaceChanges(client, id, canWatch, listedRevision);

  useEffect(() => {
    client.GET('/api/v1/kv/namespaces/{id}', { params: { path: { id } } }).then(
      (result) => setNamespace(unwrap(result)),
      (caught: unknown) => setError(caught),
    );
  }, [client, id, live.resyncs]);

  useEffect(() => {
    setCreating(undefined);
  }, [openKey]);

  if (namespace === undefined) {
    return <ErrorLine error={error} />;
  }
  const revision = live.revision + ownRevision;
  const canWrite = can(claims, Permission.EntryWrite);
  const canRead = can(claims, Permission.EntryRead);
  const canImport = canRead && canWrite;
  return (
    <section class="namespace" aria-labelledby="namespace-title">
      <p class="crumbs">
        <a href={routeHref({ view: 'namespaces' })}>Namespaces</a> / {namespace.applicationId}
      </p>
      <div class="title-row">
        <h1 id="namespace-title">
          {namespace.name} {namespace.isSecretNamespace && <span class="badge secret">secret</span>}
        </h1>
        <div class="actions">
          <button
            type="button"
            class="secondary"
            disabled={!canImport}
            title={canImport ? undefined : 'Needs kv-entry:read and kv-entry:write'}
            onClick={() => setTransfer('import')}
          >
            Import
          </button>
          <button
            type="button"
            class="secondary"
            disabled={!canRead}
            title={canRead ? undefined : 'Needs kv-entry:read'}
            onClick={() => setTransfer('export')}
          >
            Export
          </button>
          <button
            type="button"
            disabled={!canWrite}
            title={canWrite ? undefined : 'Needs kv-entry:write'}
            onClick={() => setCreating(draftOf(filter, undefined, undefined))}
          >
            New entry
          </button>
        </div>
      </div>
      <LiveNote live={live} enabled={canWatch} />
      {transfer === 'import' && (
        <ImportDialog
          namespace={namespace}
          onClose={() => setTransfer(undefined)}
          onImported={() => setOwnRevision((value) => value + 1)}
        />
      )}
      {transfer === 'export' && (
        <ExportDialog namespace={namespace} onClose={() => setTransfer(undefined)} />
      )}
      <div class="split">
        <div class="keys">
          <label for="key-filter">Key prefix</label>
          <input
            id="key-filter"
            type="search"
            value={filter}
            placeholder="config/"
            onInput={(event) => setFilter(event.currentTarget.value)}
          />
          <EntryTree
            namespaceId={namespace.id}
            filter={filter}
            openKey={openKey}
            revision={revision}
            onListed={(listed) => setListedRevision((first) => first ?? listed)}
          />
        </div>
        <div class="detail">
          {creating !== undefined ? (
            <EntryEditor
              namespace={namespace}
              base={undefined}
              baseText={undefined}
              draft={creating}
              onDraft={setCreating}
              onSaved={(entry) => {
                setCreating(undefined);
                setOwnRevision((value) => value + 1);
                navigate({ view: 'namespace', id: namespace.id, key: entry.keyPath });
              }}
              onCancel={() => setCreating(undefined)}
            />
          ) : openKey !== undefined ? (
            <EntryPanel
              key={openKey}
              namespace={namespace}
              keyPath={openKey}
              revision={(live.changesByKey.get(openKey) ?? 0) + live.resyncs}
              onChanged={() => setOwnRevision((value) => value + 1)}
              onDeleted={() => {
                setOwnRevision((value) => value + 1);
                navigate({ view: 'namespace', id: namespace.id });
              }}
            />
          ) : (
            <p class="empty">Choose a key, or create one.</p>
          )}
        </div>
      </div>
    </section>
  );
}
