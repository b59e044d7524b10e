import { useState } from 'preact/hooks';
import type { EntryDto, NamespaceDto, ValueType } from '../api/kv-client.js';
import { ApiError, unwrap } from '../api/problem.js';
import { useSession } from '../auth/session.js';
import { DiffView } from '../diff/diff-view.js';
import { ErrorLine } from '../shell/error-line.js';
import { ConflictView } from './conflict-view.js';
import { type EntryDraft, bodyOf } from './entry-draft.js';
import { describeEntry, readEntry } from './entry-source.js';
import { formatValue } from './value-codec.js';
import { ValueEditor } from './value-editor.js';

const TYPES: ValueType[] = ['STRING', 'NUMBER', 'BOOLEAN', 'JSON', 'BINARY'];

interface Props {
  namespace: NamespaceDto;
  /** The version being edited, absent for a new key. */
  base: EntryDto | undefined;
  /** Its value, when known (a plain entry, or a revealed secret). */
  baseText: string | undefined;
  draft: EntryDraft;
  onDraft: (draft: EntryDraft) => void;
  onSaved: (entry: EntryDto) => void;
  onCancel: () => void;
}

/**
 * Edits send If-Match with the version the user started from; a new key is created only if
 * absent. A 412 keeps the user's change and shows the newer version beside it.
 */
export function EntryEditor({
  namespace,
  base,
  baseText,
  draft,
  onDraft,
  onSaved,
  onCancel,
}: Props) {
  const { client } = useSession();
  const [error, setError] = useState<unknown>();
  const [conflict, setConflict] = useState<EntryDto>();
  const body = bodyOf(draft);
  const set = (change: Partial<EntryDraft>) => onDraft({ ...draft, ...change });

  async function save(onTopOf: EntryDto | undefined) {
    if (!body.ok) {
      return;
    }
    setError(undefined);
    const path = { nsId: namespace.id, key: draft.key };
    try {
      const saved = unwrap(
        await client.PUT('/api/v1/kv/{nsId}/entries/{key}', {
          params: {
            path,
            header: onTopOf === undefined ? undefined : { 'If-Match': `"${onTopOf.version}"` },
          },
          body: onTopOf === undefined ? { ...body.body, expectedVersion: 0 } : body.body,
        }),
      );
      setConflict(undefined);
      onSaved(saved);
    } catch (caught) {
      if (caught instanceof ApiError && caught.code === 'PRECONDITION_FAILED') {
        // A secret's newer value stays masked until the user reveals it.
        setConflict(
          namespace.isSecretNamespace
            ? await describeEntry(client, namespace.id, draft.key)
            : await readEntry(client, namespace.id, draft.key),
        );
        return;
      }
      setError(caught);
    }
  }

  if (conflict !== undefined) {
    return (
      <ConflictView
        namespace={namespace}
        newer={conflict}
        mine={draft}
        onRetry={() => void save(conflict)}
        onDiscard={onCancel}
        error={error}
      />
    );
  }

  return (
    <form
      class="stack editor"
      aria-label={base === undefined ? 'New entry' : `Edit ${draft.key}`}
      onSubmit={(event) => {
        event.preventDefault();
        void save(base);
      }}
    >
      {base === undefined && (
        <>
          <label for="entry-key">Key</label>
          <input
            id="entry-key"
            required
            value={draft.key}
            placeholder="config/database/host"
            onInput={(event) => set({ key: event.currentTarget.value })}
          />
        </>
      )}
      <label for="entry-type">Type</label>
      <select
        id="entry-type"
        value={draft.type}
        onChange={(event) => set({ type: event.currentTarget.value as ValueType })}
      >
        {TYPES.map((type) => (
          <option key={type} value={type}>
            {type}
          </option>
        ))}
      </select>
      <label for="entry-value">Value</label>
      <ValueEditor
        id="entry-value"
        type={draft.type}
        text={draft.text}
        onText={(text) => set({ text })}
      />
      <fieldset>
        <legend>Expiry</legend>
        <label class="check">
          <input
            type="radio"
            name="ttl"
            checked={draft.ttl === 'default'}
            onChange={() => set({ ttl: 'default' })}
          />
          Namespace default (
          {namespace.defaultTtlSeconds === null
            ? 'never expires'
            : `${namespace.defaultTtlSeconds} s`}
          )
        </label>
        <label class="check">
          <input
            type="radio"
            name="ttl"
            checked={draft.ttl === 'never'}
            onChange={() => set({ ttl: 'never' })}
          />
          Never expires
        </label>
        <label class="check">
          <input
            type="radio"
            name="ttl"
            checked={draft.ttl === 'seconds'}
            onChange={() => set({ ttl: 'seconds' })}
          />
          Expires after
        </label>
        <label for="entry-ttl" class="visually-hidden">
          Seconds until expiry
        </label>
        <input
          id="entry-ttl"
          inputMode="numeric"
          class="short"
          disabled={draft.ttl !== 'seconds'}
          value={draft.ttlSeconds}
          onInput={(event) => set({ ttlSeconds: event.currentTarget.value })}
        />{' '}
        seconds
      </fieldset>
      <label for="entry-metadata">Metadata (JSON object, optional)</label>
      <textarea
        id="entry-metadata"
        rows={3}
        spellcheck={false}
        value={draft.metadata}
        onInput={(event) => set({ metadata: event.currentTarget.value })}
      />
      {baseText !== undefined &&
        body.ok &&
        baseText !== formatValue(draft.type, body.body.value) && (
          <DiffView
            before={baseText}
            after={formatValue(draft.type, body.body.value)}
            beforeLabel={`version ${base?.version ?? ''}`}
            afterLabel="your change"
          />
        )}
      {!body.ok && <p class="field-error">{body.message}</p>}
      <ErrorLine error={error} />
      <div class="actions">
        <button type="submit" disabled={!body.ok}>
          {base === undefined ? 'Create' : `Save over version ${base.version}`}
        </button>
        <button type="button" class="secondary" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
