import { KvEventType } from '../events/kv-event.types';

/** Rows deleted per statement: short transactions, a bounded burst of WAL and locks. */
export const BATCH = 1000;

// Namespaces after $2 (by id, $3 of them) whose history may have something to prune; $1 the
// service's default retention in days (0: forever).
export const NAMESPACES_TO_PRUNE = `
  SELECT r.namespace_id AS id, coalesce(n.history_retention_days, $1) AS days
  FROM namespace_revisions r JOIN namespaces n ON n.id = r.namespace_id
  WHERE r.namespace_id > $2 AND r.revision > r.compacted_revision
    AND coalesce(n.history_retention_days, $1) > 0
  ORDER BY r.namespace_id LIMIT $3`;

// The revision that becomes the oldest readable of namespace $1 with a retention of $2 days:
// the one before its first change within the retention (its current one if none is), and the
// one it has now.
export const HORIZON = `
  SELECT r.compacted_revision AS compacted, coalesce((
    SELECT c.revision - 1 FROM namespace_changes c
    WHERE c.namespace_id = r.namespace_id AND c.revision > r.compacted_revision
      AND c.occurred_at >= now() - make_interval(days => $2)
    ORDER BY c.revision, c.seq LIMIT 1), r.revision) AS horizon
  FROM namespace_revisions r WHERE r.namespace_id = $1`;

/** Raises the oldest readable revision of namespace $1 to $2; never lowers it. */
export const COMPACT = `
  UPDATE namespace_revisions SET compacted_revision = $2
  WHERE namespace_id = $1 AND compacted_revision < $2`;

// The changes at or before horizon $2 of namespace $1 that no read needs: those with a later
// change of their key at or before the first pin at or after them (a snapshot's revision, or
// the horizon). What remains is each key's latest change as of each pin: as-of reads of the
// horizon and of every snapshot answer as before.
export const PRUNE_SUPERSEDED_CHANGES = `
  DELETE FROM namespace_changes d USING (
    SELECT c.revision, c.seq FROM namespace_changes c
    WHERE c.namespace_id = $1 AND c.revision <= $2
      AND EXISTS (
        SELECT 1 FROM namespace_changes n
        WHERE n.namespace_id = c.namespace_id AND n.key_path = c.key_path
          AND (n.revision, n.seq) > (c.revision, c.seq)
          AND n.revision <= (
            SELECT min(p.revision) FROM (
              SELECT s.revision FROM namespace_snapshots s
              WHERE s.namespace_id = $1 AND s.revision >= c.revision AND s.revision <= $2
              UNION ALL SELECT $2::bigint) p))
    ORDER BY c.revision, c.seq LIMIT ${BATCH} FOR UPDATE SKIP LOCKED
  ) doomed
  WHERE d.namespace_id = $1 AND d.revision = doomed.revision AND d.seq = doomed.seq`;

// A key's earliest change left, at or before horizon $2, that is a delete or an expiry: no
// read finds the key through it (before it the key did not exist, after it the key is gone
// until a later change), so deleted keys leave nothing behind.
export const PRUNE_LEADING_TOMBSTONES = `
  DELETE FROM namespace_changes d USING (
    SELECT c.revision, c.seq FROM namespace_changes c
    WHERE c.namespace_id = $1 AND c.revision <= $2
      AND c.type IN ('${KvEventType.EntryDeleted}', '${KvEventType.EntryExpired}')
      AND NOT EXISTS (
        SELECT 1 FROM namespace_changes o
        WHERE o.namespace_id = c.namespace_id AND o.key_path = c.key_path
          AND (o.revision, o.seq) < (c.revision, c.seq))
    ORDER BY c.revision, c.seq LIMIT ${BATCH} FOR UPDATE SKIP LOCKED
  ) doomed
  WHERE d.namespace_id = $1 AND d.revision = doomed.revision AND d.seq = doomed.seq`;

// Versions of namespace $1 older than $2 days that are not their entry's current one and that
// no change left in the history names (as-of reads open the version a change names).
export const PRUNE_VERSIONS = `
  DELETE FROM entry_versions WHERE id IN (
    SELECT v.id FROM entries e JOIN entry_versions v ON v.entry_id = e.id
    WHERE e.namespace_id = $1 AND v.version < e.version
      AND v.created_at < now() - make_interval(days => $2)
      AND NOT EXISTS (
        SELECT 1 FROM namespace_changes c
        WHERE c.namespace_id = e.namespace_id AND c.key_path = e.key_path
          AND c.entry_id = v.entry_id AND c.version = v.version)
    LIMIT ${BATCH} FOR UPDATE OF v SKIP LOCKED)`;
