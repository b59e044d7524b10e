import { useState } from 'preact/hooks';
import type { NamespaceDto } from '../api/kv-client.js';
import { unwrap } from '../api/problem.js';
import { useSession } from '../auth/session.js';
import { ErrorLine } from '../shell/error-line.js';
import { Modal } from '../shell/modal.js';

interface Props {
  /** The namespace to edit; absent to create one. */
  namespace?: NamespaceDto;
  onDone: (namespace: NamespaceDto | undefined) => void;
}

function ttlOf(text: string): number | null {
  return text.trim() === '' ? null : Number(text);
}

/** Create a namespace (plain or secret, fixed then) or edit its name, description and TTL. */
export function NamespaceForm({ namespace, onDone }: Props) {
  const { client, claims } = useSession();
  const [name, setName] = useState(namespace?.name ?? '');
  const [applicationId, setApplicationId] = useState(
    namespace?.applicationId ?? claims.applications.find((app) => app !== '*') ?? '',
  );
  const [description, setDescription] = useState(namespace?.description ?? '');
  const [secret, setSecret] = useState(namespace?.isSecretNamespace ?? false);
  const [ttl, setTtl] = useState(namespace?.defaultTtlSeconds?.toString() ?? '');
  const [error, setError] = useState<unknown>();
  const ttlValid = ttl.trim() === '' || /^[1-9]\d*$/.test(ttl.trim());

  async function submit(event: Event) {
    event.preventDefault();
    setError(undefined);
    const common = {
      name,
      description: description.trim() === '' ? null : description,
      defaultTtlSeconds: ttlOf(ttl),
    };
    try {
      const saved =
        namespace === undefined
          ? unwrap(
              await client.POST('/api/v1/kv/namespaces', {
                body: { ...common, applicationId, isSecretNamespace: secret },
              }),
            )
          : unwrap(
              await client.PUT('/api/v1/kv/namespaces/{id}', {
                params: { path: { id: namespace.id } },
                body: common,
              }),
            );
      onDone(saved);
    } catch (caught) {
      setError(caught);
    }
  }

  return (
    <Modal
      title={namespace === undefined ? 'New namespace' : `Edit ${namespace.name}`}
      onClose={() => onDone(undefined)}
    >
      <form class="stack" onSubmit={(event) => void submit(event)}>
        <label for="ns-name">Name</label>
        <input
          id="ns-name"
          value={name}
          required
          pattern="[A-Za-z0-9][A-Za-z0-9._\-]{0,127}"
          onInput={(event) => setName(event.currentTarget.value)}
        />
        <label for="ns-app">Application</label>
        <input
          id="ns-app"
          value={applicationId}
          required
          disabled={namespace !== undefined}
          onInput={(event) => setApplicationId(event.currentTarget.value)}
        />
        <label for="ns-description">Description</label>
        <input
          id="ns-description"
          value={description}
          onInput={(event) => setDescription(event.currentTarget.value)}
        />
        <label for="ns-ttl">Default TTL in seconds (empty: entries never expire)</label>
        <input
          id="ns-ttl"
          inputMode="numeric"
          value={ttl}
          aria-invalid={!ttlValid}
          aria-describedby="ns-ttl-error"
          onInput={(event) => setTtl(event.currentTarget.value)}
        />
        <span id="ns-ttl-error" class="field-error">
          {ttlValid ? '' : 'A positive whole number of seconds'}
        </span>
        <label class="check">
          <input
            type="checkbox"
            checked={secret}
            disabled={namespace !== undefined}
            onChange={(event) => setSecret(event.currentTarget.checked)}
          />
          Secret namespace (values encrypted and versioned; fixed at creation)
        </label>
        <ErrorLine error={error} />
        <div class="actions">
          <button type="submit" disabled={!ttlValid}>
            {namespace === undefined ? 'Create' : 'Save'}
          </button>
          <button type="button" class="secondary" onClick={() => onDone(undefined)}>
            Cancel
          </button>
        </div>
      </form>
    </Modal>
  );
}
