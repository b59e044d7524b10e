import type { Type } from '@nestjs/common';
import { ApiBody } from '@nestjs/swagger';

/**
 * Documents a JSON body with one example, which Swagger UI's "Try it out" sends as it is.
 * Without it Swagger UI builds a body of every property, optional ones included (an
 * expectedVersion that turns the request into a 409).
 */
export function ApiExampleBody<T>(type: Type<T>, summary: string, value: T): MethodDecorator {
  return ApiBody({ type, examples: { example: { summary, value } } });
}
