import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { ErrorCode } from '../common/errors/error-code.enum';
import { FieldError, KvException } from '../common/errors/kv.exception';
import { DataKeysService } from '../crypto/data-keys.service';
import { KvEventType, SYSTEM_ACTOR, entryEvent } from '../events/kv-event.types';
import { OutboxService } from '../events/outbox.service';
import type { NamespaceEntity } from '../namespaces/namespace.entity';
import { ChangeReason } from '../secrets/change-reason.enum';
import type { PreparedItem } from './bulk-items';
import { EntryRow, entryFromRow, returnedRows } from './entry-row';
import { ALIVE } from './entry-writer.service';
import type { EntryEntity } from './entry.entity';

/** Thrown when another writer created one of the keys meanwhile; the caller retries the batch. */
export class ConcurrentBulkWrite extends Error {}

// One statement for the whole batch. An existing row is replaced only at the version this
// batch locked, so a key another writer created meanwhile is not overwritten; a tombstone (or
// an expired row) comes back as a new entry.
const UPSERT = `
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

// The rows of a batch's keys in whatever state, locked in key order (so two batches over the
// same keys cannot deadlock).
const LOCK = `
  SELECT key_path, id, version, ${ALIVE} AS alive,
    (e.deleted_at IS NULL AND e.expires_at <= now()) AS expired
  FROM entries e WHERE namespace_id = $1 AND key_path = ANY($2::text[])
  ORDER BY key_path FOR UPDATE`;

interface LockedRow {
  key_path: string;
  id: string;
  version: number;
  alive: boolean;
  expired: boolean;
}

// With the namespace's maxVersions ($7), the versions the new ones push out go with them.
const INSERT_VERSIONS = `
  WITH added AS (
    INSERT INTO entry_versions (entry_id, version, value_type, value_ciphertext, change_reason, changed_by)
    SELECT * FROM unnest($1::uuid[], $2::int[], $3::varchar[], $4::bytea[], $5::varchar[], $6::varchar[])
    RETURNING entry_id, version)
  DELETE FROM entry_versions v USING added a
  WHERE $7::int IS NOT NULL AND v.entry_id = a.entry_id AND v.version <= a.version - $7::int`;

/** Writes a whole batch in a handful of statements, with the rules of a single write. */
@Injectable()
export class BulkWriter {
  constructor(
    private readonly dataKeys: DataKeysService,
    private readonly outbox: OutboxService,
  ) {}

  /** Entities in the order of the items, carrying plaintext values for the response only. */
  async setMany(
    manager: EntityManager,
    namespace: NamespaceEntity,
    items: PreparedItem[],
    actor: string,
  ): Promise<EntryEntity[]> {
    if (items.length === 0) {
      return [];
    }
    const keys = items.map((item) => item.key);
    const locked = await manager.query<LockedRow[]>(LOCK, [namespace.id, keys]);
    const rows = new Map(locked.map((row) => [row.key_path, row]));
    const current = new Map(
      locked.filter((row) => row.alive).map((row) => [row.key_path, row.version]),
    );
    const conflicts: FieldError[] = [];
    items.forEach((item, index) => {
      const found = current.get(item.key) ?? 0;
      if (item.expectedVersion !== undefined && item.expectedVersion !== found) {
        conflicts.push({
          index,
          key: item.key,
          field: 'expectedVersion',
          message: `expected version ${item.expectedVersion}, found ${found || 'no entry'}`,
        });
      }
    });
    if (conflicts.length > 0) {
      throw new KvException(
        ErrorCode.VERSION_CONFLICT,
        `${conflicts.length} item(s) are not at their expectedVersion; nothing was written`,
        conflicts,
      );
    }
    // A key written again continues after the version its tombstone (or expired row) keeps.
    const versions = items.map((item) => (rows.get(item.key)?.version ?? 0) + 1);
    const cipher = namespace.isSecretNamespace
      ? await this.dataKeys.cipherFor(namespace.id)
      : undefined;
    const sealed = items.map(
      (item, i) => cipher?.encrypt(item.key, versions[i], item.serialized) ?? null,
    );
    const written = returnedRows<EntryRow>(
      await manager.query<unknown>(UPSERT, [
        namespace.id,
        keys,
        items.map((item) => item.valueType),
        items.map((item, i) => (sealed[i] ? null : item.serialized)),
        sealed,
        versions,
        items.map((item) => item.metadata),
        items.map((item) =>
          item.ttlSeconds === undefined ? namespace.defaultTtlSeconds : item.ttlSeconds,
        ),
      ]),
    );
    if (written.length !== items.length) {
      throw new ConcurrentBulkWrite();
    }
    const byKey = new Map(written.map((row) => [row.key_path, entryFromRow(row)]));
    const entities = items.map((item) => ({ ...byKey.get(item.key)!, value: item.serialized }));
    if (cipher) {
      await manager.query(INSERT_VERSIONS, [
        entities.map((e) => e.id),
        versions,
        items.map((item) => item.valueType),
        sealed,
        items.map((item) => (current.has(item.key) ? ChangeReason.UPDATE : ChangeReason.CREATE)),
        items.map(() => actor),
        namespace.maxVersions,
      ]);
    }
    // Expired rows the batch replaces are announced as expired first.
    await this.outbox.add(manager, [
      ...locked
        .filter((row) => row.expired)
        .map((row) =>
          entryEvent(
            KvEventType.EntryExpired,
            namespace,
            { id: row.id, keyPath: row.key_path, version: row.version },
            SYSTEM_ACTOR,
          ),
        ),
      ...entities.map((entity) =>
        entryEvent(
          current.has(entity.keyPath) ? KvEventType.EntryUpdated : KvEventType.EntryCreated,
          namespace,
          entity,
          actor,
        ),
      ),
    ]);
    return entities;
  }
}
