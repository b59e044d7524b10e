import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuditContext } from '../audit/audit-context';
import { AuditService } from '../audit/audit.service';
import { ErrorCode } from '../common/errors/error-code.enum';
import { KvException } from '../common/errors/kv.exception';
import { decodeCursor, encodeCursor } from '../common/pagination/cursor';
import { Page, toPage } from '../common/pagination/page';
import { DataKeysService } from '../crypto/data-keys.service';
import { EntryDto } from '../entries/dto/entry.dto';
import { checkKey } from '../entries/model/entry-key';
import { EntryReader } from '../entries/entry-reader.service';
import { EntryWriter } from '../entries/entry-writer.service';
import { prefixUpperBound } from '../entries/model/prefix-range';
import type { ValueType } from '../entries/model/value-type.enum';
import type { NamespaceEntity } from '../namespaces/namespace.entity';
import { KvPermission } from '../permissions/kv-permission.enum';
import type { Principal } from '../permissions/principal';
import { ChangeReason } from './change-reason.enum';
import { DeletedEntryDto } from './dto/deleted-entry.dto';
import { ListDeletedQueryDto } from './dto/list-deleted-query.dto';

// The recoverable tombstones of a namespace in key order, through the (namespace, key) index.
const LIST_DELETED = `
  SELECT key_path, version, deleted_at, recoverable_until FROM entries
  WHERE namespace_id = $1 AND recoverable_until > now()
    AND key_path >= $2 AND key_path > $3 AND ($4::text IS NULL OR key_path < $4)
  ORDER BY key_path LIMIT $5`;

const LAST_VERSION = `
  SELECT version, value_type, value_ciphertext FROM entry_versions
  WHERE entry_id = $1 ORDER BY version DESC LIMIT 1`;

/**
 * The recovery window of secret namespaces (like Secrets Manager's scheduled deletion or
 * Vault's soft delete): a deleted or expired secret keeps its versions as a tombstone for
 * KV_SECRET_RECOVERY_DAYS (see Tombstones); until then it is listed here and can be restored.
 */
@Injectable()
export class RecoveryService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly reader: EntryReader,
    private readonly writer: EntryWriter,
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
    const rows = await this.dataSource.query<
      { key_path: string; version: number; deleted_at: Date; recoverable_until: Date }[]
    >(LIST_DELETED, [
      namespace.id,
      prefix,
      query.cursor === undefined ? '' : decodeCursor(query.cursor, 1)[0],
      prefix === '' ? null : (prefixUpperBound(prefix) ?? null),
      query.limit + 1,
    ]);
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
  ): Promise<EntryDto> {
    audit.keyPath = checkKey(key, false);
    const namespace = await this.secretNamespace(caller, audit, namespaceId);
    const cipher = await this.dataKeys.cipherFor(namespace.id);
    return this.audit.change(audit, async (manager) => {
      const { entity } = await this.writer.write(manager, namespace, {
        key,
        value: async (current, _manager, buried) => {
          if (current) {
            audit.entryId = current.id;
            throw new KvException(
              ErrorCode.VERSION_CONFLICT,
              `${key} holds a live entry at version ${current.version}; only a deleted one can be restored`,
            );
          }
          const [last] = buried?.recoverable
            ? await manager.query<
                { version: number; value_type: ValueType; value_ciphertext: Buffer }[]
              >(LAST_VERSION, [buried.id])
            : [];
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
      audit.entryId = entity.id;
      // Restoring is not reading: the value is shown only to a token that may read it.
      return EntryDto.from(entity, caller.has(KvPermission.EntryRead));
    });
  }

  private async secretNamespace(
    caller: Principal,
    audit: AuditContext,
    namespaceId: string,
  ): Promise<NamespaceEntity> {
    const namespace = await this.reader.visibleNamespace(caller, audit, namespaceId);
    if (!namespace.isSecretNamespace) {
      throw new KvException(
        ErrorCode.NOT_A_SECRET_NAMESPACE,
        'deleted entries are kept and restored only in secret namespaces',
      );
    }
    return namespace;
  }
}
