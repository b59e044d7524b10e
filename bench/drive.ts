import autocannon from 'autocannon';
import { performance } from 'node:perf_hooks';
import { CONNECTIONS } from './bench-config';
import { cpuSeconds } from './service-process';

export interface HttpRequest {
  method: 'GET' | 'PUT' | 'POST';
  path: string;
  body?: string;
}

export interface Measured {
  rps: number;
  p50: number;
  p99: number;
  /** CPU of the process measured (and its workers) per request, in µs. */
  cpuUs: number;
}

function autocannonRequest(next: () => HttpRequest): autocannon.Request {
  return {
    setupRequest: (defaults) => {
      const { method, path, body } = next();
      const headers =
        body === undefined
          ? defaults.headers
          : { ...defaults.headers, 'content-type': 'application/json' };
      return { ...defaults, method, path, body: body ?? '', headers };
    },
  };
}

/** Every response must be a 2xx: a benchmark of errors measures nothing. */
function assertAllSucceeded(what: string, r: autocannon.Result): void {
  if (r.non2xx + r.errors + r.timeouts === 0) {
    return;
  }
  const statuses = Object.entries(r.statusCodeStats)
    .filter(([status]) => !status.startsWith('2'))
    .map(([status, { count }]) => `${count} × HTTP ${status}`);
  throw new Error(
    `${what}: ${r.non2xx} non-2xx (${statuses.join(', ')}), ${r.errors} errors, ${r.timeouts} timeouts`,
  );
}

export interface HttpTarget {
  name: string;
  url: string;
  port: number;
  pid: number;
  headers?: Record<string, string>;
}

/** CONNECTIONS connections for `seconds` (or `amount` requests), each request from `next`. */
export async function cannon(
  target: HttpTarget,
  next: () => HttpRequest,
  run: { seconds?: number; amount?: number },
): Promise<Measured> {
  const before = cpuSeconds(target.pid);
  const result = await autocannon({
    url: target.url,
    connections: CONNECTIONS,
    ...(run.amount === undefined ? { duration: run.seconds } : { amount: run.amount }),
    headers: target.headers,
    requests: [autocannonRequest(next)],
  });
  const cpu = cpuSeconds(target.pid) - before;
  assertAllSucceeded(target.name, result);
  const requests = result.requests.total;
  return {
    rps: requests / result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    cpuUs: (cpu * 1e6) / requests,
  };
}

/** CONNECTIONS callers of `op` in a loop for `seconds`: the DB baseline's driver. */
export async function drive(op: () => Promise<void>, seconds: number): Promise<number> {
  const start = performance.now();
  const deadline = start + seconds * 1000;
  let done = 0;
  let failed = false;
  const caller = async () => {
    try {
      while (!failed && performance.now() < deadline) {
        await op();
        done += 1;
      }
    } catch (error) {
      failed = true; // stop the other callers instead of letting them run to the deadline
      throw error;
    }
  };
  await Promise.all(Array.from({ length: CONNECTIONS }, caller));
  return done / ((performance.now() - start) / 1000);
}
