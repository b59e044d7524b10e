import { Injectable } from '@nestjs/common';
import type { AuditContext } from '../../audit/audit-context';
import { NamespaceLookup } from '../../namespaces/namespace-lookup.service';
import type { Principal } from '../../permissions/principal';
import { EntryResponses } from '../entry-responses.service';
import { EntryReader } from '../store/entry-reader.service';
import { renderDocument } from './render-document';
import type { TransferFormat } from './transfer-format.enum';
import { transferScope } from './transfer-scope';

/** Export: the live entries of a namespace (or of a key path) as one document. */
@Injectable()
export class ExportService {
  constructor(
    private readonly namespaces: NamespaceLookup,
    private readonly reader: EntryReader,
    private readonly responses: EntryResponses,
  ) {}

  /** The document; its audit record lists every key it holds. */
  async export(
    caller: Principal,
    audit: AuditContext,
    namespaceId: string,
    format: TransferFormat,
    prefix: string | undefined,
  ): Promise<string> {
    const scope = transferScope(prefix);
    const namespace = await this.namespaces.find(caller, audit, namespaceId);
    const stored = await this.reader.readRange(namespace.id, scope.from, scope.before);
    if (stored.length > 0) {
      audit.forKeys(stored.map((entry) => ({ keyPath: entry.keyPath, entryId: entry.id })));
    }
    const entries = await this.responses.withValues(namespace, stored);
    return renderDocument(
      format,
      entries.map((entry) => ({
        key: entry.keyPath.slice(scope.keyPrefix.length),
        valueType: entry.valueType,
        value: entry.value,
      })),
    );
  }
}
