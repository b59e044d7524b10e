import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { AuditContext } from '../audit/audit-context';
import { AuditService } from '../audit/audit.service';
import { ErrorCode } from '../common/errors/error-code.enum';
import { KvException, invalidField } from '../common/errors/kv.exception';
import { decodeCursor, encodeCursor } from '../common/pagination/cursor';
import { Page, toPage } from '../common/pagination/page';
import { DataKeysService } from '../crypto/data-keys.service';
import { KvEventType, kvEvent } from '../events/kv-event.types';
import { OutboxService } from '../events/outbox.service';
import { isUniqueViolation } from '../database/is-database-unavailable';
import type { Principal } from '../permissions/principal';
import { CreateNamespaceDto } from './dto/create-namespace.dto';
import { ListNamespacesQueryDto } from './dto/list-namespaces-query.dto';
import { NamespaceDto } from './dto/namespace.dto';
import { UpdateNamespaceDto } from './dto/update-namespace.dto';
import { NamespaceLookup } from './namespace-lookup.service';
import { NamespaceEntity } from './namespace.entity';
import { namespaceNotFound } from './namespace.errors';

const UNIQUE_NAME = 'uq_namespaces_application_id_name';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function nameTaken(name: string, applicationId: string): KvException {
  return new KvException(
    ErrorCode.NAMESPACE_NAME_TAKEN,
    `application ${applicationId} already has a namespace named ${name}`,
  );
}

@Injectable()
export class NamespacesService {
  constructor(
    @InjectRepository(NamespaceEntity) private readonly namespaces: Repository<NamespaceEntity>,
    private readonly audit: AuditService,
    private readonly dataKeys: DataKeysService,
    private readonly outbox: OutboxService,
    private readonly lookup: NamespaceLookup,
  ) {}

  async create(
    caller: Principal,
    audit: AuditContext,
    dto: CreateNamespaceDto,
  ): Promise<NamespaceDto> {
    audit.forApplication(dto.applicationId);
    if (!caller.canAccess(dto.applicationId)) {
      throw new KvException(
        ErrorCode.FORBIDDEN,
        `The token does not grant application ${dto.applicationId}`,
      );
    }
    try {
      return await this.audit.change(audit, async (manager) => {
        const entity = manager.create(NamespaceEntity, {
          name: dto.name,
          applicationId: dto.applicationId,
          description: dto.description ?? null,
          isSecretNamespace: dto.isSecretNamespace ?? false,
          defaultTtlSeconds: dto.defaultTtlSeconds ?? null,
          maxVersions: dto.maxVersions ?? null,
          historyRetentionDays: dto.historyRetentionDays ?? null,
        });
        const saved = await manager.save(entity);
        audit.forNamespace(saved.id);
        if (saved.isSecretNamespace) {
          await this.dataKeys.create(manager, saved.id);
        }
        await this.outbox.add(manager, [
          kvEvent(KvEventType.NamespaceCreated, {
            applicationId: saved.applicationId,
            namespaceId: saved.id,
            actor: caller.sub,
          }),
        ]);
        return NamespaceDto.from(saved);
      });
    } catch (error) {
      throw isUniqueViolation(error, UNIQUE_NAME) ? nameTaken(dto.name, dto.applicationId) : error;
    }
  }

  async list(
    caller: Principal,
    audit: AuditContext,
    query: ListNamespacesQueryDto,
  ): Promise<Page<NamespaceDto>> {
    audit.forApplication(query.applicationId ?? null);
    const builder = this.namespaces
      .createQueryBuilder('n')
      .orderBy('n.name', 'ASC')
      .addOrderBy('n.id', 'ASC')
      .limit(query.limit + 1);
    if (query.applicationId !== undefined) {
      builder.andWhere('n.applicationId = :applicationId', { applicationId: query.applicationId });
    }
    const scope = caller.applicationScope;
    if (scope !== undefined) {
      builder.andWhere('n.applicationId IN (:...scope)', {
        scope: scope.length > 0 ? scope : [''],
      });
    }
    if (query.cursor !== undefined) {
      const [name, id] = decodeCursor(query.cursor, 2);
      if (!UUID.test(id)) {
        throw invalidField('cursor', 'is not a cursor returned by this list');
      }
      builder.andWhere('(n.name, n.id) > (:name, :id)', { name, id });
    }
    const rows = await builder.getMany();
    return toPage(
      rows,
      query.limit,
      (row) => encodeCursor([row.name, row.id]),
      (row) => NamespaceDto.from(row),
    );
  }

  async get(caller: Principal, audit: AuditContext, id: string): Promise<NamespaceDto> {
    return NamespaceDto.from(await this.lookup.findStored(caller, audit, id));
  }

  async getByName(
    caller: Principal,
    audit: AuditContext,
    applicationId: string,
    name: string,
  ): Promise<NamespaceDto> {
    const found = await this.lookup.findByName(caller, audit, applicationId, name);
    return NamespaceDto.from(found);
  }

  async update(
    caller: Principal,
    audit: AuditContext,
    id: string,
    dto: UpdateNamespaceDto,
  ): Promise<NamespaceDto> {
    const entity = await this.lookup.findStored(caller, audit, id);
    if (dto.applicationId !== undefined && dto.applicationId !== entity.applicationId) {
      throw invalidField('applicationId', 'cannot be changed after creation');
    }
    if (dto.isSecretNamespace !== undefined && dto.isSecretNamespace !== entity.isSecretNamespace) {
      throw invalidField('isSecretNamespace', 'cannot be changed after creation');
    }
    const changes: Partial<NamespaceEntity> = {};
    if (dto.name !== undefined) {
      changes.name = dto.name;
    }
    if (dto.description !== undefined) {
      changes.description = dto.description;
    }
    if (dto.defaultTtlSeconds !== undefined) {
      changes.defaultTtlSeconds = dto.defaultTtlSeconds;
    }
    if (dto.maxVersions !== undefined) {
      changes.maxVersions = dto.maxVersions;
    }
    if (dto.historyRetentionDays !== undefined) {
      changes.historyRetentionDays = dto.historyRetentionDays;
    }
    try {
      return await this.audit.change(audit, async (manager) => {
        if (Object.keys(changes).length > 0) {
          await manager.update(NamespaceEntity, { id }, changes);
        }
        const updated = await manager.findOneBy(NamespaceEntity, { id });
        if (!updated) {
          throw namespaceNotFound(id);
        }
        await this.outbox.add(manager, [
          kvEvent(KvEventType.NamespaceUpdated, {
            applicationId: updated.applicationId,
            namespaceId: id,
            actor: caller.sub,
          }),
        ]);
        return NamespaceDto.from(updated);
      });
    } catch (error) {
      throw isUniqueViolation(error, UNIQUE_NAME)
        ? nameTaken(changes.name ?? entity.name, entity.applicationId)
        : error;
    }
  }

  async remove(caller: Principal, audit: AuditContext, id: string): Promise<void> {
    const namespace = await this.lookup.findStored(caller, audit, id);
    await this.audit.change(audit, async (manager) => {
      const result = await manager.delete(NamespaceEntity, { id });
      if (!result.affected) {
        throw namespaceNotFound(id);
      }
      await this.outbox.add(manager, [
        kvEvent(KvEventType.NamespaceDeleted, {
          applicationId: namespace.applicationId,
          namespaceId: id,
          actor: caller.sub,
        }),
      ]);
    });
  }
}
