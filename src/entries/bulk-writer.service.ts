import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { ErrorCode } from '../common/errors/error-code.enum';
import { FieldError, KvException } from '../common/errors/kv.exception';
import { DataKeysService } from '../crypto/data-keys.service';
import { KvEventType, entryEvent } from '../events/kv-event.types';
import { OutboxService } from '../events/outbox.service';
import type { NamespaceEntity } from '../namespaces/namespace.entity';
import { ChangeReason } from '../secrets/change-reason.enum';
import type { PreparedItem } from './bulk-items';
import { EntryRow, entryFromRow, returnedRows } from './entry-row';
import { ALIVE, EntryWriter } from './entry-writer.service';
import type { EntryEntity } from './entry.entity';

/** Thrown when another writer created one of the keys meanwhile; the caller retries the batch. */
export class ConcurrentBulkWrite extends Error {}

// One statement for the whole batch. An existing row is replaced only at the version this
// batch locked, so a key another writer created meanwhile is not overwritten.
const UPSERT = `
  INSERT INTO entries (namespace_id, key_path, value_type, value, value_ciphertext, version, metadata, expires_at)
  SELECT $1, t.key_path, t.value_type, t.value, t.value_ciphertext, t.version, t.metadata,
         CASE WHEN t.ttl IS NULL THEN NULL ELSE now() + make_interval(secs => t.ttl) END
  FROM unnest($2::text[], $3::varchar[], $4::text[], $5::bytea[], $6::int[], $7::text[], $8::int[])
       AS t(key_path, value_type, value, value_ciphertext, version, metadata, ttl)
  ON CONFLICT (namespace_id, key_path) DO UPDATE SET
    value_type = excluded.value_type, value = excluded.value, value_ciphertext = excluded.value_ciphertext,
    version = excluded.version, metadata = excluded.metadata, expires_at = excluded.expires_at, updated_at = now()
  WHERE entries.version = excluded.version - 1
  RETURNING *`;

const INSERT_VERSIONS = `
  INSERT INTO entry_versions (entry_id, version, value_type, value_ciphertext, change_reason, changed_by)
  SELECT * FROM unnest($1::uuid[], $2::int[], $3::varchar[], $4::bytea[], $5::varchar[], $6::varchar[])`;

/** Writes a whole batch in a handful of statements, with the rules of a single write. */
@Injectable()
export class BulkWriter {
  constructor(
    private readonly dataKeys: DataKeysService,
    private readonly outbox: OutboxService,
    private readonly single: EntryWriter,
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
    await this.single.removeExpired(manager, namespace, keys);
    // Locked in key order, so two batches over the same keys cannot deadlock.
    const locked = await manager.query<{ key_path: string; version: number }[]>(
      `SELECT key_path, version FROM entries e WHERE namespace_id = $1 AND key_path = ANY($2::text[]) AND ${ALIVE}
       ORDER BY key_path FOR UPDATE`,
      [namespace.id, keys],
    );
    const current = new Map(locked.map((row) => [row.key_path, row.version]));
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
    const versions = items.map((item) => (current.get(item.key) ?? 0) + 1);
    const cipher = namespace.isSecretNamespace
      ? await this.dataKeys.cipherFor(namespace.id)
      : undefined;
    const sealed = items.map(
      (item, i) => cipher?.encrypt(item.key, versions[i], item.serialized) ?? null,
    );
    const rows = returnedRows<EntryRow>(
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
    if (rows.length !== items.length) {
      throw new ConcurrentBulkWrite();
    }
    const byKey = new Map(rows.map((row) => [row.key_path, entryFromRow(row)]));
    const entities = items.map((item) => ({ ...byKey.get(item.key)!, value: item.serialized }));
    if (cipher) {
      await manager.query(INSERT_VERSIONS, [
        entities.map((e) => e.id),
        versions,
        items.map((item) => item.valueType),
        sealed,
        versions.map((v) => (v === 1 ? ChangeReason.CREATE : ChangeReason.UPDATE)),
        items.map(() => actor),
      ]);
    }
    await this.outbox.add(
      manager,
      entities.map((entity) =>
        entryEvent(
          entity.version === 1 ? KvEventType.EntryCreated : KvEventType.EntryUpdated,
          namespace,
          entity,
          actor,
        ),
      ),
    );
    return entities;
  }
}
