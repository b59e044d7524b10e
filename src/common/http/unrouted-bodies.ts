import type { FastifyReply, FastifyRequest } from 'fastify';
import { notFoundProblem, sendProblem } from '../errors/problem.filter';
import { announcesBody } from './announces-body';

/**
 * Answers a request no route takes before its body is read, and closes its connection, if it
 * announced a body: Fastify would otherwise read and parse a body of up to KV_MAX_BODY_BYTES
 * for the not-found handler, from anyone, with no token needed to reach it. True if it did.
 * Called from the onRequest hook every request runs anyway, so routed ones pay one check.
 */
export function refusedUnroutedBody(request: FastifyRequest, reply: FastifyReply): boolean {
  if (!request.is404 || !announcesBody(request.headers)) {
    return false;
  }
  void reply.header('connection', 'close');
  sendProblem(reply, notFoundProblem(request.method, request.url));
  return true;
}
