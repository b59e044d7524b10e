import { Injectable } from '@nestjs/common';
import type { AuditContext } from '../../audit/audit-context';
import type { AtRevision } from '../../common/http/revision-header';
import { NamespaceLookup } from '../../namespaces/namespace-lookup.service';
import type { Principal } from '../../permissions/principal';
import type { NamespaceRef } from '../cache/cached-read.types';
import type { EntryEntity } from '../entry.entity';
import { EntryResponses } from '../entry-responses.service';
import { EntryReader } from '../store/entry-reader.service';
import { HistoryReader } from '../store/history-reader.service';
import { readableAsOf } from '../model/readable-as-of';
import { renderDocument } from './render-document';
import type { TransferFormat } from './transfer-format.enum';
import { TransferScope, transferScope } from './transfer-scope';

/** Rows an as-of export reads at a time: history has no single-statement range read. */
const AS_OF_PAGE_SIZE = 1000;

/** What an export writes, and of which namespace and revision. */
export interface ExportRequest {
  format: TransferFormat;
  prefix?: string;
  asOfRevision?: number;
}

/** Export: the entries of a namespace (or of a key path), live or as a past revision left them. */
@Injectable()
export class ExportService {
  constructor(
    private readonly namespaces: NamespaceLookup,
    private readonly reader: EntryReader,
    private readonly history: HistoryReader,
    private readonly responses: EntryResponses,
  ) {}

  /** The document and the revision it is; its audit record lists every key it holds. */
  async export(
    caller: Principal,
    audit: AuditContext,
    namespaceId: string,
    request: ExportRequest,
  ): Promise<AtRevision<string> & { keys: number }> {
    const scope = transferScope(request.prefix);
    const namespace = await this.namespaces.find(caller, audit, namespaceId);
    const { entries: stored, revision } =
      request.asOfRevision === undefined
        ? await this.reader.readRange(namespace.id, scope.from, scope.before)
        : await this.readAsOf(namespace, scope, request.asOfRevision);
    if (stored.length > 0) {
      audit.forKeys(stored.map((entry) => ({ keyPath: entry.keyPath, entryId: entry.id })));
    }
    const entries = await this.responses.withValues(namespace, stored);
    const body = renderDocument(
      request.format,
      entries.map((entry) => ({
        key: entry.keyPath.slice(scope.keyPrefix.length),
        valueType: entry.valueType,
        value: entry.value,
      })),
    );
    return { body, revision, keys: stored.length };
  }

  /**
   * The scope's entries as revision `at` left them, page by page: a past revision does not
   * change, and every page is checked against what history still keeps (410 once it does not).
   */
  private async readAsOf(
    namespace: NamespaceRef,
    scope: TransferScope,
    at: number,
  ): Promise<{ entries: EntryEntity[]; revision: number }> {
    const entries: EntryEntity[] = [];
    let after = '';
    for (;;) {
      const range = { from: scope.from, after, before: scope.before, limit: AS_OF_PAGE_SIZE };
      const page = readableAsOf(
        await this.history.page(namespace.id, range, true, at),
        at,
        'asOfRevision',
      );
      entries.push(...page.entries);
      if (page.entries.length < AS_OF_PAGE_SIZE) {
        return { entries, revision: at };
      }
      after = page.entries[page.entries.length - 1].keyPath;
    }
  }
}
