import { KvPermission } from '../../src/permissions/kv-permission.enum';
import { AuditPageDto, bodyOf } from '../utils/bodies';
import { TestApp, createTestApp } from '../utils/create-test-app';
import { createNamespace } from '../utils/factories';

const API = '/api/v1/kv';

describe('audit of requests refused while their body is read', () => {
  let sut: TestApp;
  let ns: string;

  beforeAll(async () => {
    sut = await createTestApp({ env: { KV_MAX_BODY_BYTES: '1024' } });
    ns = (await createNamespace(sut.http())).id;
  });

  afterAll(() => sut?.close());

  it.each([
    ['malformed JSON', 'application/json', '{"value": "x", ', 400],
    ['a body past the limit', 'application/json', JSON.stringify({ value: 'x'.repeat(2048) }), 413],
    ['another media type', 'text/plain', 'value=x', 415],
  ])('leaves a row for %s on a route naming a namespace', async (_case, type, body, status) => {
    const sub = `writer-${status}`;
    const http = sut.http(await sut.tokens.mint({ sub }));
    const res = await http.put(`${API}/${ns}/entries/app/key`).set('content-type', type).send(body);
    expect(res.status).toBe(status);

    const auditor = sut.http(await sut.tokens.only([KvPermission.AuditRead]));
    const rows = bodyOf<AuditPageDto>(
      await auditor.get(`${API}/audit`).query({ userId: sub }),
    ).items;
    expect(rows).toEqual([
      expect.objectContaining({
        action: 'WRITE',
        namespaceId: ns,
        keyPath: 'app/key',
        userId: sub,
        success: false,
        statusCode: status,
      }),
    ]);
  });
});
