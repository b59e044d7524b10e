import type { FastifyInstance, preParsingHookHandler } from 'fastify';
import type { IncomingHttpHeaders } from 'node:http';
import { ErrorCode } from '../errors/error-code.enum';
import { KvException } from '../errors/kv.exception';
import { sendProblem, toProblem } from '../errors/problem.filter';

/** What a request's body may take in memory: its announced length, or the limit if chunked. */
function announcedBytes(headers: IncomingHttpHeaders, bodyLimit: number): number {
  if (headers['transfer-encoding'] !== undefined) {
    return bodyLimit;
  }
  const length = Number(headers['content-length'] ?? 0);
  return Number.isFinite(length) && length > 0 ? Math.min(length, bodyLimit) : 0;
}

/**
 * Caps the bytes of request bodies received at once (each counted as announced, from before
 * its first byte is read until its response is done or its connection gone): many slow
 * authenticated uploads cannot hold more memory than that. A body past the cap is refused
 * unread with 503 SERVICE_UNAVAILABLE and Retry-After, and the connection closed: the server
 * is busy, the request itself is fine (a 413 would tell the client never to send it again).
 * Runs after authentication (a preParsing hook), so only verified callers spend the budget.
 * Call it before the routes are registered.
 */
export function limitInflightBodies(
  fastify: FastifyInstance,
  maxBytes: number,
  bodyLimit: number,
): void {
  let inflight = 0;
  const hook: preParsingHookHandler = (request, reply, payload, done) => {
    const bytes = announcedBytes(request.headers, bodyLimit);
    if (bytes === 0) {
      done(null, payload);
      return;
    }
    if (inflight + bytes > maxBytes) {
      void reply.header('connection', 'close');
      sendProblem(
        reply,
        toProblem(
          new KvException(
            ErrorCode.SERVICE_UNAVAILABLE,
            'Too many request bodies are being received at once; retry later',
          ),
        ),
      );
      return;
    }
    inflight += bytes;
    reply.raw.once('close', () => (inflight -= bytes));
    done(null, payload);
  };
  // Only on routes that take a body: a GET does not pay for the hook.
  fastify.addHook('onRoute', (route) => {
    if ([route.method].flat().every((method) => method === 'GET' || method === 'HEAD')) {
      return;
    }
    const hooks = route.preParsing === undefined ? [] : [route.preParsing].flat();
    route.preParsing = [...hooks, hook];
  });
}
