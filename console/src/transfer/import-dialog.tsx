import { useState } from 'preact/hooks';
import type { NamespaceDto } from '../api/kv-client.js';
import { unwrap } from '../api/problem.js';
import { can } from '../auth/claims.js';
import { Permission } from '../auth/permissions.js';
import { useSession } from '../auth/session.js';
import { ErrorLine } from '../shell/error-line.js';
import { Modal } from '../shell/modal.js';
import { type ImportPlan, ImportPlanView } from './import-plan-view.js';
import { FORMATS, formatOfFile, type TransferFormat } from './transfer-format.js';

interface Props {
  namespace: NamespaceDto;
  onClose: () => void;
  /** The import was applied: listings read again. */
  onImported: () => void;
}

/**
 * Import of a .env, JSON or YAML document, picked or pasted: the dry-run plan first, then the
 * same import applied. Any change to the form drops the plan, so what is applied is what was shown.
 */
export function ImportDialog({ namespace, onClose, onImported }: Props) {
  const { client, claims } = useSession();
  const [text, setText] = useState('');
  const [format, setFormat] = useState<TransferFormat>('dotenv');
  const [prefix, setPrefix] = useState('');
  const [prune, setPrune] = useState(false);
  const [plan, setPlan] = useState<ImportPlan>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const canPrune = can(claims, Permission.EntryDelete);

  function edited(apply: () => void) {
    apply();
    setPlan(undefined);
    setError(undefined);
  }

  async function pick(input: HTMLInputElement) {
    const file = input.files?.[0];
    if (file !== undefined) {
      const content = await file.text();
      edited(() => {
        setText(content);
        setFormat(formatOfFile(file.name));
      });
    }
  }

  async function send(dryRun: boolean) {
    setBusy(true);
    setError(undefined);
    try {
      const result = unwrap(
        await client.POST('/api/v1/kv/{nsId}/import', {
          params: {
            path: { nsId: namespace.id },
            query: { format, prefix: prefix === '' ? undefined : prefix, prune, dryRun },
          },
          body: text,
          bodySerializer: (body: string) => body,
          headers: { 'Content-Type': 'text/plain' },
        }),
      );
      setPlan(result);
      if (!result.dryRun) {
        onImported();
      }
    } catch (caught) {
      setPlan(undefined);
      setError(caught);
    } finally {
      setBusy(false);
    }
  }

  const applied = plan !== undefined && !plan.dryRun;
  return (
    <Modal title={`Import into ${namespace.name}`} onClose={onClose}>
      <form
        class="stack import-form"
        onSubmit={(event) => {
          event.preventDefault();
          void send(true);
        }}
      >
        <label for="import-file">File (.env, .json, .yaml)</label>
        <input
          id="import-file"
          type="file"
          accept=".env,.json,.yaml,.yml,text/plain,application/json"
          disabled={applied}
          onChange={(event) => void pick(event.currentTarget)}
        />
        <label for="import-text">Document (or paste it here)</label>
        <textarea
          id="import-text"
          rows={8}
          value={text}
          disabled={applied}
          placeholder="DATABASE_HOST=db.internal"
          onInput={(event) => {
            const value = event.currentTarget.value;
            edited(() => setText(value));
          }}
        />
        <label for="import-format">Format</label>
        <select
          id="import-format"
          value={format}
          disabled={applied}
          onChange={(event) => {
            const value = event.currentTarget.value as TransferFormat;
            edited(() => setFormat(value));
          }}
        >
          {FORMATS.map((item) => (
            <option key={item.value} value={item.value}>
              {item.label}
            </option>
          ))}
        </select>
        <label for="import-prefix">Under key prefix (optional)</label>
        <input
          id="import-prefix"
          value={prefix}
          disabled={applied}
          placeholder="config"
          onInput={(event) => {
            const value = event.currentTarget.value;
            edited(() => setPrefix(value));
          }}
        />
        <label class="check">
          <input
            type="checkbox"
            checked={prune}
            disabled={!canPrune || applied}
            title={canPrune ? undefined : 'Needs kv-entry:delete'}
            onChange={(event) => {
              const value = event.currentTarget.checked;
              edited(() => setPrune(value));
            }}
          />
          Prune: delete the keys under the prefix that the document does not name
        </label>
        {plan !== undefined && <ImportPlanView plan={plan} />}
        <ErrorLine error={error} />
        <div class="actions">
          {!applied && (
            <button
              type="submit"
              class={plan === undefined ? undefined : 'secondary'}
              disabled={busy || text === ''}
            >
              Preview plan
            </button>
          )}
          {plan?.dryRun === true && (
            <button type="button" disabled={busy} onClick={() => void send(false)}>
              Apply import
            </button>
          )}
          <button type="button" class="secondary" onClick={onClose}>
            {applied ? 'Close' : 'Cancel'}
          </button>
        </div>
      </form>
    </Modal>
  );
}
