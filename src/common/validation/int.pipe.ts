import { ParseIntPipe, PipeTransform } from '@nestjs/common';
import { invalidField } from '../errors/kv.exception';

/** A path parameter that must be an integer from `min` to `max`; else 400 VALIDATION_FAILED naming it. */
export function intParam(
  name: string,
  min: number,
  max: number,
): PipeTransform<string, Promise<number>> {
  const integer = new ParseIntPipe({
    exceptionFactory: () => invalidField(name, `must be an integer from ${min} to ${max}`),
  });
  return {
    async transform(value, metadata) {
      const parsed = await integer.transform(value, metadata);
      if (parsed < min || parsed > max || !/^\d+$/.test(value)) {
        throw invalidField(name, `must be an integer from ${min} to ${max}`);
      }
      return parsed;
    },
  };
}

/** As intParam, for an optional query parameter: absent stays undefined. */
export function optionalIntQuery(
  name: string,
  min: number,
  max: number,
): PipeTransform<string | undefined, Promise<number | undefined>> {
  const integer = intParam(name, min, max);
  return {
    transform: (value, metadata) =>
      value === undefined ? Promise.resolve(undefined) : integer.transform(value, metadata),
  };
}
