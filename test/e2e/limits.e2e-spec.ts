import request from 'supertest';
import { MAX_JSON_DEPTH } from '../../src/common/validation/json-shape';
import { EntryDto, ProblemDto, bodyOf } from '../utils/bodies';
import { TestApp, createTestApp } from '../utils/create-test-app';
import { API, entryRequests } from '../utils/entries';
import { expectEventually } from '../utils/expect-eventually';
import { createNamespace } from '../utils/factories';
import { expectProblem } from '../utils/problems';
import { headersOnly, openWith } from '../utils/raw-http';
const MAX_BODY_BYTES = 65536;
const MAX_VALUE_BYTES = 100;
const MAX_INFLIGHT_BODY_BYTES = 2 * MAX_BODY_BYTES;

/** Every limit on what a caller controls, each just below and just above its bound. */
describe('limits', () => {
  let sut: TestApp;
  let ns: string;

  beforeAll(async () => {
    sut = await createTestApp({
      env: {
        KV_MAX_BODY_BYTES: String(MAX_BODY_BYTES),
        KV_MAX_VALUE_BYTES: String(MAX_VALUE_BYTES),
        KV_MAX_INFLIGHT_BODY_BYTES: String(MAX_INFLIGHT_BODY_BYTES),
      },
    });
    ns = (await createNamespace(sut.http())).id;
  });

  afterAll(async () => {
    await sut.close();
  });

  const { put } = entryRequests(
    () => sut,
    () => ns,
  );

  it('answers a body over KV_MAX_BODY_BYTES with 413 PAYLOAD_TOO_LARGE', async () => {
    const value = 'x'.repeat(MAX_BODY_BYTES);
    expectProblem(await put('body', { value, valueType: 'STRING' }), 413, 'PAYLOAD_TOO_LARGE');
  });

  it.each([
    ['STRING', 'x'.repeat(MAX_VALUE_BYTES - 2), 'x'.repeat(MAX_VALUE_BYTES - 1)],
    [
      'BINARY',
      Buffer.alloc(MAX_VALUE_BYTES).toString('base64'),
      Buffer.alloc(MAX_VALUE_BYTES + 1).toString('base64'),
    ],
    ['JSON', { a: 'x'.repeat(MAX_VALUE_BYTES - 8) }, { a: 'x'.repeat(MAX_VALUE_BYTES - 7) }],
  ])(
    'takes a %s value of KV_MAX_VALUE_BYTES and answers one byte more with 413 VALUE_TOO_LARGE',
    async (valueType, largest, tooLarge) => {
      expect(
        (await put(encodeURIComponent(`value/${valueType}`), { value: largest, valueType })).status,
      ).toBe(201);
      expectProblem(
        await put(encodeURIComponent(`value/${valueType}`), { value: tooLarge, valueType }),
        413,
        'VALUE_TOO_LARGE',
      );
    },
  );

  it.each([
    ['512 characters', 'k'.repeat(512), 'k'.repeat(513)],
    ['32 segments', Array(32).fill('s').join('/'), Array(33).fill('s').join('/')],
  ])(
    'takes a key of %s and answers one more with 400 naming key',
    async (_case, largest, tooLarge) => {
      expect(
        (await put(encodeURIComponent(largest), { value: 1, valueType: 'NUMBER' })).status,
      ).toBe(201);
      const res = await put(encodeURIComponent(tooLarge), { value: 1, valueType: 'NUMBER' });
      expectProblem(res, 400, 'VALIDATION_FAILED');
      expect(bodyOf<ProblemDto>(res).errors).toEqual([expect.objectContaining({ field: 'key' })]);
    },
  );

  it('takes 16384 bytes of metadata and answers one more with 400 naming metadata', async () => {
    // {"m":"…"} is 8 bytes around the string.
    const metadata = (bytes: number) => ({ m: 'x'.repeat(bytes - 8) });
    expect(
      (await put('meta', { value: 1, valueType: 'NUMBER', metadata: metadata(16384) })).status,
    ).toBe(201);
    const res = await put('meta', { value: 1, valueType: 'NUMBER', metadata: metadata(16385) });
    expectProblem(res, 400, 'VALIDATION_FAILED');
    expect(bodyOf<ProblemDto>(res).errors).toEqual([
      expect.objectContaining({ field: 'metadata' }),
    ]);
  });

  it(`takes a body nested ${MAX_JSON_DEPTH} levels deep and answers one more with 400`, async () => {
    // The body is the first level, so what it holds may nest one level less.
    const nested = (depth: number) =>
      Array.from({ length: depth }).reduce<unknown>((inner) => ({ a: inner }), 'leaf');
    const body = (depth: number) => ({ value: 1, valueType: 'NUMBER', metadata: nested(depth) });
    const ok = await put('nested', body(MAX_JSON_DEPTH - 1));
    expect(ok.status).toBe(201);
    expect(bodyOf<EntryDto>(ok).metadata).toEqual(nested(MAX_JSON_DEPTH - 1));
    const res = await put('nested', body(MAX_JSON_DEPTH));
    expectProblem(res, 400, 'VALIDATION_FAILED');
    expect(bodyOf<ProblemDto>(res).errors).toEqual([
      expect.objectContaining({ field: 'metadata' }),
    ]);
  });

  it.each(['get', 'delete', 'set'])(
    'takes 1000 items in a bulk %s and answers 1001 with 400',
    async (op) => {
      const body = (n: number) =>
        op === 'set'
          ? {
              entries: Array.from({ length: n }, (_, i) => ({
                key: `b/${i}`,
                value: i,
                valueType: 'NUMBER',
              })),
            }
          : { keys: Array.from({ length: n }, (_, i) => `b/${i}`) };
      const bulk = (n: number) => sut.http().post(`${API}/${ns}/bulk/${op}`).send(body(n));
      expect((await bulk(1000)).status).toBe(200);
      expectProblem(await bulk(1001), 400, 'VALIDATION_FAILED');
    },
  );

  it.each([
    ['limit=1000', 'limit=1000', 200],
    ['limit=1001', 'limit=1001', 400],
    ['limit=0', 'limit=0', 400],
    ['a cursor of 4097 characters', `cursor=${'c'.repeat(4097)}`, 400],
    ['a prefix of 512 characters', `prefix=${'p'.repeat(512)}`, 200],
    ['a prefix of 513 characters', `prefix=${'p'.repeat(513)}`, 400],
  ])('answers a list with %s with %d', async (_case, query, status) => {
    const res = await sut.http().get(`${API}/${ns}/entries?${query}`);
    expect(res.status).toBe(status);
    if (status === 400) {
      expectProblem(res, 400, 'VALIDATION_FAILED');
    }
  });

  it('answers headers over 16 KiB with a problem+json 431 HEADERS_TOO_LARGE', async () => {
    expectProblem(
      await sut
        .http()
        .get(`${API}/namespaces`)
        .set('x-padding', 'p'.repeat(17 * 1024)),
      431,
      'HEADERS_TOO_LARGE',
    );
    expectProblem(
      await sut.http().get(`${API}/${ns}/entries/${'k'.repeat(17 * 1024)}`),
      431,
      'HEADERS_TOO_LARGE',
    );
  });

  it('answers a path parameter over 2048 characters with 400', async () => {
    const res = await sut.http().get(`${API}/namespaces/${'n'.repeat(3000)}`);
    expectProblem(res, 400, 'VALIDATION_FAILED');
  });

  it('answers a bearer token over 8192 characters with 401', async () => {
    expectProblem(
      await request(sut.target)
        .get(`${API}/namespaces`)
        .set('authorization', `Bearer ${'t'.repeat(8193)}`),
      401,
      'UNAUTHORIZED',
    );
  });

  it('refuses a body past KV_MAX_INFLIGHT_BODY_BYTES in flight with 503 unread, until one ends', async () => {
    const url = await sut.url();
    const head = (key: string) =>
      `PUT ${API}/${ns}/entries/${key} HTTP/1.1\r\nHost: kv\r\n` +
      `Authorization: Bearer ${sut.adminToken}\r\nContent-Type: application/json\r\n` +
      `Content-Length: ${MAX_BODY_BYTES}\r\n\r\n`;
    // Two uploads of the largest body begun and stalled hold the whole cap.
    const stalled = [
      await openWith(url, head('stalled/1')),
      await openWith(url, head('stalled/2')),
    ];
    await expectEventually(async () => {
      const refused = await headersOnly(url, head('refused'));
      expect(refused).toMatchObject({
        status: 503,
        body: { code: 'SERVICE_UNAVAILABLE' },
        closed: true,
      });
      expect(refused.headers).toContain('\r\nretry-after: ');
    });
    stalled.forEach((socket) => socket.destroy());
    await expectEventually(async () => {
      expect((await put('after-stall', { value: 1, valueType: 'NUMBER' })).status).toBe(201);
    });
  });
});
