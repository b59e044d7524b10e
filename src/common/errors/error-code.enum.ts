/**
 * Stable machine-readable codes of problem+json bodies. The first twelve are fixed by the
 * contract; the rest cover what it leaves open: transport-level rejections, limits on the
 * caller, and stored data that fails its integrity check (a server-side fault, so a 500 that
 * says what it is).
 */
export enum ErrorCode {
  VALIDATION_FAILED = 'VALIDATION_FAILED',
  NOT_A_SECRET_NAMESPACE = 'NOT_A_SECRET_NAMESPACE',
  UNAUTHORIZED = 'UNAUTHORIZED',
  FORBIDDEN = 'FORBIDDEN',
  NAMESPACE_NOT_FOUND = 'NAMESPACE_NOT_FOUND',
  ENTRY_NOT_FOUND = 'ENTRY_NOT_FOUND',
  VERSION_NOT_FOUND = 'VERSION_NOT_FOUND',
  NAMESPACE_NAME_TAKEN = 'NAMESPACE_NAME_TAKEN',
  VERSION_CONFLICT = 'VERSION_CONFLICT',
  PRECONDITION_FAILED = 'PRECONDITION_FAILED',
  VALUE_TOO_LARGE = 'VALUE_TOO_LARGE',
  SERVICE_UNAVAILABLE = 'SERVICE_UNAVAILABLE',
  ROUTE_NOT_FOUND = 'ROUTE_NOT_FOUND',
  PAYLOAD_TOO_LARGE = 'PAYLOAD_TOO_LARGE',
  RESPONSE_TOO_LARGE = 'RESPONSE_TOO_LARGE',
  UNSUPPORTED_MEDIA_TYPE = 'UNSUPPORTED_MEDIA_TYPE',
  HEADERS_TOO_LARGE = 'HEADERS_TOO_LARGE',
  REQUEST_TIMEOUT = 'REQUEST_TIMEOUT',
  RATE_LIMITED = 'RATE_LIMITED',
  INTERNAL_ERROR = 'INTERNAL_ERROR',
  INTEGRITY_ERROR = 'INTEGRITY_ERROR',
  /** A revision older than the history kept: the problem's `revision` is the oldest readable. */
  REVISION_COMPACTED = 'REVISION_COMPACTED',
  /** expectedRevision is not the namespace's revision: the problem's `revision` is. */
  REVISION_CONFLICT = 'REVISION_CONFLICT',
  /** 409: an export's keys collide once flattened or nested, or a value has no exact form in the format. */
  EXPORT_CONFLICT = 'EXPORT_CONFLICT',
  /** 409: the namespace already has a snapshot of this name (snapshots are immutable). */
  SNAPSHOT_NAME_TAKEN = 'SNAPSHOT_NAME_TAKEN',
  SNAPSHOT_NOT_FOUND = 'SNAPSHOT_NOT_FOUND',
}
