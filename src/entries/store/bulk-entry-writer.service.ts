import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { ErrorCode } from '../../common/errors/error-code.enum';
import { FieldError, KvException } from '../../common/errors/kv.exception';
import { DataKeysService } from '../../crypto/data-keys.service';
import { KvEventType, SYSTEM_ACTOR, entryEvent } from '../../events/kv-event.types';
import { OutboxService } from '../../events/outbox.service';
import type { NamespaceEntity } from '../../namespaces/namespace.entity';
import { ChangeReason } from './change-reason.enum';
import type { ValueType } from '../model/value-type.enum';
import { EntryRow, entryFromRow, returnedRows } from './entry.row';
import { BULK_INSERT_VERSIONS, BULK_LOCK, BULK_UPSERT, buryMany } from './entry.sql';
import { keyRevisions } from './key-revisions';
import { BuriedRow, Tombstones } from './tombstones.service';
import type { EntryEntity } from '../entry.entity';
import { ImportRange, ImportRow, readImportRows } from './import-rows';

/** An item of a bulk set, validated and serialized, with its TTL still to resolve. */
export interface BulkWriteItem {
  key: string;
  valueType: ValueType;
  serialized: string;
  metadata: string | null;
  /** Undefined: the namespace's default TTL. */
  ttlSeconds: number | null | undefined;
  expectedVersion?: number;
}

/** Thrown when another writer created one of the keys meanwhile; the caller retries the batch. */
export class ConcurrentBulkWrite extends Error {}

interface LockedRow {
  key_path: string;
  id: string;
  version: number;
  alive: boolean;
  expired: boolean;
}

/** Writes or deletes a whole batch in a handful of statements, with the rules of a single change. */
@Injectable()
export class BulkEntryWriter {
  constructor(
    private readonly dataKeys: DataKeysService,
    private readonly outbox: OutboxService,
    private readonly tombstones: Tombstones,
  ) {}

  /** Entities in the order of the items, carrying plaintext values for the response only. */
  async setMany(
    manager: EntityManager,
    namespace: NamespaceEntity,
    items: BulkWriteItem[],
    actor: string,
  ): Promise<{ entities: EntryEntity[]; revision?: number }> {
    if (items.length === 0) {
      return { entities: [] };
    }
    const keys = items.map((item) => item.key);
    const locked = await manager.query<LockedRow[]>(BULK_LOCK, [namespace.id, keys]);
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
      await manager.query<unknown>(BULK_UPSERT, [
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
    const stored = items.map((item) => ({ ...byKey.get(item.key)!, value: item.serialized }));
    await manager.query(BULK_INSERT_VERSIONS, [
      stored.map((e) => e.id),
      versions,
      items.map((item) => item.valueType),
      items.map((item, i) => (sealed[i] ? null : item.serialized)),
      sealed,
      items.map((item) => (current.has(item.key) ? ChangeReason.UPDATE : ChangeReason.CREATE)),
      items.map(() => actor),
      namespace.maxVersions,
    ]);
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
      ...stored.map((entity) =>
        entryEvent(
          current.has(entity.keyPath) ? KvEventType.EntryUpdated : KvEventType.EntryCreated,
          namespace,
          entity,
          actor,
        ),
      ),
    ]);
    const revisions = await keyRevisions(manager, namespace.id, keys);
    return {
      entities: stored.map((entity) => ({ ...entity, ...revisions.byKey.get(entity.keyPath) })),
      revision: revisions.revision,
    };
  }

  /**
   * Locks what an import touches until its transaction ends: the rows of its keys in whatever
   * state, and with a range every live entry in it (those a prune may delete).
   */
  lockForImport(
    manager: EntityManager,
    namespaceId: string,
    keys: string[],
    range: ImportRange | undefined,
  ): Promise<ImportRow[]> {
    return readImportRows(manager, true, namespaceId, keys, range);
  }

  /**
   * Buries the live entries of these keys (see Tombstones); resolves to the rows it buried and,
   * if it buried any, the namespace's revision after.
   */
  async deleteMany(
    manager: EntityManager,
    namespace: Pick<NamespaceEntity, 'id' | 'applicationId' | 'isSecretNamespace'>,
    keys: string[],
    actor: string,
  ): Promise<{ rows: BuriedRow[]; revision?: number }> {
    if (keys.length === 0) {
      return { rows: [] };
    }
    const rows = await manager.query<BuriedRow[]>(
      buryMany(namespace.isSecretNamespace, this.tombstones.recoveryDays),
      [namespace.id, keys, actor],
    );
    const revision = await this.outbox.add(
      manager,
      this.tombstones.events(KvEventType.EntryDeleted, namespace, rows, actor),
    );
    return { rows, revision };
  }
}
