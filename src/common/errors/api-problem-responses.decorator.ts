import { applyDecorators } from '@nestjs/common';
import { ApiExtraModels, ApiResponse, getSchemaPath } from '@nestjs/swagger';
import { ErrorCode } from './error-code.enum';
import { statusOf } from './error-status';
import { exampleProblem } from './problem-examples';
import { ProblemDto } from './problem.dto';

const DESCRIPTIONS: Record<number, string> = {
  400: 'Invalid input (VALIDATION_FAILED)',
  408: 'The request line, headers or body did not arrive within the request timeout; the connection is closed (REQUEST_TIMEOUT)',
  401: 'Missing or invalid bearer token (UNAUTHORIZED)',
  403: 'The token lacks the permission or the application (FORBIDDEN)',
  412: 'If-Match does not match (PRECONDITION_FAILED)',
  413: 'The body exceeds the body limit (PAYLOAD_TOO_LARGE)',
  415: 'Body is not application/json (UNSUPPORTED_MEDIA_TYPE)',
  429: "More requests than the caller's rate limit allows, or more failed authentications (401, 403) than the client address's budget; retry after Retry-After seconds (RATE_LIMITED)",
  431: 'The request line and headers exceed 16 KiB (HEADERS_TOO_LARGE)',
  500: 'An unexpected fault (INTERNAL_ERROR), or a stored secret that failed its integrity check (INTEGRITY_ERROR); the body never carries internals',
  503: 'Database unavailable, the request gave way to a concurrent one, or too many request bodies are being received at once; retry after Retry-After seconds (SERVICE_UNAVAILABLE)',
};

const RETRY_AFTER = {
  'Retry-After': {
    description: 'Seconds to wait before retrying',
    schema: { type: 'integer', minimum: 1 },
  },
};

const CODES = new Set<string>(Object.values(ErrorCode));

/**
 * The codes a description names, e.g. "No such namespace (NAMESPACE_NOT_FOUND)": each becomes
 * an example, so a description without a code, or with one of another status, fails at boot.
 */
function codesOf(status: number, description: string): ErrorCode[] {
  const codes = (description.match(/\b[A-Z][A-Z_]+[A-Z]\b/g) ?? []).filter((word) =>
    CODES.has(word),
  ) as ErrorCode[];
  const wrong = codes.filter((code) => statusOf(code) !== status);
  if (codes.length === 0 || wrong.length > 0) {
    throw new Error(`The ${status} response "${description}" must name codes of status ${status}`);
  }
  return codes;
}

/**
 * Documents problem+json error responses, each with an example body per code its description
 * names; pass a status (with its usual description), or [status, description].
 */
export function ApiProblemResponses(
  ...responses: (number | [number, string])[]
): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ApiExtraModels(ProblemDto),
    ...responses.map((response) => {
      const [status, description] = Array.isArray(response)
        ? response
        : [response, DESCRIPTIONS[response] ?? ''];
      const examples = Object.fromEntries(
        codesOf(status, description).map((code) => [
          code,
          { summary: code, value: exampleProblem(code) },
        ]),
      );
      return ApiResponse({
        status,
        description,
        ...(status === 429 || status === 503 ? { headers: RETRY_AFTER } : {}),
        content: {
          'application/problem+json': { schema: { $ref: getSchemaPath(ProblemDto) }, examples },
        },
      });
    }),
  );
}
