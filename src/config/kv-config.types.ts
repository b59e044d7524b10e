/** One master key of the key ring: the first of the ring wraps new data keys. */
export interface MasterKey {
  id: string;
  key: Buffer;
}

export interface HttpConfig {
  /** Address to listen on: loopback in embedded mode, all interfaces with DATABASE_URL. */
  host: string;
  port: number;
  bodyLimitBytes: number;
  /** The request line and headers must arrive within this (408 otherwise). */
  headersTimeoutMs: number;
  /** The whole request, body included, must arrive within this (408 otherwise). */
  requestTimeoutMs: number;
  /** Bytes of request bodies being received at once, as announced (503 past it). */
  maxInflightBodyBytes: number;
}

export interface DatabaseConfig {
  /** Unset means the embedded PostgreSQL (PGlite) in `dataDir`. */
  url: string | undefined;
  dataDir: string;
  /** A pool connection idle this long is closed (and opened again when needed). */
  idleTimeoutMs: number;
  /**
   * Connections of the main pool, per process (worker); with DATABASE_URL only, the embedded
   * database takes one. Each process holds CONNECTIONS_BESIDE_POOL more (database/connection-budget.ts).
   */
  poolSize: number;
}

export interface WorkersConfig {
  /** Processes serving the port (node:cluster); 1 runs the service in this process alone. */
  count: number;
}

export interface EventsConfig {
  rabbitmqUrl: string | undefined;
  exchange: string;
}

export interface CryptoConfig {
  /** Unset means the embedded key file in the data directory (embedded mode only). */
  masterKeys: MasterKey[] | undefined;
}

export interface AuthConfig {
  jwtSecret: string | undefined;
  jwksUrl: string | undefined;
  issuer: string | undefined;
  audience: string | undefined;
  /** Tokens living longer (from `iat`, or from now) are refused; unset: any lifetime. */
  maxTtlSeconds: number | undefined;
}

export interface LimitsConfig {
  maxValueBytes: number;
  /** Values in one response: a page stops there, a bulk get past it is refused. */
  maxPageBytes: number;
}

/** Per caller (token subject), per process: a token bucket of `burst` refilled at `perSecond`. */
export interface RateLimitConfig {
  /** 0 turns rate limiting off. */
  perSecond: number;
  burst: number;
}

/**
 * Failed authentications and authorizations (401, 403) answered and audited per client address,
 * per process: a token bucket of `burst` refilled at `perSecond`; past it, 429.
 */
export interface AuthFailuresConfig {
  /** 0 turns the budget off. */
  perSecond: number;
  burst: number;
}

export interface AuditConfig {
  /** Audit rows older than this many days are deleted; 0 keeps them forever. */
  retentionDays: number;
}

export interface TtlConfig {
  /** How often expired entries are deleted and announced. */
  sweepIntervalMs: number;
}

export interface RecoveryConfig {
  /**
   * Days a deleted or expired entry of a secret namespace keeps its versions and can be
   * restored; 0 purges them with the entry.
   */
  secretRecoveryDays: number;
}

export interface HistoryConfig {
  /** Watch requests (long-poll and streams) open at once in one process; more get 503. */
  maxWatchers: number;
  /** Bytes a stream may have waiting for a slow client before it is cut (resumable). */
  maxWatcherBufferBytes: number;
  /** Seconds between heartbeats of a stream. */
  heartbeatSeconds: number;
  /** Days a namespace keeps its history unless it says otherwise; 0 keeps it forever. */
  retentionDays: number;
}

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

export interface LoggingConfig {
  level: LogLevel;
}

export interface ConsoleConfig {
  /** The web console's static files at /console. */
  enabled: boolean;
}

export interface KvConfig {
  http: HttpConfig;
  workers: WorkersConfig;
  database: DatabaseConfig;
  events: EventsConfig;
  crypto: CryptoConfig;
  auth: AuthConfig;
  limits: LimitsConfig;
  rateLimit: RateLimitConfig;
  authFailures: AuthFailuresConfig;
  audit: AuditConfig;
  ttl: TtlConfig;
  recovery: RecoveryConfig;
  history: HistoryConfig;
  logging: LoggingConfig;
  console: ConsoleConfig;
}
