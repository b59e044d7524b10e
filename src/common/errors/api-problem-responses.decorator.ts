import { applyDecorators } from '@nestjs/common';
import { ApiExtraModels, ApiResponse, getSchemaPath } from '@nestjs/swagger';
import { ProblemDto } from './problem.dto';

const DESCRIPTIONS: Record<number, string> = {
  400: 'Invalid input (VALIDATION_FAILED)',
  401: 'Missing or invalid bearer token (UNAUTHORIZED)',
  403: 'The token lacks the permission or the application (FORBIDDEN)',
  404: 'Not found',
  409: 'Conflict',
  412: 'If-Match does not match (PRECONDITION_FAILED)',
  413: 'Too large',
  415: 'Body is not application/json (UNSUPPORTED_MEDIA_TYPE)',
  429: "More requests than the caller's rate limit allows; retry after Retry-After seconds (RATE_LIMITED)",
  503: 'Database unavailable, or the request gave way to a concurrent one; retry after Retry-After seconds (SERVICE_UNAVAILABLE)',
};

const RETRY_AFTER = {
  'Retry-After': {
    description: 'Seconds to wait before retrying',
    schema: { type: 'integer', minimum: 1 },
  },
};

/** Documents problem+json error responses; pass a status, or [status, description]. */
export function ApiProblemResponses(
  ...responses: (number | [number, string])[]
): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ApiExtraModels(ProblemDto),
    ...responses.map((response) => {
      const [status, description] = Array.isArray(response)
        ? response
        : [response, DESCRIPTIONS[response]];
      return ApiResponse({
        status,
        description,
        ...(status === 429 || status === 503 ? { headers: RETRY_AFTER } : {}),
        content: { 'application/problem+json': { schema: { $ref: getSchemaPath(ProblemDto) } } },
      });
    }),
  );
}
