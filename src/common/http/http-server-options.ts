import type { Server } from 'node:http';
import type { FastifyHttpOptions } from 'fastify';
import type { HttpConfig } from '../../config/kv-config.types';
import { MAX_HEADER_BYTES } from './transport-errors';

/**
 * Options of Node's HTTP server: headers of 16 KiB at most (431 otherwise), and a bounded time
 * to send a request: the headers within `headersTimeoutMs`, the whole request, body included,
 * within `requestTimeoutMs`. A request past either is answered 408 REQUEST_TIMEOUT (see
 * transport-errors) and its connection closed, so a client dripping its body holds neither a
 * socket nor the buffered body for long; Fastify's default (no request timeout) let a body
 * dripped at a byte a second in for minutes.
 */
export function httpServerOptions(
  http: HttpConfig,
): Pick<FastifyHttpOptions<Server>, 'http' | 'requestTimeout'> {
  return {
    requestTimeout: http.requestTimeoutMs,
    http: {
      maxHeaderSize: MAX_HEADER_BYTES,
      headersTimeout: http.headersTimeoutMs,
      // Node looks for requests past their time only this often (30 s by default): a quarter
      // of the headers timeout, at most a second, keeps a cut close to its timeout.
      connectionsCheckingInterval: Math.max(25, Math.min(1000, http.headersTimeoutMs / 4)),
    },
  };
}
