import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { AuditContext } from '../audit/audit-context';
import { AuditService } from '../audit/audit.service';
import { ErrorCode } from '../common/errors/error-code.enum';
import { KvException } from '../common/errors/kv.exception';
import { decodeCursor, encodeCursor } from '../common/pagination/cursor';
import { Page, toPage } from '../common/pagination/page';
import type { KvConfig } from '../config/kv-config.types';
import { KvEventType } from '../events/kv-event.types';
import { OutboxService } from '../events/outbox.service';
import { visible } from '../namespaces/namespaces.service';
import { KvPermission } from '../permissions/kv-permission.enum';
import type { Principal } from '../permissions/principal';
import { EntryDto } from './dto/entry.dto';
import { ListEntriesQueryDto } from './dto/list-entries-query.dto';
import { SetEntryDto } from './dto/set-entry.dto';
import { entriesWithin } from './model/entry-bytes';
import type { EntryEntity } from './entry.entity';
import { EntryReader } from './entry-reader.service';
import { serializeValue } from './model/entry-value';
import { EntryWriter } from './entry-writer.service';
import { checkKey } from './model/entry-key';
import { serializeMetadata } from './model/entry-metadata';
import { Preconditions, tagsMatch } from './model/entry-preconditions';
import { entryNotFound } from './model/entry.errors';
import { PlainEntryWriter } from './plain-entry-writer.service';
import { prefixUpperBound } from './model/prefix-range';
import { Tombstones } from './tombstones.service';

export type ReadResult = { entry: EntryDto } | { notModified: true; version: number };

@Injectable()
export class EntriesService {
  private readonly maxValueBytes: number;
  private readonly maxPageBytes: number;

  constructor(
    private readonly reader: EntryReader,
    private readonly writer: EntryWriter,
    private readonly plainWriter: PlainEntryWriter,
    private readonly audit: AuditService,
    private readonly outbox: OutboxService,
    private readonly tombstones: Tombstones,
    config: ConfigService<KvConfig, true>,
  ) {
    this.maxValueBytes = config.get('limits.maxValueBytes', { infer: true });
    this.maxPageBytes = config.get('limits.maxPageBytes', { infer: true });
  }

  async get(
    caller: Principal,
    audit: AuditContext,
    namespaceId: string,
    key: string,
    ifNoneMatch?: string,
  ): Promise<ReadResult> {
    checkKey(key, false);
    const found = await this.reader.readOne(namespaceId, key, caller);
    const namespace = visible(caller, audit, namespaceId, found?.namespace);
    const entry = found?.entry;
    if (!entry) {
      throw entryNotFound(key);
    }
    audit.entryId = entry.id;
    if (ifNoneMatch !== undefined && tagsMatch(ifNoneMatch, entry.version)) {
      audit.successStatus = 304;
      return { notModified: true, version: entry.version };
    }
    if (found.response === undefined) {
      const [revealed] = await this.reader.reveal(namespace, [entry]);
      found.response = Object.freeze(EntryDto.from(revealed, true));
    }
    return { entry: found.response };
  }

  async list(
    caller: Principal,
    audit: AuditContext,
    namespaceId: string,
    query: ListEntriesQueryDto,
  ): Promise<Page<EntryDto>> {
    const withValues = query.includeValues === true;
    if (withValues && !caller.has(KvPermission.EntryRead)) {
      throw new KvException(ErrorCode.FORBIDDEN, 'includeValues=true needs kv-entry:read as well');
    }
    const prefix = query.prefix ?? '';
    const found = await this.reader.readPage(
      namespaceId,
      {
        from: prefix,
        after: query.cursor === undefined ? '' : decodeCursor(query.cursor, 1)[0],
        before: prefix === '' ? undefined : prefixUpperBound(prefix),
        limit: query.limit + 1,
      },
      withValues,
      caller,
    );
    const namespace = visible(caller, audit, namespaceId, found?.namespace);
    const entries = found?.entries ?? [];
    const toResponse = async (): Promise<Page<EntryDto>> => {
      const cursorOf = (row: EntryEntity) => encodeCursor([row.keyPath]);
      const page = toPage(entries, query.limit, cursorOf, (row) => row);
      // A page of values stops at KV_MAX_PAGE_BYTES; its cursor goes on from where it stopped.
      const kept = withValues ? entriesWithin(page.items, this.maxPageBytes) : page.items.length;
      const rows = page.items.slice(0, kept);
      const items = withValues ? await this.reader.reveal(namespace, rows) : rows;
      return Object.freeze({
        items: items.map((row) => EntryDto.from(row, withValues)),
        nextCursor: kept < page.items.length ? cursorOf(rows[kept - 1]) : page.nextCursor,
      });
    };
    // A page is the same response each time the cache serves it.
    return found ? (found.response ??= await toResponse()) : toResponse();
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
    const value = {
      valueType: dto.valueType,
      serialized: serializeValue(dto.value, dto.valueType, this.maxValueBytes),
    };
    const metadata = serializeMetadata(dto.metadata);
    const namespace = await this.reader.visibleNamespace(caller, audit, namespaceId);
    const ttl = dto.ttlSeconds === undefined ? namespace.defaultTtlSeconds : dto.ttlSeconds;
    if (!namespace.isSecretNamespace && preconditions.ifMatch === undefined) {
      const written = await this.plainWriter.write(
        namespace,
        { key, value, metadata, ttl, expectedVersion: preconditions.expectedVersion },
        audit,
        caller.sub,
      );
      if (written) {
        return { entry: EntryDto.from(written.entity, true), created: written.created };
      }
    }
    return this.audit.change(audit, async (manager) => {
      const { entity, created } = await this.writer.write(manager, namespace, {
        key,
        value: () => value,
        metadata,
        ttl,
        preconditions,
        mustExist: false,
        actor: caller.sub,
      });
      audit.entryId = entity.id;
      audit.successStatus = created ? 201 : 200;
      return { entry: EntryDto.from(entity, true), created };
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
    const namespace = await this.reader.visibleNamespace(caller, audit, namespaceId);
    await this.audit.change(audit, async (manager) => {
      const current = await this.writer.lockAlive(manager, namespaceId, key);
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
      await manager.query(
        `WITH buried AS (
           UPDATE entries e SET ${this.tombstones.bury('$2::varchar', 'now()', String(namespace.isSecretNamespace))}
           WHERE id = $1 RETURNING id
         )${this.tombstones.purgeAtOnce('buried')}
         SELECT 1 FROM buried`,
        [current.id, caller.sub],
      );
      await this.outbox.add(
        manager,
        this.tombstones.events(
          KvEventType.EntryDeleted,
          namespace,
          [{ id: current.id, key_path: key, version: current.version }],
          caller.sub,
        ),
      );
    });
  }
}
