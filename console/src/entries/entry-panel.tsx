import { useEffect, useState } from 'preact/hooks';
import type { EntryDto, NamespaceDto } from '../api/kv-client.js';
import { unwrap } from '../api/problem.js';
import { can } from '../auth/claims.js';
import { Permission } from '../auth/permissions.js';
import { useSession } from '../auth/session.js';
import { VersionHistory } from '../history/version-history.js';
import { ErrorLine } from '../shell/error-line.js';
import { type EntryDraft, draftOf } from './entry-draft.js';
import { EntryEditor } from './entry-editor.js';
import { describeEntry, readEntry } from './entry-source.js';
import { SecretValue } from './secret-value.js';
import { TtlCountdown } from './ttl-countdown.js';
import { formatValue } from './value-codec.js';

interface Props {
  namespace: NamespaceDto;
  keyPath: string;
  /** Grows when this key changed elsewhere: the panel reads it again. */
  revision: number;
  onChanged: () => void;
  onDeleted: () => void;
}

/**
 * One entry: metadata, expiry, its value (a secret masked until Reveal), the editor and, for
 * secrets, the history. Mounted per key, so a revealed value is forgotten on navigation.
 */
export function EntryPanel({ namespace, keyPath, revision, onChanged, onDeleted }: Props) {
  const { client, claims } = useSession();
  const [entry, setEntry] = useState<EntryDto>();
  const [revealed, setRevealed] = useState<EntryDto>();
  const [draft, setDraft] = useState<EntryDraft>();
  // An edit keeps the version it started from, whatever is read meanwhile: its If-Match.
  const [editBase, setEditBase] = useState<{ entry: EntryDto; text: string | undefined }>();
  const [error, setError] = useState<unknown>();
  const secret = namespace.isSecretNamespace;

  useEffect(() => {
    let current = true;
    setError(undefined);
    (secret ? describeEntry : readEntry)(client, namespace.id, keyPath).then(
      (read) => {
        if (current) {
          setEntry(read);
          setRevealed((shown) => (shown?.version === read.version ? shown : undefined));
        }
      },
      (caught: unknown) => current && setError(caught),
    );
    return () => {
      current = false;
    };
  }, [client, namespace.id, keyPath, revision, secret]);

  if (entry === undefined) {
    return <ErrorLine error={error} />;
  }
  const known = secret ? revealed : entry;
  const saved = (next: EntryDto) => {
    setDraft(undefined);
    setRevealed(undefined);
    setEntry(next);
    onChanged();
  };
  const canWrite = can(claims, Permission.EntryWrite);
  return (
    <article class="entry" aria-labelledby="entry-title">
      <h2 id="entry-title">{entry.keyPath}</h2>
      <dl class="facts">
        <dt>Type</dt>
        <dd>{entry.valueType}</dd>
        <dt>Version</dt>
        <dd>{entry.version}</dd>
        <dt>Updated</dt>
        <dd>
          <time dateTime={entry.updatedAt}>{new Date(entry.updatedAt).toLocaleString()}</time>
        </dd>
        <dt>Created</dt>
        <dd>
          <time dateTime={entry.createdAt}>{new Date(entry.createdAt).toLocaleString()}</time>
        </dd>
        <dt>Expires</dt>
        <dd>
          <TtlCountdown expiresAt={entry.expiresAt} />
        </dd>
        <dt>Metadata</dt>
        <dd>{entry.metadata === null ? 'none' : <code>{JSON.stringify(entry.metadata)}</code>}</dd>
      </dl>
      <ErrorLine error={error} />
      {draft === undefined || editBase === undefined ? (
        <>
          <h3>Value</h3>
          {secret ? (
            <SecretValue
              namespaceId={namespace.id}
              entry={entry}
              revealed={revealed}
              onReveal={setRevealed}
            />
          ) : (
            <pre class="value" tabIndex={0} aria-label="Value">
              {formatValue(entry.valueType, entry.value)}
            </pre>
          )}
          <div class="actions">
            <button
              type="button"
              disabled={!canWrite}
              title={canWrite ? undefined : 'Needs kv-entry:write'}
              onClick={() => {
                setEditBase({
                  entry,
                  text: known === undefined ? undefined : formatValue(known.valueType, known.value),
                });
                setDraft(draftOf(entry.keyPath, entry, known?.value));
              }}
            >
              Edit
            </button>
            <DeleteEntryButton namespace={namespace} entry={entry} onDeleted={onDeleted} />
          </div>
        </>
      ) : (
        <EntryEditor
          namespace={namespace}
          base={editBase.entry}
          baseText={editBase.text}
          draft={draft}
          onDraft={setDraft}
          onSaved={saved}
          onCancel={() => setDraft(undefined)}
        />
      )}
      <HistoryToggle
        namespaceId={namespace.id}
        entry={entry}
        secret={secret}
        onRolledBack={saved}
      />
    </article>
  );
}

/** Listing versions is audited as a read of the key: done when asked for, not on opening it. */
function HistoryToggle(props: {
  namespaceId: string;
  entry: EntryDto;
  secret: boolean;
  onRolledBack: (entry: EntryDto) => void;
}) {
  const { claims } = useSession();
  const [shown, setShown] = useState(false);
  const allowed = can(claims, Permission.EntryRead);
  return shown ? (
    <VersionHistory {...props} />
  ) : (
    <button
      type="button"
      class="secondary"
      disabled={!allowed}
      title={allowed ? undefined : 'Needs kv-entry:read'}
      onClick={() => setShown(true)}
    >
      Show history
    </button>
  );
}

function DeleteEntryButton({
  namespace,
  entry,
  onDeleted,
}: {
  namespace: NamespaceDto;
  entry: EntryDto;
  onDeleted: () => void;
}) {
  const { client, claims } = useSession();
  const [error, setError] = useState<unknown>();
  const allowed = can(claims, Permission.EntryDelete);
  async function remove() {
    if (!confirm(`Delete ${entry.keyPath}?`)) {
      return;
    }
    try {
      const result = await client.DELETE('/api/v1/kv/{nsId}/entries/{key}', {
        params: { path: { nsId: namespace.id, key: entry.keyPath } },
      });
      if (!result.response.ok) {
        unwrap(result);
      }
      onDeleted();
    } catch (caught) {
      setError(caught);
    }
  }
  return (
    <>
      <button
        type="button"
        class="danger"
        disabled={!allowed}
        title={allowed ? undefined : 'Needs kv-entry:delete'}
        onClick={() => void remove()}
      >
        Delete key
      </button>
      <ErrorLine error={error} />
    </>
  );
}
