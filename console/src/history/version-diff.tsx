import { useState } from 'preact/hooks';
import type { EntryVersionDto, Schemas } from '../api/kv-client.js';
import { unwrap } from '../api/problem.js';
import { can } from '../auth/claims.js';
import { Permission } from '../auth/permissions.js';
import { useSession } from '../auth/session.js';
import { DiffView } from '../diff/diff-view.js';
import { formatValue } from '../entries/value-codec.js';
import { ErrorLine } from '../shell/error-line.js';

type VersionValue = Schemas['EntryVersionValueDto'];

interface Props {
  namespaceId: string;
  keyPath: string;
  secret: boolean;
  /** The versions listed so far, newest first. */
  versions: EntryVersionDto[];
}

/**
 * Two versions of a key side by side as a line diff. Their values are read only when asked
 * (two audited reads); a secret's are shown only after that explicit Reveal, and forgotten
 * with the entry panel.
 */
export function VersionDiff({ namespaceId, keyPath, secret, versions }: Props) {
  const { client, claims } = useSession();
  const [picked, setPicked] = useState<{ from?: number; to?: number }>({});
  const [shown, setShown] = useState<[VersionValue, VersionValue]>();
  const [error, setError] = useState<unknown>();
  if (versions.length < 2) {
    return null;
  }
  const from = picked.from ?? versions[1].version;
  const to = picked.to ?? versions[0].version;
  const canRead = can(claims, Permission.EntryRead);

  function pick(next: { from?: number; to?: number }) {
    setPicked({ from, to, ...next });
    setShown(undefined);
    setError(undefined);
  }

  async function read(version: number): Promise<VersionValue> {
    return unwrap(
      await client.GET('/api/v1/kv/{nsId}/entries/{key}/versions/{version}', {
        params: { path: { nsId: namespaceId, key: keyPath, version } },
      }),
    );
  }

  async function compare() {
    setError(undefined);
    try {
      setShown(await Promise.all([read(from), read(to)]));
    } catch (caught) {
      setError(caught);
    }
  }

  const options = versions.map((version) => (
    <option key={version.version} value={version.version}>
      {version.version} ({version.changeReason} by {version.changedBy})
    </option>
  ));
  return (
    <div class="version-diff">
      <form
        class="compare"
        onSubmit={(event) => {
          event.preventDefault();
          void compare();
        }}
      >
        <label for="diff-from">Compare version</label>
        <select
          id="diff-from"
          value={from}
          onChange={(event) => pick({ from: Number(event.currentTarget.value) })}
        >
          {options}
        </select>
        <label for="diff-to">with version</label>
        <select
          id="diff-to"
          value={to}
          onChange={(event) => pick({ to: Number(event.currentTarget.value) })}
        >
          {options}
        </select>
        {/* Keyed apart: reusing one element would turn Hide into a submit as it re-renders. */}
        {shown === undefined ? (
          <button
            key="compare"
            type="submit"
            disabled={!canRead || from === to}
            title={
              canRead
                ? secret
                  ? 'Reads both secret values (audited)'
                  : undefined
                : 'Needs kv-entry:read'
            }
          >
            {secret ? 'Reveal and compare' : 'Compare'}
          </button>
        ) : (
          <button key="hide" type="button" class="secondary" onClick={() => setShown(undefined)}>
            {secret ? 'Hide' : 'Close diff'}
          </button>
        )}
      </form>
      <ErrorLine error={error} />
      {shown !== undefined && (
        <DiffView
          before={formatValue(shown[0].valueType, shown[0].value)}
          after={formatValue(shown[1].valueType, shown[1].value)}
          beforeLabel={`version ${shown[0].version}`}
          afterLabel={`version ${shown[1].version}`}
        />
      )}
    </div>
  );
}
