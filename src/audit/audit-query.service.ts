import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { invalidField } from '../common/errors/kv.exception';
import { decodeCursor, encodeCursor } from '../common/pagination/cursor';
import { Page, toPage } from '../common/pagination/page';
import type { Principal } from '../permissions/principal';
import { AuditLogEntity } from './audit-log.entity';
import { AuditLogDto } from './dto/audit-log.dto';
import { AuditQueryDto } from './dto/audit-query.dto';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function instant(field: string, value: string): Date {
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) {
    throw invalidField(field, 'is not a valid ISO-8601 instant');
  }
  return date;
}

/** The audit query: newest first, only the caller's applications. */
@Injectable()
export class AuditQueryService {
  constructor(
    @InjectRepository(AuditLogEntity) private readonly rows: Repository<AuditLogEntity>,
  ) {}

  async search(principal: Principal, query: AuditQueryDto): Promise<Page<AuditLogDto>> {
    const builder = this.rows
      .createQueryBuilder('a')
      .orderBy('a.timestamp', 'DESC')
      .addOrderBy('a.id', 'DESC')
      .limit(query.limit + 1);
    const scope = principal.applicationScope;
    if (scope !== undefined) {
      // Rows without an application (a request that named no existing namespace) belong to
      // no tenant: only callers of all applications see them.
      builder.andWhere('a.applicationId IN (:...scope)', {
        scope: scope.length > 0 ? scope : [''],
      });
    }
    const filters: [keyof AuditQueryDto, string][] = [
      ['namespaceId', 'a.namespaceId = :namespaceId'],
      ['keyPath', 'a.keyPath = :keyPath'],
      ['action', 'a.action = :action'],
      ['userId', 'a.userId = :userId'],
      ['success', 'a.success = :success'],
    ];
    for (const [field, condition] of filters) {
      if (query[field] !== undefined) {
        builder.andWhere(condition, { [field]: query[field] });
      }
    }
    if (query.from !== undefined) {
      builder.andWhere('a.timestamp >= :from', { from: instant('from', query.from) });
    }
    if (query.to !== undefined) {
      builder.andWhere('a.timestamp < :to', { to: instant('to', query.to) });
    }
    if (query.cursor !== undefined) {
      const [timestamp, id] = decodeCursor(query.cursor, 2);
      const at = new Date(timestamp);
      if (!UUID.test(id) || Number.isNaN(at.getTime())) {
        throw invalidField('cursor', 'is not a cursor returned by this list');
      }
      builder.andWhere('(a.timestamp, a.id) < (:at, :id)', { at, id });
    }
    const rows = await builder.getMany();
    return toPage(
      rows,
      query.limit,
      (row) => encodeCursor([row.timestamp.toISOString(), row.id]),
      (row) => AuditLogDto.from(row),
    );
  }
}
