import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { AuditContext } from '../audit/audit-context';
import { AuditService } from '../audit/audit.service';
import { ErrorCode } from '../common/errors/error-code.enum';
import { KvException } from '../common/errors/kv.exception';
import type { KvConfig } from '../config/kv-config.types';
import { KvEventType } from '../events/kv-event.types';
import { OutboxService } from '../events/outbox.service';
import type { Principal } from '../permissions/principal';
import { checkKeys, nameableKeys, prepareItems } from './bulk-items';
import { BulkWriter, ConcurrentBulkWrite } from './bulk-writer.service';
import { BulkDeleteResultDto, BulkGetResultDto, BulkSetResultDto } from './dto/bulk.dto';
import { EntryDto } from './dto/entry.dto';
import { responseBytesOf } from './model/entry-bytes';
import { EntryReader, NamespaceAndEntry } from './entry-reader.service';
import { ALIVE } from './entry-writer.service';
import { BuriedRow, Tombstones } from './tombstones.service';

const ATTEMPTS = 3;

/** Bulk get, set and delete: each call one transaction, all or nothing, one audit row per key. */
@Injectable()
export class BulkService {
  private readonly maxValueBytes: number;
  private readonly maxPageBytes: number;

  constructor(
    private readonly reader: EntryReader,
    private readonly writer: BulkWriter,
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
    keys: string[],
  ): Promise<BulkGetResultDto> {
    try {
      checkKeys(keys, false);
    } catch (error) {
      audit.keys = nameableKeys(keys.map((key) => ({ key }))).map((keyPath) => ({
        keyPath,
        entryId: null,
      }));
      throw error;
    }
    const audited = keys.map((keyPath) => ({
      keyPath,
      entryId: null as string | null,
      missing: true,
    }));
    audit.keys = audited;
    const namespace = await this.reader.visibleNamespace(caller, audit, namespaceId);
    const found = await this.reader.readMany(namespace, keys);
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
    // An entry's response is made once per cached entry, as for a single GET.
    const opening = present.filter((read) => read.response === undefined);
    const opened = await this.reader.reveal(
      namespace,
      opening.map((read) => read.entry!),
    );
    opening.forEach((read, i) => (read.response = Object.freeze(EntryDto.from(opened[i], true))));
    return { items: present.map((read) => read.response!), missing };
  }

  async set(
    caller: Principal,
    audit: AuditContext,
    namespaceId: string,
    entries: Record<string, unknown>[],
  ): Promise<BulkSetResultDto> {
    audit.keys = nameableKeys(entries).map((keyPath) => ({ keyPath, entryId: null }));
    const items = prepareItems(entries, this.maxValueBytes);
    const namespace = await this.reader.visibleNamespace(caller, audit, namespaceId);
    for (let attempt = 1; ; attempt += 1) {
      try {
        const entities = await this.audit.change(audit, async (manager) => {
          const written = await this.writer.setMany(manager, namespace, items, caller.sub);
          audit.keys = written.map((entity) => ({ keyPath: entity.keyPath, entryId: entity.id }));
          return written;
        });
        return { items: entities.map((entity) => EntryDto.from(entity, true)) };
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
  ): Promise<BulkDeleteResultDto> {
    audit.keys = nameableKeys(keys.map((key) => ({ key }))).map((keyPath) => ({
      keyPath,
      entryId: null,
    }));
    checkKeys(keys, false);
    const namespace = await this.reader.visibleNamespace(caller, audit, namespaceId);
    const deleted = await this.audit.change(audit, async (manager) => {
      const rows =
        keys.length === 0
          ? []
          : await manager.query<BuriedRow[]>(
              `WITH buried AS (
                 UPDATE entries e SET ${this.tombstones.bury('$3::varchar', 'now()', String(namespace.isSecretNamespace))}
                 WHERE namespace_id = $1 AND key_path = ANY($2::text[]) AND ${ALIVE}
                 RETURNING id, key_path, version
               )${this.tombstones.purgeAtOnce('buried')}
               SELECT * FROM buried`,
              [namespace.id, keys, caller.sub],
            );
      await this.outbox.add(
        manager,
        this.tombstones.events(KvEventType.EntryDeleted, namespace, rows, caller.sub),
      );
      const byKey = new Map(rows.map((row) => [row.key_path, row.id]));
      audit.keys = keys.map((keyPath) => ({
        keyPath,
        entryId: byKey.get(keyPath) ?? null,
        missing: !byKey.has(keyPath),
      }));
      return byKey;
    });
    return {
      deleted: keys.filter((key) => deleted.has(key)),
      missing: keys.filter((key) => !deleted.has(key)),
    };
  }
}
