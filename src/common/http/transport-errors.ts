import { STATUS_CODES, type Server } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyError, FastifyHttpOptions, FastifyReply } from 'fastify';
import { ErrorCode } from '../errors/error-code.enum';
import { KvException } from '../errors/kv.exception';
import { PROBLEM_CONTENT_TYPE, toProblem } from '../errors/problem.filter';

/** Node's limit on the request line and headers together (see http-server-options); larger requests get 431. */
export const MAX_HEADER_BYTES = 16 * 1024;

function problemText(code: ErrorCode, detail: string): { status: number; body: string } {
  const problem = toProblem(new KvException(code, detail));
  return { status: problem.status, body: JSON.stringify(problem) };
}

function clientProblem(errorCode: string): { status: number; body: string } {
  switch (errorCode) {
    case 'HPE_HEADER_OVERFLOW':
      return problemText(
        ErrorCode.HEADERS_TOO_LARGE,
        `The request line and headers exceed ${MAX_HEADER_BYTES} bytes`,
      );
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return problemText(ErrorCode.REQUEST_TIMEOUT, 'The request was not received in time');
    default:
      return problemText(ErrorCode.VALIDATION_FAILED, 'The request is not well-formed HTTP');
  }
}

function routingProblem(errorCode: string): { status: number; body: string } {
  switch (errorCode) {
    case 'FST_ERR_BAD_URL':
      return problemText(ErrorCode.VALIDATION_FAILED, 'The URL is not valid percent-encoded UTF-8');
    case 'FST_ERR_MAX_PARAM_LENGTH':
      return problemText(ErrorCode.VALIDATION_FAILED, 'A path parameter is too long');
    default:
      return problemText(ErrorCode.INTERNAL_ERROR, 'An unexpected error occurred');
  }
}

/**
 * Answers for what fails before a route runs, as problem+json like every other error. Node's
 * HTTP parser rejects oversized headers and malformed requests on the socket (Fastify's
 * clientErrorHandler), and Fastify's router rejects URLs that do not decode or hold an
 * over-long parameter (frameworkErrors); both would otherwise answer with a bare JSON body.
 */
export const TRANSPORT_ERROR_OPTIONS: Pick<
  FastifyHttpOptions<Server>,
  'clientErrorHandler' | 'frameworkErrors'
> = {
  clientErrorHandler: (error, socket: Socket) => {
    // A reset connection has nobody left to answer.
    if (error.code === 'ECONNRESET' || socket.destroyed) {
      return;
    }
    if (socket.writable) {
      const { status, body } = clientProblem(error.code);
      socket.write(
        `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\n` +
          `Content-Type: ${PROBLEM_CONTENT_TYPE}\r\n` +
          `Content-Length: ${Buffer.byteLength(body)}\r\n` +
          `Connection: close\r\n\r\n${body}`,
      );
    }
    socket.destroy(error);
  },
  frameworkErrors: (error: FastifyError, _request: unknown, reply: FastifyReply) => {
    const { status, body } = routingProblem(error.code);
    void reply.code(status).header('content-type', PROBLEM_CONTENT_TYPE).send(body);
  },
};
