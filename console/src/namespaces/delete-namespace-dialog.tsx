import { useState } from 'preact/hooks';
import type { NamespaceDto } from '../api/kv-client.js';
import { unwrap } from '../api/problem.js';
import { useSession } from '../auth/session.js';
import { ErrorLine } from '../shell/error-line.js';
import { Modal } from '../shell/modal.js';

interface Props {
  namespace: NamespaceDto;
  onDone: (deleted: boolean) => void;
}

/** Deleting removes every entry and version: the user types the namespace's name to confirm. */
export function DeleteNamespaceDialog({ namespace, onDone }: Props) {
  const { client } = useSession();
  const [typed, setTyped] = useState('');
  const [error, setError] = useState<unknown>();

  async function submit(event: Event) {
    event.preventDefault();
    try {
      const result = await client.DELETE('/api/v1/kv/namespaces/{id}', {
        params: { path: { id: namespace.id } },
      });
      if (!result.response.ok) {
        unwrap(result);
      }
      onDone(true);
    } catch (caught) {
      setError(caught);
    }
  }

  return (
    <Modal title={`Delete ${namespace.name}`} onClose={() => onDone(false)}>
      <form class="stack" onSubmit={(event) => void submit(event)}>
        <p>
          This deletes the namespace <strong>{namespace.name}</strong> of {namespace.applicationId},
          all its entries and their history. Its audit rows stay.
        </p>
        <label for="confirm-name">Type the namespace's name to confirm</label>
        <input
          id="confirm-name"
          autocomplete="off"
          value={typed}
          onInput={(event) => setTyped(event.currentTarget.value)}
        />
        <ErrorLine error={error} />
        <div class="actions">
          <button type="submit" class="danger" disabled={typed !== namespace.name}>
            Delete namespace
          </button>
          <button type="button" class="secondary" onClick={() => onDone(false)}>
            Cancel
          </button>
        </div>
      </form>
    </Modal>
  );
}
