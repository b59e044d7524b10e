import { useState } from 'preact/hooks';
import type { EntryDto, EntryVersionDto } from '../api/kv-client.js';
import { unwrap } from '../api/problem.js';
import { can } from '../auth/claims.js';
import { Permission } from '../auth/permissions.js';
import { useSession } from '../auth/session.js';
import { ErrorLine } from '../shell/error-line.js';
import { Modal } from '../shell/modal.js';
import { usePaged } from '../shell/use-paged.js';
import { VersionDiff } from './version-diff.js';

interface Props {
  namespaceId: string;
  entry: EntryDto;
  /** Rollback exists for secrets only. */
  secret: boolean;
  onRolledBack: (entry: EntryDto) => void;
}

/**
 * Who changed a key, why and when, with a diff of any two versions; for a secret, rollback
 * makes an older version's value current again.
 */
export function VersionHistory({ namespaceId, entry, secret, onRolledBack }: Props) {
  const { client, claims } = useSession();
  const [target, setTarget] = useState<EntryVersionDto>();
  const [error, setError] = useState<unknown>();
  const path = { nsId: namespaceId, key: entry.keyPath };
  const versions = usePaged(
    async (cursor) =>
      unwrap(
        await client.GET('/api/v1/kv/{nsId}/entries/{key}/versions', {
          params: { path, query: { cursor, limit: 20 } },
        }),
      ),
    [client, namespaceId, entry.keyPath, entry.version],
  );
  const canRollBack = can(claims, Permission.SecretRotate);

  async function rollBack(version: EntryVersionDto) {
    setError(undefined);
    try {
      const result = unwrap(
        await client.POST('/api/v1/kv/{nsId}/entries/{key}/rollback', {
          params: { path, header: { 'If-Match': `"${entry.version}"` } },
          body: { version: version.version },
        }),
      );
      setTarget(undefined);
      onRolledBack(result);
    } catch (caught) {
      setError(caught);
    }
  }

  return (
    <section aria-labelledby="history-title">
      <h3 id="history-title">History</h3>
      <ErrorLine error={versions.error} />
      <VersionDiff
        namespaceId={namespaceId}
        keyPath={entry.keyPath}
        secret={secret}
        versions={versions.items}
      />
      <table class="grid">
        <thead>
          <tr>
            <th scope="col">Version</th>
            <th scope="col">Change</th>
            <th scope="col">By</th>
            <th scope="col">When</th>
            <th scope="col">
              <span class="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {versions.items.map((version) => (
            <tr key={version.version}>
              <th scope="row">{version.version}</th>
              <td>{version.changeReason}</td>
              <td>{version.changedBy}</td>
              <td>
                <time dateTime={version.createdAt}>
                  {new Date(version.createdAt).toLocaleString()}
                </time>
              </td>
              <td>
                {version.version === entry.version ? (
                  <span class="badge">current</span>
                ) : !secret ? null : (
                  <button
                    type="button"
                    class="secondary"
                    disabled={!canRollBack}
                    title={canRollBack ? undefined : 'Needs kv-secret:rotate'}
                    aria-label={`Roll back to version ${version.version}`}
                    onClick={() => setTarget(version)}
                  >
                    Roll back
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {versions.hasMore && (
        <button type="button" class="secondary" onClick={versions.loadMore}>
          Older versions
        </button>
      )}
      {target !== undefined && (
        <Modal title={`Roll back ${entry.keyPath}`} onClose={() => setTarget(undefined)}>
          <p>
            Version {target.version}'s value (set by {target.changedBy},{' '}
            {new Date(target.createdAt).toLocaleString()}) becomes current as version{' '}
            {entry.version + 1}. Version {entry.version} stays in the history.
          </p>
          <ErrorLine error={error} />
          <div class="actions">
            <button type="button" onClick={() => void rollBack(target)}>
              Roll back to version {target.version}
            </button>
            <button type="button" class="secondary" onClick={() => setTarget(undefined)}>
              Cancel
            </button>
          </div>
        </Modal>
      )}
    </section>
  );
}
