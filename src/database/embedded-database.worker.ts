import { parentPort, workerData } from 'node:worker_threads';
import type { EmbeddedWorkerData, EmbeddedWorkerMessage } from './embedded-worker.types';

/**
 * PGlite and its socket server, on a thread of their own: the database's WebAssembly runs
 * beside the service's JavaScript instead of taking turns with it, at start-up (opening the
 * data directory while the service loads its modules) and for every query after.
 */
async function serve(port: NonNullable<typeof parentPort>): Promise<void> {
  const { pgDataDir } = workerData as EmbeddedWorkerData;
  const send = (message: EmbeddedWorkerMessage): void => port.postMessage(message);
  const { PGlite } = await import('@electric-sql/pglite');
  const { PGLiteSocketServer } = await import('@electric-sql/pglite-socket');
  const db = await PGlite.create(pgDataDir);
  // One client connection: PGlite is a single session, so queries from two connections
  // could interleave inside each other's extended-protocol exchanges. The second slot lets
  // a replacement connect before the socket of a dropped one is reaped.
  const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections: 2 });
  await server.start();
  port.on('message', () => {
    void server
      .stop()
      .then(() => db.close())
      .then(() => send({ type: 'stopped' }));
  });
  const [host, listening] = server.getServerConn().split(':');
  send({ type: 'started', host, port: Number(listening) });
}

if (parentPort !== null) {
  const port = parentPort;
  serve(port).catch((error: unknown) =>
    port.postMessage({
      type: 'failed',
      message: error instanceof Error ? error.message : String(error),
    } satisfies EmbeddedWorkerMessage),
  );
}
