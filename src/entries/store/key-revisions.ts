import type { EntityManager } from 'typeorm';
import { KEY_REVISIONS, LOCK_REVISION, REVISION_OF } from './entry.sql';

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

/** A namespace's revision before and after the changes of the transaction that locked it. */
export interface SettledRevision {
  before: number;
  after: number;
}

/**
 * Within a transaction that has made its changes: locks the namespace's revision counter until
 * commit, so no other writer can move it, and reads it. A transaction that changed entries
 * holds the lock already (its first change raised the counter by one); one that changed none
 * takes it here, after the entry locks it holds, in the order every writer takes them.
 */
export async function settleRevision(
  manager: EntityManager,
  namespaceId: string,
): Promise<SettledRevision> {
  const [row] = await manager.query<{ revision: string; raised: boolean }[]>(LOCK_REVISION, [
    namespaceId,
  ]);
  const after = Number(row?.revision ?? 0);
  return { before: row?.raised === true ? after - 1 : after, after };
}
