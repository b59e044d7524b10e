import {
  ArgumentsHost,
  Catch,
  ExceptionFilter,
  HttpException,
  HttpStatus,
  Injectable,
  NotFoundException,
} from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import {
  isDataException,
  isConcurrencyFailure,
  isDatabaseUnavailable,
  isForeignKeyViolation,
  sqlStateOf,
} from '../../database/is-database-unavailable';
import { DatabaseFaults } from '../../database/database-faults';
import { isKeylessEntryPath } from '../validation/keyless-entry-path';
import { ErrorCode } from './error-code.enum';
import { KvException } from './kv.exception';
import { problemOf } from './problem';
import type { ProblemDto } from './problem.dto';

/** Seconds a client should wait before retrying a 503. */
export const RETRY_AFTER_SECONDS = 5;

/** The media type of every error body. */
export const PROBLEM_CONTENT_TYPE = 'application/problem+json; charset=utf-8';

// Texts of errors raised outside our code (Fastify's body parser, Nest's router) are replaced:
// a JSON parse error quotes the body it failed on, which may hold a secret.
const GENERIC_DETAIL: Partial<Record<number, [ErrorCode, string]>> = {
  [HttpStatus.BAD_REQUEST]: [
    ErrorCode.VALIDATION_FAILED,
    'The request body is not valid JSON or the request is malformed',
  ],
  [HttpStatus.UNAUTHORIZED]: [ErrorCode.UNAUTHORIZED, 'A valid bearer token is required'],
  [HttpStatus.FORBIDDEN]: [ErrorCode.FORBIDDEN, 'The token does not grant this operation'],
  [HttpStatus.NOT_FOUND]: [ErrorCode.ROUTE_NOT_FOUND, 'No route matches this method and path'],
  [HttpStatus.METHOD_NOT_ALLOWED]: [
    ErrorCode.ROUTE_NOT_FOUND,
    'No route matches this method and path',
  ],
  [HttpStatus.PAYLOAD_TOO_LARGE]: [
    ErrorCode.PAYLOAD_TOO_LARGE,
    'The request body exceeds the size limit',
  ],
  [HttpStatus.UNSUPPORTED_MEDIA_TYPE]: [
    ErrorCode.UNSUPPORTED_MEDIA_TYPE,
    'Send the body as application/json',
  ],
  [HttpStatus.TOO_MANY_REQUESTS]: [ErrorCode.RATE_LIMITED, 'Too many requests; retry later'],
};

/**
 * The problem+json body for any error: KvExceptions keep their code and detail; framework
 * errors get a generic text; anything unknown is a bare 500.
 */
export function toProblem(exception: unknown): ProblemDto {
  if (exception instanceof KvException) {
    return problemOf(exception.code, exception.detail, exception.errors, exception.revision);
  }
  if (exception instanceof HttpException) {
    const known = GENERIC_DETAIL[exception.getStatus()];
    if (known) {
      return problemOf(known[0], known[1]);
    }
    if (exception.getStatus() < 500) {
      return {
        ...problemOf(ErrorCode.VALIDATION_FAILED, 'The request was rejected'),
        status: exception.getStatus(),
      };
    }
  }
  if (isDatabaseUnavailable(exception)) {
    return problemOf(ErrorCode.SERVICE_UNAVAILABLE, 'The database is unavailable; retry later');
  }
  if (isConcurrencyFailure(exception)) {
    return problemOf(
      ErrorCode.SERVICE_UNAVAILABLE,
      'The request gave way to a concurrent one and changed nothing; retry it',
    );
  }
  if (isForeignKeyViolation(exception)) {
    return problemOf(
      ErrorCode.NAMESPACE_NOT_FOUND,
      'The namespace was deleted while the request ran',
    );
  }
  if (isDataException(exception)) {
    return problemOf(ErrorCode.VALIDATION_FAILED, 'The request holds data the store cannot accept');
  }
  return problemOf(ErrorCode.INTERNAL_ERROR, 'An unexpected error occurred');
}

const KEYLESS_DETAIL =
  'key must not be empty or contain . or .. segments (HTTP clients remove them from the path)';

/** The answer to a request no route takes: 404, or 400 naming the key of a keyless entry path. */
export function notFoundProblem(method: string, url: string): ProblemDto {
  return isKeylessEntryPath(method, url)
    ? problemOf(ErrorCode.VALIDATION_FAILED, KEYLESS_DETAIL, [
        { field: 'key', message: KEYLESS_DETAIL },
      ])
    : problemOf(ErrorCode.ROUTE_NOT_FOUND, 'No route matches this method and path');
}

/** Renders every error as application/problem+json with a stable code and nothing internal. */
@Catch()
@Injectable()
export class ProblemFilter implements ExceptionFilter {
  constructor(private readonly faults: DatabaseFaults) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const reply = http.getResponse<FastifyReply>();
    const request = http.getRequest<FastifyRequest>();
    const body =
      exception instanceof NotFoundException
        ? notFoundProblem(request.method, request.url)
        : toProblem(exception);
    if (
      isDatabaseUnavailable(exception) ||
      (body.code === ErrorCode.INTERNAL_ERROR && sqlStateOf(exception) !== undefined)
    ) {
      this.faults.record(exception);
    }
    // The request's own logger: its lines carry the request id.
    const log = request.log;
    if (body.status >= 500 && body.code !== ErrorCode.SERVICE_UNAVAILABLE) {
      log.error({ context: ProblemFilter.name, err: summary(exception) }, body.title);
    }
    if (body.code === ErrorCode.SERVICE_UNAVAILABLE && !(exception instanceof KvException)) {
      log.warn({ context: ProblemFilter.name, err: summary(exception) }, body.detail);
    }
    sendProblem(reply, body);
  }
}

/** Sends a problem+json answer; a 503 tells when to retry. */
export function sendProblem(reply: FastifyReply, body: ProblemDto): void {
  if (body.code === ErrorCode.SERVICE_UNAVAILABLE) {
    void reply.header('retry-after', String(RETRY_AFTER_SECONDS));
  }
  void reply
    .status(body.status)
    .header('content-type', PROBLEM_CONTENT_TYPE)
    .send(JSON.stringify(body));
}

// Only name, code, message and stack: driver errors also carry the query and its parameters.
function summary(exception: unknown): Record<string, unknown> {
  if (!(exception instanceof Error)) {
    return { message: String(exception) };
  }
  return {
    name: exception.name,
    code: (exception as { code?: unknown }).code,
    message: exception.message,
    stack: exception.stack,
  };
}
