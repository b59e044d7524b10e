import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { ErrorCode } from '../../common/errors/error-code.enum';
import { KvException } from '../../common/errors/kv.exception';
import { DataKeysService } from '../../crypto/data-keys.service';
import { KvEventType, SYSTEM_ACTOR, entryEvent } from '../../events/kv-event.types';
import { OutboxService } from '../../events/outbox.service';
import type { NamespaceEntity } from '../../namespaces/namespace.entity';
import { ChangeReason } from './change-reason.enum';
import { Preconditions, checkPreconditions } from '../model/entry-preconditions';
import { entryNotFound } from '../model/entry.errors';
import { EntryRow, entryFromRow } from './entry.row';
import {
  INSERT_ENTRY,
  LOCK_ALIVE,
  LOCK_KEY,
  buryOne,
  rewriteEntry,
  versionAlongside,
} from './entry.sql';
import type { EntryEntity } from '../entry.entity';
import { keyRevisions } from './key-revisions';
import { Tombstones } from './tombstones.service';
import type { ValueInput } from '../model/entry-value';
import type { ValueType } from '../model/value-type.enum';

/** The live entry a write replaces, as its lock found it. */
export interface CurrentEntry {
  id: string;
  version: number;
  valueType: ValueType;
}

/** The key's row when it holds no live entry: a tombstone, or an entry expired by now. */
export interface BuriedEntry {
  id: string;
  version: number;
  /** Secret namespaces: its versions are kept and it may be restored. */
  recoverable: boolean;
}

export interface WriteRequest {
  key: string;
  /**
   * The new value; given the current entry, so rotate can keep its type and rollback read
   * history, and else the key's buried row, for restore.
   */
  value: (
    current: CurrentEntry | undefined,
    manager: EntityManager,
    buried: BuriedEntry | undefined,
  ) => Promise<ValueInput> | ValueInput;
  /** JSON text of the metadata; undefined keeps the current metadata. */
  metadata?: string | null;
  /** Seconds to live, null for never; undefined keeps the current expiry. */
  ttl?: number | null;
  preconditions: Preconditions;
  /** Rotate and rollback change an existing entry and never create one. */
  mustExist: boolean;
  /** For secret versions; by default create or update. */
  reason?: ChangeReason;
  actor: string;
}

/**
 * Writes and deletes one entry in the caller's transaction, under a row lock, so a version
 * check and the change it guards cannot be separated by another writer; sealed with the
 * namespace's data key in secret namespaces, and kept as a version. Every change of a secret
 * entry (set, rotate, rollback, restore) and every delete goes through here, and the plain
 * writes the batched writer leaves to it (If-Match, a tombstone or expired row in the way).
 */
@Injectable()
export class LockingEntryWriter {
  constructor(
    private readonly dataKeys: DataKeysService,
    private readonly outbox: OutboxService,
    private readonly tombstones: Tombstones,
  ) {}

  /** Writes one entry; the returned entity carries the plaintext value for the response only. */
  async write(
    manager: EntityManager,
    namespace: NamespaceEntity,
    request: WriteRequest,
  ): Promise<{ entity: EntryEntity; created: boolean; revision: number }> {
    const { key } = request;
    // Two first writers may both find no row; the loser of the insert race goes round again
    // and meets the winner's row under the lock.
    for (let attempt = 0; attempt < 3; attempt += 1) {
      const { current, buried } = await this.lock(manager, namespace, key);
      checkPreconditions(current?.version, request.preconditions);
      if (!current && request.mustExist) {
        throw entryNotFound(key);
      }
      const value = await request.value(current, manager, buried);
      // A key written again continues after the version its tombstone (or expired row) keeps.
      const row = current ?? buried;
      const version = (row?.version ?? 0) + 1;
      const sealed = namespace.isSecretNamespace
        ? (await this.dataKeys.cipherFor(namespace.id)).encrypt(key, version, value.serialized)
        : null;
      const stored = [value.valueType, sealed ? null : value.serialized, sealed, version];
      const type =
        request.reason === ChangeReason.ROTATION
          ? KvEventType.EntryRotated
          : request.reason === ChangeReason.ROLLBACK
            ? KvEventType.EntryRolledBack
            : request.reason === ChangeReason.RESTORE
              ? KvEventType.EntryRestored
              : current
                ? KvEventType.EntryUpdated
                : KvEventType.EntryCreated;
      // The id is known before the write, so its event (and, for a secret, its version row)
      // go into the same statement.
      const id = row?.id ?? randomUUID();
      const event = entryEvent(type, namespace, { id, keyPath: key, version }, request.actor);
      const write = row
        ? {
            text: rewriteEntry(!current),
            values: [
              ...stored,
              request.metadata !== undefined,
              request.metadata ?? null,
              // An expired row's expiry is past: a revived one gets the request's or none.
              request.ttl !== undefined || !current,
              request.ttl ?? null,
              id,
            ],
          }
        : {
            text: INSERT_ENTRY,
            values: [
              ...stored,
              request.metadata ?? null,
              request.ttl ?? null,
              namespace.id,
              key,
              id,
            ],
          };
      const reason = request.reason ?? (current ? ChangeReason.UPDATE : ChangeReason.CREATE);
      const rows = await this.outbox.writeWith<EntryRow>(
        manager,
        {
          ...write,
          values: [
            ...write.values,
            reason,
            request.actor,
            ...(namespace.maxVersions === null ? [] : [namespace.maxVersions]),
          ],
          alongside: versionAlongside(write.values.length + 1, namespace.maxVersions !== null),
        },
        [event],
      );
      if (rows.length === 0) {
        continue;
      }
      const entity = entryFromRow(rows[0]);
      const revisions = await keyRevisions(manager, namespace.id, [key]);
      return {
        entity: { ...entity, ...revisions.byKey.get(key), value: value.serialized },
        created: !current,
        revision: revisions.revision,
      };
    }
    throw new KvException(
      ErrorCode.VERSION_CONFLICT,
      `entry ${key} is being written concurrently; retry`,
    );
  }

  /**
   * The key's row in whatever state, locked (one round trip on every write): the live entry,
   * or the row the write revives, a tombstone or an entry expired by now (announced here as
   * expired, since the write takes its place). Every writer of a key meets this one row, so
   * versions cannot repeat whatever the writers' snapshots.
   */
  private async lock(
    manager: EntityManager,
    namespace: NamespaceEntity,
    key: string,
  ): Promise<{ current?: CurrentEntry; buried?: BuriedEntry }> {
    const [row] = await manager.query<
      {
        id: string;
        version: number;
        value_type: ValueType;
        alive: boolean;
        expired: boolean;
        recoverable: boolean | null;
      }[]
    >(LOCK_KEY, [namespace.id, key, this.tombstones.recoveryDays]);
    if (!row) {
      return {};
    }
    if (row.alive) {
      return { current: { id: row.id, version: row.version, valueType: row.value_type } };
    }
    if (row.expired) {
      await this.outbox.add(manager, [
        entryEvent(
          KvEventType.EntryExpired,
          namespace,
          { id: row.id, keyPath: key, version: row.version },
          SYSTEM_ACTOR,
        ),
      ]);
    }
    return {
      buried: {
        id: row.id,
        version: row.version,
        recoverable: namespace.isSecretNamespace && row.recoverable === true,
      },
    };
  }

  /**
   * Buries the live entry of a key (see Tombstones) if `ifMatch` names its version; 404 if
   * there is none. Resolves to the entry as it was, and the namespace's revision after.
   */
  async delete(
    manager: EntityManager,
    namespace: Pick<NamespaceEntity, 'id' | 'applicationId' | 'isSecretNamespace'>,
    key: string,
    ifMatch: string | undefined,
    actor: string,
  ): Promise<CurrentEntry & { revision: number }> {
    const current = await this.lockAlive(manager, namespace.id, key);
    if (!current) {
      throw entryNotFound(key);
    }
    checkPreconditions(current.version, { ifMatch });
    await manager.query(buryOne(namespace.isSecretNamespace, this.tombstones.recoveryDays), [
      current.id,
      actor,
    ]);
    const revision = await this.outbox.add(
      manager,
      this.tombstones.events(
        KvEventType.EntryDeleted,
        namespace,
        [{ id: current.id, key_path: key, version: current.version }],
        actor,
      ),
    );
    return { ...current, revision: revision! };
  }

  /** The live entry of a key, locked for the rest of the transaction. */
  private async lockAlive(
    manager: EntityManager,
    namespaceId: string,
    key: string,
  ): Promise<CurrentEntry | undefined> {
    const rows = await manager.query<{ id: string; version: number; value_type: ValueType }[]>(
      LOCK_ALIVE,
      [namespaceId, key],
    );
    return rows[0] && { id: rows[0].id, version: rows[0].version, valueType: rows[0].value_type };
  }
}
