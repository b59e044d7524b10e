import { ParseUUIDPipe } from '@nestjs/common';
import { invalidField } from '../errors/kv.exception';

/** A path parameter that must be a uuid; anything else is 400 VALIDATION_FAILED naming it. */
export function uuidParam(name: string): ParseUUIDPipe {
  return new ParseUUIDPipe({ exceptionFactory: () => invalidField(name, 'must be a UUID') });
}
