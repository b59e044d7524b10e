import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { App } from 'supertest/types';
import { createApp } from '../../src/app.setup';
import { loadConfig } from '../../src/config/load-config';
import { serviceEnv } from './test-env';

export interface TestApp {
  /** What supertest's request() takes: the in-process server or the base URL of a process. */
  target: App | string;
  app?: NestFastifyApplication;
  close: () => Promise<void>;
}

/**
 * The service under test: the real AppModule in-process on the run's fresh PostgreSQL
 * database, or, when KV_TEST_BASE_URL is set (the embedded project), the running process.
 */
export async function createTestApp(env: Record<string, string> = {}): Promise<TestApp> {
  const baseUrl = process.env.KV_TEST_BASE_URL;
  if (baseUrl) {
    return { target: baseUrl, close: () => Promise.resolve() };
  }
  const databaseUrl = process.env.KV_E2E_DATABASE_URL;
  if (!databaseUrl) {
    throw new Error('KV_E2E_DATABASE_URL is not set: run the e2e project through jest.config.js');
  }
  const app = await createApp(loadConfig({ ...serviceEnv(databaseUrl), ...env }));
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  return { target: app.getHttpServer(), app, close: () => app.close() };
}
