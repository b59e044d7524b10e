import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import type { AuditContext } from '../../audit/audit-context';
import { AuditService } from '../../audit/audit.service';
import { ErrorCode } from '../../common/errors/error-code.enum';
import { KvException, invalidField } from '../../common/errors/kv.exception';
import { decodeCursor, encodeCursor } from '../../common/pagination/cursor';
import type { PageQueryDto } from '../../common/pagination/page-query.dto';
import { Page, toPage } from '../../common/pagination/page';
import { isForeignKeyViolation, isUniqueViolation } from '../../database/is-database-unavailable';
import { namespaceNotFound } from '../../namespaces/namespace.errors';
import { KvEventType, kvEvent } from '../../events/kv-event.types';
import { OutboxService } from '../../events/outbox.service';
import { namespaceRevision } from '../store/key-revisions';
import { NamespaceLookup } from '../../namespaces/namespace-lookup.service';
import type { Principal } from '../../permissions/principal';
import type { CreateSnapshotDto } from './dto/create-snapshot.dto';
import { SnapshotDto } from './dto/snapshot.dto';
import { SNAPSHOT_NAME } from './snapshot-rules';
import { SnapshotEntity } from './snapshot.entity';

const UNIQUE_NAME = 'pk_namespace_snapshots';

/** The 404 of a snapshot name the namespace does not have. */
export function snapshotNotFound(name: string): KvException {
  return new KvException(
    ErrorCode.SNAPSHOT_NOT_FOUND,
    `the namespace has no snapshot named ${name}`,
  );
}

/** Snapshots: a namespace's current revision pinned under a name that is never reused. */
@Injectable()
export class SnapshotsService {
  constructor(
    @InjectRepository(SnapshotEntity) private readonly snapshots: Repository<SnapshotEntity>,
    private readonly namespaces: NamespaceLookup,
    private readonly audit: AuditService,
    private readonly outbox: OutboxService,
  ) {}

  async create(
    caller: Principal,
    audit: AuditContext,
    namespaceId: string,
    dto: CreateSnapshotDto,
  ): Promise<SnapshotDto> {
    const namespace = await this.namespaces.find(caller, audit, namespaceId);
    try {
      return await this.audit.change(audit, async (manager) => {
        // The revision committed last: every change up to it is visible to this transaction.
        const revision = String(await namespaceRevision(manager, namespace.id));
        // insert, not save: save would update a snapshot of the same name instead of refusing.
        await manager.insert(SnapshotEntity, {
          namespaceId: namespace.id,
          name: dto.name,
          revision,
          description: dto.description ?? null,
          createdBy: caller.sub,
        });
        const saved = await manager.findOneByOrFail(SnapshotEntity, {
          namespaceId: namespace.id,
          name: dto.name,
        });
        await this.outbox.add(manager, [
          kvEvent(KvEventType.SnapshotCreated, {
            applicationId: namespace.applicationId,
            namespaceId: namespace.id,
            snapshot: saved.name,
            actor: caller.sub,
          }),
        ]);
        return SnapshotDto.from(saved);
      });
    } catch (error) {
      if (isUniqueViolation(error, UNIQUE_NAME)) {
        throw new KvException(
          ErrorCode.SNAPSHOT_NAME_TAKEN,
          `the namespace already has a snapshot named ${dto.name}`,
        );
      }
      // The namespace was deleted meanwhile.
      if (isForeignKeyViolation(error)) {
        throw namespaceNotFound(namespaceId);
      }
      throw error;
    }
  }

  async list(
    caller: Principal,
    audit: AuditContext,
    namespaceId: string,
    query: PageQueryDto,
  ): Promise<Page<SnapshotDto>> {
    const namespace = await this.namespaces.find(caller, audit, namespaceId);
    const builder = this.snapshots
      .createQueryBuilder('s')
      .where('s.namespaceId = :id', { id: namespace.id })
      .orderBy('s.name', 'ASC')
      .limit(query.limit + 1);
    if (query.cursor !== undefined) {
      const [after] = decodeCursor(query.cursor, 1);
      builder.andWhere('s.name > :after', { after });
    }
    return toPage(
      await builder.getMany(),
      query.limit,
      (row) => encodeCursor([row.name]),
      (row) => SnapshotDto.from(row),
    );
  }

  async get(
    caller: Principal,
    audit: AuditContext,
    namespaceId: string,
    name: string,
  ): Promise<SnapshotDto> {
    const namespace = await this.namespaces.find(caller, audit, namespaceId);
    if (!SNAPSHOT_NAME.test(name)) {
      throw invalidField('name', `must match ${SNAPSHOT_NAME.source}`);
    }
    return SnapshotDto.from(await this.find(namespace.id, name));
  }

  /** The snapshot of this name of a namespace the caller may see: 404 without one. */
  async find(namespaceId: string, name: string): Promise<SnapshotEntity> {
    const found = await this.snapshots.findOneBy({ namespaceId, name });
    if (!found) {
      throw snapshotNotFound(name);
    }
    return found;
  }
}
