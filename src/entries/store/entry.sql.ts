/**
 * Every statement the service sends about entries, their versions and their tombstones, in
 * one place (the bench runs the hot ones straight through `pg` as its database baseline).
 * Statements with a `name` are prepared once per connection: keep their text stable.
 */
import { AUDIT_RECORD_COLUMNS } from '../../audit/audit-record';
import { KvEventType } from '../../events/kv-event.types';
import { OUTBOX_TX } from '../../events/outbox.service';
import { writeStatus } from '../model/write-status';
import { ChangeReason } from './change-reason.enum';

/**
 * An entry `e` is alive until its expiry, judged by the database clock, and while it is no
 * tombstone (see Tombstones).
 */
export const ALIVE = '(e.deleted_at IS NULL AND (e.expires_at IS NULL OR e.expires_at > now()))';

/** Expiry from a TTL parameter, on the database clock; a null TTL never expires. */
export const expiresAt = (ttl: string) =>
  `CASE WHEN ${ttl}::int IS NULL THEN NULL ELSE now() + make_interval(secs => ${ttl}::int) END`;

/**
 * The revision of namespace `id` (SQL) as the statement's snapshot sees it: read in the same
 * statement as entries, it is the revision their answer reflects.
 */
export const REVISION_OF = (id: string) =>
  `(SELECT r.revision FROM namespace_revisions r WHERE r.namespace_id = ${id})`;

/**
 * Locks a namespace's revision counter until commit and reads it, with whether this
 * transaction raised it (see the migration NamespaceRevisions).
 */
export const LOCK_REVISION = `
  SELECT r.revision, r.tx = pg_current_xact_id()::text::bigint AS raised
  FROM namespace_revisions r WHERE r.namespace_id = $1 FOR UPDATE`;

/** `column` of the latest change of key `key` of namespace `ns` (all SQL). */
export const LATEST_CHANGE = (column: string, ns: string, key: string) =>
  `SELECT ${column} FROM namespace_changes c WHERE c.namespace_id = ${ns} AND c.key_path = ${key}
   ORDER BY c.revision DESC, c.seq DESC LIMIT 1`;

/**
 * The revisions of entry `e` (SQL alias), as `mod_revision` and `create_revision`: those of
 * its key's latest change. An entry unchanged since before revisions has none (null: 0).
 */
export const entryRevisions = (e: string) => `
  LEFT JOIN LATERAL (
    ${LATEST_CHANGE('c.revision AS mod_revision, c.create_revision', `${e}.namespace_id`, `${e}.key_path`)}
  ) ${e}_rev ON true`;

/**
 * After a change in this transaction: the revisions of keys $2 of namespace $1 (as
 * entryRevisions gives them) and the namespace's revision.
 */
export const KEY_REVISIONS = `
  SELECT k.key_path, c.mod_revision, c.create_revision, ${REVISION_OF('$1')} AS ns_revision
  FROM unnest($2::text[]) AS k(key_path),
  LATERAL (${LATEST_CHANGE('c.revision AS mod_revision, c.create_revision', '$1', 'k.key_path')}) c`;

// ---------------------------------------------------------------------------------------------
// Reads of live entries

// The hot path of the service: a named prepared statement, planned once per connection, that
// answers the single-entry reads of concurrent requests in one round trip ($1, $2: their
// namespaces and keys, in order; `ord` says whose each row is), each with its namespace's
// revision and the entry's revisions. A namespace that does not exist gives its key no row;
// one that does gives one row, its entry's columns null when the key has no live entry.
// OFFSET 0 keeps each lookup a subquery run per key, an index probe, whatever the planner
// guesses of the arrays' lengths.
export const READ_ONES = {
  name: 'kv_read_entries_of_keys',
  text: `SELECT k.ord, n.application_id AS ns_application_id, n.is_secret_namespace AS ns_is_secret,
           ${REVISION_OF('k.namespace_id')} AS ns_revision, e.*, e_rev.*
         FROM unnest($1::uuid[], $2::text[]) WITH ORDINALITY AS k(namespace_id, key_path, ord)
         CROSS JOIN LATERAL (
           SELECT n.application_id, n.is_secret_namespace FROM namespaces n
           WHERE n.id = k.namespace_id OFFSET 0
         ) n
         LEFT JOIN LATERAL (
           SELECT e.* FROM entries e
           WHERE e.namespace_id = k.namespace_id AND e.key_path = k.key_path AND ${ALIVE}
           OFFSET 0
         ) e ON true
         ${entryRevisions('e')}`,
};

// A page of a namespace in one round trip. Entries are read only when the caller may see the
// namespace (a one-time filter on the outer row), so another application's namespace costs
// what a missing one does. The lower bound is an index condition whether it comes from the
// prefix or the cursor; values and ciphertexts travel only when asked for.
export const READ_PAGE = {
  name: 'kv_read_page',
  text: `SELECT n.application_id AS ns_application_id, n.is_secret_namespace AS ns_is_secret,
           ${REVISION_OF('n.id')} AS ns_revision, e.*
         FROM namespaces n
         LEFT JOIN LATERAL (
           SELECT e.id, e.namespace_id, e.key_path, e.value_type, e.version, e.expires_at,
                  e.metadata, e.created_at, e.updated_at,
                  CASE WHEN $6 THEN e.value END AS value,
                  CASE WHEN $6 THEN e.value_ciphertext END AS value_ciphertext,
                  e_rev.mod_revision, e_rev.create_revision
           FROM entries e
           ${entryRevisions('e')}
           WHERE ($7::text[] IS NULL OR n.application_id = ANY($7::text[]))
             AND e.namespace_id = n.id AND ${ALIVE}
             AND e.key_path >= $2 AND e.key_path > $3
             AND ($4::text IS NULL OR e.key_path < $4)
           ORDER BY e.key_path
           LIMIT $5
         ) e ON true
         WHERE n.id = $1`,
};

// The live entries of some keys of a namespace the caller may see, in one statement; one row
// of nulls but the namespace's revision when none is.
export const READ_MANY = {
  name: 'kv_read_entries',
  text: `SELECT ${REVISION_OF('$1')} AS ns_revision, e.*, e_rev.*
         FROM (SELECT) AS one
         LEFT JOIN entries e
           ON e.namespace_id = $1 AND e.key_path = ANY($2::text[]) AND ${ALIVE}
         ${entryRevisions('e')}`,
};

// Every live entry of a key range (an export), in key order, as one snapshot.
// One row of nulls but the namespace's revision when the range is empty.
export const READ_RANGE = `
  SELECT ${REVISION_OF('$1')} AS ns_revision, e.*
  FROM (SELECT) AS one
  LEFT JOIN entries e
    ON e.namespace_id = $1 AND ${ALIVE} AND e.key_path >= $2 AND ($3::text IS NULL OR e.key_path < $3)
  ORDER BY e.key_path`;

// An import's rows in key order (locked for a real one): its keys in whatever state and, with
// prune ($3), the live entries of its range.
export const importRows = (lock: boolean) => `
  SELECT e.*, ${ALIVE} AS alive FROM entries e
  WHERE e.namespace_id = $1
    AND (e.key_path = ANY($2::text[])
      OR ($3 AND ${ALIVE} AND e.key_path >= $4 AND ($5::text IS NULL OR e.key_path < $5)))
  ORDER BY e.key_path${lock ? ' FOR UPDATE' : ''}`;

/** The live entry of a key, without its value. */
export const READ_ALIVE = `
  SELECT e.id, e.version, e.value_type FROM entries e
  WHERE e.namespace_id = $1 AND e.key_path = $2 AND ${ALIVE}`;

// ---------------------------------------------------------------------------------------------
// Writes under a row lock (LockingEntryWriter)

/**
 * The key's row in whatever state, locked: alive, expired by now (not yet swept), or a
 * tombstone, and whether a secret's versions are still recoverable ($3: the recovery days).
 */
export const LOCK_KEY = `
  SELECT id, version, value_type, ${ALIVE} AS alive,
    (e.deleted_at IS NULL AND e.expires_at <= now()) AS expired,
    (CASE WHEN e.deleted_at IS NULL THEN e.expires_at + make_interval(days => $3)
          ELSE e.recoverable_until END) > now() AS recoverable
  FROM entries e WHERE namespace_id = $1 AND key_path = $2 FOR UPDATE`;

/** The live entry of a key, locked for the rest of the transaction. */
export const LOCK_ALIVE = `${READ_ALIVE} FOR UPDATE`;

/** The live entry of a key, without its value, and the namespace's revision. */
export const FIND_ALIVE = `
  SELECT e.id, e.version, e.value_type, ${REVISION_OF('$1')} AS ns_revision FROM entries e
  WHERE e.namespace_id = $1 AND e.key_path = $2 AND ${ALIVE}`;

/**
 * Replaces the row $9 with value $1..$4; metadata only if $5, expiry ($8 seconds) only if $7.
 * A row that `revives` (a tombstone or an expired entry) comes back as a new entry: created
 * now, alive, no longer restorable.
 */
export const rewriteEntry = (revives: boolean) => `
  UPDATE entries SET value_type = $1, value = $2, value_ciphertext = $3, version = $4, updated_at = now(),
    metadata = CASE WHEN $5 THEN $6 ELSE metadata END,
    expires_at = CASE WHEN $7 THEN ${expiresAt('$8')} ELSE expires_at END
    ${revives ? ', created_at = now(), deleted_at = NULL, deleted_by = NULL, recoverable_until = NULL' : ''}
  WHERE id = $9 RETURNING *`;

/** A first entry of a key; no row if a racing writer inserted it first. */
export const INSERT_ENTRY = `
  INSERT INTO entries (value_type, value, value_ciphertext, version, metadata, expires_at, namespace_id, key_path, id)
  VALUES ($1, $2, $3, $4, $5, ${expiresAt('$6')}, $7, $8, $9)
  ON CONFLICT (namespace_id, key_path) DO NOTHING RETURNING *`;

/**
 * CTEs beside a write (its rows: `written`): the version row (the value as stored, plain or
 * sealed), with its change reason $`first` and author $`first+1`; with the namespace's
 * maxVersions ($`first+2`), the versions the new one pushes out go with it.
 */
export const versionAlongside = (first: number, pruned: boolean) =>
  `versioned AS (
    INSERT INTO entry_versions (entry_id, version, value_type, value, value_ciphertext, change_reason, changed_by)
    SELECT id, version, value_type, value, value_ciphertext, $${first}, $${first + 1} FROM written)${
      pruned
        ? `, pruned AS (
    DELETE FROM entry_versions v USING written w
    WHERE v.entry_id = w.id AND v.version <= w.version - $${first + 2}::int)`
        : ''
    }`;

// ---------------------------------------------------------------------------------------------
// Batched writes of plain entries (BatchedEntryWriter)

// Writes of many requests in one statement, committed together: each replaces its live entry
// (at the expected version, if one is given) or else inserts it, then adds its event and its
// audit row, each only if its entry was written. The event and the audit record come built
// from TypeScript; only what the write decides (the entry's id and version, created or
// replaced) is filled in here. A write that cannot be decided here (an expired row or a
// tombstone in the way, a racing first insert, a version that does not match) writes
// nothing, and its request takes the transactional path, which decides and explains: a
// tombstone (a deleted entry's row, see Tombstones) comes back there with the version after
// its last, under the row lock.
export const WRITE_BATCH = {
  name: 'kv_write_plain_entries',
  text: `
  WITH i AS (
    SELECT * FROM json_to_recordset($1::json) AS i(ord int, ns uuid, key text, vtype varchar,
      val text, meta_given boolean, meta text, ttl int, expected int, new_id uuid,
      ordering text, event json, audit jsonb, max_versions int)
  ), upd AS (
    UPDATE entries e SET value_type = i.vtype, value = i.val, value_ciphertext = NULL,
      version = e.version + 1, updated_at = now(),
      metadata = CASE WHEN i.meta_given THEN i.meta ELSE e.metadata END,
      expires_at = ${expiresAt('i.ttl')}
    FROM i
    WHERE e.namespace_id = i.ns AND e.key_path = i.key AND ${ALIVE}
      AND (i.expected IS NULL OR e.version = i.expected)
    RETURNING e.id, e.version, e.expires_at, e.metadata, e.created_at, e.updated_at,
      false AS created, i.*
  ), ins AS (
    INSERT INTO entries (id, namespace_id, key_path, value_type, value, version, metadata, expires_at)
    SELECT i.new_id, i.ns, i.key, i.vtype, i.val, 1, i.meta, ${expiresAt('i.ttl')}
    FROM i
    WHERE NOT EXISTS (SELECT 1 FROM upd WHERE upd.ord = i.ord)
      AND (i.expected IS NULL OR i.expected = 0)
    ON CONFLICT (namespace_id, key_path) DO NOTHING
    RETURNING id, version, expires_at, metadata, created_at, updated_at
  ), written AS (
    SELECT * FROM upd
    UNION ALL
    SELECT ins.*, true, i.* FROM ins JOIN i ON i.new_id = ins.id
  ), event AS (
    INSERT INTO event_outbox (event_id, routing_key, ordering_key, payload, namespace_id, tx)
    SELECT (w.event->>'eventId')::uuid, t.type, w.ordering, e.payload, w.ns, ${OUTBOX_TX}
    FROM written w,
      LATERAL (SELECT CASE WHEN w.created THEN '${KvEventType.EntryCreated}'
                           ELSE '${KvEventType.EntryUpdated}' END AS type) t,
      -- The event as TypeScript built it, field by field in its order, with what the write decided.
      LATERAL (SELECT json_object_agg(f.key, CASE f.key
                 WHEN 'type' THEN to_json(t.type)
                 WHEN 'entryId' THEN to_json(w.id)
                 WHEN 'version' THEN to_json(w.version)
                 ELSE f.value END ORDER BY f.n)::text AS payload
               FROM json_each(w.event) WITH ORDINALITY AS f(key, value, n)) e
    -- Namespace by namespace, as every writer takes their revision counters (see
    -- NamespaceRevisions): after all of the batch's entries, which the sort waits for.
    ORDER BY w.ns, w.ord
    RETURNING namespace_id, revision
  ), versioned AS (
    INSERT INTO entry_versions (entry_id, version, value_type, value, change_reason, changed_by)
    SELECT w.id, w.version, w.vtype, w.val,
      CASE WHEN w.created THEN '${ChangeReason.CREATE}' ELSE '${ChangeReason.UPDATE}' END, w.event->>'actor'
    FROM written w
    RETURNING entry_id, version
  ), pruned AS (
    DELETE FROM entry_versions v USING versioned a, written w
    WHERE a.entry_id = w.id AND w.max_versions IS NOT NULL
      AND v.entry_id = a.entry_id AND v.version <= a.version - w.max_versions
  ), audit AS (
    INSERT INTO audit_log (${AUDIT_RECORD_COLUMNS})
    SELECT ${AUDIT_RECORD_COLUMNS.replace(/\w+/g, 'r.$&')}
    FROM written w, jsonb_populate_record(NULL::audit_log, w.audit || jsonb_build_object(
      'entry_id', w.id,
      'status_code', CASE WHEN w.created THEN ${writeStatus(true)} ELSE ${writeStatus(false)} END)) r
  )
  SELECT ord, id, version, expires_at, metadata, created_at, updated_at, created,
    (SELECT max(e.revision) FROM event e WHERE e.namespace_id = w.ns) AS revision,
    CASE WHEN NOT w.created THEN (${LATEST_CHANGE('c.create_revision', 'w.ns', 'w.key')}) END
      AS prior_create_revision
  FROM written w`,
};

// ---------------------------------------------------------------------------------------------
// Bulk writes (BulkEntryWriter)

// The rows of a batch's keys in whatever state, locked in key order (so two batches over the
// same keys cannot deadlock).
export const BULK_LOCK = `
  SELECT key_path, id, version, ${ALIVE} AS alive,
    (e.deleted_at IS NULL AND e.expires_at <= now()) AS expired
  FROM entries e WHERE namespace_id = $1 AND key_path = ANY($2::text[])
  ORDER BY key_path FOR UPDATE`;

// One statement for the whole batch. An existing row is replaced only at the version this
// batch locked, so a key another writer created meanwhile is not overwritten; a tombstone (or
// an expired row) comes back as a new entry.
export const BULK_UPSERT = `
  INSERT INTO entries (namespace_id, key_path, value_type, value, value_ciphertext, version, metadata, expires_at)
  SELECT $1, t.key_path, t.value_type, t.value, t.value_ciphertext, t.version, t.metadata,
         CASE WHEN t.ttl IS NULL THEN NULL ELSE now() + make_interval(secs => t.ttl) END
  FROM unnest($2::text[], $3::varchar[], $4::text[], $5::bytea[], $6::int[], $7::text[], $8::int[])
       AS t(key_path, value_type, value, value_ciphertext, version, metadata, ttl)
  ON CONFLICT (namespace_id, key_path) DO UPDATE SET
    value_type = excluded.value_type, value = excluded.value, value_ciphertext = excluded.value_ciphertext,
    version = excluded.version, metadata = excluded.metadata, expires_at = excluded.expires_at, updated_at = now(),
    created_at = CASE WHEN entries.deleted_at IS NULL
      AND (entries.expires_at IS NULL OR entries.expires_at > now()) THEN entries.created_at ELSE now() END,
    deleted_at = NULL, deleted_by = NULL, recoverable_until = NULL
  WHERE entries.version = excluded.version - 1
  RETURNING *`;

// With the namespace's maxVersions ($8), the versions the new ones push out go with them.
export const BULK_INSERT_VERSIONS = `
  WITH added AS (
    INSERT INTO entry_versions (entry_id, version, value_type, value, value_ciphertext, change_reason, changed_by)
    SELECT * FROM unnest($1::uuid[], $2::int[], $3::varchar[], $4::text[], $5::bytea[], $6::varchar[], $7::varchar[])
    RETURNING entry_id, version)
  DELETE FROM entry_versions v USING added a
  WHERE $8::int IS NOT NULL AND v.entry_id = a.entry_id AND v.version <= a.version - $8::int`;

// ---------------------------------------------------------------------------------------------
// Tombstones: deletes, expiry and the recovery window (see Tombstones)

/**
 * The SET list that buries the row `e` at `deletedAt` by `deletedBy` (SQL both, read before
 * the update), recoverable for `recoveryDays` when `secret` (SQL) holds and there is a window.
 */
export function bury(
  deletedBy: string,
  deletedAt: string,
  secret: string,
  recoveryDays: number,
): string {
  const recoverable = recoveryDays > 0 ? secret : 'false';
  return `deleted_at = ${deletedAt}, deleted_by = ${deletedBy},
      value = NULL, value_ciphertext = NULL, expires_at = NULL,
      recoverable_until = CASE WHEN ${recoverable}
        THEN ${deletedAt} + make_interval(days => ${recoveryDays}) END,
      metadata = CASE WHEN ${recoverable} THEN e.metadata END`;
}

/**
 * A CTE (with its leading comma) that deletes the versions of the rows CTE `buried` returned
 * (with `id`) of secret namespaces (`secret`, SQL over `b`), when there is no recovery window;
 * nothing otherwise. A plain namespace's history stays for its retention.
 */
export function purgeAtOnce(buried: string, recoveryDays: number, secret: string): string {
  return recoveryDays > 0
    ? ''
    : `, purged AS (DELETE FROM entry_versions v USING ${buried} b WHERE v.entry_id = b.id AND ${secret})`;
}

/** Buries the live entry $1 of a namespace whose secrecy is `secret`, by $2. */
export const buryOne = (secret: boolean, recoveryDays: number) => `
  WITH buried AS (
    UPDATE entries e SET ${bury('$2::varchar', 'now()', String(secret), recoveryDays)}
    WHERE id = $1 RETURNING id
  )${purgeAtOnce('buried', recoveryDays, String(secret))}
  SELECT 1 FROM buried`;

/** Buries the live entries of keys $2 of namespace $1 by $3. */
export const buryMany = (secret: boolean, recoveryDays: number) => `
  WITH buried AS (
    UPDATE entries e SET ${bury('$3::varchar', 'now()', String(secret), recoveryDays)}
    WHERE namespace_id = $1 AND key_path = ANY($2::text[]) AND ${ALIVE}
    RETURNING id, key_path, version
  )${purgeAtOnce('buried', recoveryDays, String(secret))}
  SELECT * FROM buried`;

/** Buries up to `batch` entries expired by now, at their expiry, skipping rows others hold. */
export const buryExpired = (batch: number, actor: string, recoveryDays: number) => `
  WITH buried AS (
    UPDATE entries e SET ${bury(`'${actor}'`, 'e.expires_at', 'n.is_secret_namespace', recoveryDays)}
    FROM namespaces n
    WHERE n.id = e.namespace_id AND e.id IN (
      SELECT id FROM entries WHERE expires_at <= now() ORDER BY expires_at LIMIT ${batch} FOR UPDATE SKIP LOCKED)
    RETURNING e.id, e.namespace_id, e.key_path, e.version, n.application_id, n.is_secret_namespace
  )${purgeAtOnce('buried', recoveryDays, 'b.is_secret_namespace')}
  SELECT * FROM buried`;

/** Tombstones past their window: they stay (they keep the key's version); their versions and metadata go. */
export const purgeDue = (batch: number) => `
  WITH due AS (
    SELECT id FROM entries WHERE recoverable_until <= now()
    ORDER BY recoverable_until LIMIT ${batch} FOR UPDATE SKIP LOCKED
  ), purged AS (
    UPDATE entries e SET recoverable_until = NULL, metadata = NULL
    FROM due, namespaces n WHERE e.id = due.id AND n.id = e.namespace_id
    RETURNING e.id, e.namespace_id, e.key_path, e.version, n.application_id, n.is_secret_namespace
  ), versions AS (
    DELETE FROM entry_versions v USING purged p WHERE v.entry_id = p.id
  )
  SELECT * FROM purged`;

// The recoverable tombstones of a namespace in key order, through the (namespace, key) index.
export const LIST_DELETED = `
  SELECT key_path, version, deleted_at, recoverable_until FROM entries
  WHERE namespace_id = $1 AND recoverable_until > now()
    AND key_path >= $2 AND key_path > $3 AND ($4::text IS NULL OR key_path < $4)
  ORDER BY key_path LIMIT $5`;

// ---------------------------------------------------------------------------------------------
// Versions

/** A page of an entry's versions, newest first (before version $2, if given), without values. */
export const LIST_VERSIONS = `
  SELECT version, value_type, change_reason, changed_by, created_at
  FROM entry_versions WHERE entry_id = $1 AND ($2::int IS NULL OR version < $2::int)
  ORDER BY version DESC LIMIT $3`;

/** One version of an entry, with its value as stored (plain or sealed). */
export const READ_VERSION = `
  SELECT version, value_type, value, value_ciphertext, change_reason, changed_by, created_at FROM entry_versions
  WHERE entry_id = $1 AND version = $2`;

/** The last version of an entry, sealed. */
export const LAST_VERSION = `
  SELECT version, value_type, value_ciphertext FROM entry_versions
  WHERE entry_id = $1 ORDER BY version DESC LIMIT 1`;

// ---------------------------------------------------------------------------------------------
// History: changes by revision (HistoryReader)

// The namespace's revision and oldest readable revision, with its changes after revision $2 (null:
// the current one) of
// keys under prefix $3, in order: whole revisions, up to the one of the $4-th change (so a
// resumed read never splits one), or all of them up to the namespace's revision. One
// statement: the changes and the revision are of one snapshot.
export const CHANGES_SINCE = `
  SELECT r.revision AS ns_revision, r.compacted_revision, c.*
  FROM namespace_revisions r
  LEFT JOIN LATERAL (
    SELECT c.revision, c.type, c.key_path, c.entry_id, c.version, c.actor, c.occurred_at
    FROM namespace_changes c
    WHERE c.namespace_id = r.namespace_id AND c.revision > coalesce($2::bigint, r.revision)
      AND starts_with(c.key_path, $3)
      AND c.revision <= coalesce((
        SELECT l.revision FROM namespace_changes l
        WHERE l.namespace_id = r.namespace_id AND l.revision > coalesce($2::bigint, r.revision)
          AND starts_with(l.key_path, $3)
        ORDER BY l.revision, l.seq OFFSET $4 - 1 LIMIT 1), r.revision)
    ORDER BY c.revision, c.seq
  ) c ON true
  WHERE r.namespace_id = $1`;

/** Whether a snapshot of the namespace (of namespace_revisions r) pins revision `at`. */
const PINNED = (at: string) => `EXISTS (SELECT 1 FROM namespace_snapshots s
    WHERE s.namespace_id = r.namespace_id AND s.revision = ${at}) AS pinned`;

/** A key's latest change at or before revision $3 of namespace $1, with the value it left. */
const AS_OF_CHANGE = `
  SELECT DISTINCT ON (c.key_path) c.key_path, c.type, c.revision AS mod_revision,
    c.create_revision, c.entry_id, c.version
  FROM namespace_changes c`;

// The namespace's revisions and, as of revision $3, the entry of key $2 (if that revision left
// one) with its version's value; `kept` is false if the version is no longer kept.
export const AS_OF_ONE = `
  SELECT r.revision AS ns_revision, r.compacted_revision, ${PINNED('$3')}, l.*, v.value, v.value_ciphertext,
    v.value_type, v.created_at AS version_created_at, v.entry_id IS NOT NULL AS kept
  FROM namespace_revisions r
  LEFT JOIN LATERAL (${AS_OF_CHANGE}
    WHERE c.namespace_id = r.namespace_id AND c.key_path = $2 AND c.revision <= $3
    ORDER BY c.key_path, c.revision DESC, c.seq DESC
  ) l ON l.type NOT IN ('${KvEventType.EntryDeleted}', '${KvEventType.EntryExpired}')
  LEFT JOIN entry_versions v ON v.entry_id = l.entry_id AND v.version = l.version
  WHERE r.namespace_id = $1`;

// As READ_PAGE, as of revision $7: the keys that revision left alive, in key order.
export const AS_OF_PAGE = `
  SELECT r.revision AS ns_revision, r.compacted_revision, ${PINNED('$7')}, p.*
  FROM namespace_revisions r
  LEFT JOIN LATERAL (
    SELECT l.*, CASE WHEN $6 THEN v.value END AS value,
      CASE WHEN $6 THEN v.value_ciphertext END AS value_ciphertext,
      v.value_type, v.created_at AS version_created_at, v.entry_id IS NOT NULL AS kept
    FROM (${AS_OF_CHANGE}
      WHERE c.namespace_id = r.namespace_id AND c.revision <= $7
        AND c.key_path >= $2 AND c.key_path > $3 AND ($4::text IS NULL OR c.key_path < $4)
      ORDER BY c.key_path, c.revision DESC, c.seq DESC) l
    LEFT JOIN entry_versions v ON v.entry_id = l.entry_id AND v.version = l.version
    WHERE l.type NOT IN ('${KvEventType.EntryDeleted}', '${KvEventType.EntryExpired}')
    ORDER BY l.key_path
    LIMIT $5
  ) p ON true
  WHERE r.namespace_id = $1`;
