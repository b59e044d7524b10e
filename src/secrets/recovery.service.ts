import { Injectable } from '@nestjs/common';
import { AuditContext } from '../audit/audit-context';
import { AuditService } from '../audit/audit.service';
import { ErrorCode } from '../common/errors/error-code.enum';
import { KvException } from '../common/errors/kv.exception';
import type { AtRevision } from '../common/http/revision-header';
import { decodeCursor, encodeCursor } from '../common/pagination/cursor';
import { Page, toPage } from '../common/pagination/page';
import { DataKeysService } from '../crypto/data-keys.service';
import { EntryDto } from '../entries/dto/entry.dto';
import { checkKey } from '../entries/model/entry-key';
import { EntryReader } from '../entries/store/entry-reader.service';
import { VersionReader } from '../entries/store/version-reader.service';
import { NamespaceLookup } from '../namespaces/namespace-lookup.service';
import { LockingEntryWriter } from '../entries/store/locking-entry-writer.service';
import { prefixUpperBound } from '../entries/model/prefix-range';
import type { NamespaceEntity } from '../namespaces/namespace.entity';
import { KvPermission } from '../permissions/kv-permission.enum';
import type { Principal } from '../permissions/principal';
import { ChangeReason } from '../entries/store/change-reason.enum';
import { DeletedEntryDto } from './dto/deleted-entry.dto';
import { ListDeletedQueryDto } from './dto/list-deleted-query.dto';

/**
 * The recovery window of secret namespaces (like Secrets Manager's scheduled deletion or
 * Vault's soft delete): a deleted or expired secret keeps its versions as a tombstone for
 * KV_SECRET_RECOVERY_DAYS (see Tombstones); until then it is listed here and can be restored.
 */
@Injectable()
export class RecoveryService {
  constructor(
    private readonly reader: EntryReader,
    private readonly versions: VersionReader,
    private readonly namespaces: NamespaceLookup,
    private readonly writer: LockingEntryWriter,
    private readonly audit: AuditService,
    private readonly dataKeys: DataKeysService,
  ) {}

  /** Keys only: what was deleted and until when it can be restored, never a value. */
  async listDeleted(
    caller: Principal,
    audit: AuditContext,
    namespaceId: string,
    query: ListDeletedQueryDto,
  ): Promise<Page<DeletedEntryDto>> {
    const namespace = await this.secretNamespace(caller, audit, namespaceId);
    const prefix = query.prefix ?? '';
    const rows = await this.reader.listDeleted(namespace.id, {
      from: prefix,
      after: query.cursor === undefined ? '' : decodeCursor(query.cursor, 1)[0],
      before: prefix === '' ? undefined : prefixUpperBound(prefix),
      limit: query.limit + 1,
    });
    return toPage(
      rows,
      query.limit,
      (row) => encodeCursor([row.key_path]),
      (row) => DeletedEntryDto.from(row),
    );
  }

  /**
   * Brings the last version of a recoverable entry back as a new version (change reason
   * `restore`), re-encrypted for that version, with its metadata and without expiry: 404 if
   * nothing is recoverable under the key, 409 if it holds a live entry.
   */
  async restore(
    caller: Principal,
    audit: AuditContext,
    namespaceId: string,
    key: string,
  ): Promise<AtRevision<EntryDto>> {
    checkKey(key, false);
    const namespace = await this.secretNamespace(caller, audit, namespaceId);
    const cipher = await this.dataKeys.cipherFor(namespace.id);
    return this.audit.change(audit, async (manager) => {
      const { entity, revision } = await this.writer.write(manager, namespace, {
        key,
        value: async (current, _manager, buried) => {
          if (current) {
            audit.forEntry(current.id);
            throw new KvException(
              ErrorCode.VERSION_CONFLICT,
              `${key} holds a live entry at version ${current.version}; only a deleted one can be restored`,
            );
          }
          const last = buried?.recoverable
            ? await this.versions.last(manager, buried.id)
            : undefined;
          if (!last) {
            throw new KvException(
              ErrorCode.ENTRY_NOT_FOUND,
              `no deleted entry ${key} to restore in this namespace`,
            );
          }
          return {
            valueType: last.value_type,
            serialized: cipher.decrypt(key, last.version, last.value_ciphertext),
          };
        },
        ttl: null,
        preconditions: {},
        mustExist: false,
        reason: ChangeReason.RESTORE,
        actor: caller.sub,
      });
      audit.forEntry(entity.id);
      // Restoring is not reading: the value is shown only to a token that may read it.
      return { body: EntryDto.from(entity, caller.has(KvPermission.EntryRead)), revision };
    });
  }

  private async secretNamespace(
    caller: Principal,
    audit: AuditContext,
    namespaceId: string,
  ): Promise<NamespaceEntity> {
    const namespace = await this.namespaces.find(caller, audit, namespaceId);
    if (!namespace.isSecretNamespace) {
      throw new KvException(
        ErrorCode.NOT_A_SECRET_NAMESPACE,
        'deleted entries are kept and restored only in secret namespaces',
      );
    }
    return namespace;
  }
}
