import { randomBytes } from 'node:crypto';

/** The PostgreSQL server the e2e suites create their databases on. */
export const TEST_SERVER_URL =
  process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** Environment of a service on the given database, with fresh keys. */
export interface ServiceEnv extends Record<string, string> {
  DATABASE_URL: string;
  KV_MASTER_KEY: string;
  AUTH_JWT_SECRET: string;
}

export function serviceEnv(databaseUrl: string): ServiceEnv {
  return {
    DATABASE_URL: databaseUrl,
    // One key per run (set by the global setup), so every app of a run opens the same secrets.
    KV_MASTER_KEY: process.env.KV_E2E_MASTER_KEY ?? randomBytes(32).toString('base64'),
    AUTH_JWT_SECRET: randomBytes(32).toString('hex'),
    LOG_LEVEL: 'warn',
    // Every suite's requests come from 127.0.0.1: the budget of failed authentications per
    // address is tested on its own (test/e2e/failed-auth.e2e-spec.ts), not spent by the others.
    KV_AUTH_FAILURE_BURST: '1000000',
  };
}

/** URL of another database on the test server. */
export function databaseUrl(name: string): string {
  const url = new URL(TEST_SERVER_URL);
  url.pathname = `/${name}`;
  return url.toString();
}
