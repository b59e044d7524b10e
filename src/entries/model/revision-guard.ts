import { ErrorCode } from '../../common/errors/error-code.enum';
import { KvException } from '../../common/errors/kv.exception';
import { etagOf, tagsMatch } from './entry-preconditions';

/** What an import may require of the namespace's revision when it writes. */
export interface RevisionGuard {
  expectedRevision?: number;
  /** An entity tag of the namespace: `"<revision>"`, as an export's ETag, or `*`. */
  ifMatch?: string;
}

/**
 * As entries' preconditions, for the namespace as a whole: If-Match → 412 PRECONDITION_FAILED,
 * expectedRevision → 409 REVISION_CONFLICT; both problems carry the revision found.
 */
export function checkRevision(
  revision: number,
  { expectedRevision, ifMatch }: RevisionGuard,
): void {
  if (ifMatch !== undefined && !tagsMatch(ifMatch, revision)) {
    throw new KvException(
      ErrorCode.PRECONDITION_FAILED,
      `If-Match does not match the namespace's revision ${etagOf(revision)}; nothing was written`,
      undefined,
      revision,
    );
  }
  if (expectedRevision !== undefined && expectedRevision !== revision) {
    throw new KvException(
      ErrorCode.REVISION_CONFLICT,
      `expected revision ${expectedRevision}, the namespace is at ${revision}; nothing was written`,
      undefined,
      revision,
    );
  }
}
