import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { AuditContext } from '../../audit/audit-context';
import { AuditService } from '../../audit/audit.service';
import { ErrorCode } from '../../common/errors/error-code.enum';
import { KvException, invalidField } from '../../common/errors/kv.exception';
import type { KvConfig } from '../../config/kv-config.types';
import { NamespaceLookup } from '../../namespaces/namespace-lookup.service';
import { KvPermission } from '../../permissions/kv-permission.enum';
import type { Principal } from '../../permissions/principal';
import { nameableKeys, prepareItems } from '../bulk/bulk-validation';
import { MAX_BULK_KEYS } from '../bulk/dto/bulk.dto';
import { EntryResponses } from '../entry-responses.service';
import { BulkEntryWriter, ConcurrentBulkWrite } from '../store/bulk-entry-writer.service';
import { EntryReader } from '../store/entry-reader.service';
import { settleRevision } from '../store/key-revisions';
import type { ImportPlanDto } from './dto/import-plan.dto';
import type { ImportQueryDto } from './dto/import-query.dto';
import type { ImportPlan } from './import-plan';
import { planFromRows } from './plan-from-rows';
import { parseDocument } from './parse-document';
import { checkRevision } from '../model/revision-guard';
import { transferScope } from './transfer-scope';

const ATTEMPTS = 3;

function planDto(plan: ImportPlan, dryRun: boolean, revision: number): ImportPlanDto {
  const { created, updated, unchanged, deleted } = plan;
  return { dryRun, revision, created, updated, unchanged, deleted };
}

/**
 * Import: a document's entries written in one transaction through the bulk writer, after the
 * same validation as a bulk set; the answer is the plan it applied, which a dry run computes
 * from the same rows the same way.
 */
@Injectable()
export class ImportService {
  private readonly maxValueBytes: number;

  constructor(
    private readonly namespaces: NamespaceLookup,
    private readonly reader: EntryReader,
    private readonly responses: EntryResponses,
    private readonly writer: BulkEntryWriter,
    private readonly audit: AuditService,
    config: ConfigService<KvConfig, true>,
  ) {
    this.maxValueBytes = config.get('limits.maxValueBytes', { infer: true });
  }

  async import(
    caller: Principal,
    audit: AuditContext,
    namespaceId: string,
    query: ImportQueryDto,
    document: unknown,
    ifMatch?: string,
  ): Promise<ImportPlanDto> {
    if (query.prune && !caller.has(KvPermission.EntryDelete)) {
      throw new KvException(ErrorCode.FORBIDDEN, 'prune needs kv-entry:delete as well');
    }
    if (document === undefined) {
      throw invalidField('document', 'must be sent as the text/plain body');
    }
    // A JSON body reaches the route through the JSON parser, which every route has.
    if (typeof document !== 'string') {
      throw new KvException(
        ErrorCode.UNSUPPORTED_MEDIA_TYPE,
        'Send the document as text/plain, whatever its format',
      );
    }
    const scope = transferScope(query.prefix);
    const entries = parseDocument(query.format, document).map((item) => ({
      ...item,
      key: `${scope.keyPrefix}${item.key}`,
    }));
    if (entries.length > MAX_BULK_KEYS) {
      throw invalidField(
        'document',
        `holds ${entries.length} entries; an import takes at most ${MAX_BULK_KEYS}, as a bulk set does`,
      );
    }
    // A dry run changes nothing, so its record names no keys.
    if (!query.dryRun) {
      audit.forKeys(nameableKeys(entries).map((keyPath) => ({ keyPath, entryId: null })));
    }
    const items = prepareItems(entries, this.maxValueBytes);
    const namespace = await this.namespaces.find(caller, audit, namespaceId);
    const keys = items.map((item) => item.key);
    const range = query.prune ? { from: scope.from, before: scope.before } : undefined;
    const guard = { expectedRevision: query.expectedRevision, ifMatch };
    if (query.dryRun) {
      const { rows, revision } = await this.reader.readForImport(namespace.id, keys, range);
      checkRevision(revision, guard);
      return planDto(
        await planFromRows(this.responses, namespace, items, rows, query.prune),
        true,
        revision,
      );
    }
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await this.audit.change(audit, async (manager) => {
          const found = await this.writer.lockForImport(manager, namespace.id, keys, range);
          const plan = await planFromRows(this.responses, namespace, items, found, query.prune);
          const { entities: written } = await this.writer.setMany(
            manager,
            namespace,
            plan.writes,
            caller.sub,
          );
          const { rows: buried } = await this.writer.deleteMany(
            manager,
            namespace,
            plan.deleted.map((key) => key.key),
            caller.sub,
          );
          const changed = [
            ...written.map((entry) => ({ keyPath: entry.keyPath, entryId: entry.id })),
            ...buried.map((row) => ({ keyPath: row.key_path, entryId: row.id })),
          ];
          // Checked once the changes hold the revision counter: no writer can move it between
          // this check and the commit, and a conflict rolls them back.
          const revision = await settleRevision(manager, namespace.id);
          checkRevision(revision.before, guard);
          if (changed.length > 0) {
            audit.forKeys(changed);
          } else {
            audit.forNoKeys();
          }
          return planDto(plan, false, revision.after);
        });
      } catch (error) {
        if (!(error instanceof ConcurrentBulkWrite) || attempt === ATTEMPTS) {
          throw error;
        }
      }
    }
  }
}
