import { useState } from 'preact/hooks';
import { unwrap } from '../api/problem.js';
import { revisionOf } from '../api/revision.js';
import { useSession } from '../auth/session.js';
import { ErrorLine } from '../shell/error-line.js';
import { routeHref } from '../shell/route.js';
import { usePaged } from '../shell/use-paged.js';
import { childrenOf, folderMatches, listingPrefix } from './key-tree.js';

/** Keys listed per request: a folder shows its children from pages of this many keys under it. */
const PAGE_SIZE = 200;

interface Props {
  namespaceId: string;
  filter: string;
  openKey: string | undefined;
  /** Grows when keys changed: every open folder lists itself again. */
  revision: number;
  /** The namespace revision each first page of the top folder reflects. */
  onListed: (revision: number) => void;
}

/** The keys of a namespace as folders of `/` segments, each listed only when opened. */
export function EntryTree(props: Props) {
  return (
    <nav aria-label="Keys" class="tree">
      <Folder {...props} path="" />
    </nav>
  );
}

function Folder(props: Props & { path: string }) {
  const { namespaceId, filter, openKey, revision, onListed, path } = props;
  const { client } = useSession();
  const keys = usePaged(
    async (cursor) => {
      const result = await client.GET('/api/v1/kv/{nsId}/entries', {
        params: {
          path: { nsId: namespaceId },
          query: { prefix: listingPrefix(path, filter) || undefined, cursor, limit: PAGE_SIZE },
        },
      });
      const page = unwrap(result);
      const listed = revisionOf(result.response);
      if (path === '' && cursor === undefined && listed !== undefined) {
        onListed(listed);
      }
      return page;
    },
    [client, namespaceId, path, filter, revision],
  );
  const rows = childrenOf(
    path,
    keys.items.map((entry) => entry.keyPath),
  );
  return (
    <div>
      <ErrorLine error={keys.error} />
      <ul>
        {rows.map((row) =>
          row.kind === 'folder' ? (
            folderMatches(row.path, filter) && (
              <FolderRow
                key={row.path}
                {...{ namespaceId, filter, openKey, revision, onListed }}
                path={row.path}
                name={row.name}
              />
            )
          ) : (
            <li key={row.path}>
              <a
                class="key"
                href={routeHref({ view: 'namespace', id: namespaceId, key: row.path })}
                aria-current={row.path === openKey ? 'page' : undefined}
              >
                {row.name}
              </a>
            </li>
          ),
        )}
      </ul>
      {!keys.loading && path === '' && rows.length === 0 && keys.error === undefined && (
        <p class="empty">No keys{filter === '' ? '' : ` starting with ${filter}`}.</p>
      )}
      {keys.hasMore && (
        <button type="button" class="link" onClick={keys.loadMore} disabled={keys.loading}>
          More keys in {path === '' ? 'this namespace' : path}
        </button>
      )}
    </div>
  );
}

function FolderRow(props: Props & { path: string; name: string }) {
  const { openKey, path, name } = props;
  const [open, setOpen] = useState(() => openKey?.startsWith(path) ?? false);
  return (
    <li>
      <button type="button" class="folder" aria-expanded={open} onClick={() => setOpen(!open)}>
        <span aria-hidden="true">{open ? '▾' : '▸'}</span> {name}/
      </button>
      {open && <Folder {...props} />}
    </li>
  );
}
