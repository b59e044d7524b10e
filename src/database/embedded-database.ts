import { join, resolve } from 'node:path';
import { Logger } from '@nestjs/common';
import { ensureOwnerOnlyDir } from '../common/fs/owner-only';
import type { PGlite } from '@electric-sql/pglite';
import type { PGLiteSocketServer } from '@electric-sql/pglite-socket';

export interface EmbeddedEndpoint {
  host: string;
  port: number;
}

/**
 * PostgreSQL compiled to WebAssembly (PGlite), served on a loopback port so that TypeORM's
 * ordinary `pg` driver talks to it exactly as it talks to a real server.
 */
export class EmbeddedDatabase {
  private readonly logger = new Logger(EmbeddedDatabase.name);
  private db?: PGlite;
  private server?: PGLiteSocketServer;

  constructor(private readonly dataDir: string) {}

  get pgDataDir(): string {
    return join(resolve(this.dataDir), 'pgdata');
  }

  async start(): Promise<EmbeddedEndpoint> {
    // PGlite creates its files with the process's umask (0644 as a rule): the directory
    // keeps others out of them, as PostgreSQL insists for its own data directory.
    ensureOwnerOnlyDir(this.pgDataDir);
    const { PGlite } = await import('@electric-sql/pglite');
    const { PGLiteSocketServer } = await import('@electric-sql/pglite-socket');
    this.db = await PGlite.create(this.pgDataDir);
    // One client connection: PGlite is a single session, so queries from two connections
    // could interleave inside each other's extended-protocol exchanges. The second slot lets
    // a replacement connect before the socket of a dropped one is reaped.
    this.server = new PGLiteSocketServer({
      db: this.db,
      host: '127.0.0.1',
      port: 0,
      maxConnections: 2,
    });
    await this.server.start();
    const [host, port] = this.server.getServerConn().split(':');
    this.logger.warn(
      `Embedded database: PGlite in ${this.pgDataDir} (no DATABASE_URL set; for development only)`,
    );
    return { host, port: Number(port) };
  }

  async stop(): Promise<void> {
    await this.server?.stop();
    await this.db?.close();
    this.server = undefined;
    this.db = undefined;
  }
}
