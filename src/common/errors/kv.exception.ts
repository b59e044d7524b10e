import { ErrorCode } from './error-code.enum';

/** One problem with one part of the request: a field, a query parameter or a bulk item. */
export interface FieldError {
  field: string;
  message: string;
  index?: number;
  key?: string;
}

/** What features throw; the problem filter turns it into problem+json with the code's status. */
export class KvException extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly detail: string,
    readonly errors?: FieldError[],
    /** For REVISION_COMPACTED and REVISION_CONFLICT: the revision to go on from. */
    readonly revision?: number,
  ) {
    super(detail);
    this.name = 'KvException';
  }
}

/** A 400 VALIDATION_FAILED naming one field. */
export function invalidField(field: string, message: string): KvException {
  return new KvException(ErrorCode.VALIDATION_FAILED, `${field} ${message}`, [{ field, message }]);
}
