import type { FastifyInstance } from 'fastify';

/** How long a stopping service lets the requests in flight finish. */
export const CLOSE_GRACE_MS = 5000;

/**
 * Node's server.close() closes idle connections but waits for every connection with a request
 * in progress, and a client that stalls mid-request holds it until the headers timeout (a
 * minute or more): a stop would outlast the 10 s `docker stop` waits before it kills. Past the
 * grace, the connections still open are dropped, and the shutdown hooks run.
 */
export function boundCloseTime(fastify: FastifyInstance, graceMs = CLOSE_GRACE_MS): void {
  fastify.addHook('preClose', (done) => {
    const timer = setTimeout(() => fastify.server.closeAllConnections(), graceMs);
    timer.unref();
    fastify.server.once('close', () => clearTimeout(timer));
    done();
  });
}
