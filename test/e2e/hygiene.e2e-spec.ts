import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { ErrorCode } from '../../src/common/errors/error-code.enum';
import { KvPermission } from '../../src/permissions/kv-permission.enum';
import { ProblemDto, bodyOf } from '../utils/bodies';
import { TestApp, createTestApp } from '../utils/create-test-app';
import { createNamespace } from '../utils/factories';

const API = '/api/v1/kv';
const MARKER = 'hygiene-marker-7f3a';
/** What a leaked stack trace, SQL statement or driver error looks like in a body. */
const LEAKS = [
  /\bat \S+ \(/, // stack frame
  /\.(ts|js):\d+/,
  /node_modules/,
  /\b(SELECT|INSERT INTO|UPDATE \w+ SET|DELETE FROM)\b/i,
  /relation "/,
  /QueryFailedError|TypeError|ReferenceError|ECONNREFUSED/,
];

function expectClean(res: request.Response): void {
  expect(res.status).toBeGreaterThanOrEqual(400);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(Object.values(ErrorCode)).toContain(bodyOf<ProblemDto>(res).code);
  for (const leak of LEAKS) {
    expect(res.text).not.toMatch(leak);
  }
  expect(res.text).not.toContain(MARKER);
}

describe('security hygiene', () => {
  let sut: TestApp;
  let plain: string;
  let secret: string;

  beforeAll(async () => {
    sut = await createTestApp({ ownDatabase: true });
    plain = (await createNamespace(sut.http())).id;
    secret = (await createNamespace(sut.http(), { isSecretNamespace: true })).id;
    await sut.http().put(`${API}/${plain}/entries/present`).send({ value: 1, valueType: 'NUMBER' });
    await sut
      .http()
      .put(`${API}/${secret}/entries/present`)
      .send({ value: 'v', valueType: 'STRING' });
  });

  afterAll(async () => {
    await sut.close();
  });

  it('answers every kind of rejection with a clean problem+json body', async () => {
    const http = sut.http();
    const reader = sut.http(await sut.tokens.only([KvPermission.EntryRead], ['none']));
    const rejections: request.Response[] = [
      await http.put(`${API}/${plain}/entries/k`).send({ value: MARKER, valueType: 'NUMBER' }),
      await http.put(`${API}/${plain}/entries/k`).send({ value: MARKER, valueType: 'NOPE' }),
      await http.put(`${API}/${plain}/entries/k`).send({ value: MARKER, extra: MARKER }),
      await http
        .put(`${API}/${plain}/entries/k`)
        .set('content-type', 'application/json')
        .send(`{"value": "${MARKER}", `),
      await http.put(`${API}/${plain}/entries/k`).set('content-type', 'text/plain').send(MARKER),
      await http.put(`${API}/${plain}/entries/k`).type('form').send(`value=${MARKER}`),
      await http
        .put(`${API}/${plain}/entries/k`)
        .send({ value: MARKER.repeat(100_000), valueType: 'STRING' }),
      await http
        .put(`${API}/${plain}/entries/present`)
        .send({ value: MARKER, valueType: 'STRING', expectedVersion: 99 }),
      await http
        .put(`${API}/${plain}/entries/present`)
        .set('if-match', '"99"')
        .send({ value: MARKER, valueType: 'STRING' }),
      await http.put(`${API}/${plain}/entries/a/../b`).send({ value: MARKER, valueType: 'STRING' }),
      await http.get(`${API}/not-a-uuid/entries/k`),
      await http.get(`${API}/${randomUUID()}/entries/k`),
      await http.get(`${API}/${plain}/entries/absent`),
      await http.post(`${API}/${plain}/entries/present/rotate`).send({ value: MARKER }),
      await http.post(`${API}/${secret}/entries/present/rollback`).send({ version: 42 }),
      await http.post(`${API}/${secret}/entries/absent/rotate`).send({ value: MARKER }),
      await http.post(`${API}/${plain}/bulk/set`).send({ entries: [{ key: '', value: MARKER }] }),
      await http.get(`${API}/${plain}/entries?limit=${MARKER}`),
      await http.get(`${API}/audit?from=${MARKER}`),
      await http.post(`${API}/namespaces`).send({ name: MARKER, applicationId: ['x'] }),
      await http.get(`${API}/no/such/route`),
      await request(sut.target).get(`${API}/${plain}/entries/present`),
      await request(sut.target)
        .get(`${API}/${plain}/entries/present`)
        .set('authorization', `Bearer ${MARKER}`),
      await reader.get(`${API}/${plain}/entries/present`),
      await reader.put(`${API}/${plain}/entries/present`).send({ value: MARKER }),
    ];
    for (const res of rejections) {
      expectClean(res);
    }
    expect(new Set(rejections.map((res) => res.status))).toEqual(
      new Set([400, 401, 403, 404, 409, 412, 413, 415]),
    );
  });

  it('takes an empty body sent as application/json for no body, not for malformed JSON', async () => {
    await sut.http().put(`${API}/${plain}/entries/gone`).send({ value: 1, valueType: 'NUMBER' });
    const emptyPut = await sut
      .http()
      .put(`${API}/${plain}/entries/gone`)
      .set('content-type', 'application/json');
    expect(emptyPut.status).toBe(400);
    expect(bodyOf<ProblemDto>(emptyPut).code).toBe('VALIDATION_FAILED');
    const emptyDelete = await sut
      .http()
      .delete(`${API}/${plain}/entries/gone`)
      .set('content-type', 'application/json');
    expect(emptyDelete.status).toBe(204);
    const poisoned = await sut
      .http()
      .put(`${API}/${plain}/entries/gone`)
      .set('content-type', 'application/json')
      .send('{"value": 1, "valueType": "NUMBER", "__proto__": {"admin": true}}');
    expect(poisoned.status).toBe(400);
  });

  it('hides the driver error of a failing statement behind a generic 500', async () => {
    const dataSource = sut.app!.get(DataSource);
    await dataSource.query('ALTER TABLE entry_versions RENAME TO entry_versions_gone');
    try {
      const res = await sut
        .http()
        .put(`${API}/${secret}/entries/present`)
        .send({ value: MARKER, valueType: 'STRING' });
      expect(res.status).toBe(500);
      expect(bodyOf<ProblemDto>(res).code).toBe('INTERNAL_ERROR');
      expectClean(res);
    } finally {
      await dataSource.query('ALTER TABLE entry_versions_gone RENAME TO entry_versions');
    }
  });

  it('sends the security headers on API, error, health and documentation responses', async () => {
    const responses = [
      await sut.http().get(`${API}/${plain}/entries/present`),
      await sut.http().get(`${API}/${plain}/entries/absent`),
      await request(sut.target).get('/health/live'),
      await request(sut.target).get(`${API}/swagger-ui-json`),
    ];
    for (const res of responses) {
      expect(res.headers).toMatchObject({
        'x-content-type-options': 'nosniff',
        'x-frame-options': 'SAMEORIGIN',
        'strict-transport-security': expect.stringContaining('max-age='),
        'content-security-policy': expect.stringContaining("default-src 'self'"),
        'referrer-policy': 'no-referrer',
      });
      expect(res.headers['x-powered-by']).toBeUndefined();
      expect(res.headers['x-request-id']).toBeDefined();
    }
  });

  it('grants no cross-origin access: preflights and simple requests get no CORS headers', async () => {
    const preflight = await request(sut.target)
      .options(`${API}/${plain}/entries/present`)
      .set('origin', 'https://evil.example')
      .set('access-control-request-method', 'PUT')
      .set('access-control-request-headers', 'authorization, content-type');
    expect(preflight.status).toBeGreaterThanOrEqual(400);
    expect(preflight.status).toBeLessThan(500);
    const simple = await sut
      .http()
      .get(`${API}/${plain}/entries/present`)
      .set('origin', 'https://evil.example');
    for (const res of [preflight, simple]) {
      expect(Object.keys(res.headers).filter((name) => name.startsWith('access-control-'))).toEqual(
        [],
      );
    }
  });
});
