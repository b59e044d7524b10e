import { ErrorCode } from '../../common/errors/error-code.enum';
import { KvException, invalidField } from '../../common/errors/kv.exception';

/** What a read of history tells about the revision it read at. */
export interface AsOfBounds {
  /** The namespace's revision now. */
  revision: number;
  /** The oldest revision history can answer. */
  compacted: number;
  /** Whether a snapshot pins the revision read. */
  pinned: boolean;
  /** Whether a version the read needs is no longer kept. */
  pruned: boolean;
}

/**
 * What a read as of revision `at` (asked for in `field`) found, if it can answer: 404 for no
 * namespace (deleted meanwhile), 400 for a revision ahead of the namespace, 410 for one older
 * than the history kept (unless a snapshot pins it) or whose versions are no longer kept.
 */
export function readableAsOf<T extends AsOfBounds>(
  found: T | undefined,
  at: number,
  field: string,
): T {
  if (!found) {
    throw new KvException(ErrorCode.NAMESPACE_NOT_FOUND, 'the namespace does not exist');
  }
  if (at > found.revision) {
    throw invalidField(field, `${at} is ahead of the namespace's revision ${found.revision}`);
  }
  const compacted = at < found.compacted && !found.pinned;
  if (compacted || found.pruned) {
    throw new KvException(
      ErrorCode.REVISION_COMPACTED,
      compacted
        ? `revision ${at} is older than the history kept; the oldest readable is ${found.compacted}`
        : `a version revision ${at} needs is no longer kept (maxVersions or a purge); read the current revision ${found.revision}`,
      undefined,
      compacted ? found.compacted : found.revision,
    );
  }
  return found;
}
