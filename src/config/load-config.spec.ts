import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from './config.error';
import { loadConfig } from './load-config';

const KEY = randomBytes(32).toString('base64');
const SERVER = {
  DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/kv',
  KV_MASTER_KEY: KEY,
  AUTH_JWT_SECRET: 'x'.repeat(32),
};

describe('loadConfig', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'kv-config-'));
  const sut = (env: Record<string, string | undefined>) =>
    loadConfig({ KV_DATA_DIR: dataDir, ...env });

  afterAll(() => {
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('applies the documented defaults in embedded mode', () => {
    const config = sut({});
    expect(config.http.port).toBe(3000);
    expect(config.database.url).toBeUndefined();
    expect(config.database.dataDir).toBe(dataDir);
    expect(config.events).toEqual({ rabbitmqUrl: undefined, exchange: 'kv.events' });
    expect(config.crypto.masterKeys).toBeUndefined();
    expect(config.limits.maxValueBytes).toBe(65536);
    expect(config.rateLimit).toEqual({ perSecond: 20000, burst: 20000 });
    expect(config.ttl.sweepIntervalMs).toBe(15000);
    expect(config.recovery.secretRecoveryDays).toBe(7);
    expect(config.logging.level).toBe('info');
    expect(config.http).toMatchObject({ headersTimeoutMs: 10000, requestTimeoutMs: 30000 });
    expect(config.authFailures).toEqual({ perSecond: 1, burst: 30 });
    expect(config.audit.retentionDays).toBe(400);
    expect(config.http.maxInflightBodyBytes).toBe(64 * 1024 * 1024);
    expect(config.workers.count).toBe(1);
    expect(config.database.poolSize).toBe(10);
  });

  it('reads the number of workers and the pool size of each, with DATABASE_URL', () => {
    const config = sut({ ...SERVER, KV_WORKERS: '4', KV_DB_POOL_SIZE: '20' });
    expect(config.workers.count).toBe(4);
    expect(config.database.poolSize).toBe(20);
    expect(sut({ KV_WORKERS: '1' }).workers.count).toBe(1);
  });

  it('refuses several workers on the embedded database, naming KV_WORKERS and DATABASE_URL', () => {
    expect(() => sut({ KV_WORKERS: '2' })).toThrow(
      /^Invalid configuration: KV_WORKERS must be 1 without DATABASE_URL [^\n]*$/,
    );
  });

  it('reads the cap on body bytes in flight, never below the body limit', () => {
    expect(
      sut({ KV_MAX_BODY_BYTES: '65536', KV_MAX_INFLIGHT_BODY_BYTES: '131072' }).http
        .maxInflightBodyBytes,
    ).toBe(131072);
    expect(sut({ KV_MAX_BODY_BYTES: '134217728' }).http.maxInflightBodyBytes).toBe(134217728);
  });

  it('reads the audit retention, 0 to keep audit rows forever', () => {
    expect(sut({ KV_AUDIT_RETENTION_DAYS: '30' }).audit.retentionDays).toBe(30);
    expect(sut({ KV_AUDIT_RETENTION_DAYS: '0' }).audit.retentionDays).toBe(0);
  });

  it('reads the default history retention, 30 days, 0 to keep history forever', () => {
    expect(sut({}).history.retentionDays).toBe(30);
    expect(sut({ KV_HISTORY_RETENTION_DAYS: '7' }).history.retentionDays).toBe(7);
    expect(sut({ KV_HISTORY_RETENTION_DAYS: '0' }).history.retentionDays).toBe(0);
  });

  it('reads the budget of failed authentications per client address, 0 to turn it off', () => {
    expect(
      sut({ KV_AUTH_FAILURES_PER_SECOND: '5', KV_AUTH_FAILURE_BURST: '100' }).authFailures,
    ).toEqual({ perSecond: 5, burst: 100 });
    expect(sut({ KV_AUTH_FAILURES_PER_SECOND: '0' }).authFailures.perSecond).toBe(0);
  });

  it('reads the headers and request timeouts', () => {
    expect(sut({ KV_HEADERS_TIMEOUT_MS: '500', KV_REQUEST_TIMEOUT_MS: '1000' }).http).toMatchObject(
      { headersTimeoutMs: 500, requestTimeoutMs: 1000 },
    );
  });

  it('reads the TTL sweep interval', () => {
    expect(sut({ KV_TTL_SWEEP_INTERVAL_MS: '250' }).ttl.sweepIntervalMs).toBe(250);
  });

  it('reads the recovery window of secrets, 0 for none', () => {
    expect(sut({ KV_SECRET_RECOVERY_DAYS: '30' }).recovery.secretRecoveryDays).toBe(30);
    expect(sut({ KV_SECRET_RECOVERY_DAYS: '0' }).recovery.secretRecoveryDays).toBe(0);
  });

  it('serves the console unless KV_CONSOLE=false', () => {
    expect(sut({}).console.enabled).toBe(true);
    expect(sut({ KV_CONSOLE: 'false' }).console.enabled).toBe(false);
    expect(sut({ KV_CONSOLE: 'true' }).console.enabled).toBe(true);
  });

  it('reads the rate limit, with a burst of one second by default, and 0 to turn it off', () => {
    expect(sut({ KV_RATE_LIMIT_PER_SECOND: '50' }).rateLimit).toEqual({ perSecond: 50, burst: 50 });
    expect(sut({ KV_RATE_LIMIT_PER_SECOND: '50', KV_RATE_LIMIT_BURST: '200' }).rateLimit).toEqual({
      perSecond: 50,
      burst: 200,
    });
    expect(sut({ KV_RATE_LIMIT_PER_SECOND: '0' }).rateLimit.perSecond).toBe(0);
  });

  it('treats empty variables as unset', () => {
    const config = sut({ PORT: '', AUTH_JWKS_URL: '', KV_MASTER_KEYS: ' ', AUTH_JWT_ISSUER: '' });
    expect(config.http.port).toBe(3000);
    expect(config.auth).toEqual({
      jwtSecret: undefined,
      jwksUrl: undefined,
      issuer: undefined,
      audience: undefined,
    });
  });

  it('reads a server configuration', () => {
    const config = sut({
      ...SERVER,
      PORT: '8080',
      AUTH_JWT_ISSUER: 'idp',
      AUTH_JWT_AUDIENCE: 'kv',
    });
    expect(config.http.port).toBe(8080);
    expect(config.database.url).toBe(SERVER.DATABASE_URL);
    expect(config.crypto.masterKeys).toEqual([{ id: 'default', key: Buffer.from(KEY, 'base64') }]);
    expect(config.auth).toMatchObject({ issuer: 'idp', audience: 'kv' });
  });

  it('reads a key ring with the first key active', () => {
    const old = randomBytes(32).toString('base64');
    const config = sut({
      ...SERVER,
      KV_MASTER_KEY: undefined,
      KV_MASTER_KEYS: `k2:${KEY}, k1:${old}`,
    });
    expect(config.crypto.masterKeys?.map((k) => k.id)).toEqual(['k2', 'k1']);
    expect(config.crypto.masterKeys?.[1].key).toEqual(Buffer.from(old, 'base64'));
  });

  it.each([
    ['PORT', { PORT: '-1' }],
    ['PORT', { PORT: '3000abc' }],
    ['DATABASE_URL', { DATABASE_URL: 'redis://localhost' }],
    ['KV_MASTER_KEY', { ...SERVER, KV_MASTER_KEY: undefined }],
    ['KV_MASTER_KEY', { KV_MASTER_KEY: randomBytes(16).toString('base64') }],
    ['KV_MASTER_KEYS', { KV_MASTER_KEYS: `:${KEY}` }],
    ['KV_MASTER_KEYS', { KV_MASTER_KEYS: 'k1:not-base64!' }],
    ['AUTH_JWT_SECRET', { ...SERVER, AUTH_JWT_SECRET: undefined }],
    ['AUTH_JWKS_URL', { AUTH_JWKS_URL: 'jwks' }],
    ['RABBITMQ_URL', { RABBITMQ_URL: 'amqp//broken' }],
    ['KV_MAX_VALUE_BYTES', { KV_MAX_VALUE_BYTES: '1.5' }],
    ['KV_RATE_LIMIT_PER_SECOND', { KV_RATE_LIMIT_PER_SECOND: '-1' }],
    ['KV_RATE_LIMIT_PER_SECOND', { KV_RATE_LIMIT_PER_SECOND: '100/s' }],
    ['KV_RATE_LIMIT_BURST', { KV_RATE_LIMIT_BURST: '0' }],
    ['KV_RATE_LIMIT_BURST', { KV_RATE_LIMIT_BURST: '1.5' }],
    ['KV_TTL_SWEEP_INTERVAL_MS', { KV_TTL_SWEEP_INTERVAL_MS: '99' }],
    ['KV_TTL_SWEEP_INTERVAL_MS', { KV_TTL_SWEEP_INTERVAL_MS: '60000' }],
    ['KV_TTL_SWEEP_INTERVAL_MS', { KV_TTL_SWEEP_INTERVAL_MS: '1s' }],
    ['KV_SECRET_RECOVERY_DAYS', { KV_SECRET_RECOVERY_DAYS: '-1' }],
    ['KV_SECRET_RECOVERY_DAYS', { KV_SECRET_RECOVERY_DAYS: '3651' }],
    ['KV_SECRET_RECOVERY_DAYS', { KV_SECRET_RECOVERY_DAYS: '7d' }],
    ['LOG_LEVEL', { LOG_LEVEL: 'verbose' }],
    ['KV_CONSOLE', { KV_CONSOLE: 'no' }],
    ['KV_CONSOLE', { KV_CONSOLE: '0' }],
    ['HOST', { HOST: 'http://0.0.0.0' }],
    ['HOST', { HOST: 'local host' }],
    ['KV_REQUEST_TIMEOUT_MS', { KV_REQUEST_TIMEOUT_MS: '99' }],
    ['KV_AUTH_FAILURES_PER_SECOND', { KV_AUTH_FAILURES_PER_SECOND: '-1' }],
    ['KV_AUTH_FAILURE_BURST', { KV_AUTH_FAILURE_BURST: '0' }],
    ['KV_AUDIT_RETENTION_DAYS', { KV_AUDIT_RETENTION_DAYS: '400d' }],
    [
      'KV_MAX_INFLIGHT_BODY_BYTES',
      { KV_MAX_BODY_BYTES: '65536', KV_MAX_INFLIGHT_BODY_BYTES: '65535' },
    ],
    ['KV_AUDIT_RETENTION_DAYS', { KV_AUDIT_RETENTION_DAYS: '36501' }],
    ['KV_HISTORY_RETENTION_DAYS', { KV_HISTORY_RETENTION_DAYS: '30d' }],
    ['KV_HISTORY_RETENTION_DAYS', { KV_HISTORY_RETENTION_DAYS: '36501' }],
    ['KV_HEADERS_TIMEOUT_MS', { KV_HEADERS_TIMEOUT_MS: '10s' }],
    ['KV_WORKERS', { ...SERVER, KV_WORKERS: '0' }],
    ['KV_WORKERS', { ...SERVER, KV_WORKERS: 'abc' }],
    ['KV_WORKERS', { ...SERVER, KV_WORKERS: '2.5' }],
    ['KV_WORKERS', { ...SERVER, KV_WORKERS: '257' }],
    ['KV_DB_POOL_SIZE', { ...SERVER, KV_DB_POOL_SIZE: '1' }],
    ['KV_DB_POOL_SIZE', { ...SERVER, KV_DB_POOL_SIZE: '1001' }],
    ['KV_DB_POOL_SIZE', { ...SERVER, KV_DB_POOL_SIZE: 'ten' }],
    ['KV_HEADERS_TIMEOUT_MS', { KV_HEADERS_TIMEOUT_MS: '20000', KV_REQUEST_TIMEOUT_MS: '10000' }],
  ])('names %s when its value is bad', (variable, env) => {
    expect(() => sut(env)).toThrow(ConfigError);
    expect(() => sut(env)).toThrow(new RegExp(`^Invalid configuration: ${variable} `));
  });

  it('never puts a key into its message', () => {
    const short = randomBytes(31).toString('base64');
    expect(() => sut({ KV_MASTER_KEY: short })).toThrow(
      expect.objectContaining({ message: expect.not.stringContaining(short) }),
    );
  });

  it('accepts JWKS alone as the auth setting of a server', () => {
    const config = sut({
      ...SERVER,
      AUTH_JWT_SECRET: undefined,
      AUTH_JWKS_URL: 'https://idp.example/jwks.json',
    });
    expect(config.auth.jwksUrl).toBe('https://idp.example/jwks.json');
  });

  it('listens on loopback in embedded mode and on every interface with DATABASE_URL', () => {
    expect(sut({}).http.host).toBe('127.0.0.1');
    expect(sut(SERVER).http.host).toBe('0.0.0.0');
    expect(sut({ HOST: '0.0.0.0' }).http.host).toBe('0.0.0.0');
    expect(sut({ ...SERVER, HOST: '::1' }).http.host).toBe('::1');
    expect(sut({ HOST: 'localhost' }).http.host).toBe('localhost');
  });

  describe('with NODE_ENV=production', () => {
    const production = (env: Record<string, string | undefined>) =>
      sut({ NODE_ENV: 'production', ...env });

    it('refuses the embedded defaults, naming every missing setting on one line', () => {
      expect(() => production({})).toThrow(ConfigError);
      expect(() => production({})).toThrow(
        /^Invalid configuration: DATABASE_URL, KV_MASTER_KEY \(or KV_MASTER_KEYS\), AUTH_JWT_SECRET \(or AUTH_JWKS_URL\) are required when NODE_ENV=production [^\n]*$/,
      );
    });

    it.each([
      ['DATABASE_URL', { ...SERVER, DATABASE_URL: undefined }],
      ['KV_MASTER_KEY', { ...SERVER, KV_MASTER_KEY: undefined }],
      ['AUTH_JWT_SECRET', { ...SERVER, AUTH_JWT_SECRET: undefined }],
    ])('names %s alone when only it is missing', (variable, env) => {
      expect(() => production(env)).toThrow(
        new RegExp(`^Invalid configuration: ${variable}( \\(or [A-Z_]+\\))? is required`),
      );
    });

    it('starts with a server configuration, a key ring and JWKS included', () => {
      expect(production(SERVER).database.url).toBe(SERVER.DATABASE_URL);
      const ring = production({
        ...SERVER,
        KV_MASTER_KEY: undefined,
        KV_MASTER_KEYS: `k1:${KEY}`,
        AUTH_JWT_SECRET: undefined,
        AUTH_JWKS_URL: 'https://idp.example/jwks.json',
      });
      expect(ring.crypto.masterKeys?.map((k) => k.id)).toEqual(['k1']);
    });
  });

  it('makes the data directory owner-only, and narrows one left open to others', () => {
    const made = join(dataDir, 'made');
    expect(sut({ KV_DATA_DIR: made }).database.dataDir).toBe(made);
    expect(statSync(made).mode & 0o777).toBe(0o700);
    const open = join(dataDir, 'open');
    mkdirSync(open);
    chmodSync(open, 0o755);
    sut({ KV_DATA_DIR: open });
    expect(statSync(open).mode & 0o777).toBe(0o700);
  });

  it('leaves the data directory alone with DATABASE_URL, where nothing is written there', () => {
    const open = join(dataDir, 'server');
    mkdirSync(open);
    chmodSync(open, 0o755);
    sut({ ...SERVER, KV_DATA_DIR: open });
    expect(statSync(open).mode & 0o777).toBe(0o755);
  });
});
