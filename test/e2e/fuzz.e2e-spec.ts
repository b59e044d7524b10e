import { randomBytes, randomUUID } from 'node:crypto';
import fc from 'fast-check';
import request from 'supertest';
import { ErrorCode } from '../../src/common/errors/error-code.enum';
import { TestApp, createTestApp } from '../utils/create-test-app';
import { createNamespace } from '../utils/factories';
import {
  Caller,
  Field,
  KeyInUrl,
  bodyTextArb,
  callerArb,
  contentTypeArb,
  ifMatchArb,
  keyArb,
  keyInUrlArb,
  markerArb,
  namespaceFieldsArb,
  objectText,
  percentEncode,
  queryParamArb,
  setFieldsArb,
  typedValueArb,
} from '../utils/fuzz-arbitraries';
import { Tokens } from '../utils/tokens';

const API = '/api/v1/kv';
const CODES: string[] = Object.values(ErrorCode);

// A bounded run in the normal suite; `npm run fuzz` raises every property to FUZZ_RUNS cases.
const FUZZ_RUNS = Number(process.env.FUZZ_RUNS) || undefined;
const runs = (normal: number) => ({ numRuns: FUZZ_RUNS ?? normal });
const TIMEOUT_MS = FUZZ_RUNS ? FUZZ_RUNS * 500 : 120000;

type Method = 'get' | 'put' | 'post';

interface Sent {
  method: Method;
  path: string;
  body?: string;
  contentType?: string;
  caller?: Caller;
  headers?: Record<string, string | undefined>;
}

/** The properties every answer has: never 5xx; a rejection is problem+json with a known code. */
function expectSound(res: request.Response, secrets: string[]): void {
  expect(res.status).toBeLessThan(500);
  if (res.status < 400) {
    return;
  }
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  const problem = JSON.parse(res.text) as Record<string, unknown>;
  expect(CODES).toContain(problem.code);
  expect(problem).toMatchObject({
    status: res.status,
    type: expect.any(String),
    title: expect.any(String),
    detail: expect.any(String),
  });
  for (const secret of secrets) {
    expect(res.text).not.toContain(secret);
  }
}

/** The body as the service parsed it: an empty one is no body, like no change at all. */
const parsed = (text: string) => (text === '' ? {} : (JSON.parse(text) as Record<string, unknown>));

/** JSON text of a value as the service would store it, for byte-for-byte comparison. */
const same = (actual: unknown, expected: unknown) =>
  expect(JSON.stringify(actual)).toBe(JSON.stringify(expected));

describe('fuzzing over HTTP', () => {
  let sut: TestApp;
  let plain: string;
  let secret: string;
  let credentials: Record<Exclude<Caller, 'admin' | 'none'>, string>;

  beforeAll(async () => {
    sut = await createTestApp();
    plain = (await createNamespace(sut.http())).id;
    secret = (await createNamespace(sut.http(), { isSecretNamespace: true })).id;
    const stranger = new Tokens(randomBytes(32).toString('hex'));
    credentials = {
      garbage: 'Bearer not.a.jwt',
      'wrong-secret': `Bearer ${await stranger.mint()}`,
      'no-permissions': `Bearer ${await sut.tokens.only([])}`,
      basic: 'Basic YWRtaW46YWRtaW4=',
    };
  });

  afterAll(async () => {
    await sut.close();
  });

  async function send(sent: Sent): Promise<request.Response> {
    let req = request(sut.target)[sent.method](sent.path);
    const caller = sent.caller ?? 'admin';
    if (caller === 'admin') {
      req = req.set('authorization', `Bearer ${sut.adminToken}`);
    } else if (caller !== 'none') {
      req = req.set('authorization', credentials[caller]);
    }
    for (const [name, value] of Object.entries(sent.headers ?? {})) {
      if (value !== undefined) {
        req = req.set(name, value);
      }
    }
    if (sent.body !== undefined) {
      req = req.set('content-type', sent.contentType ?? 'application/json').send(sent.body);
    }
    return req;
  }

  const nsArb = (weights: { secret: number; plain: number }) =>
    fc.oneof(
      { weight: weights.secret, arbitrary: fc.constant('secret') },
      { weight: weights.plain, arbitrary: fc.constant('plain') },
      { weight: 1, arbitrary: fc.constantFrom('missing', 'not-a-uuid') },
    );
  const nsId = (which: string) =>
    which === 'secret'
      ? secret
      : which === 'plain'
        ? plain
        : which === 'missing'
          ? randomUUID()
          : 'not-a-uuid';

  /** Reads an entry back through the percent-encoded route. */
  const read = (namespace: string, keyPath: string) =>
    sut.http().get(`${API}/${namespace}/entries/${percentEncode(keyPath)}`);

  it(
    'sets and gets entries: no 5xx, problems only, no echo, and what is accepted reads back',
    async () => {
      await fc.assert(
        fc.asyncProperty(
          markerArb.chain((marker) =>
            fc.record({
              marker: fc.constant(marker),
              ns: nsArb({ secret: 3, plain: 3 }),
              key: keyInUrlArb,
              body: bodyTextArb(setFieldsArb(marker), marker),
              contentType: contentTypeArb,
              ifMatch: ifMatchArb(marker),
              ifNoneMatch: ifMatchArb(marker),
              caller: callerArb,
            }),
          ),
          async (c) => {
            const namespace = nsId(c.ns);
            const res = await send({
              method: 'put',
              path: `${API}/${namespace}/entries/${c.key.url}`,
              body: c.body,
              contentType: c.contentType,
              caller: c.caller,
              headers: { 'if-match': c.ifMatch },
            });
            expectSound(res, [c.marker]);
            if (res.status === 200 || res.status === 201) {
              const sent = parsed(c.body);
              expectEntry(res.body, sent, c.key);
              const back = await read(namespace, res.body.keyPath);
              expect(back.status).toBe(200);
              expectEntry(back.body, sent, c.key);
            }
            const get = await send({
              method: 'get',
              path: `${API}/${namespace}/entries/${c.key.url}`,
              caller: c.caller,
              headers: { 'if-none-match': c.ifNoneMatch },
            });
            expectSound(get, [c.marker]);
          },
        ),
        runs(60),
      );
    },
    TIMEOUT_MS,
  );

  function expectEntry(
    entry: Record<string, unknown>,
    sent: Record<string, unknown>,
    key: KeyInUrl,
  ) {
    if (key.key !== undefined) {
      expect(entry.keyPath).toBe(key.key);
    }
    expect(entry.valueType).toBe(sent.valueType);
    same(entry.value, sent.value);
    same(entry.metadata, sent.metadata ?? null);
  }

  it(
    'creates and updates namespaces: no 5xx, problems only, and what is accepted reads back',
    async () => {
      await fc.assert(
        fc.asyncProperty(
          markerArb.chain((marker) =>
            fc.record({
              marker: fc.constant(marker),
              create: bodyTextArb(namespaceFieldsArb(marker, false), marker),
              update: bodyTextArb(namespaceFieldsArb(marker, true), marker),
              contentType: contentTypeArb,
              caller: callerArb,
            }),
          ),
          async (c) => {
            const created = await send({
              method: 'post',
              path: `${API}/namespaces`,
              body: c.create,
              contentType: c.contentType,
              caller: c.caller,
            });
            expectSound(created, [c.marker]);
            if (created.status === 201) {
              const sent = parsed(c.create);
              expect(created.body).toMatchObject({
                name: sent.name,
                applicationId: sent.applicationId,
                description: sent.description ?? null,
                isSecretNamespace: sent.isSecretNamespace ?? false,
                defaultTtlSeconds: sent.defaultTtlSeconds ?? null,
              });
              expect((await sut.http().get(`${API}/namespaces/${created.body.id}`)).body).toEqual(
                created.body,
              );
            }
            const target = await createNamespace(sut.http());
            const updated = await send({
              method: 'put',
              path: `${API}/namespaces/${target.id}`,
              body: c.update,
              contentType: c.contentType,
              caller: c.caller,
            });
            expectSound(updated, [c.marker]);
            if (updated.status === 200) {
              const sent = parsed(c.update);
              const expected = { ...target, ...sent, updatedAt: updated.body.updatedAt };
              expect(updated.body).toEqual(expected);
              expect((await sut.http().get(`${API}/namespaces/${target.id}`)).body).toEqual(
                updated.body,
              );
            }
          },
        ),
        runs(30),
      );
    },
    TIMEOUT_MS,
  );

  const bulkSetBodyArb = (marker: string) =>
    fc.oneof(
      {
        weight: 8,
        arbitrary: fc
          .array(
            fc
              .tuple(
                fc.oneof(
                  { weight: 9, arbitrary: keyArb.map((k) => JSON.stringify(k)) },
                  { weight: 1, arbitrary: fc.constantFrom('1', 'null', '""', '[]') },
                ),
                setFieldsArb(marker),
              )
              .map(([key, fields]) => objectText([['key', key], ...fields])),
            { maxLength: 5 },
          )
          .map((items) => `{"entries":[${items.join(',')}]}`),
      },
      {
        weight: 1,
        arbitrary: fc.integer({ min: 999, max: 1001 }).map((n) =>
          JSON.stringify({
            entries: Array.from({ length: n }, (_, i) => ({
              key: `many/${i}`,
              value: `${marker}${i}`,
              valueType: 'STRING',
            })),
          }),
        ),
      },
      {
        weight: 1,
        arbitrary: fc.constantFrom(
          '{"entries":null}',
          '{"entries":{}}',
          '{"entries":[1]}',
          '{"entries":"x"}',
          '{}',
          '{"keys":[]}',
        ),
      },
    );

  const bulkKeysBodyArb = fc.oneof(
    {
      weight: 6,
      arbitrary: fc.array(keyArb, { maxLength: 8 }).map((keys) => JSON.stringify({ keys })),
    },
    {
      weight: 1,
      arbitrary: fc
        .integer({ min: 999, max: 1001 })
        .map((n) => JSON.stringify({ keys: Array.from({ length: n }, (_, i) => `many/${i}`) })),
    },
    {
      weight: 1,
      arbitrary: fc.constantFrom('{"keys":null}', '{"keys":[1]}', '{"keys":"a"}', '{}', '[]'),
    },
  );

  it(
    'bulk sets and gets: no 5xx, problems only, no echo, and what is accepted reads back',
    async () => {
      await fc.assert(
        fc.asyncProperty(
          markerArb.chain((marker) =>
            fc.record({
              marker: fc.constant(marker),
              ns: nsArb({ secret: 3, plain: 3 }),
              set: bulkSetBodyArb(marker),
              get: bulkKeysBodyArb,
              contentType: contentTypeArb,
              caller: callerArb,
            }),
          ),
          async (c) => {
            const namespace = nsId(c.ns);
            const set = await send({
              method: 'post',
              path: `${API}/${namespace}/bulk/set`,
              body: c.set,
              contentType: c.contentType,
              caller: c.caller,
            });
            expectSound(set, [c.marker]);
            if (set.status === 200) {
              const sent = (JSON.parse(c.set) as { entries: Record<string, unknown>[] }).entries;
              const got = await sut
                .http()
                .post(`${API}/${namespace}/bulk/get`)
                .send({ keys: sent.map((item) => item.key) });
              expect(got.body.missing).toEqual([]);
              sent.forEach((item, i) => {
                const key = { url: '', key: item.key as string };
                expectEntry(set.body.items[i], item, key);
                expectEntry(got.body.items[i], item, key);
              });
            }
            const get = await send({
              method: 'post',
              path: `${API}/${namespace}/bulk/get`,
              body: c.get,
              contentType: c.contentType,
              caller: c.caller,
            });
            expectSound(get, [c.marker]);
          },
        ),
        runs(30),
      );
    },
    TIMEOUT_MS,
  );

  it(
    'rotates and rolls back: no 5xx, problems only, no echo, and a rotation reads back',
    async () => {
      const target = 'rot/target';
      await sut.http().put(`${API}/${secret}/entries/rot%2Ftarget`).send({
        value: 'first',
        valueType: 'STRING',
      });
      const rotateFieldsArb = (marker: string) =>
        fc
          .tuple(
            fc.oneof(
              typedValueArb(marker).map((v): Field[] => [
                ['value', v.text],
                ['valueType', JSON.stringify(v.valueType)],
              ]),
              setFieldsArb(marker).map((fields) =>
                fields.filter((f): f is Field => f !== undefined && f[0] !== 'ttlSeconds'),
              ),
            ),
          )
          .map(([fields]) => fields);
      const rollbackFieldsArb = fc
        .tuple(
          fc.oneof(
            fc.integer({ min: -1, max: 12 }).map(String),
            fc.constantFrom('1e400', '"1"', '1.5', 'null', '2147483648'),
          ),
          fc.option(fc.integer({ min: -1, max: 12 }).map(String), { nil: undefined }),
        )
        .map(([version, expected]): (Field | undefined)[] => [
          ['version', version],
          expected === undefined ? undefined : ['expectedVersion', expected],
        ]);
      await fc.assert(
        fc.asyncProperty(
          markerArb.chain((marker) =>
            fc.record({
              marker: fc.constant(marker),
              ns: nsArb({ secret: 6, plain: 1 }),
              key: fc.oneof(
                { weight: 4, arbitrary: fc.constantFrom('rot%2Ftarget', 'rot/target') },
                { weight: 1, arbitrary: keyInUrlArb.map((k) => k.url) },
              ),
              action: fc.constantFrom('rotate', 'rollback'),
              rotate: bodyTextArb(rotateFieldsArb(marker), marker),
              rollback: bodyTextArb(rollbackFieldsArb, marker),
              contentType: contentTypeArb,
              ifMatch: ifMatchArb(marker),
              caller: callerArb,
            }),
          ),
          async (c) => {
            const namespace = nsId(c.ns);
            const body = c.action === 'rotate' ? c.rotate : c.rollback;
            const res = await send({
              method: 'post',
              path: `${API}/${namespace}/entries/${c.key}/${c.action}`,
              body,
              contentType: c.contentType,
              caller: c.caller,
              headers: { 'if-match': c.ifMatch },
            });
            expectSound(res, [c.marker]);
            if (res.status === 200) {
              expect(res.body.keyPath).toBe(target);
              const back = await read(namespace, target);
              same(back.body.value, res.body.value);
              expect(back.body.valueType).toBe(res.body.valueType);
              if (c.action === 'rotate') {
                same(res.body.value, (JSON.parse(body) as { value: unknown }).value);
              }
            }
          },
        ),
        runs(30),
      );
    },
    TIMEOUT_MS,
  );

  it(
    'lists with any query: no 5xx, problems only, and pages keep their limit and prefix',
    async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom(
            () => `${API}/${plain}/entries`,
            () => `${API}/${secret}/entries`,
            () => `${API}/namespaces`,
            () => `${API}/audit`,
            () => `${API}/${secret}/entries/rot%2Ftarget/versions`,
          ),
          fc.array(queryParamArb, { maxLength: 5 }),
          callerArb,
          async (path, params, caller) => {
            const res = await send({
              method: 'get',
              path: `${path()}?${params.join('&')}`,
              caller,
            });
            expectSound(res, []);
            if (res.status === 200) {
              expect(Array.isArray(res.body.items)).toBe(true);
              expect(res.body.nextCursor === null || typeof res.body.nextCursor === 'string').toBe(
                true,
              );
              const query = new URLSearchParams(params.join('&'));
              const prefix = query.getAll('prefix');
              if (prefix.length === 1 && path().endsWith('/entries')) {
                for (const item of res.body.items as { keyPath: string }[]) {
                  expect(item.keyPath.startsWith(prefix[0])).toBe(true);
                }
              }
              expect(res.body.items.length).toBeLessThanOrEqual(Number(query.get('limit') ?? 100));
            }
          },
        ),
        runs(40),
      );
    },
    TIMEOUT_MS,
  );
});
