/** The knobs of npm run bench (environment variables) and the shape of its data. */
export const SERVER =
  process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const RABBITMQ_URL = process.env.RABBITMQ_URL ?? 'amqp://guest:guest@127.0.0.1:5672';
export const SECONDS = positiveInt('BENCH_SECONDS', 10);
export const RUNS = positiveInt('BENCH_RUNS', 3);
/** KV_WORKERS of the service under test. */
export const WORKERS = positiveInt('BENCH_WORKERS', 1);
/** `off` skips etcd even where it is installed. */
export const ETCD = process.env.BENCH_ETCD !== 'off';
/** Comma-separated scenario ids to run (e.g. `get-plain,put-plain`); all when unset. */
export const ONLY = process.env.BENCH_SCENARIOS?.split(',').map((id) => id.trim());
/** A directory: the service runs with `--cpu-prof` and writes its profile there on exit. */
export const CPU_PROF_DIR = process.env.BENCH_CPU_PROF;
/** The first seconds of a fresh process's path cost up to twice the later ones on this machine. */
export const WARMUP_SECONDS = 5;
export const CONNECTIONS = 50;
export const KEYS_PER_NAMESPACE = 1000;
/**
 * Namespaces read cold: more keys than the cold scenarios read in all their runs at this
 * machine's rates (cold GET plain and mixed share the plain ones), so that, drawn without
 * replacement, every read is of a key the service has not seen.
 */
export const PLAIN_NAMESPACES = positiveInt('BENCH_PLAIN_NAMESPACES', 400);
export const SECRET_NAMESPACES = positiveInt('BENCH_SECRET_NAMESPACES', 250);
export const BULK_GET_KEYS = 100;
export const PAGE_SIZE = 50;
/**
 * Writes per second into a namespace of their own during every service run, so the relay
 * publishes; 0 turns them off, to tell their cost from the scenario's.
 */
export const BACKGROUND_WRITES_PER_SECOND = wholeNumber('BENCH_BACKGROUND_WRITES', 50);
export const APPLICATION = 'bench';
export const API = '/api/v1/kv';

function positiveInt(name: string, fallback: number): number {
  const value = wholeNumber(name, fallback);
  if (value === 0) {
    throw new Error(`${name} must be a positive integer, got 0`);
  }
  return value;
}

function wholeNumber(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') {
    return fallback;
  }
  if (!/^\d+$/.test(raw)) {
    throw new Error(`${name} must be a whole number, got "${raw}"`);
  }
  return Number(raw);
}
