import { ErrorCode } from './error-code.enum';
import { statusOf, TITLES } from './error-status';
import type { FieldError } from './kv.exception';
import type { ProblemDto } from './problem.dto';

/** The problem+json body of a code: its type URN, title and status follow from the code. */
export function problemOf(
  code: ErrorCode,
  detail: string,
  errors?: FieldError[],
  revision?: number,
): ProblemDto {
  return {
    type: `urn:kv-service:problem:${code.toLowerCase().replace(/_/g, '-')}`,
    title: TITLES[code],
    status: statusOf(code),
    detail,
    code,
    ...(errors?.length ? { errors } : {}),
    ...(revision === undefined ? {} : { revision }),
  };
}
