import { ErrorCode } from '../../common/errors/error-code.enum';
import { KvException } from '../../common/errors/kv.exception';

/** What a write may require of the entry it replaces. */
export interface Preconditions {
  expectedVersion?: number;
  ifMatch?: string;
}

/** The ETag of an entry: its version, quoted. */
export function etagOf(version: number): string {
  return `"${version}"`;
}

/**
 * Whether an If-Match / If-None-Match header names this version: `*` names any existing
 * entry; otherwise a comma-separated list of entity tags (a weak W/ prefix is ignored, as
 * versions are the only validators). An unparsable tag matches nothing.
 */
export function tagsMatch(header: string, version: number | undefined): boolean {
  if (version === undefined) {
    return false;
  }
  return header.split(',').some((raw) => {
    const tag = raw.trim().replace(/^W\//, '');
    return tag === '*' || tag === etagOf(version);
  });
}

/**
 * If-Match → 412, expectedVersion → 409, checked against the current version (undefined when
 * the key holds no live entry: version 0, which matches no tag).
 */
export function checkPreconditions(
  version: number | undefined,
  { expectedVersion, ifMatch }: Preconditions,
): void {
  if (ifMatch !== undefined && !tagsMatch(ifMatch, version)) {
    throw new KvException(
      ErrorCode.PRECONDITION_FAILED,
      version === undefined
        ? 'If-Match names an entry that does not exist'
        : `If-Match does not match version ${version}`,
    );
  }
  if (expectedVersion !== undefined && expectedVersion !== (version ?? 0)) {
    throw new KvException(
      ErrorCode.VERSION_CONFLICT,
      `expected version ${expectedVersion}, found ${version === undefined ? 'no entry' : `version ${version}`}`,
    );
  }
}
