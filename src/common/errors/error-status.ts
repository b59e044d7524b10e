import { HttpStatus } from '@nestjs/common';
import { ErrorCode } from './error-code.enum';

// RFC 6585's status for oversized headers, which Nest's HttpStatus does not list.
const REQUEST_HEADER_FIELDS_TOO_LARGE = 431;

/** The HTTP status each code is answered with; exhaustive so a new code cannot be forgotten. */
export function statusOf(code: ErrorCode): number {
  switch (code) {
    case ErrorCode.VALIDATION_FAILED:
    case ErrorCode.NOT_A_SECRET_NAMESPACE:
      return HttpStatus.BAD_REQUEST;
    case ErrorCode.UNAUTHORIZED:
      return HttpStatus.UNAUTHORIZED;
    case ErrorCode.FORBIDDEN:
      return HttpStatus.FORBIDDEN;
    case ErrorCode.NAMESPACE_NOT_FOUND:
    case ErrorCode.ENTRY_NOT_FOUND:
    case ErrorCode.VERSION_NOT_FOUND:
    case ErrorCode.ROUTE_NOT_FOUND:
    case ErrorCode.SNAPSHOT_NOT_FOUND:
      return HttpStatus.NOT_FOUND;
    case ErrorCode.NAMESPACE_NAME_TAKEN:
    case ErrorCode.VERSION_CONFLICT:
    case ErrorCode.REVISION_CONFLICT:
    case ErrorCode.EXPORT_CONFLICT:
    case ErrorCode.SNAPSHOT_NAME_TAKEN:
      return HttpStatus.CONFLICT;
    case ErrorCode.REVISION_COMPACTED:
      return HttpStatus.GONE;
    case ErrorCode.PRECONDITION_FAILED:
      return HttpStatus.PRECONDITION_FAILED;
    case ErrorCode.VALUE_TOO_LARGE:
    case ErrorCode.PAYLOAD_TOO_LARGE:
    case ErrorCode.RESPONSE_TOO_LARGE:
      return HttpStatus.PAYLOAD_TOO_LARGE;
    case ErrorCode.UNSUPPORTED_MEDIA_TYPE:
      return HttpStatus.UNSUPPORTED_MEDIA_TYPE;
    case ErrorCode.HEADERS_TOO_LARGE:
      return REQUEST_HEADER_FIELDS_TOO_LARGE;
    case ErrorCode.REQUEST_TIMEOUT:
      return HttpStatus.REQUEST_TIMEOUT;
    case ErrorCode.RATE_LIMITED:
      return HttpStatus.TOO_MANY_REQUESTS;
    case ErrorCode.SERVICE_UNAVAILABLE:
      return HttpStatus.SERVICE_UNAVAILABLE;
    case ErrorCode.INTERNAL_ERROR:
    case ErrorCode.INTEGRITY_ERROR:
      return HttpStatus.INTERNAL_SERVER_ERROR;
  }
}

/** Short human titles, the `title` of problem+json. */
export const TITLES: Record<ErrorCode, string> = {
  [ErrorCode.VALIDATION_FAILED]: 'Validation failed',
  [ErrorCode.NOT_A_SECRET_NAMESPACE]: 'Not a secret namespace',
  [ErrorCode.UNAUTHORIZED]: 'Unauthorized',
  [ErrorCode.FORBIDDEN]: 'Forbidden',
  [ErrorCode.NAMESPACE_NOT_FOUND]: 'Namespace not found',
  [ErrorCode.ENTRY_NOT_FOUND]: 'Entry not found',
  [ErrorCode.VERSION_NOT_FOUND]: 'Version not found',
  [ErrorCode.NAMESPACE_NAME_TAKEN]: 'Namespace name taken',
  [ErrorCode.VERSION_CONFLICT]: 'Version conflict',
  [ErrorCode.PRECONDITION_FAILED]: 'Precondition failed',
  [ErrorCode.VALUE_TOO_LARGE]: 'Value too large',
  [ErrorCode.SERVICE_UNAVAILABLE]: 'Service unavailable',
  [ErrorCode.ROUTE_NOT_FOUND]: 'Route not found',
  [ErrorCode.PAYLOAD_TOO_LARGE]: 'Payload too large',
  [ErrorCode.RESPONSE_TOO_LARGE]: 'Response too large',
  [ErrorCode.UNSUPPORTED_MEDIA_TYPE]: 'Unsupported media type',
  [ErrorCode.HEADERS_TOO_LARGE]: 'Request headers too large',
  [ErrorCode.REQUEST_TIMEOUT]: 'Request timeout',
  [ErrorCode.RATE_LIMITED]: 'Too many requests',
  [ErrorCode.INTERNAL_ERROR]: 'Internal error',
  [ErrorCode.INTEGRITY_ERROR]: 'Stored data failed its integrity check',
  [ErrorCode.REVISION_COMPACTED]: 'Revision compacted',
  [ErrorCode.REVISION_CONFLICT]: 'Revision conflict',
  [ErrorCode.EXPORT_CONFLICT]: 'Export conflict',
  [ErrorCode.SNAPSHOT_NAME_TAKEN]: 'Snapshot name taken',
  [ErrorCode.SNAPSHOT_NOT_FOUND]: 'Snapshot not found',
};
