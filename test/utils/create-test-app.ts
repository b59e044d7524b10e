import { readFileSync } from 'node:fs';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Client } from 'pg';
import request from 'supertest';
import type { App } from 'supertest/types';
import { createApp } from '../../src/app.setup';
import { loadConfig } from '../../src/config/load-config';
import { developmentSecretPath } from '../../src/permissions/development-secret';
import { TEST_SERVER_URL, databaseUrl, serviceEnv } from './test-env';
import { Tokens } from './tokens';

export interface TestApp {
  /** What supertest's request() takes: the in-process server or the base URL of a process. */
  target: App | string;
  app?: NestFastifyApplication;
  tokens: Tokens;
  /** A token with every permission on every application. */
  adminToken: string;
  /** A supertest agent that sends the admin token (or the one given). */
  http: (token?: string) => request.Agent;
  /** A base URL for real HTTP clients; an in-process app starts listening on first call. */
  url: () => Promise<string>;
  close: () => Promise<void>;
}

export interface TestAppOptions {
  env?: Record<string, string>;
  /** A database of its own, for tests that break it; dropped on close. */
  ownDatabase?: boolean;
}

async function withServer<T>(work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: TEST_SERVER_URL });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

async function finish(
  target: App | string,
  secret: string,
  close: () => Promise<void>,
  app?: NestFastifyApplication,
): Promise<TestApp> {
  const tokens = new Tokens(secret);
  const adminToken = await tokens.mint();
  const http = (token = adminToken) =>
    request.agent(target).set('authorization', `Bearer ${token}`);
  const url = async () => {
    if (typeof target === 'string') {
      return target;
    }
    if (!app!.getHttpServer().listening) {
      await app!.listen(0, '127.0.0.1');
    }
    return app!.getUrl();
  };
  return { target, app, tokens, adminToken, http, url, close };
}

/**
 * The service under test: the real AppModule in-process on the run's fresh PostgreSQL
 * database, or, when KV_TEST_BASE_URL is set (the embedded project), the running process.
 */
export async function createTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const baseUrl = process.env.KV_TEST_BASE_URL;
  const embeddedDataDir = process.env.KV_EMBEDDED_DATA_DIR;
  if (baseUrl && embeddedDataDir) {
    const secret = readFileSync(developmentSecretPath(embeddedDataDir), 'utf8').trim();
    return finish(baseUrl, secret, () => Promise.resolve());
  }
  let url = process.env.KV_E2E_DATABASE_URL;
  if (!url) {
    throw new Error('KV_E2E_DATABASE_URL is not set: run the e2e project through jest.config.js');
  }
  const ownDatabase = options.ownDatabase
    ? `${process.env.KV_E2E_DATABASE}_${process.pid}_${Date.now()}`
    : undefined;
  if (ownDatabase) {
    await withServer((client) => client.query(`CREATE DATABASE "${ownDatabase}"`));
    url = databaseUrl(ownDatabase);
  }
  const env = { ...serviceEnv(url), ...options.env };
  const app = await createApp(loadConfig(env));
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  const close = async () => {
    await app.close();
    if (ownDatabase) {
      await withServer((client) =>
        client.query(`DROP DATABASE IF EXISTS "${ownDatabase}" WITH (FORCE)`),
      );
    }
  };
  return finish(app.getHttpServer(), env.AUTH_JWT_SECRET, close, app);
}
