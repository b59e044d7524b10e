import type { ProblemDto } from './kv-client.js';

export type FieldError = NonNullable<ProblemDto['errors']>[number];

/** A failed call, as the console shows it: the API's problem+json, or what stood in its way. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    detail: string,
    /** The items at fault (a bulk or import item by index and key, a field). */
    readonly errors: FieldError[] = [],
    /** REVISION_COMPACTED: the oldest revision still readable. */
    readonly revision?: number,
  ) {
    super(detail);
  }
}

function isProblem(body: unknown): body is ProblemDto {
  return typeof body === 'object' && body !== null && 'code' in body && 'status' in body;
}

/** The data of a successful call; an ApiError carrying the problem's code otherwise. */
export function unwrap<T>(result: { data?: T; error?: unknown; response: Response }): T {
  if (result.error !== undefined || result.data === undefined) {
    const body = result.error;
    if (isProblem(body)) {
      throw new ApiError(body.status, body.code, body.detail, body.errors, body.revision);
    }
    throw new ApiError(result.response.status, 'HTTP_ERROR', result.response.statusText);
  }
  return result.data;
}

/** A line for the user: the code first, as support and the docs use it. */
export function describeError(error: unknown): string {
  if (error instanceof ApiError) {
    return `${error.code}: ${error.message}`;
  }
  return error instanceof Error ? error.message : String(error);
}
