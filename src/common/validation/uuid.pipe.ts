import { ArgumentMetadata, Injectable, ParseUUIDPipe, PipeTransform } from '@nestjs/common';
import { invalidField } from '../errors/kv.exception';

/**
 * A path parameter that must be a uuid, handed on in its canonical lower-case spelling:
 * `ABC…` and `abc…` name one namespace, so they must reach one cache entry and one data key.
 * Anything else is 400 VALIDATION_FAILED naming it.
 */
@Injectable()
class CanonicalUuidPipe implements PipeTransform<string, Promise<string>> {
  private readonly uuid: ParseUUIDPipe;

  constructor(name: string) {
    this.uuid = new ParseUUIDPipe({ exceptionFactory: () => invalidField(name, 'must be a UUID') });
  }

  async transform(value: string, metadata: ArgumentMetadata): Promise<string> {
    return (await this.uuid.transform(value, metadata)).toLowerCase();
  }
}

/** A path parameter that must be a uuid, lower-cased (see CanonicalUuidPipe). */
export function uuidParam(name: string): PipeTransform<string, Promise<string>> {
  return new CanonicalUuidPipe(name);
}
