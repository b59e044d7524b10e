import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { ErrorCode } from '../common/errors/error-code.enum';
import { KvException, invalidField } from '../common/errors/kv.exception';
import { decodeCursor, encodeCursor } from '../common/pagination/cursor';
import { Page, toPage } from '../common/pagination/page';
import { isUniqueViolation } from '../database/is-database-unavailable';
import { CreateNamespaceDto } from './dto/create-namespace.dto';
import { ListNamespacesQueryDto } from './dto/list-namespaces-query.dto';
import { NamespaceDto } from './dto/namespace.dto';
import { UpdateNamespaceDto } from './dto/update-namespace.dto';
import { NamespaceEntity } from './namespace.entity';

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
  ) {}

  async create(dto: CreateNamespaceDto): Promise<NamespaceDto> {
    const entity = this.namespaces.create({
      name: dto.name,
      applicationId: dto.applicationId,
      description: dto.description ?? null,
      isSecretNamespace: dto.isSecretNamespace ?? false,
      defaultTtlSeconds: dto.defaultTtlSeconds ?? null,
    });
    try {
      return NamespaceDto.from(await this.namespaces.save(entity));
    } catch (error) {
      throw isUniqueViolation(error, UNIQUE_NAME) ? nameTaken(dto.name, dto.applicationId) : error;
    }
  }

  async list(query: ListNamespacesQueryDto): Promise<Page<NamespaceDto>> {
    const builder = this.namespaces
      .createQueryBuilder('n')
      .orderBy('n.name', 'ASC')
      .addOrderBy('n.id', 'ASC')
      .limit(query.limit + 1);
    if (query.applicationId !== undefined) {
      builder.andWhere('n.applicationId = :applicationId', { applicationId: query.applicationId });
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

  async get(id: string): Promise<NamespaceDto> {
    return NamespaceDto.from(await this.find(id));
  }

  async update(id: string, dto: UpdateNamespaceDto): Promise<NamespaceDto> {
    const entity = await this.find(id);
    if (dto.applicationId !== undefined && dto.applicationId !== entity.applicationId) {
      throw invalidField('applicationId', 'cannot be changed after creation');
    }
    if (dto.isSecretNamespace !== undefined && dto.isSecretNamespace !== entity.isSecretNamespace) {
      throw invalidField('isSecretNamespace', 'cannot be changed after creation');
    }
    if (dto.name !== undefined) {
      entity.name = dto.name;
    }
    if (dto.description !== undefined) {
      entity.description = dto.description;
    }
    if (dto.defaultTtlSeconds !== undefined) {
      entity.defaultTtlSeconds = dto.defaultTtlSeconds;
    }
    try {
      return NamespaceDto.from(await this.namespaces.save(entity));
    } catch (error) {
      throw isUniqueViolation(error, UNIQUE_NAME)
        ? nameTaken(entity.name, entity.applicationId)
        : error;
    }
  }

  async remove(id: string): Promise<void> {
    const result = await this.namespaces.delete({ id });
    if (!result.affected) {
      throw notFound(id);
    }
  }

  private async find(id: string): Promise<NamespaceEntity> {
    const entity = await this.namespaces.findOneBy({ id });
    if (!entity) {
      throw notFound(id);
    }
    return entity;
  }
}

function notFound(id: string): KvException {
  return new KvException(ErrorCode.NAMESPACE_NOT_FOUND, `namespace ${id} does not exist`);
}
