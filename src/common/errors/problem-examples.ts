import { ErrorCode } from './error-code.enum';
import { problemOf } from './problem';
import type { ProblemDto } from './problem.dto';

// A detail such as the service writes for each code, for the examples of the OpenAPI document.
const EXAMPLE_DETAILS: Record<ErrorCode, string> = {
  [ErrorCode.VALIDATION_FAILED]: 'name must match [A-Za-z0-9][A-Za-z0-9._-]{0,127}',
  [ErrorCode.NOT_A_SECRET_NAMESPACE]: 'namespace is not a secret namespace',
  [ErrorCode.UNAUTHORIZED]: 'A valid bearer token is required',
  [ErrorCode.FORBIDDEN]: 'The token does not grant this operation',
  [ErrorCode.NAMESPACE_NOT_FOUND]: 'namespace 6f1c1d0e-8a4b-4a53-9d56-3f2d0c7f6c11 does not exist',
  [ErrorCode.ENTRY_NOT_FOUND]: 'no entry config/database/host in this namespace',
  [ErrorCode.VERSION_NOT_FOUND]: 'config/database/host has no version 7',
  [ErrorCode.NAMESPACE_NAME_TAKEN]: 'app-123 already has a namespace named production-secrets',
  [ErrorCode.VERSION_CONFLICT]: 'expected version 3, found 4',
  [ErrorCode.PRECONDITION_FAILED]: 'If-Match "3" does not match the current version',
  [ErrorCode.VALUE_TOO_LARGE]: 'the value exceeds 65536 bytes',
  [ErrorCode.SERVICE_UNAVAILABLE]: 'The database is unavailable; retry later',
  [ErrorCode.ROUTE_NOT_FOUND]: 'No route matches this method and path',
  [ErrorCode.PAYLOAD_TOO_LARGE]: 'The request body exceeds the size limit',
  [ErrorCode.RESPONSE_TOO_LARGE]:
    'the values of these keys come to about 5242880 bytes, more than KV_MAX_PAGE_BYTES (4194304) allows in one answer: ask for fewer keys',
  [ErrorCode.UNSUPPORTED_MEDIA_TYPE]: 'Send the body as application/json',
  [ErrorCode.HEADERS_TOO_LARGE]: 'The request line and headers exceed 16 KiB',
  [ErrorCode.REQUEST_TIMEOUT]: 'The request did not arrive in time',
  [ErrorCode.RATE_LIMITED]: 'Too many requests; retry later',
  [ErrorCode.INTERNAL_ERROR]: 'An unexpected error occurred',
  [ErrorCode.INTEGRITY_ERROR]: 'a stored secret failed its integrity check',
  [ErrorCode.REVISION_COMPACTED]:
    'revision 12 is older than the history kept: resync from revision 40, the oldest still readable',
  [ErrorCode.REVISION_CONFLICT]: 'expected revision 41, the namespace is at 43',
  [ErrorCode.EXPORT_CONFLICT]:
    '2 key(s) cannot be exported as dotenv: config/db-host and config/db/host both become CONFIG_DB_HOST',
  [ErrorCode.SNAPSHOT_NAME_TAKEN]: 'the namespace already has a snapshot named before-migration',
  [ErrorCode.SNAPSHOT_NOT_FOUND]: 'the namespace has no snapshot named before-migration',
};

/** An example problem+json body of a code, as the service would answer it. */
export function exampleProblem(code: ErrorCode): ProblemDto {
  return problemOf(code, EXAMPLE_DETAILS[code]);
}
