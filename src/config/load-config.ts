import { accessSync, constants } from 'node:fs';
import { isIP } from 'node:net';
import { ensureOwnerOnlyDir } from '../common/fs/owner-only';
import { ConfigError } from './config.error';
import type {
  AuthConfig,
  AuthFailuresConfig,
  HttpConfig,
  KvConfig,
  LogLevel,
  MasterKey,
  RateLimitConfig,
  WorkersConfig,
} from './kv-config.types';

const LOG_LEVELS: LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

type Env = Record<string, string | undefined>;

const KEY_BYTES = 32;
const KEY_ID = /^[A-Za-z0-9._-]{1,64}$/;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** An empty variable counts as unset, as docker compose's `${VAR:-}` produces one. */
function read(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === undefined || value === '' ? undefined : value;
}

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = read(env, name);
  if (raw === undefined) {
    return fallback;
  }
  if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
    throw new ConfigError(name, `must be an integer from ${min} to ${max}, got "${raw}"`);
  }
  return Number(raw);
}

function flag(env: Env, name: string, fallback: boolean): boolean {
  const raw = read(env, name);
  if (raw === undefined) {
    return fallback;
  }
  if (raw !== 'true' && raw !== 'false') {
    throw new ConfigError(name, `must be true or false, got "${raw}"`);
  }
  return raw === 'true';
}

function url(env: Env, name: string, protocols: string[]): string | undefined {
  const raw = read(env, name);
  if (raw === undefined) {
    return undefined;
  }
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw new ConfigError(name, 'is not a valid URL');
  }
  if (!protocols.includes(parsed.protocol)) {
    throw new ConfigError(name, `must start with ${protocols.map((p) => `${p}//`).join(' or ')}`);
  }
  return raw;
}

function masterKey(variable: string, id: string, base64: string): MasterKey {
  const key = Buffer.from(base64, 'base64');
  if (!BASE64.test(base64) || key.length !== KEY_BYTES) {
    throw new ConfigError(
      variable,
      `key "${id}" must be base64 of exactly ${KEY_BYTES} bytes (openssl rand -base64 32)`,
    );
  }
  return { id, key };
}

function masterKeys(env: Env): MasterKey[] | undefined {
  const ring = read(env, 'KV_MASTER_KEYS');
  const single = read(env, 'KV_MASTER_KEY');
  if (ring !== undefined && single !== undefined) {
    throw new ConfigError('KV_MASTER_KEYS', 'and KV_MASTER_KEY are both set: set only one');
  }
  if (single !== undefined) {
    return [masterKey('KV_MASTER_KEY', 'default', single)];
  }
  if (ring === undefined) {
    return undefined;
  }
  const keys = ring.split(',').map((item) => {
    const separator = item.indexOf(':');
    const id = item.slice(0, separator).trim();
    if (separator < 0 || !KEY_ID.test(id)) {
      throw new ConfigError(
        'KV_MASTER_KEYS',
        'must be a comma-separated list of id:base64 with ids of [A-Za-z0-9._-]',
      );
    }
    return masterKey('KV_MASTER_KEYS', id, item.slice(separator + 1).trim());
  });
  const ids = new Set(keys.map((k) => k.id));
  if (ids.size !== keys.length) {
    throw new ConfigError('KV_MASTER_KEYS', 'names the same key id twice');
  }
  return keys;
}

/** The embedded defaults' directory: it holds the key file and the signing secret. */
function privateDir(env: Env, name: string, fallback: string): string {
  const dir = read(env, name) ?? fallback;
  try {
    ensureOwnerOnlyDir(dir);
    accessSync(dir, constants.W_OK);
  } catch {
    throw new ConfigError(
      name,
      `must name a writable directory that only its owner may enter (0700), and ${dir} is not one`,
    );
  }
  return dir;
}

const HOST_NAME = /^[A-Za-z0-9]([A-Za-z0-9.-]{0,251}[A-Za-z0-9])?$/;

/**
 * The address to listen on. The embedded defaults (a development instance, printing an admin
 * token) stay on loopback; with DATABASE_URL the service is a server, in a container as a rule,
 * where only 0.0.0.0 is reachable through a published port.
 */
function host(env: Env, server: boolean): string {
  const raw = read(env, 'HOST');
  if (raw === undefined) {
    return server ? '0.0.0.0' : '127.0.0.1';
  }
  if (isIP(raw) === 0 && !HOST_NAME.test(raw)) {
    throw new ConfigError('HOST', `must be an IP address or a host name, got "${raw}"`);
  }
  return raw;
}

/**
 * In production the embedded defaults (a database, a key file and a signing secret beside
 * each other in KV_DATA_DIR, and an admin token on the console) are never a fallback: every
 * setting they would stand in for is named at once.
 */
function requireServerSettings(
  env: Env,
  databaseUrl: string | undefined,
  keys: MasterKey[] | undefined,
  auth: AuthConfig,
): void {
  if (read(env, 'NODE_ENV') !== 'production') {
    return;
  }
  const missing = [
    databaseUrl === undefined ? 'DATABASE_URL' : undefined,
    keys === undefined ? 'KV_MASTER_KEY (or KV_MASTER_KEYS)' : undefined,
    auth.jwtSecret === undefined && auth.jwksUrl === undefined
      ? 'AUTH_JWT_SECRET (or AUTH_JWKS_URL)'
      : undefined,
  ].filter((name) => name !== undefined);
  if (missing.length > 0) {
    throw new ConfigError(
      missing.join(', '),
      `${missing.length === 1 ? 'is' : 'are'} required when NODE_ENV=production (the embedded defaults are for development only)`,
    );
  }
}

// Generous: one caller of the benchmark drives 10 000 requests per second at the target.
const DEFAULT_RATE_PER_SECOND = 20_000;

function rateLimit(env: Env): RateLimitConfig {
  const perSecond = integer(env, 'KV_RATE_LIMIT_PER_SECOND', DEFAULT_RATE_PER_SECOND, 0, 1_000_000);
  // One second's worth unless told otherwise.
  const burst = integer(env, 'KV_RATE_LIMIT_BURST', Math.max(perSecond, 1), 1, 10_000_000);
  return { perSecond, burst };
}

function httpConfig(env: Env, listenHost: string): HttpConfig {
  // Short enough that a client dripping its request is cut soon; 30 s still lets a body of the
  // default 4 MiB limit arrive at 140 KB/s.
  const requestTimeoutMs = integer(env, 'KV_REQUEST_TIMEOUT_MS', 30_000, 100, 3_600_000);
  const headersTimeoutMs = integer(env, 'KV_HEADERS_TIMEOUT_MS', 10_000, 100, 3_600_000);
  if (headersTimeoutMs > requestTimeoutMs) {
    // Node refuses a headers timeout longer than the request's: the request's would fire first.
    throw new ConfigError(
      'KV_HEADERS_TIMEOUT_MS',
      `must not exceed KV_REQUEST_TIMEOUT_MS (${requestTimeoutMs})`,
    );
  }
  const bodyLimitBytes = integer(
    env,
    'KV_MAX_BODY_BYTES',
    4 * 1024 * 1024,
    1024,
    256 * 1024 * 1024,
  );
  // Sixteen bodies of the largest size by default.
  const maxInflightBodyBytes = integer(
    env,
    'KV_MAX_INFLIGHT_BODY_BYTES',
    Math.max(64 * 1024 * 1024, bodyLimitBytes),
    1024,
    4 * 1024 * 1024 * 1024,
  );
  if (maxInflightBodyBytes < bodyLimitBytes) {
    throw new ConfigError(
      'KV_MAX_INFLIGHT_BODY_BYTES',
      `must be at least KV_MAX_BODY_BYTES (${bodyLimitBytes}), or no body of that size is ever read`,
    );
  }
  return {
    host: listenHost,
    port: integer(env, 'PORT', 3000, 0, 65535),
    bodyLimitBytes,
    headersTimeoutMs,
    requestTimeoutMs,
    maxInflightBodyBytes,
  };
}

function authFailures(env: Env): AuthFailuresConfig {
  // A client with an expired token retries a few times; a flood sends thousands a second.
  const perSecond = integer(env, 'KV_AUTH_FAILURES_PER_SECOND', 1, 0, 1_000_000);
  const burst = integer(env, 'KV_AUTH_FAILURE_BURST', 30, 1, 10_000_000);
  return { perSecond, burst };
}

/**
 * Workers share the port through node:cluster and PostgreSQL through their own pools. The
 * embedded database is one PGlite session on a thread of one process: nothing to share.
 */
function workers(env: Env, databaseUrl: string | undefined): WorkersConfig {
  const count = integer(env, 'KV_WORKERS', 1, 1, 256);
  if (count > 1 && databaseUrl === undefined) {
    throw new ConfigError(
      'KV_WORKERS',
      `must be 1 without DATABASE_URL (got ${count}): the embedded database belongs to one process; set DATABASE_URL to run several workers`,
    );
  }
  return { count };
}

/**
 * Reads and validates every variable of the contract once; the first problem found
 * throws a ConfigError whose message names the variable.
 */
export function loadConfig(env: Env): KvConfig {
  const databaseUrl = url(env, 'DATABASE_URL', ['postgres:', 'postgresql:']);
  const keys = masterKeys(env);
  const auth: AuthConfig = {
    jwtSecret: read(env, 'AUTH_JWT_SECRET'),
    jwksUrl: url(env, 'AUTH_JWKS_URL', ['https:', 'http:']),
    issuer: read(env, 'AUTH_JWT_ISSUER'),
    audience: read(env, 'AUTH_JWT_AUDIENCE'),
    maxTtlSeconds:
      read(env, 'AUTH_JWT_MAX_TTL_SECONDS') === undefined
        ? undefined
        : integer(env, 'AUTH_JWT_MAX_TTL_SECONDS', 0, 1, 31_536_000),
  };
  requireServerSettings(env, databaseUrl, keys, auth);
  if (databaseUrl !== undefined && keys === undefined) {
    throw new ConfigError(
      'KV_MASTER_KEY',
      'is required when DATABASE_URL is set (base64 of 32 random bytes, or KV_MASTER_KEYS)',
    );
  }
  if (auth.jwtSecret !== undefined && auth.jwtSecret.length < 32) {
    throw new ConfigError('AUTH_JWT_SECRET', 'must be at least 32 characters long');
  }
  if (databaseUrl !== undefined && auth.jwtSecret === undefined && auth.jwksUrl === undefined) {
    throw new ConfigError(
      'AUTH_JWT_SECRET',
      'or AUTH_JWKS_URL is required when DATABASE_URL is set',
    );
  }
  const exchange = read(env, 'KV_EVENTS_EXCHANGE') ?? 'kv.events';
  if (!/^[A-Za-z0-9._:-]{1,255}$/.test(exchange)) {
    throw new ConfigError('KV_EVENTS_EXCHANGE', 'must be 1-255 characters of [A-Za-z0-9._:-]');
  }
  const logLevel = read(env, 'LOG_LEVEL') ?? 'info';
  if (!LOG_LEVELS.includes(logLevel as LogLevel)) {
    throw new ConfigError('LOG_LEVEL', `must be one of ${LOG_LEVELS.join(', ')}`);
  }
  return {
    http: httpConfig(env, host(env, databaseUrl !== undefined)),
    workers: workers(env, databaseUrl),
    database: {
      url: databaseUrl,
      // Only the embedded defaults write there; a server deployment need not have it.
      dataDir:
        databaseUrl === undefined
          ? privateDir(env, 'KV_DATA_DIR', './data')
          : (read(env, 'KV_DATA_DIR') ?? './data'),
      idleTimeoutMs: integer(env, 'KV_DB_IDLE_TIMEOUT_MS', 10_000, 100, 3_600_000),
      // At least 2: at start-up the migrations' advisory lock holds one while they run on another.
      poolSize: integer(env, 'KV_DB_POOL_SIZE', 10, 2, 1000),
    },
    events: {
      rabbitmqUrl: url(env, 'RABBITMQ_URL', ['amqp:', 'amqps:']),
      exchange,
    },
    crypto: { masterKeys: keys },
    auth,
    limits: {
      maxValueBytes: integer(env, 'KV_MAX_VALUE_BYTES', 65536, 1, 16 * 1024 * 1024),
      maxPageBytes: integer(env, 'KV_MAX_PAGE_BYTES', 4 * 1024 * 1024, 1024, 1024 * 1024 * 1024),
    },
    rateLimit: rateLimit(env),
    authFailures: authFailures(env),
    // A little over a year: a year's audit plus time to look into it.
    audit: { retentionDays: integer(env, 'KV_AUDIT_RETENTION_DAYS', 400, 0, 36_500) },
    // At most 30 s, so an expired entry is still removed within the minute the contract allows.
    ttl: { sweepIntervalMs: integer(env, 'KV_TTL_SWEEP_INTERVAL_MS', 15_000, 100, 30_000) },
    // Ten years at most: the window is added to timestamps, which must stay in range.
    recovery: { secretRecoveryDays: integer(env, 'KV_SECRET_RECOVERY_DAYS', 7, 0, 3650) },
    history: {
      maxWatchers: integer(env, 'KV_MAX_WATCHERS', 1000, 1, 100_000),
      maxWatcherBufferBytes: integer(
        env,
        'KV_WATCHER_BUFFER_BYTES',
        1024 * 1024,
        1024,
        1024 * 1024 * 1024,
      ),
      heartbeatSeconds: integer(env, 'KV_WATCH_HEARTBEAT_SECONDS', 15, 1, 300),
      retentionDays: integer(env, 'KV_HISTORY_RETENTION_DAYS', 30, 0, 36_500),
    },
    logging: { level: logLevel as LogLevel },
    console: { enabled: flag(env, 'KV_CONSOLE', true) },
  };
}
