import cluster, { Worker } from 'node:cluster';
import pino, { Logger } from 'pino';
import type { LogLevel } from '../config/kv-config.types';
import { pinoOptions } from '../logging/pino-options';
import { RESTART_POLICY, RestartPolicy } from './restart-policy';

/** Signals that stop the service: each is passed on to every worker. */
const STOP_SIGNALS: NodeJS.Signals[] = ['SIGTERM', 'SIGINT', 'SIGHUP'];
/**
 * A worker still running this long after it was told to stop is killed. Each worker bounds its
 * own stop (the requests in flight get CLOSE_GRACE_MS, then the shutdown hooks run), well
 * within the 10 s `docker stop` allows; this only keeps one stuck worker from holding the rest.
 */
export const STOP_BOUND_MS = 9000;

export interface ClusterPrimaryOptions {
  workers: number;
  logLevel: LogLevel;
  /** The script each worker runs: the service's main.js. */
  exec: string;
}

interface Running {
  worker: Worker;
  slot: number;
  startedAt: number;
}

/**
 * The process `node dist/main.js` becomes with KV_WORKERS > 1: it serves nothing itself. It
 * forks the workers (each the whole application; node:cluster shares the listening socket, and
 * hands new connections to the workers in turn), starts a new one in the place of a worker that
 * died (with a backoff, and gives up with exit code 1 when they crash-loop), passes a stop signal
 * on to every worker and ends, with that signal, once they all have ended.
 */
export class ClusterPrimary {
  private readonly logger: Logger;
  private readonly running = new Map<number, Running>();
  private readonly policies: RestartPolicy[];
  private readonly restarts = new Set<NodeJS.Timeout>();
  private stopping?: { signal: NodeJS.Signals | undefined; exitCode: number };

  constructor(private readonly options: ClusterPrimaryOptions) {
    // Written at once: the primary ends by re-raising a signal, which no buffered line survives.
    this.logger = pino(
      pinoOptions(options.logLevel),
      pino.destination({ dest: 1, sync: true }),
    ).child({ context: 'ClusterPrimary' });
    this.policies = Array.from({ length: options.workers }, () => new RestartPolicy());
  }

  start(): void {
    cluster.setupPrimary({ exec: this.options.exec });
    cluster.on('exit', (worker, code, signal) =>
      this.exited(worker, code, signal as NodeJS.Signals | null),
    );
    for (const signal of STOP_SIGNALS) {
      process.on(signal, () => this.stop(signal, 0));
    }
    for (let slot = 0; slot < this.options.workers; slot++) {
      this.fork(slot);
    }
  }

  private fork(slot: number): void {
    const worker = cluster.fork();
    this.running.set(worker.id, { worker, slot, startedAt: Date.now() });
    this.logger.info(`Worker ${worker.id} started (pid ${worker.process.pid})`);
  }

  private exited(worker: Worker, code: number | null, signal: NodeJS.Signals | null): void {
    const running = this.running.get(worker.id);
    this.running.delete(worker.id);
    const ended = `Worker ${worker.id} (pid ${worker.process.pid}) exited with ${signal ? `signal ${signal}` : `code ${code}`}`;
    if (this.stopping) {
      this.logger.info(ended);
      if (this.running.size === 0) {
        this.finish();
      }
      return;
    }
    if (running === undefined) {
      return;
    }
    const policy = this.policies[running.slot];
    const delay = policy.exited(Date.now() - running.startedAt);
    if (delay === undefined) {
      this.logger.error(
        `${ended}, the ${policy.unstableInARow}th time in a row within ${RESTART_POLICY.stableAfterMs / 1000} s of its start: the workers crash-loop, stopping`,
      );
      this.stop(undefined, 1);
      return;
    }
    this.logger.warn(`${ended} unexpectedly; a new worker starts in ${delay} ms`);
    const timer = setTimeout(() => {
      this.restarts.delete(timer);
      this.fork(running.slot);
    }, delay);
    this.restarts.add(timer);
  }

  /** Tells every worker to stop; the primary ends once they all have. */
  private stop(signal: NodeJS.Signals | undefined, exitCode: number): void {
    if (this.stopping) {
      // Ctrl-C reaches the workers and the primary alike; a second signal changes nothing.
      return;
    }
    this.stopping = { signal, exitCode };
    this.restarts.forEach((timer) => clearTimeout(timer));
    this.restarts.clear();
    if (this.running.size === 0) {
      this.finish();
      return;
    }
    for (const { worker } of this.running.values()) {
      worker.process.kill(signal ?? 'SIGTERM');
    }
    setTimeout(() => {
      for (const { worker } of this.running.values()) {
        this.logger.warn(
          `Worker ${worker.id} (pid ${worker.process.pid}) still running ${STOP_BOUND_MS} ms after the stop: killed`,
        );
        worker.process.kill('SIGKILL');
      }
    }, STOP_BOUND_MS).unref();
  }

  private finish(): void {
    const { signal, exitCode } = this.stopping ?? { signal: undefined, exitCode: 0 };
    if (signal === undefined) {
      process.exit(exitCode);
    }
    // As a single process does (Nest's shutdown hooks): the exit status tells how it ended.
    process.removeAllListeners(signal);
    process.kill(process.pid, signal);
  }
}
