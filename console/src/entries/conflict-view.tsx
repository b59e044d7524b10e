import { useState } from 'preact/hooks';
import type { EntryDto, NamespaceDto } from '../api/kv-client.js';
import { DiffView } from '../diff/diff-view.js';
import { ErrorLine } from '../shell/error-line.js';
import type { EntryDraft } from './entry-draft.js';
import { SecretValue } from './secret-value.js';
import { formatValue } from './value-codec.js';

interface Props {
  namespace: NamespaceDto;
  newer: EntryDto;
  mine: EntryDraft;
  onRetry: () => void;
  onDiscard: () => void;
  error: unknown;
}

/** Someone saved first: their version beside the user's change, and the choice what to keep. */
export function ConflictView({ namespace, newer, mine, onRetry, onDiscard, error }: Props) {
  const [revealed, setRevealed] = useState<EntryDto>();
  const known = namespace.isSecretNamespace ? revealed : newer;
  return (
    <section class="conflict" aria-labelledby="conflict-title">
      <h3 id="conflict-title">Conflict: version {newer.version} was saved while you edited</h3>
      <p role="alert">
        Your change was not saved. Compare it with the newer version, then save it over that version
        or discard it.
      </p>
      <div class="side-by-side">
        <div>
          <h4>
            Version {newer.version} (saved {new Date(newer.updatedAt).toLocaleString()})
          </h4>
          {namespace.isSecretNamespace ? (
            <SecretValue
              namespaceId={namespace.id}
              entry={newer}
              revealed={revealed}
              onReveal={setRevealed}
            />
          ) : (
            <pre class="value">{formatValue(newer.valueType, newer.value)}</pre>
          )}
        </div>
        <div>
          <h4>Your change</h4>
          <pre class="value">{mine.text}</pre>
        </div>
      </div>
      {known !== undefined && (
        <DiffView
          before={formatValue(known.valueType, known.value)}
          after={mine.text}
          beforeLabel={`version ${newer.version}`}
          afterLabel="your change"
        />
      )}
      <ErrorLine error={error} />
      <div class="actions">
        <button type="button" onClick={onRetry}>
          Save my change over version {newer.version}
        </button>
        <button type="button" class="secondary" onClick={onDiscard}>
          Discard my change
        </button>
      </div>
    </section>
  );
}
