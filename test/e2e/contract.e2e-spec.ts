import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { RequestMethod } from '@nestjs/common';
import { ModulesContainer } from '@nestjs/core';
import request from 'supertest';
import { TestApp, createTestApp } from '../utils/create-test-app';

const ROOT = join(__dirname, '..', '..');
// @ApiExcludeEndpoint()'s metadata key; the package's exports map hides its constants module.
const API_EXCLUDE_ENDPOINT = 'swagger/apiExcludeEndpoint';
const committed = JSON.parse(readFileSync(join(ROOT, 'openapi.json'), 'utf8')) as {
  paths: Record<string, Record<string, { operationId: string }>>;
};

/** The documented operations as "METHOD /path" with Fastify's `:param` syntax. */
function specRoutes(): string[] {
  return Object.entries(committed.paths).flatMap(([path, item]) =>
    Object.keys(item).map(
      (method) => `${method.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`,
    ),
  );
}

describe('API contract', () => {
  let sut: TestApp;

  beforeAll(async () => {
    sut = await createTestApp();
  });

  afterAll(async () => {
    await sut.close();
  });

  it('serves exactly the committed openapi.json (run npm run openapi after changing routes)', async () => {
    const served = await request(sut.target).get('/api/v1/kv/swagger-ui-json');
    expect(served.body).toEqual(committed);
  });

  it('has a client generated from the committed spec (run npm run sdk:generate)', () => {
    // The generator is ESM, which Jest cannot load: run its CLI as npm run sdk:generate does.
    const out = join(mkdtempSync(join(tmpdir(), 'kv-sdk-')), 'schema.ts');
    execFileSync(
      join(ROOT, 'node_modules/.bin/openapi-typescript'),
      [join(ROOT, 'openapi.json'), '-o', out],
      { stdio: 'ignore' },
    );
    expect(readFileSync(join(ROOT, 'clients/typescript/src/schema.ts'), 'utf8')).toBe(
      readFileSync(out, 'utf8'),
    );
  });

  it('documents every registered route and registers every documented one', () => {
    const registered: string[] = [];
    for (const module of sut.app!.get(ModulesContainer).values()) {
      for (const wrapper of module.controllers.values()) {
        const controller = wrapper.metatype as new () => object;
        const base = String(Reflect.getMetadata(PATH_METADATA, controller) ?? '');
        for (const name of Object.getOwnPropertyNames(controller.prototype)) {
          const handler = (controller.prototype as Record<string, unknown>)[name];
          if (
            typeof handler !== 'function' ||
            Reflect.getMetadata(METHOD_METADATA, handler) === undefined
          ) {
            continue;
          }
          if (Reflect.getMetadata(API_EXCLUDE_ENDPOINT, handler)) {
            continue;
          }
          const method =
            RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod];
          const path = [base, String(Reflect.getMetadata(PATH_METADATA, handler))]
            .filter((p) => p && p !== '/')
            .join('/');
          const full = ['health', 'metrics'].some((p) => path.startsWith(p))
            ? `/${path}`
            : `/api/v1/kv/${path}`;
          registered.push(`${method} ${full.replace(/\/$/, '')}`);
        }
      }
    }
    expect(registered.sort()).toEqual(specRoutes().sort());
    const fastify = sut.app!.getHttpAdapter().getInstance();
    for (const route of specRoutes()) {
      const [method, url] = route.split(' ');
      expect([route, fastify.hasRoute({ method: method, url })]).toEqual([route, true]);
    }
  });

  it('names every operation after its handler and documents its errors as problem+json', () => {
    for (const [path, item] of Object.entries(committed.paths)) {
      for (const [method, operation] of Object.entries(item) as [
        string,
        Record<string, unknown>,
      ][]) {
        expect([path, method, operation.operationId]).toEqual([
          path,
          method,
          expect.stringMatching(/^[a-z][A-Za-z]+$/),
        ]);
        if (path.startsWith('/api/v1/kv')) {
          const responses = operation.responses as Record<
            string,
            { content?: Record<string, unknown> }
          >;
          for (const status of ['401', '403', '429', '503']) {
            expect([path, method, status, Object.keys(responses[status]?.content ?? {})]).toEqual([
              path,
              method,
              status,
              ['application/problem+json'],
            ]);
          }
        }
      }
    }
  });
});
