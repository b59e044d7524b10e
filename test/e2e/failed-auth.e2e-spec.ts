import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { KvPermission } from '../../src/permissions/kv-permission.enum';
import { AuditPageDto, bodyOf } from '../utils/bodies';
import { TestApp, createTestApp } from '../utils/create-test-app';
import { createNamespace } from '../utils/factories';
import { headersOnly } from '../utils/raw-http';

const API = '/api/v1/kv';
const FOUR_MIB = 4 * 1024 * 1024;

function putHead(namespaceId: string, authorization?: string): string {
  return (
    `PUT ${API}/${namespaceId}/entries/big/value HTTP/1.1\r\nHost: kv\r\n` +
    (authorization === undefined ? '' : `Authorization: ${authorization}\r\n`) +
    `Content-Type: application/json\r\nContent-Length: ${FOUR_MIB}\r\n\r\n`
  );
}

describe('unauthenticated requests with a body', () => {
  let sut: TestApp;

  beforeAll(async () => {
    sut = await createTestApp();
  });

  afterAll(async () => {
    await sut.close();
  });

  it.each([
    ['no token', undefined],
    ['a junk token', 'Bearer junk.junk.junk'],
    ['a Basic header', 'Basic dXNlcjpwYXNz'],
  ])(
    'answers a request with %s 401 before its body is sent, closes the connection and audits it',
    async (_case, authorization) => {
      const namespaceId = randomUUID();
      const answer = await headersOnly(await sut.url(), putHead(namespaceId, authorization));
      expect(answer).toMatchObject({ status: 401, body: { code: 'UNAUTHORIZED' }, closed: true });
      expect(answer.headers).toContain('\r\nconnection: close');
      const rows = await sut.http().get(`${API}/audit`).query({ namespaceId });
      expect(bodyOf<AuditPageDto>(rows).items).toEqual([
        expect.objectContaining({
          action: 'WRITE',
          keyPath: 'big/value',
          userId: null,
          success: false,
          statusCode: 401,
        }),
      ]);
    },
  );

  it('answers 50 such requests at once, none of them waiting for its 4 MiB body', async () => {
    const url = await sut.url();
    const answers = await Promise.all(
      Array.from({ length: 50 }, () => headersOnly(url, putHead(randomUUID()))),
    );
    expect(answers.map(({ status, closed }) => [status, closed])).toEqual(
      Array.from({ length: 50 }, () => [401, true]),
    );
  });

  it.each([
    ['no route', `POST ${API}/no/such/route`, 404, 'ROUTE_NOT_FOUND'],
    ['an entry path without a key', `PUT ${API}/${randomUUID()}/entries`, 400, 'VALIDATION_FAILED'],
  ])(
    'answers a request with a body for %s before its body is sent, and closes the connection',
    async (_case, requestLine, status, code) => {
      const answer = await headersOnly(
        await sut.url(),
        `${requestLine} HTTP/1.1\r\nHost: kv\r\nContent-Type: application/json\r\n` +
          `Content-Length: ${FOUR_MIB}\r\n\r\n`,
      );
      expect(answer).toMatchObject({ status, body: { code }, closed: true });
    },
  );

  it('still reads the body of a request whose token is valid', async () => {
    const namespace = await createNamespace(sut.http());
    const put = await sut
      .http()
      .put(`${API}/${namespace.id}/entries/big/value`)
      .send({ value: 'x'.repeat(1000), valueType: 'STRING' });
    expect(put.status).toBe(201);
  });
});

describe('the budget of failed authentications per client address', () => {
  const BURST = 3;
  let sut: TestApp;

  beforeAll(async () => {
    // Three failures at once, then one a second.
    sut = await createTestApp({
      env: { KV_AUTH_FAILURE_BURST: String(BURST), KV_AUTH_FAILURES_PER_SECOND: '1' },
    });
  });

  afterAll(async () => {
    await sut.close();
  });

  it('audits 401s and 403s up to the budget, then answers 429 unaudited, lets valid tokens through and counts both', async () => {
    const namespace = await createNamespace(sut.http());
    const path = `${API}/namespaces/${namespace.id}`;
    const anonymous = () => request(sut.target).get(path);
    const unprivileged = sut.http(await sut.tokens.only([KvPermission.AuditRead]));

    const answered = [await anonymous(), await anonymous(), await unprivileged.get(path)];
    const limited = [await anonymous(), await unprivileged.get(path)];
    const valid = await sut.http().get(path);

    expect(answered.map((res) => res.status)).toEqual([401, 401, 403]);
    for (const res of limited) {
      expect(res.status).toBe(429);
      expect(res.headers['retry-after']).toBe('1');
      expect(res.body).toMatchObject({ status: 429, code: 'RATE_LIMITED' });
    }
    expect(valid.status).toBe(200);
    const failures = await sut
      .http()
      .get(`${API}/audit`)
      .query({ namespaceId: namespace.id, success: false });
    expect(bodyOf<AuditPageDto>(failures).items.map((row) => row.statusCode)).toEqual([
      403, 401, 401,
    ]);
    const metrics = (await request(sut.target).get('/metrics')).text;
    expect(metrics).toContain('kv_auth_failures_total{outcome="answered"} 3');
    expect(metrics).toContain('kv_auth_failures_total{outcome="limited"} 2');
  });
});
