import { useState } from 'preact/hooks';
import type { NamespaceDto } from '../api/kv-client.js';
import { unwrap } from '../api/problem.js';
import { useSession } from '../auth/session.js';
import { ErrorLine } from '../shell/error-line.js';
import { Modal } from '../shell/modal.js';
import { FORMATS, exportFileName, type TransferFormat } from './transfer-format.js';

interface Props {
  namespace: NamespaceDto;
  onClose: () => void;
}

/**
 * Downloads a namespace as a .env, JSON or YAML file. The document is fetched with the token
 * in its header and handed to the browser as a file; it is never put in a URL the server sees.
 */
export function ExportDialog({ namespace, onClose }: Props) {
  const { client } = useSession();
  const [format, setFormat] = useState<TransferFormat>('dotenv');
  const [prefix, setPrefix] = useState('');
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState('');
  const [error, setError] = useState<unknown>();

  async function download() {
    setBusy(true);
    setError(undefined);
    setStatus('');
    try {
      const text = unwrap(
        await client.GET('/api/v1/kv/{nsId}/export', {
          params: {
            path: { nsId: namespace.id },
            query: { format, prefix: prefix === '' ? undefined : prefix },
          },
          parseAs: 'text',
        }),
      );
      const name = exportFileName(namespace.name, format);
      saveFile(name, text);
      setStatus(`Saved ${name}.`);
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  }

  return (
    <Modal title={`Export ${namespace.name}`} onClose={onClose}>
      <form
        class="stack"
        onSubmit={(event) => {
          event.preventDefault();
          void download();
        }}
      >
        <label for="export-format">Format</label>
        <select
          id="export-format"
          value={format}
          onChange={(event) => setFormat(event.currentTarget.value as TransferFormat)}
        >
          {FORMATS.map((item) => (
            <option key={item.value} value={item.value}>
              {item.label}
            </option>
          ))}
        </select>
        <label for="export-prefix">Only keys under (optional)</label>
        <input
          id="export-prefix"
          value={prefix}
          placeholder="config"
          onInput={(event) => setPrefix(event.currentTarget.value)}
        />
        {namespace.isSecretNamespace && (
          <p class="hint">The file holds the secret values in plain text (one audited export).</p>
        )}
        <ErrorLine error={error} />
        <p role="status">{status}</p>
        <div class="actions">
          <button type="submit" disabled={busy}>
            Download
          </button>
          <button type="button" class="secondary" onClick={onClose}>
            Close
          </button>
        </div>
      </form>
    </Modal>
  );
}

/** Hands text to the browser as a download; the object URL lives only for the click. */
function saveFile(name: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'application/octet-stream' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 0);
}
