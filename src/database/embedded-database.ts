import { join, resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import { ensureOwnerOnlyDir } from '../common/fs/owner-only';
import type { EmbeddedWorkerData, EmbeddedWorkerMessage } from './embedded-worker.types';

export interface EmbeddedEndpoint {
  host: string;
  port: number;
}

// Started early by main.ts, adopted by the application's EmbeddedDatabase: the data
// directory opens while the modules load.
const warming = new Map<string, EmbeddedDatabase>();

/**
 * PostgreSQL compiled to WebAssembly (PGlite), served on a loopback port so that TypeORM's
 * ordinary `pg` driver talks to it exactly as it talks to a real server. It runs on a worker
 * thread of its own (embedded-database.worker.ts).
 */
export class EmbeddedDatabase {
  private worker?: Worker;
  private started?: Promise<EmbeddedEndpoint>;

  constructor(private readonly dataDir: string) {}

  /** Starts opening the database of `dataDir` now; `start()` of the same directory adopts it. */
  static warmUp(dataDir: string): void {
    const database = new EmbeddedDatabase(dataDir);
    void database.start().catch(() => undefined);
    warming.set(database.pgDataDir, database);
  }

  /** The database of `dataDir`: the one warmed up, if any. */
  static of(dataDir: string): EmbeddedDatabase {
    const database = new EmbeddedDatabase(dataDir);
    const warm = warming.get(database.pgDataDir);
    warming.delete(database.pgDataDir);
    return warm ?? database;
  }

  get pgDataDir(): string {
    return join(resolve(this.dataDir), 'pgdata');
  }

  start(): Promise<EmbeddedEndpoint> {
    this.started ??= this.launch();
    return this.started;
  }

  async stop(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    this.started = undefined;
    if (worker === undefined) {
      return;
    }
    // The server and PGlite close in order, so the data directory is left consistent.
    await new Promise<void>((done) => {
      worker.once('exit', () => done());
      worker.on('message', (message: EmbeddedWorkerMessage) => {
        if (message.type === 'stopped') {
          void worker.terminate();
        }
      });
      worker.postMessage('stop');
    });
  }

  private launch(): Promise<EmbeddedEndpoint> {
    // PGlite creates its files with the process's umask (0644 as a rule): the directory
    // keeps others out of them, as PostgreSQL insists for its own data directory.
    ensureOwnerOnlyDir(this.pgDataDir);
    const worker = new Worker(join(__dirname, 'embedded-database.worker.js'), {
      workerData: { pgDataDir: this.pgDataDir } satisfies EmbeddedWorkerData,
    });
    this.worker = worker;
    return new Promise((resolve, reject) => {
      const failed = (message: string): void => {
        void worker.terminate();
        reject(new Error(`The embedded database did not start: ${message}`));
      };
      worker.once('error', (error) => failed(error.message));
      worker.once('exit', (code) => failed(`its thread exited with ${code}`));
      worker.once('message', (message: EmbeddedWorkerMessage) => {
        if (message.type === 'started') {
          resolve({ host: message.host, port: message.port });
        } else if (message.type === 'failed') {
          failed(message.message);
        }
      });
    });
  }
}
