import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { AuditContext } from '../audit/audit-context';
import { AuditService } from '../audit/audit.service';
import { ErrorCode } from '../common/errors/error-code.enum';
import { KvException } from '../common/errors/kv.exception';
import type { AtRevision } from '../common/http/revision-header';
import { decodeCursor, encodeCursor } from '../common/pagination/cursor';
import { Page, toPage } from '../common/pagination/page';
import { PageQueryDto } from '../common/pagination/page-query.dto';
import type { KvConfig } from '../config/kv-config.types';
import { DataKeysService } from '../crypto/data-keys.service';
import { EntryDto } from '../entries/dto/entry.dto';
import { checkKey } from '../entries/model/entry-key';
import { AliveEntry, EntryReader } from '../entries/store/entry-reader.service';
import { VersionReader } from '../entries/store/version-reader.service';
import { NamespaceLookup } from '../namespaces/namespace-lookup.service';
import { KvPermission } from '../permissions/kv-permission.enum';
import { serializeValue } from '../entries/model/entry-value';
import { LockingEntryWriter, WriteRequest } from '../entries/store/locking-entry-writer.service';
import { Preconditions } from '../entries/model/entry-preconditions';
import { entryNotFound } from '../entries/model/entry.errors';
import type { NamespaceEntity } from '../namespaces/namespace.entity';
import type { Principal } from '../permissions/principal';
import { ChangeReason } from '../entries/store/change-reason.enum';
import { EntryVersionDto } from './dto/entry-version.dto';
import { EntryVersionValueDto } from './dto/entry-version-value.dto';
import { RollbackSecretDto } from './dto/rollback-secret.dto';
import { RotateSecretDto } from './dto/rotate-secret.dto';

/**
 * Version history of entries (every namespace keeps it: list, read one), and of secrets
 * rotate to a new value and roll back to an old one.
 */
@Injectable()
export class SecretsService {
  private readonly maxValueBytes: number;

  constructor(
    private readonly reader: EntryReader,
    private readonly writer: LockingEntryWriter,
    private readonly audit: AuditService,
    private readonly dataKeys: DataKeysService,
    private readonly versions: VersionReader,
    private readonly namespaces: NamespaceLookup,
    config: ConfigService<KvConfig, true>,
  ) {
    this.maxValueBytes = config.get('limits.maxValueBytes', { infer: true });
  }

  async listVersions(
    caller: Principal,
    audit: AuditContext,
    namespaceId: string,
    key: string,
    query: PageQueryDto,
  ): Promise<AtRevision<Page<EntryVersionDto>>> {
    const { entry, revision } = await this.liveEntry(caller, audit, namespaceId, key);
    const before =
      query.cursor === undefined
        ? undefined
        : Number.parseInt(decodeCursor(query.cursor, 1)[0], 10) || 0;
    const rows = await this.versions.page(entry.id, before, query.limit + 1);
    return {
      body: toPage(
        rows,
        query.limit,
        (row) => encodeCursor([String(row.version)]),
        (row) => EntryVersionDto.from(row),
      ),
      revision,
    };
  }

  /** Version n of a live entry with its value (a secret's opened): 404 VERSION_NOT_FOUND if not kept. */
  async getVersion(
    caller: Principal,
    audit: AuditContext,
    namespaceId: string,
    key: string,
    version: number,
  ): Promise<AtRevision<EntryVersionValueDto>> {
    const { namespace, entry, revision } = await this.liveEntry(caller, audit, namespaceId, key);
    const found = await this.versions.one(undefined, entry.id, version);
    if (!found) {
      throw new KvException(ErrorCode.VERSION_NOT_FOUND, `${key} keeps no version ${version}`);
    }
    const serialized = namespace.isSecretNamespace
      ? (await this.dataKeys.cipherFor(namespace.id)).decrypt(
          key,
          found.version,
          found.valueCiphertext!,
        )
      : found.value!;
    return { body: EntryVersionValueDto.of(found, serialized), revision };
  }

  /** The namespace and live entry of a key, with the namespace's revision: 404 if absent. */
  private async liveEntry(
    caller: Principal,
    audit: AuditContext,
    namespaceId: string,
    key: string,
  ): Promise<{ namespace: NamespaceEntity; entry: AliveEntry; revision: number }> {
    checkKey(key, false);
    const namespace = await this.namespaces.find(caller, audit, namespaceId);
    const entry = await this.reader.findAlive(namespace.id, key);
    if (!entry) {
      throw entryNotFound(key);
    }
    audit.forEntry(entry.id);
    return { namespace, entry, revision: entry.revision };
  }

  async rotate(
    caller: Principal,
    audit: AuditContext,
    namespaceId: string,
    key: string,
    dto: RotateSecretDto,
    ifMatch?: string,
  ): Promise<AtRevision<EntryDto>> {
    const namespace = await this.secretNamespace(caller, audit, namespaceId, key);
    return this.change(
      caller,
      audit,
      namespace,
      key,
      { expectedVersion: dto.expectedVersion, ifMatch },
      ChangeReason.ROTATION,
      (current) => {
        const valueType = dto.valueType ?? current!.valueType;
        return { valueType, serialized: serializeValue(dto.value, valueType, this.maxValueBytes) };
      },
    );
  }

  async rollback(
    caller: Principal,
    audit: AuditContext,
    namespaceId: string,
    key: string,
    dto: RollbackSecretDto,
    ifMatch?: string,
  ): Promise<AtRevision<EntryDto>> {
    const namespace = await this.secretNamespace(caller, audit, namespaceId, key);
    const cipher = await this.dataKeys.cipherFor(namespace.id);
    return this.change(
      caller,
      audit,
      namespace,
      key,
      { expectedVersion: dto.expectedVersion, ifMatch },
      ChangeReason.ROLLBACK,
      async (current, manager) => {
        const old = await this.versions.one(manager, current!.id, dto.version);
        if (!old) {
          throw new KvException(
            ErrorCode.VERSION_NOT_FOUND,
            `${key} has no version ${dto.version}`,
          );
        }
        return {
          valueType: old.valueType,
          serialized: cipher.decrypt(key, old.version, old.valueCiphertext!),
        };
      },
    );
  }

  private async change(
    caller: Principal,
    audit: AuditContext,
    namespace: NamespaceEntity,
    key: string,
    preconditions: Preconditions,
    reason: ChangeReason,
    value: WriteRequest['value'],
  ): Promise<AtRevision<EntryDto>> {
    return this.audit.change(audit, async (manager) => {
      const { entity, revision } = await this.writer.write(manager, namespace, {
        key,
        value,
        preconditions,
        mustExist: true,
        reason,
        actor: caller.sub,
      });
      audit.forEntry(entity.id);
      // Rotating is not reading: a rollback would otherwise hand out any old value.
      return { body: EntryDto.from(entity, caller.has(KvPermission.EntryRead)), revision };
    });
  }

  private async secretNamespace(
    caller: Principal,
    audit: AuditContext,
    namespaceId: string,
    key: string,
  ): Promise<NamespaceEntity> {
    checkKey(key, false);
    const namespace = await this.namespaces.find(caller, audit, namespaceId);
    if (!namespace.isSecretNamespace) {
      throw new KvException(
        ErrorCode.NOT_A_SECRET_NAMESPACE,
        'versions, rotate and rollback exist only in secret namespaces',
      );
    }
    return namespace;
  }
}
