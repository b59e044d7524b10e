import { useState } from 'preact/hooks';
import type { EntryDto } from '../api/kv-client.js';
import { can } from '../auth/claims.js';
import { Permission } from '../auth/permissions.js';
import { useSession } from '../auth/session.js';
import { ErrorLine } from '../shell/error-line.js';
import { readEntry } from './entry-source.js';
import { formatValue } from './value-codec.js';

interface Props {
  namespaceId: string;
  entry: EntryDto;
  /** The value once revealed: the editor and the diffs may use it. */
  revealed: EntryDto | undefined;
  onReveal: (entry: EntryDto | undefined) => void;
}

/**
 * A secret value stays masked until Reveal, which is one audited read; the parent forgets it
 * on navigation. Copy reads it into the clipboard without showing it.
 */
export function SecretValue({ namespaceId, entry, revealed, onReveal }: Props) {
  const { client, claims } = useSession();
  const [error, setError] = useState<unknown>();
  const [status, setStatus] = useState('');
  const canRead = can(claims, Permission.EntryRead);

  async function reveal() {
    setError(undefined);
    try {
      onReveal(await readEntry(client, namespaceId, entry.keyPath));
    } catch (caught) {
      setError(caught);
    }
  }

  async function copy() {
    setError(undefined);
    try {
      const read = revealed ?? (await readEntry(client, namespaceId, entry.keyPath));
      await navigator.clipboard.writeText(formatValue(read.valueType, read.value));
      setStatus('Copied to the clipboard.');
    } catch (caught) {
      setError(caught);
    }
  }

  return (
    <div class="secret-value">
      {revealed === undefined ? (
        <pre class="value masked" aria-label="Secret value, hidden">
          •••••
        </pre>
      ) : (
        <pre class="value" tabIndex={0} aria-label="Secret value">
          {formatValue(revealed.valueType, revealed.value)}
        </pre>
      )}
      <div class="actions">
        {revealed === undefined ? (
          <button
            type="button"
            disabled={!canRead}
            title={canRead ? 'Reads the value (audited)' : 'Needs kv-entry:read'}
            onClick={() => void reveal()}
          >
            Reveal
          </button>
        ) : (
          <button type="button" class="secondary" onClick={() => onReveal(undefined)}>
            Hide
          </button>
        )}
        <button type="button" class="secondary" disabled={!canRead} onClick={() => void copy()}>
          Copy
        </button>
        <span role="status">{status}</span>
      </div>
      <ErrorLine error={error} />
    </div>
  );
}
