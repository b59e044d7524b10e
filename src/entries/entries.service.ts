import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { AuditContext } from '../audit/audit-context';
import { AuditService } from '../audit/audit.service';
import { ErrorCode } from '../common/errors/error-code.enum';
import { KvException } from '../common/errors/kv.exception';
import type { AtRevision } from '../common/http/revision-header';
import { decodeCursor } from '../common/pagination/cursor';
import { Page } from '../common/pagination/page';
import type { KvConfig } from '../config/kv-config.types';
import { NamespaceLookup } from '../namespaces/namespace-lookup.service';
import { KvPermission } from '../permissions/kv-permission.enum';
import type { Principal } from '../permissions/principal';
import { EntryDto } from './dto/entry.dto';
import { ListEntriesQueryDto } from './dto/list-entries-query.dto';
import { SetEntryDto } from './dto/set-entry.dto';
import { EntryResponses } from './entry-responses.service';
import { checkKey } from './model/entry-key';
import { serializeMetadata } from './model/entry-metadata';
import { Preconditions, tagsMatch } from './model/entry-preconditions';
import { serializeValue } from './model/entry-value';
import { entryNotFound } from './model/entry.errors';
import { prefixUpperBound } from './model/prefix-range';
import { writeStatus } from './model/write-status';
import { BatchedEntryWriter } from './store/batched-entry-writer.service';
import { EntryReader } from './store/entry-reader.service';
import { HistoryReader } from './store/history-reader.service';
import { readableAsOf } from './store/readable-as-of';
import { LockingEntryWriter } from './store/locking-entry-writer.service';

export type ReadResult = ({ entry: EntryDto } | { notModified: true; version: number }) & {
  /** The namespace's revision the answer reflects. */
  revision: number;
};

/** Get, list, set and delete one entry at a time. */
@Injectable()
export class EntriesService {
  private readonly maxValueBytes: number;

  constructor(
    private readonly reader: EntryReader,
    private readonly responses: EntryResponses,
    private readonly lockingWriter: LockingEntryWriter,
    private readonly batchedWriter: BatchedEntryWriter,
    private readonly history: HistoryReader,
    private readonly namespaces: NamespaceLookup,
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
    asOfRevision?: number,
  ): Promise<ReadResult> {
    checkKey(key, false);
    if (asOfRevision !== undefined) {
      return this.getAsOf(caller, audit, namespaceId, key, asOfRevision);
    }
    const found = await this.reader.readOne(namespaceId, key, caller);
    const namespace = this.namespaces.visible(caller, audit, namespaceId, found?.namespace);
    const entry = found?.entry;
    if (!entry) {
      throw entryNotFound(key);
    }
    audit.forEntry(entry.id);
    const revision = found.revision;
    if (ifNoneMatch !== undefined && tagsMatch(ifNoneMatch, entry.version)) {
      audit.succeedsWith(304);
      return { notModified: true, version: entry.version, revision };
    }
    return { entry: await this.responses.entry(namespace, entry), revision };
  }

  async list(
    caller: Principal,
    audit: AuditContext,
    namespaceId: string,
    query: ListEntriesQueryDto,
  ): Promise<AtRevision<Page<EntryDto>>> {
    const withValues = query.includeValues === true;
    if (withValues && !caller.has(KvPermission.EntryRead)) {
      throw new KvException(ErrorCode.FORBIDDEN, 'includeValues=true needs kv-entry:read as well');
    }
    const prefix = query.prefix ?? '';
    const range = {
      from: prefix,
      after: query.cursor === undefined ? '' : decodeCursor(query.cursor, 1)[0],
      before: prefix === '' ? undefined : prefixUpperBound(prefix),
      limit: query.limit + 1,
    };
    if (query.asOfRevision !== undefined) {
      const at = query.asOfRevision;
      const namespace = await this.namespaces.find(caller, audit, namespaceId);
      const past = readableAsOf(await this.history.page(namespace.id, range, withValues, at), at);
      const found = { namespace, entries: past.entries, revision: at };
      return {
        body: await this.responses.page(found, { limit: query.limit, withValues }),
        revision: at,
      };
    }
    const found = await this.reader.readPage(namespaceId, range, withValues, caller);
    this.namespaces.visible(caller, audit, namespaceId, found?.namespace);
    // visible() answered 404 for a missing namespace: the page was found.
    return {
      body: await this.responses.page(found!, { limit: query.limit, withValues }),
      revision: found!.revision,
    };
  }

  private async getAsOf(
    caller: Principal,
    audit: AuditContext,
    namespaceId: string,
    key: string,
    at: number,
  ): Promise<ReadResult> {
    const namespace = await this.namespaces.find(caller, audit, namespaceId);
    const [entry] = readableAsOf(await this.history.one(namespace.id, key, at), at).entries;
    if (!entry) {
      throw entryNotFound(key);
    }
    audit.forEntry(entry.id);
    return { entry: await this.responses.entry(namespace, entry), revision: at };
  }

  async set(
    caller: Principal,
    audit: AuditContext,
    namespaceId: string,
    key: string,
    dto: SetEntryDto,
    preconditions: Preconditions,
  ): Promise<{ entry: EntryDto; created: boolean; revision: number }> {
    checkKey(key, true);
    const value = {
      valueType: dto.valueType,
      serialized: serializeValue(dto.value, dto.valueType, this.maxValueBytes),
    };
    const metadata = serializeMetadata(dto.metadata);
    const namespace = await this.namespaces.find(caller, audit, namespaceId);
    const ttl = dto.ttlSeconds === undefined ? namespace.defaultTtlSeconds : dto.ttlSeconds;
    // The common write (plain, no If-Match) is batched with others'; the batch leaves what it
    // cannot decide to the locking writer.
    if (!namespace.isSecretNamespace && preconditions.ifMatch === undefined) {
      const written = await this.batchedWriter.write(
        namespace,
        { key, value, metadata, ttl, expectedVersion: preconditions.expectedVersion },
        audit.record(true, writeStatus(true))!,
        caller.sub,
      );
      if (written) {
        audit.recorded(written.entity.id, writeStatus(written.created));
        return {
          entry: EntryDto.from(written.entity, true),
          created: written.created,
          revision: written.revision,
        };
      }
    }
    return this.audit.change(audit, async (manager) => {
      const { entity, created, revision } = await this.lockingWriter.write(manager, namespace, {
        key,
        value: () => value,
        metadata,
        ttl,
        preconditions,
        mustExist: false,
        actor: caller.sub,
      });
      audit.forEntry(entity.id);
      audit.succeedsWith(writeStatus(created));
      return { entry: EntryDto.from(entity, true), created, revision };
    });
  }

  /** Resolves to the namespace's revision after the delete. */
  async remove(
    caller: Principal,
    audit: AuditContext,
    namespaceId: string,
    key: string,
    ifMatch?: string,
  ): Promise<number> {
    checkKey(key, false);
    const namespace = await this.namespaces.find(caller, audit, namespaceId);
    return this.audit.change(audit, async (manager) => {
      const deleted = await this.lockingWriter.delete(manager, namespace, key, ifMatch, caller.sub);
      audit.forEntry(deleted.id);
      return deleted.revision;
    });
  }
}
