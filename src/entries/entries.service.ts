import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import { AuditContext } from '../audit/audit-context';
import { AuditService } from '../audit/audit.service';
import { ErrorCode } from '../common/errors/error-code.enum';
import { KvException, invalidField } from '../common/errors/kv.exception';
import { decodeCursor, encodeCursor } from '../common/pagination/cursor';
import { Page, toPage } from '../common/pagination/page';
import { keyPathProblem } from '../common/validation/key-path';
import type { KvConfig } from '../config/kv-config.types';
import { NamespaceEntity } from '../namespaces/namespace.entity';
import { NamespacesService } from '../namespaces/namespaces.service';
import { KvPermission } from '../permissions/kv-permission.enum';
import type { Principal } from '../permissions/principal';
import { EntryDto } from './dto/entry.dto';
import { ListEntriesQueryDto } from './dto/list-entries-query.dto';
import { SetEntryDto } from './dto/set-entry.dto';
import { tagsMatch } from './entity-tags';
import { EntryRow, entryFromRow, returnedRows } from './entry-row';
import { serializeValue } from './entry-value';
import { EntryEntity } from './entry.entity';
import { prefixUpperBound } from './prefix-range';

export const MAX_METADATA_BYTES = 16384;

/** An entry is alive until its expiry, judged by the database clock. */
const ALIVE = '(e.expires_at IS NULL OR e.expires_at > now())';
/** Expiry from a TTL parameter, on the database clock; a null TTL never expires. */
const expiresAt = (ttl: string) =>
  `CASE WHEN ${ttl}::int IS NULL THEN NULL ELSE now() + make_interval(secs => ${ttl}::int) END`;

export interface Preconditions {
  expectedVersion?: number;
  ifMatch?: string;
}

export type ReadResult = { entry: EntryDto } | { notModified: true; version: number };

function entryNotFound(key: string): KvException {
  return new KvException(ErrorCode.ENTRY_NOT_FOUND, `no entry ${key} in this namespace`);
}

/** Validates a key path from the URL; 400 naming `key` otherwise. */
export function checkKey(key: string, forWrite: boolean): string {
  const problem = keyPathProblem(key, forWrite);
  if (problem !== undefined) {
    throw invalidField('key', problem);
  }
  return key;
}

@Injectable()
export class EntriesService {
  private readonly maxValueBytes: number;

  constructor(
    @InjectRepository(EntryEntity) private readonly entries: Repository<EntryEntity>,
    private readonly namespaces: NamespacesService,
    private readonly audit: AuditService,
    config: ConfigService<KvConfig, true>,
  ) {
    this.maxValueBytes = config.get('limits.maxValueBytes', { infer: true });
  }

  async get(
    caller: Principal,
    audit: AuditContext,
    namespaceId: string,
    key: string,
    ifNoneMatch?: string,
  ): Promise<ReadResult> {
    checkKey(key, false);
    await this.namespaces.findVisible(caller, audit, namespaceId);
    const entity = await this.entries
      .createQueryBuilder('e')
      .where('e.namespace_id = :namespaceId AND e.key_path = :key', { namespaceId, key })
      .andWhere(ALIVE)
      .getOne();
    if (!entity) {
      throw entryNotFound(key);
    }
    audit.entryId = entity.id;
    if (ifNoneMatch !== undefined && tagsMatch(ifNoneMatch, entity.version)) {
      audit.successStatus = 304;
      return { notModified: true, version: entity.version };
    }
    return { entry: EntryDto.from(entity, true) };
  }

  async list(
    caller: Principal,
    audit: AuditContext,
    namespaceId: string,
    query: ListEntriesQueryDto,
  ): Promise<Page<EntryDto>> {
    if (query.includeValues && !caller.has(KvPermission.EntryRead)) {
      throw new KvException(ErrorCode.FORBIDDEN, 'includeValues=true needs kv-entry:read as well');
    }
    await this.namespaces.findVisible(caller, audit, namespaceId);
    const builder = this.entries
      .createQueryBuilder('e')
      .where('e.namespace_id = :namespaceId', { namespaceId })
      .andWhere(ALIVE)
      .orderBy('e.key_path', 'ASC')
      .limit(query.limit + 1);
    const prefix = query.prefix ?? '';
    if (prefix !== '') {
      builder.andWhere('e.key_path >= :prefix', { prefix });
      const upper = prefixUpperBound(prefix);
      if (upper !== undefined) {
        builder.andWhere('e.key_path < :upper', { upper });
      }
    }
    if (query.cursor !== undefined) {
      const [after] = decodeCursor(query.cursor, 1);
      builder.andWhere('e.key_path > :after', { after });
    }
    const rows = await builder.getMany();
    return toPage(
      rows,
      query.limit,
      (row) => encodeCursor([row.keyPath]),
      (row) => EntryDto.from(row, query.includeValues === true),
    );
  }

  async set(
    caller: Principal,
    audit: AuditContext,
    namespaceId: string,
    key: string,
    dto: SetEntryDto,
    preconditions: Preconditions,
  ): Promise<{ entry: EntryDto; created: boolean }> {
    checkKey(key, true);
    const value = serializeValue(dto.value, dto.valueType, this.maxValueBytes);
    const metadata =
      dto.metadata === undefined || dto.metadata === null ? null : JSON.stringify(dto.metadata);
    if (metadata !== null && Buffer.byteLength(metadata) > MAX_METADATA_BYTES) {
      throw invalidField('metadata', `must be at most ${MAX_METADATA_BYTES} bytes as JSON`);
    }
    const namespace = await this.namespaces.findVisible(caller, audit, namespaceId);
    const ttl = dto.ttlSeconds === undefined ? namespace.defaultTtlSeconds : dto.ttlSeconds;
    const fields = { value, valueType: dto.valueType, metadata, ttl };
    return this.audit.change(audit, async (manager) => {
      const { row, created } = await this.write(manager, namespace, key, fields, preconditions);
      audit.entryId = row.id;
      audit.successStatus = created ? 201 : 200;
      return { entry: EntryDto.from(entryFromRow(row), true), created };
    });
  }

  async remove(
    caller: Principal,
    audit: AuditContext,
    namespaceId: string,
    key: string,
    ifMatch?: string,
  ): Promise<void> {
    checkKey(key, false);
    await this.namespaces.findVisible(caller, audit, namespaceId);
    await this.audit.change(audit, async (manager) => {
      const current = await this.lockAlive(manager, namespaceId, key);
      if (!current) {
        throw entryNotFound(key);
      }
      if (ifMatch !== undefined && !tagsMatch(ifMatch, current.version)) {
        throw new KvException(
          ErrorCode.PRECONDITION_FAILED,
          `If-Match does not match version ${current.version}`,
        );
      }
      audit.entryId = current.id;
      await manager.query('DELETE FROM entries WHERE id = $1', [current.id]);
    });
  }

  /**
   * Insert or update under a row lock, so a version check and the write it guards cannot be
   * separated by another writer. An expired row counts as absent and is replaced.
   */
  private async write(
    manager: EntityManager,
    namespace: NamespaceEntity,
    key: string,
    fields: { value: string; valueType: string; metadata: string | null; ttl: number | null },
    preconditions: Preconditions,
  ): Promise<{ row: EntryRow; created: boolean }> {
    await manager.query(
      'DELETE FROM entries e WHERE namespace_id = $1 AND key_path = $2 AND NOT ' + ALIVE,
      [namespace.id, key],
    );
    // Two first writers may both find no row; the loser of the insert race goes round again
    // and meets the winner's row under the lock.
    for (let attempt = 0; attempt < 3; attempt += 1) {
      const current = await this.lockAlive(manager, namespace.id, key);
      checkPreconditions(current?.version, preconditions);
      const params = [fields.valueType, fields.value, fields.metadata, fields.ttl];
      if (current) {
        const updated = await manager.query<unknown>(
          `UPDATE entries SET value_type = $1, value = $2, metadata = $3, expires_at = ${expiresAt('$4')},
             version = version + 1, updated_at = now()
           WHERE id = $5 RETURNING *`,
          [...params, current.id],
        );
        return { row: returnedRows<EntryRow>(updated)[0], created: false };
      }
      const inserted = returnedRows<EntryRow>(
        await manager.query(
          `INSERT INTO entries (value_type, value, metadata, expires_at, namespace_id, key_path, version)
           VALUES ($1, $2, $3, ${expiresAt('$4')}, $5, $6, 1)
           ON CONFLICT (namespace_id, key_path) DO NOTHING RETURNING *`,
          [...params, namespace.id, key],
        ),
      );
      if (inserted.length === 1) {
        return { row: inserted[0], created: true };
      }
    }
    throw new KvException(
      ErrorCode.VERSION_CONFLICT,
      `entry ${key} is being written concurrently; retry`,
    );
  }

  private async lockAlive(
    manager: EntityManager,
    namespaceId: string,
    key: string,
  ): Promise<{ id: string; version: number } | undefined> {
    const rows = await manager.query<{ id: string; version: number }[]>(
      `SELECT id, version FROM entries e WHERE namespace_id = $1 AND key_path = $2 AND ${ALIVE} FOR UPDATE`,
      [namespaceId, key],
    );
    return rows[0];
  }
}

/** If-Match → 412, expectedVersion → 409; an absent entry has version 0 and matches no tag. */
function checkPreconditions(
  version: number | undefined,
  { expectedVersion, ifMatch }: Preconditions,
): void {
  if (ifMatch !== undefined && !tagsMatch(ifMatch, version)) {
    throw new KvException(
      ErrorCode.PRECONDITION_FAILED,
      version === undefined
        ? 'If-Match names an entry that does not exist'
        : `If-Match does not match version ${version}`,
    );
  }
  if (expectedVersion !== undefined && expectedVersion !== (version ?? 0)) {
    throw new KvException(
      ErrorCode.VERSION_CONFLICT,
      `expected version ${expectedVersion}, found ${version === undefined ? 'no entry' : `version ${version}`}`,
    );
  }
}
