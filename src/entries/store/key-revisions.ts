import type { EntityManager } from 'typeorm';
import { KEY_REVISIONS, REVISION_OF } from './entry.sql';

export interface KeyRevisions {
  /** Each key's latest change: the revision that made it and the one that created the key. */
  byKey: Map<string, { modRevision: number; createRevision: number }>;
  /** The namespace's revision. */
  revision: number;
}

/** Within the transaction that changed them: the revisions of keys of a namespace. */
export async function keyRevisions(
  manager: EntityManager,
  namespaceId: string,
  keys: string[],
): Promise<KeyRevisions> {
  const rows = await manager.query<
    { key_path: string; mod_revision: string; create_revision: string; ns_revision: string }[]
  >(KEY_REVISIONS, [namespaceId, keys]);
  return {
    byKey: new Map(
      rows.map((row) => [
        row.key_path,
        { modRevision: Number(row.mod_revision), createRevision: Number(row.create_revision) },
      ]),
    ),
    revision: rows.length === 0 ? 0 : Number(rows[0].ns_revision),
  };
}

/** The namespace's revision, as the manager's transaction (or a statement of its own) sees it. */
export async function namespaceRevision(
  manager: Pick<EntityManager, 'query'>,
  namespaceId: string,
): Promise<number> {
  const [row] = await manager.query<{ revision: string | null }[]>(
    `SELECT ${REVISION_OF('$1')} AS revision`,
    [namespaceId],
  );
  return Number(row?.revision ?? 0);
}
