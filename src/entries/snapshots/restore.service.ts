import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { AuditContext } from '../../audit/audit-context';
import { AuditService } from '../../audit/audit.service';
import { KvException, invalidField } from '../../common/errors/kv.exception';
import type { AtRevision } from '../../common/http/revision-header';
import { NamespaceLookup } from '../../namespaces/namespace-lookup.service';
import type { NamespaceEntity } from '../../namespaces/namespace.entity';
import type { Principal } from '../../permissions/principal';
import type { NamespaceRef } from '../cache/cached-read.types';
import type { EntryEntity } from '../entry.entity';
import { EntryResponses } from '../entry-responses.service';
import { prefixUpperBound } from '../model/prefix-range';
import { readableAsOf } from '../model/readable-as-of';
import {
  BulkEntryWriter,
  BulkWriteItem,
  ConcurrentBulkWrite,
} from '../store/bulk-entry-writer.service';
import { EntryReader } from '../store/entry-reader.service';
import { HistoryReader } from '../store/history-reader.service';
import type { ImportRange, ImportRow } from '../store/import-rows';
import { settleRevision } from '../store/key-revisions';
import { checkRevision } from '../model/revision-guard';
import type { ImportPlan } from '../transfer/import-plan';
import { planFromRows } from '../transfer/plan-from-rows';
import type { RestorePlanDto } from './dto/restore-plan.dto';
import type { RestoreDto } from './dto/restore.dto';
import { MAX_RESTORE_KEYS } from './snapshot-rules';
import { SnapshotsService } from './snapshots.service';

const ATTEMPTS = 3;

/** The state to restore: its revision and the entries it left in scope, values opened. */
interface Source {
  at: number;
  items: BulkWriteItem[];
  /** The namespace's revision when the source was read. */
  revision: number;
}

function planDto(
  plan: ImportPlan,
  dryRun: boolean,
  from: number,
  revision: number,
): RestorePlanDto {
  const { created, updated, unchanged, deleted } = plan;
  return { dryRun, fromRevision: from, revision, created, updated, unchanged, deleted };
}

function tooMany(count: number): KvException {
  return invalidField(
    'prefix',
    `covers ${count} keys or more; a restore takes at most ${MAX_RESTORE_KEYS}: restore by prefix`,
  );
}

/**
 * Restore: makes a namespace (or the keys under a prefix) what a past revision left, by writing
 * the keys that differ and deleting those it did not have, through the bulk writer in one
 * transaction, so one new revision. Planned as an import with prune is: a dry run and the
 * restore compute the same plan from the same rows. Values are opened to compare and sealed
 * again under the namespace's current data key by the writer; the plan never holds one.
 */
@Injectable()
export class RestoreService {
  constructor(
    private readonly namespaces: NamespaceLookup,
    private readonly snapshots: SnapshotsService,
    private readonly history: HistoryReader,
    private readonly reader: EntryReader,
    private readonly responses: EntryResponses,
    private readonly writer: BulkEntryWriter,
    private readonly audit: AuditService,
  ) {}

  async restore(
    caller: Principal,
    audit: AuditContext,
    namespaceId: string,
    dto: RestoreDto,
  ): Promise<AtRevision<RestorePlanDto>> {
    if ((dto.revision === undefined) === (dto.snapshot === undefined)) {
      throw invalidField('revision', 'or snapshot: give exactly one of the two');
    }
    const namespace = await this.namespaces.find(caller, audit, namespaceId);
    const prefix = dto.prefix ?? '';
    const range: ImportRange = {
      from: prefix,
      before: prefix === '' ? undefined : prefixUpperBound(prefix),
    };
    const source = await this.source(namespace, dto, range);
    const keys = source.items.map((item) => item.key);
    if (dto.dryRun) {
      checkRevision(source.revision, { expectedRevision: dto.expectedRevision });
      const { rows: found } = await this.reader.readForImport(namespace.id, keys, range);
      const plan = await this.plan(namespace, source, found);
      return { body: planDto(plan, true, source.at, source.revision), revision: source.revision };
    }
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await this.audit.change(audit, (manager) =>
          this.apply(manager, caller, audit, namespace, source, range, dto.expectedRevision),
        );
      } catch (error) {
        if (!(error instanceof ConcurrentBulkWrite) || attempt === ATTEMPTS) {
          throw error;
        }
      }
    }
  }

  private async apply(
    manager: EntityManager,
    caller: Principal,
    audit: AuditContext,
    namespace: Readonly<NamespaceEntity>,
    source: Source,
    range: ImportRange,
    expectedRevision: number | undefined,
  ): Promise<AtRevision<RestorePlanDto>> {
    const keys = source.items.map((item) => item.key);
    const found = await this.writer.lockForImport(manager, namespace.id, keys, range);
    const plan = await this.plan(namespace, source, found);
    const written = await this.writer.setMany(manager, namespace, plan.writes, caller.sub);
    const buried = await this.writer.deleteMany(
      manager,
      namespace,
      plan.deleted.map((key) => key.key),
      caller.sub,
    );
    // Settled after writing, under the counter's lock, so no other change can slip in between
    // this check and the commit, and a conflict rolls the writes back.
    const revision = await settleRevision(manager, namespace.id);
    checkRevision(revision.before, { expectedRevision });
    const changed = [
      ...written.entities.map((entry) => ({ keyPath: entry.keyPath, entryId: entry.id })),
      ...buried.rows.map((row) => ({ keyPath: row.key_path, entryId: row.id })),
    ];
    if (changed.length > 0) {
      audit.forKeys(changed);
    } else {
      audit.forNoKeys();
    }
    return { body: planDto(plan, false, source.at, revision.after), revision: revision.after };
  }

  /** The state of the revision (or snapshot) asked for, in scope: 400, 404 or 410 if none. */
  private async source(
    namespace: NamespaceRef,
    dto: RestoreDto,
    range: ImportRange,
  ): Promise<Source> {
    const at =
      dto.snapshot === undefined
        ? dto.revision!
        : Number((await this.snapshots.find(namespace.id, dto.snapshot)).revision);
    const page = { from: range.from, before: range.before, after: '', limit: MAX_RESTORE_KEYS + 1 };
    const past = readableAsOf(
      await this.history.page(namespace.id, page, true, at),
      at,
      dto.snapshot === undefined ? 'revision' : 'snapshot',
    );
    if (past.entries.length > MAX_RESTORE_KEYS) {
      throw tooMany(past.entries.length);
    }
    return { at, items: await this.items(namespace, past.entries), revision: past.revision };
  }

  /** The past entries as the items of a bulk set: no metadata, the namespace's default TTL. */
  private async items(namespace: NamespaceRef, entries: EntryEntity[]): Promise<BulkWriteItem[]> {
    const opened = await this.responses.withValues(namespace, entries);
    return opened.map((entry) => ({
      key: entry.keyPath,
      valueType: entry.valueType,
      serialized: JSON.stringify(entry.value),
      metadata: null,
      ttlSeconds: undefined,
    }));
  }

  private plan(namespace: NamespaceRef, source: Source, found: ImportRow[]): Promise<ImportPlan> {
    if (found.filter((row) => row.alive).length > MAX_RESTORE_KEYS) {
      throw tooMany(found.length);
    }
    return planFromRows(this.responses, namespace, source.items, found, true);
  }
}
