import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { AuditContext } from '../../audit/audit-context';
import { AuditService } from '../../audit/audit.service';
import { ErrorCode } from '../../common/errors/error-code.enum';
import { KvException } from '../../common/errors/kv.exception';
import type { AtRevision } from '../../common/http/revision-header';
import type { KvConfig } from '../../config/kv-config.types';
import type { Principal } from '../../permissions/principal';
import { checkKeys, nameableKeys, prepareItems } from './bulk-validation';
import { BulkEntryWriter, ConcurrentBulkWrite } from '../store/bulk-entry-writer.service';
import { BulkDeleteResultDto, BulkGetResultDto, BulkSetResultDto } from './dto/bulk.dto';
import { EntryDto } from '../dto/entry.dto';
import { responseBytesOf } from '../model/entry-bytes';
import { NamespaceLookup } from '../../namespaces/namespace-lookup.service';
import type { NamespaceAndEntry } from '../cache/cached-read.types';
import { EntryResponses } from '../entry-responses.service';
import { EntryReader } from '../store/entry-reader.service';
import { namespaceRevision } from '../store/key-revisions';

const ATTEMPTS = 3;

/** Bulk get, set and delete: each call one transaction, all or nothing, one audit row per key. */
@Injectable()
export class BulkService {
  private readonly maxValueBytes: number;
  private readonly maxPageBytes: number;

  constructor(
    private readonly reader: EntryReader,
    private readonly responses: EntryResponses,
    private readonly writer: BulkEntryWriter,
    private readonly namespaces: NamespaceLookup,
    private readonly audit: AuditService,
    config: ConfigService<KvConfig, true>,
  ) {
    this.maxValueBytes = config.get('limits.maxValueBytes', { infer: true });
    this.maxPageBytes = config.get('limits.maxPageBytes', { infer: true });
  }

  async get(
    caller: Principal,
    audit: AuditContext,
    namespaceId: string,
    keys: string[],
  ): Promise<AtRevision<BulkGetResultDto>> {
    try {
      checkKeys(keys, false);
    } catch (error) {
      audit.forKeys(
        nameableKeys(keys.map((key) => ({ key }))).map((keyPath) => ({
          keyPath,
          entryId: null,
        })),
      );
      throw error;
    }
    const audited = keys.map((keyPath) => ({
      keyPath,
      entryId: null as string | null,
      missing: true,
    }));
    audit.forKeys(audited);
    const namespace = await this.namespaces.find(caller, audit, namespaceId);
    const { found, revision } = await this.reader.readMany(namespace, keys);
    const present: NamespaceAndEntry[] = [];
    const missing: string[] = [];
    audited.forEach((key) => {
      const read = found.get(key.keyPath);
      if (read) {
        key.entryId = read.entry!.id;
        key.missing = false;
        present.push(read);
      } else {
        missing.push(key.keyPath);
      }
    });
    const bytes = present.reduce((sum, read) => sum + responseBytesOf(read.entry!), 0);
    if (bytes > this.maxPageBytes) {
      throw new KvException(
        ErrorCode.RESPONSE_TOO_LARGE,
        `the values of these keys come to about ${bytes} bytes, more than KV_MAX_PAGE_BYTES (${this.maxPageBytes}) allows in one answer: ask for fewer keys`,
      );
    }
    const items = await this.responses.withValues(
      namespace,
      present.map((read) => read.entry!),
    );
    return { body: { items, missing }, revision };
  }

  async set(
    caller: Principal,
    audit: AuditContext,
    namespaceId: string,
    entries: Record<string, unknown>[],
  ): Promise<AtRevision<BulkSetResultDto>> {
    audit.forKeys(nameableKeys(entries).map((keyPath) => ({ keyPath, entryId: null })));
    const items = prepareItems(entries, this.maxValueBytes);
    const namespace = await this.namespaces.find(caller, audit, namespaceId);
    for (let attempt = 1; ; attempt += 1) {
      try {
        const { entities, revision } = await this.audit.change(audit, async (manager) => {
          const written = await this.writer.setMany(manager, namespace, items, caller.sub);
          audit.forKeys(
            written.entities.map((entity) => ({ keyPath: entity.keyPath, entryId: entity.id })),
          );
          return {
            entities: written.entities,
            revision: written.revision ?? (await namespaceRevision(manager, namespace.id)),
          };
        });
        return { body: { items: entities.map((entity) => EntryDto.from(entity, true)) }, revision };
      } catch (error) {
        if (!(error instanceof ConcurrentBulkWrite) || attempt === ATTEMPTS) {
          throw error;
        }
      }
    }
  }

  async remove(
    caller: Principal,
    audit: AuditContext,
    namespaceId: string,
    keys: string[],
  ): Promise<AtRevision<BulkDeleteResultDto>> {
    audit.forKeys(
      nameableKeys(keys.map((key) => ({ key }))).map((keyPath) => ({
        keyPath,
        entryId: null,
      })),
    );
    checkKeys(keys, false);
    const namespace = await this.namespaces.find(caller, audit, namespaceId);
    const { deleted, revision } = await this.audit.change(audit, async (manager) => {
      const { rows, revision: made } = await this.writer.deleteMany(
        manager,
        namespace,
        keys,
        caller.sub,
      );
      const byKey = new Map(rows.map((row) => [row.key_path, row.id]));
      audit.forKeys(
        keys.map((keyPath) => ({
          keyPath,
          entryId: byKey.get(keyPath) ?? null,
          missing: !byKey.has(keyPath),
        })),
      );
      return {
        deleted: byKey,
        revision: made ?? (await namespaceRevision(manager, namespace.id)),
      };
    });
    return {
      body: {
        deleted: keys.filter((key) => deleted.has(key)),
        missing: keys.filter((key) => !deleted.has(key)),
      },
      revision,
    };
  }
}
