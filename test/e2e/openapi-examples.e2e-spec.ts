import request from 'supertest';
import { ErrorCode } from '../../src/common/errors/error-code.enum';
import { statusOf } from '../../src/common/errors/error-status';
import { TestApp, createTestApp } from '../utils/create-test-app';
import {
  OpenApiOperation,
  OpenApiParameter,
  OpenApiValidator,
  openApiValidator,
} from '../utils/openapi-validator';

type Json = Parameters<OpenApiValidator['check']>[1];

/**
 * The order in which a new user would try the operations on an empty service; the examples
 * must carry them all to a success. Every documented operation is listed exactly once.
 */
const TRY_IT_OUT_ORDER = [
  'getLiveness',
  'getReadiness',
  'getMetrics',
  'listNamespaces',
  'createNamespace',
  'getNamespace',
  'getNamespaceByName',
  'updateNamespace',
  'setEntry',
  'getEntry',
  'listEntries',
  'watchChanges',
  'listVersions',
  'getVersion',
  'rotateSecret',
  'rollbackSecret',
  'deleteEntry',
  'listDeletedEntries',
  'restoreEntry',
  'bulkSet',
  'bulkGet',
  'importEntries',
  'exportEntries',
  'createSnapshot',
  'listSnapshots',
  'getSnapshot',
  'restoreNamespace',
  'bulkDelete',
  'searchAudit',
  'deleteNamespace',
];

interface Located {
  method: string;
  path: string;
  operation: OpenApiOperation;
}

function operations(validator: OpenApiValidator): Located[] {
  return Object.entries(validator.document.paths).flatMap(([path, item]) =>
    Object.entries(item).map(([method, operation]) => ({ method, path, operation })),
  );
}

function resolve(validator: OpenApiValidator, schema: Json | undefined): Json | undefined {
  const ref = schema?.$ref;
  return typeof ref === 'string'
    ? validator.document.components.schemas[ref.replace('#/components/schemas/', '')]
    : schema;
}

/** The value Swagger UI fills a parameter with: its first example, example, or default. */
function parameterValue(validator: OpenApiValidator, parameter: OpenApiParameter): unknown {
  const schema = resolve(validator, parameter.schema);
  const candidates = [
    Object.values(parameter.examples ?? {})[0]?.value,
    parameter.example,
    schema?.example,
    schema?.default,
  ];
  return candidates.find((value) => value !== undefined);
}

/** The body Swagger UI sends: the media type's example, or its first named example. */
function bodyExample(operation: OpenApiOperation): unknown {
  const content = operation.requestBody?.content;
  const media = content?.['application/json'] ?? content?.['text/plain'];
  return media?.example ?? Object.values(media?.examples ?? {})[0]?.value;
}

/** Every schema, at any depth, that carries an example of its own. */
function schemasWithExamples(schema: Json, pointer: string): [string, Json][] {
  const nested = [
    ...Object.entries((schema.properties ?? {}) as Record<string, Json>).map(
      ([name, sub]) => [`${pointer}.${name}`, sub] as const,
    ),
    ...(['items', 'additionalProperties'] as const)
      .filter((keyword) => typeof schema[keyword] === 'object' && schema[keyword] !== null)
      .map((keyword) => [`${pointer}/${keyword}`, schema[keyword] as Json] as const),
    ...(['allOf', 'anyOf', 'oneOf'] as const).flatMap((keyword) =>
      ((schema[keyword] ?? []) as Json[]).map(
        (sub, i) => [`${pointer}/${keyword}/${i}`, sub] as const,
      ),
    ),
  ];
  return [
    ...(schema.example === undefined ? [] : [[pointer, schema] as [string, Json]]),
    ...nested.flatMap(([where, sub]) => schemasWithExamples(sub, where)),
  ];
}

describe('OpenAPI examples', () => {
  const validator = openApiValidator();
  let sut: TestApp;

  beforeAll(async () => {
    sut = await createTestApp({ ownDatabase: true });
  });

  afterAll(async () => {
    await sut.close();
  });

  it('are valid for their schemas, parameters, bodies and responses', () => {
    const inline = operations(validator).flatMap(({ method, path, operation }) => [
      ...(operation.parameters ?? []).map(
        (p) => [`${method} ${path} ${p.name}`, p.schema] as const,
      ),
      ...Object.entries(operation.responses).flatMap(([status, response]) =>
        Object.entries(response.content ?? {}).map(
          ([type, media]) => [`${method} ${path} ${status} ${type}`, media.schema] as const,
        ),
      ),
    ]);
    const schemas = [
      ...Object.entries(validator.document.components.schemas),
      ...inline.flatMap(([name, schema]) =>
        schema === undefined ? [] : [[name, schema] as const],
      ),
    ];
    for (const [name, schema] of schemas) {
      for (const [pointer, sub] of schemasWithExamples(schema, name)) {
        expect([pointer, validator.check(`example of ${pointer}`, sub, sub.example)]).toEqual([
          pointer,
          undefined,
        ]);
      }
    }
    for (const { method, path, operation } of operations(validator)) {
      const where = `${method.toUpperCase()} ${path}`;
      for (const parameter of operation.parameters ?? []) {
        const value = parameterValue(validator, parameter);
        if (value !== undefined && parameter.schema) {
          const pointer = `${where} ${parameter.name}`;
          expect([pointer, validator.check(pointer, parameter.schema, value)]).toEqual([
            pointer,
            undefined,
          ]);
        }
      }
      const body = operation.requestBody?.content['application/json'];
      if (body?.schema) {
        // Swagger UI builds a body without an example from every property, optional ones
        // included: each body needs one that works.
        expect([where, bodyExample(operation) !== undefined]).toEqual([where, true]);
        expect([
          where,
          validator.check(`${where} body`, body.schema, bodyExample(operation)),
        ]).toEqual([where, undefined]);
      }
      for (const [status, response] of Object.entries(operation.responses)) {
        for (const [mediaType, media] of Object.entries(response.content ?? {})) {
          const examples = [
            ...(media.example === undefined ? [] : [media.example]),
            ...Object.values(media.examples ?? {}).map((e) => e.value),
          ];
          const pointer = `${where} ${status} ${mediaType}`;
          for (const example of examples) {
            expect([pointer, validator.check(pointer, media.schema ?? {}, example)]).toEqual([
              pointer,
              undefined,
            ]);
          }
          if (mediaType === 'application/problem+json') {
            // Each error status shows bodies of its own status and codes, not the schema's 400.
            expect([pointer, examples.length > 0]).toEqual([pointer, true]);
            for (const example of examples as { status: number; code: ErrorCode }[]) {
              expect([pointer, example.status, statusOf(example.code)]).toEqual([
                pointer,
                Number(status),
                Number(status),
              ]);
            }
          }
        }
      }
    }
  });

  it('take a new user through every operation on an empty service, each a success', async () => {
    const all = operations(validator);
    expect([...TRY_IT_OUT_ORDER].sort()).toEqual(all.map((o) => o.operation.operationId).sort());
    const created: Record<string, string> = {};
    for (const operationId of TRY_IT_OUT_ORDER) {
      const { method, path, operation } = all.find((o) => o.operation.operationId === operationId)!;
      const query: Record<string, string> = {};
      const headers: Record<string, string> = {};
      let url = path;
      for (const parameter of operation.parameters ?? []) {
        // Path parameters without an example name what an earlier step created.
        const value =
          parameterValue(validator, parameter) ??
          (parameter.in === 'path' ? created.namespaceId : undefined);
        if (value === undefined) {
          continue;
        }
        const text = typeof value === 'string' ? value : JSON.stringify(value);
        if (parameter.in === 'path') {
          url = url.replace(`{${parameter.name}}`, encodeURIComponent(text));
        } else if (parameter.in === 'query') {
          query[parameter.name] = text;
        } else if (parameter.in === 'header') {
          headers[parameter.name] = text;
        }
      }
      const body = bodyExample(operation);
      // The response is checked against the spec by the e2e setup (validate-responses.setup.ts).
      let sent = request(sut.target)
        [method as 'get' | 'put' | 'post' | 'delete'](url)
        .set('authorization', `Bearer ${sut.adminToken}`)
        .set(headers)
        .query(query);
      if (typeof body === 'string') {
        sent = sent.set('content-type', 'text/plain').send(body);
      } else if (body !== undefined) {
        sent = sent.send(body as object);
      }
      const response = await sent;
      const successes = Object.keys(operation.responses).filter((s) => /^2\d\d$/.test(s));
      expect([operationId, response.status, response.body]).toEqual([
        operationId,
        successes.includes(String(response.status)) ? response.status : successes,
        response.body,
      ]);
      if (operationId === 'createNamespace') {
        created.namespaceId = (response.body as { id: string }).id;
      }
    }
  });

  it("keep Swagger UI's bearer token across reloads", async () => {
    const init = await request(sut.target).get('/api/v1/kv/swagger-ui/swagger-ui-init.js');
    expect(init.text).toMatch(/"persistAuthorization":\s*true/);
  });
});
