import { ErrorCode } from '../../common/errors/error-code.enum';
import { KvException, invalidField } from '../../common/errors/kv.exception';
import type { AsOf } from './history-reader.service';

/**
 * What a read as of revision `at` found, if it can answer: 404 for no namespace (deleted
 * meanwhile), 400 for a revision ahead of the namespace, 410 for one older than the history
 * kept or whose versions are no longer kept.
 */
export function readableAsOf(found: AsOf | undefined, at: number): AsOf {
  if (!found) {
    throw new KvException(ErrorCode.NAMESPACE_NOT_FOUND, 'the namespace does not exist');
  }
  if (at > found.revision) {
    throw invalidField(
      'asOfRevision',
      `${at} is ahead of the namespace's revision ${found.revision}`,
    );
  }
  if (at < found.compacted || found.pruned) {
    throw new KvException(
      ErrorCode.REVISION_COMPACTED,
      at < found.compacted
        ? `revision ${at} is older than the history kept; the oldest readable is ${found.compacted}`
        : `a version revision ${at} needs is no longer kept (maxVersions or a purge); read the current revision ${found.revision}`,
      undefined,
      at < found.compacted ? found.compacted : found.revision,
    );
  }
  return found;
}
